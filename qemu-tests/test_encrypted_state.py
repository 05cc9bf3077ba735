"""An encrypted state (macula-install --encrypt, LUKS2 through libcryptsetup), installed on a
machine with a TPM 2.0 (swtpm): it boots to a login with no input, the key unsealed by the
TPM; `maculaos state tpm-enroll` seals it again bound to PCR 7, and `maculaos state
passphrase` replaces the recovery passphrase; no plaintext of what the
node wrote is on the disk. The same disk on a machine without the TPM: the console asks for
the passphrase; three wrong ones follow macula.emergency (an installed disk reboots); the old
recovery passphrase opens nothing, the new one opens it. Back with its TPM, the PCR-bound key
opens it with no input."""
import re
import secrets

from helpers import BOOT, UNATTENDED, blank_disk
from machine import KERNEL_PANIC, SHELL_PROMPT, SHUTDOWN

PROMPT = r"Passphrase of MaculaOS's encrypted state \(/dev/vda5\): "
NEW_PASSPHRASE = "fixture-state-passphrase"  # TEST FIXTURE: what the scenario sets


def disk_holds(disk, needle):
    """Whether the bytes of needle are anywhere in the disk image (read in overlapping chunks)."""
    overlap = len(needle) - 1
    tail = b""
    with open(disk, "rb") as f:
        for chunk in iter(lambda: f.read(16 << 20), b""):
            if needle in tail + chunk:
                return True
            tail = chunk[-overlap:]
    return False


def type_passphrase(m, passphrase):
    m.expect(PROMPT, 300)
    m.child.sendline(passphrase)


