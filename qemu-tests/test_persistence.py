"""Live persistence on a USB stick: the ISO written to a larger stick, booted by its firmware
from GRUB's menu. A power cut while `maculaos persistence create` runs leaves a stick that
still boots live; the "MaculaOS Live (persistent)" entry then makes the persistence itself
(init, on the free space after the image) and keeps /etc, /home and /var across reboots; the
image's bytes on the stick never change."""
import json
import re

import helpers
from machine import SHUTDOWN

STICK_SIZE = 1 << 30
PERSISTENT_ENTRY = "MaculaOS Live (persistent)"
DOWN = "\x1b[B"  # GRUB reads a VT100 arrow on the serial console


def boot_report(m):
    return json.loads(m.run("cat /run/macula/boot.json"))


def boot_persistent_entry(m):
    """Chooses the menu's second entry, then logs in."""
    m.expect(r"MaculaOS Live \(persistent\)", 180)
    m.child.send(DOWN)
    m.child.send("\r")
    m.expect(r"Command line: [^\n]*macula\.persistence", 120)
    m.login(helpers.BOOT)


def image_on_stick_is_whole(stick, iso):
    size = iso.stat().st_size
    with open(stick, "rb") as s, open(iso, "rb") as i:
        while size:
            n = min(size, 1 << 20)
            if s.read(n) != i.read(n):
                return False
            size -= n
    return True


def test_persistence_survives_a_cut_and_keeps_changes_across_reboots(machine, iso, tmp_path):
    stick = tmp_path / "stick.img"
    helpers.copy_disk(iso, stick)
    with open(stick, "r+b") as f:
        f.truncate(STICK_SIZE)

    # The default entry: live, in RAM. The power goes while persistence is being made.
    m = machine(stick=stick)
    m.expect("MaculaOS Live", 180)
    m.login(helpers.BOOT)
    assert boot_report(m)["persistence"] == ""
    m.child.sendline(f"echo {m.password} | sudo -S -p '' maculaos persistence create --size 256M")
    m.expect("persistence: making 256 MiB of ext4", 120)
    m.kill()
    assert image_on_stick_is_whole(stick, iso)

    # The persistent entry: init finds what the cut left (nothing, or a file system not yet
    # labelled as whole), makes the persistence again and keeps the changes on it.
    m = machine(stick=stick)
    boot_persistent_entry(m)
    report = boot_report(m)
    assert report["persistence"].startswith("/dev/sda after the image ("), report
    assert report["warnings"] == [], report
    assert "persistence: making" in m.sudo("dmesg | grep macula-init")
    assert m.run("findmnt -n -o FSTYPE /run/macula/persist") == "ext4"
    for path in ("/etc", "/home", "/root", "/opt"):
        assert m.sudo(f"findmnt -n -o FSTYPE {path}") == "overlay", path
    m.sudo("echo kept-etc > /etc/macula-marker; echo kept-var > /var/lib/macula-marker")
    m.run("echo kept-home > ~/macula-marker")
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    assert image_on_stick_is_whole(stick, iso)

    # Again: the changes are there, on the persistence made last time. A second stick (an image
    # file on it, of the image read back from the stick) gets encrypted persistence.
    m = machine(stick=stick)
    boot_persistent_entry(m)
    report = boot_report(m)
    assert report["persistence"].startswith("/dev/sda after the image ("), report
    assert "persistence: making" not in m.sudo("dmesg | grep macula-init")
    assert m.run("cat /etc/macula-marker /var/lib/macula-marker ~/macula-marker") == "kept-etc\nkept-var\nkept-home"
    image_mib = (iso.stat().st_size + (1 << 20) - 1) // (1 << 20)
    m.sudo(f"head -c {iso.stat().st_size} /dev/sda > /var/tmp/second-stick.img; truncate -s 300M /var/tmp/second-stick.img")
    made = m.sudo("maculaos persistence create --encrypt --size 128M /var/tmp/second-stick.img", timeout=300)
    assert re.search(r"recovery passphrase, shown this once \(write it down\): [a-z]{4}(-[a-z]{4}){7}", made), made
    found = m.sudo(f"blkid --probe --offset {image_mib << 20} -o export /var/tmp/second-stick.img")
    assert "TYPE=crypto_LUKS" in found and "LABEL=MACULAOS_PERSIST" in found, found
