"""A/B upgrades on an installed disk: a signed release served from the host (reached by the
guest at http://10.0.2.100/ only), the switch to slot B on trial, the health check marking it
good, rollback, the three ways a new release can fail to boot, and refused releases."""
import json
import os
import random
import re
import subprocess
import time

import helpers
from machine import KERNEL_PANIC, RELEASE_HOST, SHUTDOWN
from setup_releases import IMAGE_FLUX, IMAGE_K3S, publish_releases, rootfs_pinning_k3s
from torture import Torture

BOOT = helpers.BOOT
APPLY = 900  # download ~100 MB through user networking, decompress, write, read back (TCG)
RELEASE_URL = f"http://{RELEASE_HOST}"
AVAILABLE = "/var/lib/maculaos/upgrade/available.json"  # names.h kAvailableReleasePath
NEXT_K3S = "v1.31.5+k3s1"  # what the release's image pins
K3S_RELEASES = "/var/lib/maculaos/k3s-releases"  # the node's setup source: a directory, air-gapped
K3S_FIXTURE_STATE = "/var/lib/rancher/k3s/server"  # k3s_fixture's Leases and node events


def publish(server, version=None, **images):
    """A signed release on the stable channel of the server; returns its directory."""
    return helpers.make_release(server.root / "stable", version or helpers.next_version(), **images)


def not_a_file_system(tmp_path, size=1 << 20):
    """A root image that is signed and verified but not a file system: for slots whose root is
    never mounted (a kernel that panics, an initramfs that cannot see the disk, GRUB's choice
    alone, releases refused), so that the download stays small."""
    return helpers.random_file(tmp_path / "rootfs.squashfs", size)


def boot_installed(machine, disk, server=None, disks=()):
    """Boots the installed disk, logs in, and waits for what an upgrade uses: the network and
    the end of the boot's assessment. (An --apply holds the boot state's lock for minutes:
    started before the assessment, it makes the assessment, at the end of the boot, wait 10 s
    for the lock, then fail as busy, and this boot is never assessed.)"""
    m = machine(disks=[disk, *disks], reboot=True, release_port=server.port if server else None)
    assert m.expect_boot_of_slot(120) == "a"
    m.login(BOOT)
    if server:
        m.wait_for_network()
    m.wait_for_boot_assessed()
    return m


def assessed_status(m):
    """The upgrade status once this boot's assessment has marked the booted slot."""
    m.wait_for_boot_assessed()
    return helpers.upgrade_status(m)


def apply(m, *args):
    return m.sudo("maculaos upgrade --apply " + " ".join(args) + " 2>&1", APPLY)


# The statuses of docs/exit-codes.md a refused --apply exits with.
VERIFICATION, BUSY, REFUSED = 6, 8, 10


def refused_apply(m, source, statuses):
    """An --apply that must be refused: its output, once its exit status (one of statuses) said so."""
    code, out = m.sudo_status(f"maculaos upgrade --apply {source} 2>&1", APPLY)
    assert code in statuses, (code, out)
    return out


def set_up_k3s_from_a_directory(m, bundle):
    """k3s and Flux installed by `maculaos setup` from releases copied onto the node (the disk
    labelled MACULA_BUNDLE), the node's setup source from then on; k3s runs."""
    m.sudo(f"mkdir -p /mnt/bundle && mount -o ro /dev/disk/by-label/MACULA_BUNDLE /mnt/bundle && "
           f"cp -r /mnt/bundle {K3S_RELEASES} && umount /mnt/bundle && mkdir -p /var/lib/maculaos/config.d && "
           f"printf 'maculaos:\\n  setup: {{source: {K3S_RELEASES}}}\\n' > /var/lib/maculaos/config.d/40-setup.yaml")
    out = m.sudo("maculaos setup --unattended 2>&1", timeout=600)
    assert "k3s answers" in out, out


