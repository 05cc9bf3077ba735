"""The torture's torn-write disk (torn_disk.py) against QEMU's own NBD client (qemu-io): what is
written lands, and after a cut the next write lands only in part, then nothing does."""
import random
import subprocess

import pytest

from torn_disk import SECTOR, TornDisk


def qemu_io(url, command):
    r = subprocess.run(["qemu-io", "-f", "raw", "-c", command, url], capture_output=True, text=True, timeout=60)
    return r.returncode, r.stdout + r.stderr


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "disk.img"
    path.write_bytes(bytes(1 << 20))
    return path


def test_writes_and_reads_go_through(image):
    with TornDisk(image, random.Random(1)) as disk:
        rc, out = qemu_io(disk.url, "write -P 0xaa 4096 8192")
        assert rc == 0, out
        rc, out = qemu_io(disk.url, "read -P 0xaa 4096 8192")
        assert rc == 0 and "Pattern verification failed" not in out, out
    assert image.read_bytes()[4096:4096 + 8192] == b"\xaa" * 8192


def test_a_cut_tears_the_next_write_and_the_disk_is_dead_after_it(image):
    kept = set()
    for seed in range(8):
        image.write_bytes(bytes(1 << 20))
        with TornDisk(image, random.Random(seed)) as disk:
            disk.cut()
            qemu_io(disk.url, "write -P 0xbb 0 4096")  # fails: no answer comes back
            assert disk.wait_for_cut(5) and disk.torn_writes == 1
            data = image.read_bytes()[:4096]
            sectors = [data[i:i + SECTOR] for i in range(0, 4096, SECTOR)]
            landed = sum(s == b"\xbb" * SECTOR for s in sectors)
            assert all(s == b"\xbb" * SECTOR for s in sectors[:landed]), "a torn write keeps a prefix"
            assert all(s == bytes(SECTOR) for s in sectors[landed:])
            assert landed < 8, "a torn write never lands whole"
            kept.add(landed)
            rc, _ = qemu_io(disk.url, "write -P 0xcc 8192 512")  # the next power-on works again
            assert rc == 0
    assert len(kept) > 1, f"tears land at different sectors: {kept}"