def test_encrypted_state_opens_with_the_tpm_else_asks_for_its_passphrase(machine, iso, kernel, initrd, tmp_path):
    disk = blank_disk(tmp_path / "disk.img")
    tpm = tmp_path / "tpm"  # the machine's TPM: its state is kept across its boots
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, disks=[disk], tpm_state=tpm,
                append=UNATTENDED + " macula.install.encrypt")
    m.expect("encrypting the state partition", BOOT + 120)
    m.expect("the state's key is sealed to this machine's TPM 2.0", 300)
    m.expect(r"recovery passphrase: ([a-z]{4}(?:-[a-z]{4}){7})\s", 600)
    recovery = m.child.match.group(1)
    m.wait_exit(120)
    assert KERNEL_PANIC not in m.log()

    # With its TPM: no one types anything.
    m = machine(disks=[disk], tpm_state=tpm)
    m.login(BOOT)
    assert "Passphrase of" not in m.log()
    assert "state: /dev/vda5 (LUKS2) opened with the TPM" in m.sudo("dmesg")
    assert m.run("findmnt -n -o SOURCE /run/macula/state") == "/dev/mapper/macula-state"
    assert m.sudo("blkid -o value -s TYPE /dev/vda5") == "crypto_LUKS"
    assert m.sudo("blkid -o value -s LABEL /dev/vda5") == "MACULAOS_STATE"
    marker = "plaintext-marker-" + secrets.token_hex(16)
    m.sudo(f"echo {marker} > /var/lib/macula-marker; echo {marker} > /etc/macula-marker; sync")
    m.sudo("true")  # sudo's timestamp: the next sudo reads the passphrases from the terminal
    # Sealed again on the installed system, bound to PCR 7 as its own boots measure it.
    m.child.sendline("sudo maculaos state tpm-enroll --tpm2-pcrs 7")
    m.expect("A passphrase of the state", 120)
    m.child.sendline(recovery)
    m.expect(r"sealed to this machine's TPM 2.0, bound to PCR 7\.", 300)
    m.expect(re.escape(SHELL_PROMPT), 30)
    m.child.sendline("sudo maculaos state passphrase")
    for prompt, answer in (("Current passphrase", recovery), ("New passphrase", NEW_PASSPHRASE),
                           ("new passphrase again", NEW_PASSPHRASE)):
        m.expect(prompt, 120)
        m.child.sendline(answer)
    m.expect("The state's passphrase is changed.", 300)
    # its prompt restores the terminal with TCSAFLUSH, which drops what was typed before it
    # exits: the next command waits for the shell (seen: the poweroff lost under load)
    m.expect(re.escape(SHELL_PROMPT), 30)
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    assert not disk_holds(disk, marker.encode()), "the marker's plaintext is on the disk"

    # Without the TPM: three wrong passphrases, then the installed disk's emergency policy, a
    # reboot (QEMU exits).
    m = machine(disks=[disk])
    for n in (1, 2, 3):
        type_passphrase(m, f"wrong-{n}")
        if n < 3:
            m.expect(rf"state: wrong passphrase \({n} of 3\)", 120)
    m.expect(r"3 wrong passphrases", 120)
    m.expect(r"rebooting in 5 seconds", 60)
    m.wait_exit(60)

    # The old recovery passphrase opens nothing now; the new one does, and the marker is there.
    m = machine(disks=[disk])
    type_passphrase(m, recovery)
    m.expect(r"state: wrong passphrase \(1 of 3\)", 120)
    type_passphrase(m, NEW_PASSPHRASE)
    m.login(BOOT)
    assert m.run("cat /var/lib/macula-marker /etc/macula-marker") == f"{marker}\n{marker}"
    story = m.sudo("dmesg")
    assert "state: the TPM did not open /dev/vda5" in story, story
    assert re.search(r"state: /dev/vda5 \(LUKS2\) opened with a passphrase", story)
    m.sudo("poweroff", check=False)
    m.wait_exit(SHUTDOWN)

    # Back on its TPM: the PCR-bound key opens it, with no input.
    m = machine(disks=[disk], tpm_state=tpm)
    m.login(BOOT)
    assert "Passphrase of" not in m.log()
    assert "state: /dev/vda5 (LUKS2) opened with the TPM" in m.sudo("dmesg")

    # The TPM unlocks the normal boot only: each shell the command line can ask for (a break,
    # the rescue shell, init=, the recovery entry's macula.mode=recovery) first takes a
    # passphrase of the state, on every console; three wrong ones reboot, never a shell.
    installed = " ".join(w for w in m.run("cat /proc/cmdline").split() if not w.startswith("BOOT_IMAGE="))
    m.sudo("poweroff", check=False)
    m.wait_exit(SHUTDOWN)

    def gated(extra, name):
        m = machine(kernel=kernel, initrd=initrd, disks=[disk], tpm_state=tpm, append=f"{installed} {extra}",
                    log_name=name)
        return m, r"Passphrase of /dev/vda5 \(MACULAOS_STATE\) before {}: "

    def refused(m, gate, what):
        for n in (1, 2, 3):
            m.expect(gate.format(re.escape(what)), 300)
            m.child.sendline(f"wrong-{n}")
        m.expect(re.escape(f"{what}: 3 wrong passphrases: no shell; rebooting in 5 seconds"), 60)
        m.wait_exit(60)
        assert SHELL_PROMPT not in m.log() and "# " not in m.log().rsplit("wrong passphrases", 1)[1]

    m, gate = gated("macula.break=mount", "break")
    refused(m, gate, "a break shell")
    m, gate = gated("init=/bin/sh", "init-sh")
    refused(m, gate, "init=/bin/sh")
    assert "state: /dev/vda5 (LUKS2) opened with the TPM" in m.log()  # the boot itself still needs no one
    m, gate = gated("macula.mode=shell", "rescue")
    m.expect(gate.format("the rescue shell"), 300)
    m.child.sendline(NEW_PASSPHRASE)
    m.expect("macula-rescue# ", 60)
    m.kill()
    m, gate = gated("macula.mode=recovery", "recovery")
    m.expect(gate.format("the recovery shell"), 300)
    m.child.sendline(recovery)  # replaced: opens nothing
    m.expect(re.escape("the recovery shell: wrong passphrase (1 of 3)"), 60)
    m.expect(gate.format("the recovery shell"), 60)
    m.child.sendline(NEW_PASSPHRASE)
    m.expect("macula-recovery# ", 60)
    m.kill()