def k3s_follows(m, version, was):
    """After this boot's assessment (its k3s health check passed): k3s runs version, linked
    at the service's start from was."""
    assert m.run("readlink /opt/macula/bin/k3s") == f"../k3s/{version}/k3s"
    assert m.sudo("readlink /proc/$(pgrep -x k3s | head -1)/exe") == f"/opt/macula/k3s/{version}/k3s"
    moves = [line for line in m.sudo("cat /var/log/k3s.log").splitlines() if "(it was " in line]
    assert moves and f"setup: k3s {version}, the version this image pins" in moves[-1], moves
    assert moves[-1].endswith(f"(it was {was})"), moves


def test_upgrade_to_b_then_rollback_then_auto_apply(machine, installed_disk, release_server, tmp_path):
    """Also k3s follows the OS: B's image pins a newer k3s, which the release carries (the
    node's own setup source has only A's): the apply stages it, B's first boot installs it beside
    A's with no download; a rollback to A runs A's k3s again. auto_apply on this k3s server takes
    the cluster's Lease and drains the node first, and gives both back on B."""
    version = helpers.next_version()
    next_k3s = tmp_path / "next-k3s"
    publish_releases(next_k3s, NEXT_K3S)
    publish(release_server, version,
            rootfs=rootfs_pinning_k3s(os.environ["MACULA_ROOTFS"], NEXT_K3S, tmp_path / "rootfs.squashfs"),
            k3s=next_k3s / "k3s-io/k3s/releases/download" / NEXT_K3S)
    bundle = tmp_path / "bundle"
    publish_releases(bundle, IMAGE_K3S, IMAGE_FLUX)
    bundle_iso = tmp_path / "bundle.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", "MACULA_BUNDLE", "-r", "-o", str(bundle_iso), str(bundle)],
                   check=True)
    m = boot_installed(machine, installed_disk, release_server, disks=[bundle_iso])
    set_up_k3s_from_a_directory(m, bundle)
    # A fleet's drop-in sets the source; config.yaml's is older (a drop-in comes after it).
    m.sudo("printf 'maculaos:\\n  upgrade:\\n    url: http://old.invalid\\n' > /var/lib/maculaos/config.yaml && "
           "mkdir -p /var/lib/maculaos/config.d && "
           f"printf 'maculaos:\\n  upgrade:\\n    url: {RELEASE_URL}\\n' > /var/lib/maculaos/config.d/50-fleet.yaml")
    assert m.sudo("maculaos config get maculaos.upgrade.url") == RELEASE_URL
    code, out = m.sudo_status("maculaos upgrade --check")
    assert code == 0 and f"available: {version}" in out, (code, out)  # 0: a newer version
    out = apply(m, "--reboot")
    assert "signed by maculaos-dev.pub.pem" in out and "verified on disk" in out, out
    assert (f"k3s {NEXT_K3S}, which the release's image pins, staged in /var/lib/maculaos/setup/k3s-{NEXT_K3S} "
            "(verified)") in out, out

    assert m.expect_boot_of_slot(BOOT) == "b"
    m.login(BOOT)
    assert f"slot b: version {version}" in m.log()  # init read its slot.json
    assert m.run("findmnt -n -o FSTYPE /run/macula/rootfs") == "squashfs"
    assert m.run("lsblk -n -o PARTLABEL $(findmnt -n -o SOURCE /run/macula/slot)") == "maculaos-b"
    s = assessed_status(m)
    assert s["booted"] == "b" and s["primary"] == "b" and s["b"]["version"] == version, s
    assert s["b"]["health"] == "good" and s["a"]["health"] == "good" and not s["fallback"], s
    k3s_follows(m, NEXT_K3S, IMAGE_K3S)
    log = m.sudo("cat /var/log/k3s.log")
    assert f"k3s {NEXT_K3S}, the version this image pins: verified, installed and linked" in log, log
    assert f"k3s {NEXT_K3S}: fetching" not in log, log  # the staged files, from the release
    assert m.run("ls /opt/macula/k3s").split() == [IMAGE_K3S, NEXT_K3S]
    m.wait_for_network()
    code, out = m.sudo_status("maculaos upgrade --check")
    assert code == 3 and "up to date" in out, (code, out)  # 3: no newer version
    # auto_check's service checked once B was marked good (the fleet's source), and kept it
    # in the state (root's)
    m.sudo(f"for i in $(seq 120); do grep -q '\"available\": \"{version}\"' {AVAILABLE} && break; sleep 1; done; "
           f"grep -q '\"available\": \"{version}\"' {AVAILABLE}", timeout=150)
    assert "update: none newer on stable (checked " in m.sudo("maculaos upgrade --status")

    out = m.sudo("maculaos upgrade --rollback --reboot", check=False)
    assert "slot a" in out and "primary again" in out, out
    assert m.expect_boot_of_slot(BOOT) == "a"
    m.login(BOOT)
    s = assessed_status(m)
    assert s["booted"] == "a" and s["primary"] == "a" and s["b"]["health"] == "good", s
    k3s_follows(m, IMAGE_K3S, NEXT_K3S)
    # back on the older version, the login's motd names the kept release, once
    at_login = m.log().rsplit("Password:", 1)[1].split("Last login:", 1)[0]
    assert at_login.count(f"Update: {version} is available (stable) (sudo maculaos upgrade --apply --reboot)") == 1, at_login
    update = json.loads(m.sudo("maculaos upgrade --status --json"))["update"]
    assert update["available"] == version and update["channel"] == "stable", update

    # auto_apply, in a maintenance window open now (the node's time, UTC) for four minutes:
    # the service applies the kept release by itself, reboots into it, and B is marked good
    day, start = m.run("date +'%a %H:%M'").split()
    hour, minute = map(int, start.split(":"))
    end_minute = (hour * 60 + minute + 4) % (24 * 60)
    end = f"{end_minute // 60:02d}:{end_minute % 60:02d}"
    m.sudo("printf 'maculaos:\\n  upgrade: {auto_apply: true, maintenance_window: \"%s\"}\\n' "
           f"'{day} {start}-{end}' > /var/lib/maculaos/config.d/60-auto.yaml && rc-service macula-update-check restart")
    assert m.expect_boot_of_slot(APPLY + BOOT) == "b"
    m.login(BOOT)
    s = assessed_status(m)
    assert s["booted"] == "b" and s["primary"] == "b" and s["b"]["health"] == "good", s
    log = m.sudo("cat /var/log/macula-update-check.log")
    assert f"auto_apply: applying {version}, then rebooting into it" in log, log
    k3s_follows(m, NEXT_K3S, IMAGE_K3S)
    # drained before, uncordoned after, and the Lease given back (once k3s answered on B)
    node = m.run("hostname")
    m.sudo(f"for i in $(seq 120); do grep -q uncordon {K3S_FIXTURE_STATE}/fixture-node-events && break; sleep 1; done",
           timeout=150)
    assert m.sudo(f"cat {K3S_FIXTURE_STATE}/fixture-node-events").splitlines() == [f"drain {node}", f"uncordon {node}"]
    m.sudo(f"for i in $(seq 30); do [ -z \"$(ls -A {K3S_FIXTURE_STATE}/fixture-leases)\" ] && break; sleep 1; done; "
           f"[ -z \"$(ls -A {K3S_FIXTURE_STATE}/fixture-leases)\" ]", timeout=60)
    assert KERNEL_PANIC not in m.log()


