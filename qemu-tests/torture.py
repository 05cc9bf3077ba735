"""Power-cut torture: cut the power at random moments while a node installs, while it
upgrades, while its boot state is being rewritten, and while it boots. The disk is served
through torn_disk.TornDisk, a disk with a volatile write cache, so a cut tears the write in
flight (some of its sectors land, the others do not) and loses any write the guest did not
flush (each lands or not, whatever the order they were written in), as a real disk losing
power does. After every cut the node must come up on its own: a login on the console from a
slot that is good or on trial, whose boot then ends with every OpenRC service started and the
slot assessed good; after a cut install, that or a disk the firmware passes over (not
installed), which then installs again and boots.

    qemu-tests/torture.py ROUNDS [--seed N] [--logs DIR]      (make torture N=ROUNDS)

needs the environment of the QEMU scenarios (MACULA_ISO, MACULA_IMG, MACULA_KERNEL, MACULA_INITRAMFS,
MACULA_ROOTFS), and prints how many rounds, boots and failures there were, and what the cuts
tore and lost.
"""
import argparse
import dataclasses
import os
import pathlib
import random
import signal
import sys
import tempfile
import time

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
import helpers  # noqa: E402
from flaky_http import FlakyHTTPServer  # noqa: E402
from machine import KERNEL_PANIC, RELEASE_HOST, Machine, remembered_password_file  # noqa: E402
from torn_disk import TornDisk  # noqa: E402

# What is going on when the power goes, and how long into it (seconds, drawn uniformly).
CUTS = {
    "apply": 90,        # maculaos upgrade --apply: clearing, mkfs, download, write, read back
    "state": 6,         # boot set-next / mark-bad in a loop: the ping-pong state copies
    "boot": 75,         # the boot itself: GRUB's save_env, init, the assessment marking good
    "install": 240,     # macula-install from the ISO, unattended: partitions, slot A, GRUB, label
}
# What a disk the firmware passes over looks like on the console: GRUB's word for an install
# that did not finish, SeaBIOS's for no boot code to run.
NOT_INSTALLED = [r"the install on this disk did not finish", r"No bootable device", r"Boot failed: not a bootable disk"]


@dataclasses.dataclass
class Tally:
    rounds: int = 0
    boots: int = 0
    failures: int = 0
    cuts: dict = dataclasses.field(default_factory=lambda: {k: 0 for k in CUTS})
    torn_writes: int = 0    # cuts that fell inside a write and tore it
    flushes_cut: int = 0    # cuts that fell inside a flush
    cached_lost: int = 0    # writes acknowledged, not flushed, that the cuts lost (in whole or in part)
    reinstalls: int = 0     # install cuts that left a disk not installed, then installed again

    def line(self):
        cuts = ", ".join(f"{k} {v}" for k, v in self.cuts.items())
        return (f"torture: {self.rounds} rounds, {self.boots} boots, {self.failures} failures "
                f"(cuts: {cuts}; {self.torn_writes} writes torn; {self.flushes_cut} flushes cut; "
                f"{self.cached_lost} cached writes lost; {self.reinstalls} reinstalls)")


