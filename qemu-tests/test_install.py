"""macula-install in the live system, and the installed disk booting from slot A."""
import json

from helpers import BOOT, SERIAL, UNATTENDED, blank_disk, file_hash, install_unattended
from machine import LOGIN_PASSWORD, SHUTDOWN


def check_slot_a(m):
    assert "macula.slot=a" in m.run("cat /proc/cmdline")
    report = json.loads(m.run("cat /run/macula/boot.json"))
    assert report["mode"] == "disk" and report["slot"] == "a", report
    assert m.run("findmnt -n -o FSTYPE /run/macula/rootfs") == "squashfs"
    assert m.run("lsblk -n -o PARTLABEL $(findmnt -n -o SOURCE /run/macula/slot)") == "maculaos-a"
    return report


def test_unattended_install_boots_from_slot_a_and_keeps_state(machine, iso, kernel, initrd, tmp_path):
    disk = blank_disk(tmp_path / "disk.img")
    install_unattended(machine, iso, kernel, initrd, disk)

    m = machine(disks=[disk])  # SeaBIOS, the disk alone
    m.expect(r"MaculaOS \(slot A\)", 120)
    # An unattended install with no password and no key expires the image's: the first
    # login must choose a new one (login() does, as a person must)
    m.login(BOOT)
    assert m.password_changed
    check_slot_a(m)
    # the boot state and changes to it: after this boot's assessment, which holds its lock
    m.wait_for_boot_assessed()
    status = m.sudo("maculaos boot status")
    assert "booted: slot a" in status and "slot a: good, version" in status, status
    assert "(primary)" in status and "slot b: empty" in status, status
    # The image's /var, merged with the config the installer put there; /root as the image has it.
    assert m.run("stat -c %a /var/tmp") == "1777"
    assert m.sudo("test -d /var/lib/dpkg && test -d /var/log && test -d /var/lib/dhcp && "
                  "test -f /var/lib/maculaos/config.yaml && echo whole") == "whole"
    assert m.sudo("stat -c %a /root") == "700"
    code, refused = m.sudo_status("maculaos boot set-next b")
    assert code != 0 and "slot b is empty" in refused, (code, refused)
    assert m.sudo("maculaos boot status") == status  # a refused change writes nothing
    m.sudo("echo kept-etc > /etc/macula-test && echo kept-var > /var/macula-test")
    m.run("echo kept-home > ~/macula-test")
    m.sudo("sync; reboot", check=False)
    m.wait_exit(SHUTDOWN)

    m = machine(disks=[disk], uefi=True)  # the same disk under OVMF
    m.expect(r"MaculaOS \(slot A\)", 180)
    m.login_refused(LOGIN_PASSWORD)  # the image's password is gone for good
    m.login(60)  # with the one the first login chose
    assert not m.password_changed
    check_slot_a(m)
    assert m.run("cat /etc/macula-test") == "kept-etc"
    assert m.run("cat ~/macula-test") == "kept-home"
    assert m.run("cat /var/macula-test") == "kept-var"
    assert m.sudo("stat -c %a /var/lib/maculaos/config.yaml") == "600"


def test_refusals_write_nothing(machine, iso, kernel, initrd, tmp_path):
    small = blank_disk(tmp_path / "small.img", "1G")
    spare = blank_disk(tmp_path / "spare.img", "4G")
    busy = blank_disk(tmp_path / "busy.img", "64M")
    before = {p: file_hash(p) for p in (small, spare)}
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, disks=[small, spare, busy],
                append=f"{SERIAL} macula.mode=live")
    m.login(BOOT)
    media = m.run("findmnt -n -o SOURCE /run/macula/media")
    code, out = m.sudo_status(f"macula-install --yes {media}")
    assert code != 0 and "is the disk MaculaOS is running from" in out, (code, out)
    code, out = m.sudo_status("macula-install --yes /dev/vda")
    assert code != 0 and "is too small: MaculaOS needs at least" in out, (code, out)
    # read-only: a read-write ext4 mount keeps writing its own device (lazy inode-table init)
    m.sudo("mkfs.ext4 -q /dev/vdc && mkdir -p /mnt/busy && mount -o ro /dev/vdc /mnt/busy")
    busy_before = m.sudo("sha256sum /dev/vdc")
    code, out = m.sudo_status("macula-install --yes /dev/vdc")
    assert code != 0 and "is in use" in out and "/mnt/busy" in out, (code, out)
    assert m.sudo("sha256sum /dev/vdc") == busy_before
    out = m.sudo("macula-install --dry-run /dev/vdb")
    assert "maculaos-state" in out and "nothing was written" in out, out
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    assert {p: file_hash(p) for p in (small, spare)} == before


def test_interrupted_install_is_not_installed_and_reinstalls(machine, iso, kernel, initrd, tmp_path):
    disk = blank_disk(tmp_path / "disk.img")
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, disks=[disk], append=UNATTENDED)
    m.expect(r"macula-install: writing slot A", BOOT + 120)
    m.kill()  # the power goes while slot A is being written

    # The ISO without a mode, the half-written disk beside it: not taken for an installed disk.
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, disks=[disk], append=SERIAL)
    m.login(BOOT)
    report = json.loads(m.run("cat /run/macula/boot.json"))
    assert report["mode"] == "live" and report["mode_source"] == "detected", report
    m.sudo("poweroff", check=False)
    m.wait_exit(SHUTDOWN)

    install_unattended(machine, iso, kernel, initrd, disk)
    m = machine(disks=[disk])
    m.login(BOOT)
    check_slot_a(m)