def fallback_status(m):
    """The node is back on slot A: the status and the motd say slot B failed. (Slot B is
    marked bad by init when its root cannot be mounted, by the assessment of this boot when
    its tries ran out; the motd's notice is the assessment's.)"""
    s = assessed_status(m)
    assert s["booted"] == "a" and s["primary"] == "a" and s["b"]["health"] == "bad", s
    assert s["fallback"] and s["fallback_reason"].startswith(f"slot b (version {helpers.next_version()})"), s
    assert "MaculaOS fell back to slot a" in m.sudo("run-parts /etc/update-motd.d")  # what a login shows
    return s


def upgrade_that_fails_its_health_check(m):
    """Applies the published release with a health check that fails on slot B only: B boots
    on trial, is marked bad, and the node comes back on A. Returns the status there."""
    # /etc is shared by the slots (its upper layer is on the state partition): the check
    # fails only when slot B runs, like a release whose workload does not come up.
    m.sudo("mkdir -p /etc/maculaos/health.d && printf '#!/bin/sh\\n"
           "grep -q macula.slot=b /proc/cmdline && { echo workload missing >&2; exit 1; }\\nexit 0\\n'"
           " > /etc/maculaos/health.d/50-workload && chmod +x /etc/maculaos/health.d/50-workload")
    apply(m, "--from", f"{RELEASE_URL}/stable", "--reboot")
    assert m.expect_boot_of_slot(BOOT) == "b"
    m.expect(r"slot b is marked bad; rebooting into slot a", BOOT)
    assert m.expect_boot_of_slot(BOOT) == "a"
    m.login(BOOT)
    return fallback_status(m)


