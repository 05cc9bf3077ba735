"""The live ISO boots through our PID 1 to an OpenRC login, and PID 1 fails safely."""
import json

import pytest

import helpers
from machine import KERNEL_PANIC, RELEASE_HOST

SERIAL = "console=ttyS0,115200n8"
BOOT_TO_LOGIN = 420  # seconds, generous: TCG on a loaded 2-core machine


def check_live_system(m, expected_media_prefix):
    assert m.run("findmnt -n -o FSTYPE /") == "overlay"
    assert m.run("findmnt -n -o FSTYPE /run/macula/rootfs") == "squashfs"
    assert m.run("tr '\\0' ' ' </proc/1/cmdline").startswith("/sbin/init")
    assert m.run("readlink -f /sbin/init").endswith("openrc-init")
    report = json.loads(m.run("cat /run/macula/boot.json"))
    assert report["media"]["device"].startswith(expected_media_prefix), report
    assert report["media"]["type"] == "iso9660", report
    assert report["timings_ms"]["init_started"] > 0, report
    for stage in ("modules", "devices", "mount", "overlay"):
        assert stage in report["timings_ms"], report
    assert report["modules"]["loaded"] > 0, report
    story = m.sudo("dmesg | grep 'macula-init:'")
    assert "switching root" in story and "boot media /dev/" in story, story
    # (that OpenRC then finishes its default runlevel, every service started: the machine
    # fixture's check after the test)
    return report


@pytest.mark.parametrize("firmware", ["seabios", "ovmf"])
def test_live_iso_boots_to_login(machine, iso, firmware):
    m = machine(cdrom=iso, uefi=firmware == "ovmf")
    m.expect("MaculaOS Live", 120)  # GRUB's menu, on the serial console
    m.login(BOOT_TO_LOGIN)
    report = check_live_system(m, "/dev/sr")
    assert report["mode"] == "live" and report["mode_source"] == "cmdline", report
    assert report["warnings"] == [], report
    # OpenRC's dependency scan was answered from the image (rootfs/customize.sh): what the scan
    # reads is the image's, and the answer kept is what Debian's scan gives on this node
    assert m.run("/usr/libexec/maculaos/openrc-gendepends --key") == m.run("cat /usr/share/maculaos/openrc-depends.key")
    m.run("/lib/rc/sh/gendepends.sh.debian 2>/dev/null | cmp - /usr/share/maculaos/openrc-depends")
    # The CLI as the image carries it: bash completion and man pages made from the booted
    # binary's table (the pages at the end of the boot, by local.d), --json that parses; the
    # logs' keeper runs
    completion = m.run("bash -c '. /usr/share/bash-completion/completions/maculaos; complete -p maculaos macula-install'")
    assert completion.count("-F _maculaos") == 2, completion
    m.wait_for_service("local")
    assert m.run("man -w maculaos-upgrade") == "/run/macula/man/man8/maculaos-upgrade.8"
    page = m.run("man maculaos-upgrade 2>&1 | head -5")
    assert "maculaos-upgrade - A/B upgrade" in page and "mman:" not in page, page
    assert json.loads(m.run("maculaos sysinfo --json"))["hostname"] == m.run("hostname")
    m.wait_for_service("macula-logs")


def test_bad_mode_boots_live_with_a_warning(machine, iso, kernel, initrd, release_server, tmp_path):
    """Also: the release source given on the kernel command line (maculaos.upgrade.*) is the one
    `maculaos upgrade --check` asks, as every other consumer of the node config would."""
    version = helpers.next_version()
    helpers.make_release(release_server.root / "stable", version, rootfs=helpers.random_file(tmp_path / "rootfs"))
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, release_port=release_server.port,
                append=f"{SERIAL} macula.mode=bogus maculaos.upgrade.url=http://{RELEASE_HOST}")
    m.login(BOOT_TO_LOGIN)
    report = check_live_system(m, "/dev/sr")
    assert report["mode"] == "live" and report["mode_source"] == "detected", report
    assert any(w.startswith("macula.mode=bogus: expected live") for w in report["warnings"]), report
    assert "macula-init: warning: macula.mode=bogus" in m.sudo("dmesg")
    assert m.sudo("maculaos config get maculaos.upgrade.url") == f"http://{RELEASE_HOST}"
    m.wait_for_network()
    out = m.sudo("maculaos upgrade --check")  # exit 0: a newer version is available
    assert f"available: {version}" in out, out


def test_hostile_command_line_boots_with_one_warning_per_bad_word(machine, iso, kernel, initrd):
    """Words the kernel hands to /init (bare words, anything after "--", --help among them),
    empty values, repeated keys, numbers out of range and a very long word: PID 1 boots on."""
    long_word = "macula.debug=" + "x" * 1000
    append = (f"{SERIAL} macula.mode=live single splash macula.timeout= macula.timeout=99999 "
              f"macula.mode=live {long_word} -- --help extra")
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, append=append)
    m.login(BOOT_TO_LOGIN)
    report = check_live_system(m, "/dev/sr")
    warnings = report["warnings"]
    expected = ["macula.timeout=: expected whole seconds",
                "macula.timeout=99999: macula.timeout was given before",
                "macula.timeout=99999: expected whole seconds",
                "macula.mode=live: macula.mode was given before",
                "macula.debug=xxxx",
                "argument 'single'", "argument 'splash'", "argument '--help'", "argument 'extra'"]
    for start in expected:
        assert sum(w.startswith(start) for w in warnings) == 1, (start, warnings)
    assert len(warnings) == len(expected), warnings
    assert all(len(w) < 200 for w in warnings), warnings
    assert KERNEL_PANIC not in m.log()


def test_shell_mode_gives_a_shell_in_the_initramfs(machine, iso, kernel, initrd):
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, append=f"{SERIAL} macula.mode=shell")
    m.expect(r"macula-rescue# ", 120)
    m.use_shell()
    assert m.run("tr '\\0' ' ' </proc/1/cmdline").strip() == "/init"
    assert m.run("findfs LABEL=MACULAOS").startswith("/dev/sr")  # devices up, media not mounted
    assert "squashfs" not in m.run("cat /proc/mounts")


def test_break_stops_before_the_named_stage_and_goes_on(machine, iso, kernel, initrd):
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, append=f"{SERIAL} macula.break=mount")
    m.expect(r"macula-break:mount# ", 120)
    m.use_shell()
    mounts = m.run("cat /proc/mounts")
    assert "/run/macula/media" not in mounts and "squashfs" not in mounts, mounts
    m.child.sendline("exit")
    m.expect(r"switching root", 120)


def test_missing_media_is_named_then_emergency_shell(machine, kernel, initrd):
    m = machine(kernel=kernel, initrd=initrd, append=f"{SERIAL} macula.timeout=2")
    m.expect(r"boot failed: boot media: no file system labelled MACULAOS appeared within 2 s", 120)
    m.expect(r"macula-emergency# ", 30)
    m.use_shell()
    assert m.run("echo alive") == "alive"
    assert KERNEL_PANIC not in m.log()


def test_missing_media_with_emergency_reboot_reboots(machine, kernel, initrd):
    m = machine(kernel=kernel, initrd=initrd,
                append=f"{SERIAL} macula.timeout=2 macula.emergency=reboot")
    m.expect(r"no file system labelled MACULAOS", 120)
    m.expect(r"rebooting in 5 seconds", 30)
    m.wait_exit(60)  # -no-reboot: QEMU exits when the guest reboots
    log = m.log()
    assert KERNEL_PANIC not in log and "macula-emergency#" not in log