class Torture:
    def __init__(self, start_machine, disk, server, rng, log=print):
        self.start_machine = start_machine  # (name, **Machine kwargs) -> Machine
        # the disk draws from its own stream (in its own thread), seeded from this one
        self.disk = TornDisk(disk, random.Random(rng.getrandbits(64)))
        self.server = server
        self.rng = rng
        self.log = log
        self.tally = Tally()

    def start(self, name, **kw):
        self.tally.boots += 1
        return self.start_machine(name, disks=[self.disk.url], release_port=self.server.port,
                                  firmware_on_serial=True,
                                  password_file=remembered_password_file(self.disk.image), **kw)

    def failure(self, m, why):
        self.tally.failures += 1
        self.log(f"torture: FAILURE after boot {self.tally.boots}: {why} (log: {m.log_path})")
        m.kill()

    def boot_to_login(self, name, after_install_cut=False):
        """Boots the disk; returns the logged-in machine, or None (a failure) with the reason logged.
        After an install cut, a disk the firmware passes over is installed again, then booted."""
        m = self.start(name)
        try:
            seen = m.expect([r"Command line: [^\n]*macula\.slot=([ab])", *NOT_INSTALLED], 240)
            if seen > 0:
                if not after_install_cut:
                    raise AssertionError(f"an installed node boots nothing: {NOT_INSTALLED[seen - 1]!r}")
                m.kill()
                self.tally.reinstalls += 1
                self.log("torture: not installed, as it should be after that cut: installing again")
                self.install(f"{name}-reinstall")
                return self.boot_to_login(f"{name}-reinstalled")
            slot = m.child.match.group(1)
            m.login(helpers.BOOT)
            s = helpers.upgrade_status(m)
            health = "trial" if s["trial"] == slot else s[slot]["health"]
            assert s["booted"] == slot and health in ("good", "trial"), s
            # Where the next round starts: the boot has ended, every service up, and its
            # assessment has marked the slot (an --apply or a boot-state write before that would
            # meet the assessment over the boot state's lock); the release server is reachable.
            m.assert_no_failed_services()
            s = helpers.upgrade_status(m)
            assert s["booted"] == slot and s[slot]["health"] == "good" and s["trial"] != slot, s
            m.wait_for_network()
            return m
        except Exception as e:  # noqa: BLE001 - any way of not coming up counts
            self.failure(m, e)
            return None

    def install(self, name):
        """An unattended install from the ISO onto the disk, to its end."""
        m = self.start(name, kernel=os.environ["MACULA_KERNEL"], initrd=os.environ["MACULA_INITRAMFS"],
                       cdrom=os.environ["MACULA_ISO"], append=helpers.UNATTENDED)
        m.expect(r"MaculaOS \S+ installed on /dev/vda", helpers.BOOT + 300)
        m.wait_exit(120)

    def power_cut(self, m, what, delay):
        self.log(f"torture: round {self.tally.rounds + 1}: power cut {delay:.1f} s into {what}")
        time.sleep(delay)
        self.disk.cut()
        self.disk.wait_for_cut(2)
        m.kill()

    def disk_counts(self):
        d = self.disk
        return d.torn_writes, d.flushes_cut, d.lost_writes, d.landed_writes

    def tally_cut(self, before):
        """Counts and logs what the round's cut did to the disk. (Stopping the running node before
        a boot or install cut loses nothing: QEMU flushes the disk when a signal stops it.)"""
        torn, flushes, lost, landed = (now - then for now, then in zip(self.disk_counts(), before))
        self.tally.torn_writes += torn
        self.tally.flushes_cut += flushes
        self.tally.cached_lost += lost
        inside = "a write, torn" if torn else "a flush" if flushes else "no write"
        self.log(f"torture: round {self.tally.rounds}: the cut fell in {inside}; of {lost + landed} "
                 f"cached writes it lost {lost}, {landed} landed")

    def cut(self, m, what):
        """Starts `what` in the guest (or a new boot, or an install) and cuts the power at a
        random moment of it. m is the running node, off afterwards."""
        self.tally.cuts[what] += 1
        delay = self.rng.uniform(0, CUTS[what])
        if what == "apply":
            # the same release again and again: after an upgrade it is no longer newer
            m.sudo(f"nohup maculaos upgrade --apply --allow-downgrade --from http://{RELEASE_HOST}/stable "
                   ">/dev/console 2>&1 &")
        elif what == "state":
            s = helpers.upgrade_status(m)
            standby = "b" if s["booted"] == "a" else "a"
            if s[standby]["health"] == "empty":
                self.tally.cuts[what] -= 1
                return self.cut(m, "apply")
            m.sudo(f"nohup sh -c 'while :; do maculaos boot set-next {standby}; "
                   f"maculaos boot mark-bad {standby} --why torture; done' >/dev/null 2>&1 &")
        elif what == "boot":
            m.kill()
            m = self.start(f"boot{self.tally.boots}-cut")
        elif what == "install":
            m.kill()
            m = self.start(f"install{self.tally.boots}-cut", kernel=os.environ["MACULA_KERNEL"],
                           initrd=os.environ["MACULA_INITRAMFS"], cdrom=os.environ["MACULA_ISO"],
                           append=helpers.UNATTENDED)
        self.power_cut(m, what, delay)

    def run(self, rounds, kinds=tuple(CUTS)):
        """Runs the rounds; stopped early (SIGINT, or SIGTERM in main), it still logs the tally."""
        m = None
        try:
            m = self.boot_to_login("boot0")
            while m and self.tally.rounds < rounds:
                what = self.rng.choice(list(kinds))
                before = self.disk_counts()
                self.cut(m, what)
                self.tally.rounds += 1
                self.tally_cut(before)
                m = self.boot_to_login(f"boot{self.tally.boots}", after_install_cut=what == "install")
                if m is not None:
                    assert KERNEL_PANIC not in m.log()
                self.log(self.tally.line())
        finally:
            if m:
                m.kill()
            self.disk.close()
            self.log(self.tally.line())
        return self.tally


def prepare(workdir, version):
    """An installed disk and a signed release of the images under test, in workdir."""
    disk = helpers.copy_disk(helpers.installed_image(), workdir / "disk.img")
    helpers.make_release(workdir / "releases" / "stable", version)
    return disk


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", type=int)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--logs", type=pathlib.Path,
                        default=pathlib.Path(os.environ.get("MACULA_QEMU_LOGS", "/tmp/macula-qemu-logs")) / "torture")
    args = parser.parse_args()
    args.logs.mkdir(parents=True, exist_ok=True)
    # a long run is stopped with kill: end it as Ctrl-C does, so the tally is printed
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    kernel = os.environ["MACULA_KERNEL"]

    def start_machine(name, **kw):
        return Machine(args.logs / f"{name}.log", probe_kernel=kernel, **kw)

    with tempfile.TemporaryDirectory(prefix="macula-torture-") as tmp:
        work = pathlib.Path(tmp)
        version = helpers.next_version()
        disk = prepare(work, version)
        with FlakyHTTPServer(work / "releases") as server:
            print(f"torture: {args.rounds} rounds, seed {args.seed}, logs in {args.logs}", flush=True)
            try:
                tally = Torture(start_machine, disk, server, random.Random(args.seed),
                                log=lambda line: print(line, flush=True)).run(args.rounds)
            except KeyboardInterrupt:
                sys.exit("torture: stopped before its last round (the tally above counts the cut of the round stopped)")
    sys.exit(1 if tally.failures or tally.rounds < args.rounds else 0)


if __name__ == "__main__":
    main()