def test_unmountable_root_image_falls_back_at_once(machine, installed_disk, release_server, tmp_path):
    publish(release_server, rootfs=not_a_file_system(tmp_path))
    m = boot_installed(machine, installed_disk, release_server)
    apply(m, "--from", f"{RELEASE_URL}/stable/manifest.json", "--reboot")
    assert m.expect_boot_of_slot(BOOT) == "b"
    m.expect(r"slot b is marked bad; rebooting into slot a", 120)
    assert m.expect_boot_of_slot(BOOT) == "a"  # at once: not three tries
    m.login(BOOT)
    s = fallback_status(m)
    assert "cannot mount its root image" in s["last_failure"], s


def test_root_image_cut_short_after_it_was_written_falls_back_at_once(machine, installed_disk, release_server,
                                                                      tmp_path):
    """A root image shorter than its slot.json says (a write cut short or torn after the slot
    was written) may still mount, and fail later at random: init checks its size before it
    mounts it."""
    publish(release_server, rootfs=not_a_file_system(tmp_path))
    m = boot_installed(machine, installed_disk, release_server)
    apply(m, "--from", f"{RELEASE_URL}/stable/manifest.json")
    m.sudo("mkdir -p /mnt/b && mount /dev/disk/by-partlabel/maculaos-b /mnt/b && "
           "truncate -s -4096 /mnt/b/rootfs.squashfs && umount /mnt/b && sync")
    m.sudo("reboot", check=False)
    assert m.expect_boot_of_slot(BOOT) == "b"
    m.expect(r"slot b is marked bad; rebooting into slot a", 120)
    assert m.expect_boot_of_slot(BOOT) == "a"  # at once: not three tries
    m.login(BOOT)
    s = fallback_status(m)
    assert "bytes, slot.json lists" in s["last_failure"] and "a write cut short or torn" in s["last_failure"], s


def test_a_try_grub_cannot_spend_is_not_booted(machine, installed_disk, release_server, tmp_path):
    """GRUB boots a trial slot only once it has written the spent try (save_env): on a disk it
    cannot write, the counter would never run out. Read-only, the disk boots the primary;
    writable again, the trial goes on. (The release's image does not matter: GRUB's choice is
    all this checks.)"""
    publish(release_server, rootfs=not_a_file_system(tmp_path))
    m = boot_installed(machine, installed_disk, release_server)
    apply(m, "--from", f"{RELEASE_URL}/stable/manifest.json")
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    m = machine(disks=[installed_disk], read_only=True, log_name="read-only")
    assert m.expect_boot_of_slot(120) == "a"
    assert "error: failure writing sector" in m.log()  # GRUB's save_env
    m.kill()
    m = machine(disks=[installed_disk], log_name="writable")
    assert m.expect_boot_of_slot(120) == "b"


