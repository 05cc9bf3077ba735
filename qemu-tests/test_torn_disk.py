"""The torture's disk (torn_disk.py) against QEMU's own NBD client (qemu-io): a write is
acknowledged into a volatile cache that reads see; a FLUSH or a FUA write makes it durable; a
cut loses any cached write or not, each on its own, and tears the next write; then nothing
lands until the next connection."""
import random
import signal
import subprocess

import pexpect
import pytest

from torn_disk import SECTOR, TornDisk

SIZE = 1 << 20
SEEDS = range(16)


def qemu_io(url, command):
    """One qemu-io run: QEMU's default cache mode for it, writethrough, sends every write with
    FUA, and it flushes before it goes."""
    r = subprocess.run(["qemu-io", "-f", "raw", "-c", command, url], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr


class Session:
    """qemu-io kept open on the disk, with QEMU's write cache on (writeback, as the torture's
    guests run): its writes carry no FUA unless asked (`write -f`), and nothing is flushed
    unless asked (`flush`), until it goes away."""

    def __init__(self, url):
        self.child = pexpect.spawn("qemu-io", ["-f", "raw", "-t", "writeback", url], encoding="utf-8", timeout=30)
        self.child.delaybeforesend = None
        self.child.expect_exact("qemu-io> ")

    def run(self, command):
        self.child.sendline(command)
        self.child.expect_exact("qemu-io> ")
        out = self.child.before
        assert "failed" not in out and "error" not in out.lower(), f"{command}: {out}"
        return out

    def kill(self):
        """As the torture kills QEMU: no flush, no goodbye."""
        self.child.kill(signal.SIGKILL)
        self.child.wait()


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "disk.img"
    path.write_bytes(bytes(SIZE))
    return path


def on_image(image, offset, length):
    return image.read_bytes()[offset:offset + length]


def cut_after(image, seed, commands, **cache):
    """Runs the commands in one qemu-io session on a fresh zeroed disk, then cuts the power
    with nothing in flight; returns the disk (its counters) once QEMU is gone."""
    image.write_bytes(bytes(SIZE))
    with TornDisk(image, random.Random(seed), **cache) as disk:
        s = Session(disk.url)
        for command in commands:
            s.run(command)
        disk.cut()
        assert not disk.wait_for_cut(0), "no write was in flight"
        s.kill()
    return disk


def test_writes_and_reads_go_through(image):
    with TornDisk(image, random.Random(1)) as disk:
        rc, out = qemu_io(disk.url, "write -P 0xaa 4096 8192")
        assert rc == 0, out
        rc, out = qemu_io(disk.url, "read -P 0xaa 4096 8192")
        assert rc == 0 and "Pattern verification failed" not in out, out
    assert on_image(image, 4096, 8192) == b"\xaa" * 8192


def test_reads_see_writes_still_in_the_cache(image):
    with TornDisk(image, random.Random(1), destage_chance=0) as disk:
        s = Session(disk.url)
        s.run("write -P 0xaa 4096 8192")
        s.run("write -z 6144 1024")
        s.run("discard 8192 512")
        assert disk.cached_writes == 3
        assert on_image(image, 0, 16384) == bytes(16384), "acknowledged, not yet on the medium"
        s.run("read -P 0xaa 4096 2048")
        s.run("read -P 0 6144 1024")
        s.run("read -P 0xaa 7168 1024")
        s.run("read -P 0 8192 512")
        s.run("read -P 0xaa 8704 3584")
        s.run("flush")
        assert disk.cached_writes == 0
        s.kill()
    expected = b"\xaa" * 2048 + bytes(1024) + b"\xaa" * 1024 + bytes(512) + b"\xaa" * 3584
    assert on_image(image, 4096, 8192) == expected


@pytest.mark.parametrize("write", ["write -P 0xbb", "write -z", "discard"])
def test_a_cut_may_lose_an_unflushed_write(image, write):
    outcomes = set()
    for seed in SEEDS:
        image.write_bytes(b"\x11" * SIZE)
        with TornDisk(image, random.Random(seed), destage_chance=0) as disk:
            s = Session(disk.url)
            s.run(f"{write} 65536 8192")
            disk.cut()
            disk.wait_for_cut(0)
            s.kill()
        data = on_image(image, 65536, 8192)
        assert data in (b"\x11" * 8192, (b"\xbb" if "-P" in write else b"\0") * 8192), "a cached write lands whole or not at all"
        landed = data != b"\x11" * 8192
        assert (disk.lost_writes, disk.landed_writes) == ((0, 1) if landed else (1, 0))
        outcomes.add(landed)
    assert outcomes == {True, False}, f"over {len(SEEDS)} seeds a cut lost the write, and kept it: {outcomes}"


def test_a_flushed_write_is_never_lost(image):
    lost_after_the_flush = 0
    for seed in SEEDS:
        disk = cut_after(image, seed, ["write -P 0xaa 0 65536", "write -z 131072 4096", "flush",
                                       "write -P 0xbb 262144 4096", "write -P 0xcc 0 4096"])
        assert on_image(image, 4096, 61440) == b"\xaa" * 61440, f"seed {seed}"
        assert on_image(image, 0, 4096) in (b"\xaa" * 4096, b"\xcc" * 4096), f"seed {seed}"
        lost_after_the_flush += disk.lost_writes
    assert lost_after_the_flush, "the writes after the flush were lost sometimes"


def test_a_fua_write_is_never_lost(image):
    for seed in SEEDS:
        cut_after(image, seed, ["write -P 0xaa 0 4096", "write -f -P 0xbb 8192 8192", "write -P 0xcc 12288 512"])
        assert on_image(image, 8192, 4096) == b"\xbb" * 4096, f"seed {seed}"
        assert on_image(image, 12288, 512) in (b"\xbb" * 512, b"\xcc" * 512), f"seed {seed}"
        assert on_image(image, 12800, 3584) == b"\xbb" * 3584, f"seed {seed}"


def test_a_fua_write_replaces_what_the_cache_held_of_its_sectors(image):
    for seed in SEEDS:
        cut_after(image, seed, ["write -P 0xaa 0 8192", "write -f -P 0xbb 4096 8192"])
        assert on_image(image, 4096, 8192) == b"\xbb" * 8192, f"seed {seed}: an older cached write landed over it"


def test_unflushed_writes_land_out_of_order_at_a_cut(image):
    """The second write without the first: what a barrier (a flush) between them is for."""
    seen = set()
    for seed in SEEDS:
        cut_after(image, seed, ["write -P 0xaa 0 4096", "write -P 0xbb 65536 4096"], destage_chance=0)
        seen.add((on_image(image, 0, 4096) == b"\xaa" * 4096, on_image(image, 65536, 4096) == b"\xbb" * 4096))
    assert (False, True) in seen, f"the second write landed without the first with some seed: {seen}"


def test_the_disk_puts_unflushed_writes_on_the_medium_out_of_order_on_its_own(image):
    seen = set()
    for seed in SEEDS:
        image.write_bytes(bytes(SIZE))
        with TornDisk(image, random.Random(seed), destage_chance=1) as disk:
            s = Session(disk.url)
            s.run("write -P 0xaa 0 4096")
            s.run("write -P 0xbb 65536 4096")
            seen.add((on_image(image, 0, 4096) == b"\xaa" * 4096, on_image(image, 65536, 4096) == b"\xbb" * 4096))
            s.kill()
    assert (False, True) in seen, f"the second write reached the medium before the first with some seed: {seen}"


def test_at_a_flush_the_newest_write_of_each_sector_wins(image):
    """Whatever the disk put on the medium on its own before, in whatever order."""
    for seed in SEEDS:
        image.write_bytes(bytes(SIZE))
        with TornDisk(image, random.Random(seed), destage_chance=1) as disk:
            s = Session(disk.url)
            for i, (offset, length) in enumerate([(0, 16384), (4096, 4096), (2048, 4096), (12288, 8192)]):
                s.run(f"write -P {i + 1} {offset} {length}")
            s.run("flush")
            s.kill()
        expected = b"\1" * 2048 + b"\3" * 4096 + b"\2" * 2048 + b"\1" * 4096 + b"\4" * 8192
        assert on_image(image, 0, 20480) == expected, f"seed {seed}"


def test_the_cache_is_bounded_and_puts_its_oldest_on_the_medium(image):
    with TornDisk(image, random.Random(1), cache_bytes=65536, destage_chance=0) as disk:
        s = Session(disk.url)
        for i in range(8):
            s.run(f"write -P {i + 1} {i * 32768} 32768")
        assert disk.cached_writes == 2
        assert all(on_image(image, i * 32768, 32768) == bytes([i + 1]) * 32768 for i in range(6))
        assert on_image(image, 6 * 32768, 65536) == bytes(65536)
        s.kill()


def test_a_killed_qemu_is_a_power_cut(image):
    outcomes = set()
    for seed in SEEDS:
        image.write_bytes(bytes(SIZE))
        with TornDisk(image, random.Random(seed), destage_chance=0) as disk:
            s = Session(disk.url)
            s.run("write -P 0xaa 0 4096")
            s.kill()
        outcomes.add(on_image(image, 0, 4096) == b"\xaa" * 4096)
    assert outcomes == {True, False}, outcomes


def test_a_cut_tears_the_next_write_and_the_disk_is_dead_after_it(image):
    kept = set()
    for seed in range(8):
        image.write_bytes(bytes(SIZE))
        with TornDisk(image, random.Random(seed)) as disk:
            disk.cut()
            qemu_io(disk.url, "write -P 0xbb 0 4096")  # fails: no answer comes back
            assert disk.wait_for_cut(5) and disk.torn_writes == 1
            data = on_image(image, 0, 4096)
            sectors = [data[i:i + SECTOR] for i in range(0, 4096, SECTOR)]
            landed = sum(s == b"\xbb" * SECTOR for s in sectors)
            assert all(s == b"\xbb" * SECTOR for s in sectors[:landed]), "a torn write keeps a prefix"
            assert all(s == bytes(SECTOR) for s in sectors[landed:])
            assert landed < 8, "a torn write never lands whole"
            kept.add(landed)
            rc, _ = qemu_io(disk.url, "write -P 0xcc 8192 512")  # the next power-on works again
            assert rc == 0
    assert len(kept) > 1, f"tears land at different sectors: {kept}"


def test_a_cut_in_a_flush_may_lose_what_it_was_writing_back(image):
    outcomes = set()
    for seed in SEEDS:
        image.write_bytes(bytes(SIZE))
        with TornDisk(image, random.Random(seed), destage_chance=0) as disk:
            s = Session(disk.url)
            s.run("write -P 0xaa 0 4096")
            disk.cut()
            s.child.sendline("flush")  # no answer comes back
            assert disk.wait_for_cut(5) and disk.flushes_cut == 1 and disk.torn_writes == 0
            s.kill()
        outcomes.add(on_image(image, 0, 4096) == b"\xaa" * 4096)
    assert outcomes == {True, False}, outcomes