def slots_until_back_on_a(m, each_b_try=None):
    """Follows the boots after an --apply --reboot until slot a boots again; returns the slots
    GRUB chose, in order. each_b_try(m) waits out one failing boot of slot b."""
    slots = []
    while not slots or slots[-1] == "b":
        assert len(slots) <= 3, f"booted {slots} and still not back on slot a"
        m.child.expect(r"Command line: [^\n]*macula\.slot=([ab])", BOOT)
        slots.append(m.child.match.group(1))
        if slots[-1] == "b" and each_b_try:
            each_b_try(m)
    return slots


def test_panicking_kernel_falls_back_after_three_tries(machine, installed_disk, release_server, tmp_path):
    # The real kernel with an initramfs holding nothing: no /init, no root= -> it panics, and
    # panic=10 (GRUB's command line) reboots it.
    empty = tmp_path / "empty.cpio"
    empty.write_bytes(subprocess.run(["cpio", "-o", "-H", "newc", "--quiet"], input=b"",
                                     capture_output=True, check=True).stdout)
    publish(release_server, initrd=empty, rootfs=not_a_file_system(tmp_path))
    m = boot_installed(machine, installed_disk, release_server)
    apply(m, "--from", f"{RELEASE_URL}/stable", "--reboot")
    slots = slots_until_back_on_a(m, lambda m: m.child.expect(r"Kernel panic", BOOT))
    assert slots == ["b", "b", "b", "a"], slots
    m.login(BOOT)
    s = fallback_status(m)
    assert "did not boot good in 3 tries" in s["last_failure"], s


def test_release_without_the_disk_driver_reboots_each_try_and_falls_back(machine, installed_disk, release_server,
                                                                         tmp_path):
    """The new initramfs cannot see the disk: init fails in disk mode and, with no one at the
    console, reboots (no emergency shell), each reboot spending a try."""
    initrd = helpers.initramfs_without(os.environ["MACULA_INITRAMFS"], "virtio_blk", tmp_path / "initrd.zst")
    publish(release_server, initrd=initrd, rootfs=not_a_file_system(tmp_path))
    m = boot_installed(machine, installed_disk, release_server)
    apply(m, "--from", f"{RELEASE_URL}/stable", "--reboot")
    slots = slots_until_back_on_a(m, lambda m: m.expect(r"boot failed: disk mode, slot b", BOOT))
    assert slots == ["b", "b", "b", "a"], slots
    assert "macula-emergency#" not in m.log()
    m.login(BOOT)
    s = fallback_status(m)
    assert "did not boot good in 3 tries" in s["last_failure"], s


def test_release_that_hangs_in_userspace_is_reset_by_the_watchdog_and_falls_back(machine, installed_disk,
                                                                                release_server):
    """Slot b's boot never finishes (a start script that never returns: no health check, though
    the login prompt is up): the watchdog init armed for the trial resets it, each reset
    spending a try."""
    publish(release_server)
    m = boot_installed(machine, installed_disk, release_server)
    # The node's own setting, so that three tries fit in a test (the default is 600 s), in a
    # drop-in: init reads the node config as the booted system does.
    m.sudo("mkdir -p /var/lib/maculaos/config.d && "
           "printf 'maculaos:\\n  boot:\\n    watchdog: 90\\n' > /var/lib/maculaos/config.d/50-watchdog.yaml")
    m.sudo("printf '#!/bin/sh\\ngrep -q macula.slot=b /proc/cmdline && exec sleep infinity\\nexit 0\\n'"
           " > /etc/local.d/50-hang.start && chmod +x /etc/local.d/50-hang.start")
    apply(m, "--from", f"{RELEASE_URL}/stable", "--reboot")
    slots = slots_until_back_on_a(m, lambda m: m.expect(r"watchdog armed, 90 s", BOOT))
    assert slots == ["b", "b", "b", "a"], slots
    m.login(BOOT)
    s = fallback_status(m)
    assert "did not boot good in 3 tries" in s["last_failure"], s


def test_refused_releases_leave_the_running_slot_and_state_untouched(machine, installed_disk,
                                                                      release_server, tmp_path):
    rootfs = not_a_file_system(tmp_path, 16 << 20)  # more than the 8 MiB after which the server drops
    release = publish(release_server, rootfs=rootfs)
    m = boot_installed(machine, installed_disk, release_server)
    slot_a = m.sudo("sha256sum /dev/vda3 | cut -d' ' -f1", 300)
    before = m.run("maculaos upgrade --status")
    source = f"--from {RELEASE_URL}/stable"

    # Signed by a key the node does not trust.
    stranger = tmp_path / "stranger.key.pem"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", stranger], check=True)
    helpers.make_release(release, helpers.next_version(), key=stranger, rootfs=rootfs)
    out = refused_apply(m, source, {VERIFICATION})
    assert "is not signed by a trusted key" in out, out
    assert m.run("maculaos upgrade --status") == before
    publish(release_server, rootfs=rootfs)  # signed again, by the right key

    # A byte changed in transit (or on the server): the SHA-256 of what lands on disk differs.
    release_server.corrupt("/stable/vmlinuz.zst", 2000)
    out = refused_apply(m, source, {VERIFICATION})
    assert "(tampered or corrupt)" in out or "not valid zstd data" in out, out
    assert m.run("maculaos upgrade --status") == before
    release_server.clear()

    # Truncated on the server: fewer bytes than the signed manifest says.
    artifact = release / "initrd.zst.zst"
    whole = artifact.read_bytes()
    artifact.write_bytes(whole[: len(whole) // 2])
    out = refused_apply(m, source, {VERIFICATION})
    assert "truncated" in out, out
    assert m.run("maculaos upgrade --status") == before
    artifact.write_bytes(whole)

    # Another command changing the boot state (here flock(1) holding its lock): refused, not raced.
    m.sudo("flock /run/macula-boot-state.lock sleep 120 </dev/null >/dev/null 2>&1 & "
           "until ! flock -n /run/macula-boot-state.lock true; do sleep 0.2; done")
    out = refused_apply(m, source, {BUSY})
    assert "the boot state is busy" in out, out
    assert m.run("maculaos upgrade --status") == before
    m.sudo("pkill -x -f 'sleep 120'")  # the lock's holder, and no other sleep of the node's

    # A genuine, signed, older (here: the running) release replayed by the server.
    helpers.make_release(release, helpers.installed_version(), rootfs=rootfs)
    out = refused_apply(m, source, {REFUSED})
    assert "is not newer than the running" in out, out
    assert m.run("maculaos upgrade --status") == before
    publish(release_server, rootfs=rootfs)

    assert m.sudo("sha256sum /dev/vda3 | cut -d' ' -f1", 300) == slot_a
    s = helpers.upgrade_status(m)
    assert s["primary"] == "a" and s["trial"] == "" and s["b"]["health"] == "empty", s

    # An --apply killed while it fills the standby slot leaves it mounted: the next one goes on.
    m.sudo(f"nohup maculaos upgrade --apply {source} >/dev/null 2>&1 & "
           "until findmnt /run/macula/upgrade >/dev/null; do sleep 0.2; done; kill -9 $!", 300)
    assert m.run("findmnt -n -o TARGET /run/macula/upgrade") == "/run/macula/upgrade"

    # The server goes away mid-transfer and comes back: the download resumes and completes.
    release_server.drop_after("/stable/rootfs.squashfs.zst", 8 << 20)
    out = apply(m, source)
    assert re.search(r"retrying from byte \d+", out), out
    ranges = release_server.requests_for("/stable/rootfs.squashfs.zst")
    assert ranges[-1] and ranges[-1].startswith("bytes="), ranges
    s = helpers.upgrade_status(m)
    assert s["trial"] == "b" and s["b"]["tries_left"] == 3 and s["b"]["version"] == helpers.next_version(), s
    assert m.sudo("sha256sum /dev/vda3 | cut -d' ' -f1", 300) == slot_a


def torture(machine, disk, server, rounds, kinds):
    seed = int(time.time())
    print(f"torture seed {seed}")
    tally = Torture(lambda name, **kw: machine(log_name=name, **kw), disk, server,
                    random.Random(seed)).run(rounds, kinds)
    print(tally.line())
    assert tally.failures == 0 and tally.rounds == rounds, tally.line()


def test_power_cuts_always_leave_a_bootable_node(machine, installed_disk, release_server):
    """Two rounds of qemu-tests/torture.py, writes torn: cuts during upgrades, boot-state writes
    and boots. `make torture N=...` runs many, and cuts installs too (each install round is
    minutes of TCG: too long for make test)."""
    publish(release_server)
    torture(machine, installed_disk, release_server, 2, ("apply", "state", "boot"))


def boot_one_of(machine, disks, index, server):
    """Boots disks[index] of a machine holding all of them (the firmware's choice); checks
    that the root came from a slot of that disk (vda, vdb, ... in order)."""
    m = machine(disks=disks, boot_disk=index, reboot=True, release_port=server.port,
                log_name=f"boot-disk{index}")
    assert m.expect_boot_of_slot(120) == "a"
    m.login(BOOT)
    assert m.run("lsblk -n -o PKNAME $(findmnt -n -o SOURCE /run/macula/slot)") == "vd" + "abcd"[index]
    m.wait_for_network()
    m.wait_for_boot_assessed()  # what an upgrade needs: see boot_installed
    return m


def power_off(m):
    m.sudo("sync; poweroff", check=False)
    m.wait_exit(SHUTDOWN)
    assert KERNEL_PANIC not in m.log()


def test_two_disks_each_boot_changes_only_the_disk_it_booted_from(machine, installed_disk, release_server, tmp_path):
    """Two installed disks in one machine: whichever the firmware boots, the upgrade, the trial
    and its fallback change that disk only (GRUB names its ESP with macula.esp=). The fallback
    is the scenario of a failing health check: B boots on trial, is marked bad with the check's
    own words, and the node comes back on A."""
    first = installed_disk
    second = helpers.new_disk_identity(helpers.copy_disk(installed_disk, tmp_path / "second.img"))
    version = helpers.next_version()
    publish(release_server, version)

    # The firmware boots the second disk: it is upgraded to the next version, which passes.
    first_before = helpers.file_hash(first)
    m = boot_one_of(machine, [first, second], 1, release_server)
    apply(m, "--from", f"{RELEASE_URL}/stable", "--reboot")
    assert m.expect_boot_of_slot(BOOT) == "b"
    m.login(BOOT)
    assert f"slot b: version {version}" in m.log()  # init read its slot.json
    s = assessed_status(m)
    assert s["b"]["health"] == "good" and s["primary"] == "b" and s["b"]["version"] == version, s
    power_off(m)
    assert helpers.file_hash(first) == first_before, "booting the second disk changed the first"

    # The firmware boots the first disk (still the installed version): its upgrade fails its
    # health check and falls back; the second disk, now at the newer version, is not touched.
    second_before = helpers.file_hash(second)
    m = boot_one_of(machine, [first, second], 0, release_server)
    s = helpers.upgrade_status(m)
    assert s["booted"] == "a" and s["primary"] == "a" and s["a"]["version"] == helpers.installed_version(), s
    s = upgrade_that_fails_its_health_check(m)
    assert "health check 50-workload" in s["last_failure"] and "workload missing" in s["last_failure"], s
    power_off(m)
    assert helpers.file_hash(second) == second_before, "booting the first disk changed the second"
