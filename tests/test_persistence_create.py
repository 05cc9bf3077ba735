"""`maculaos persistence create` on a stick image: the file system goes after the image, every
byte of the image stays as it was, and every refusal writes nothing.

The stick is a TEST FIXTURE: a small ISO 9660 image named MACULAOS (xorriso), written to the
start of a larger file as `dd` writes the ISO to a stick. The real ISO on a USB stick is the
QEMU scenario's (qemu-tests/test_persistence.py)."""
import hashlib
import subprocess

import pytest

MiB = 1 << 20


def run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=120)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fixture_iso(tmp_path, volume_id):
    tree = tmp_path / f"tree-{volume_id}"
    (tree / "maculaos").mkdir(parents=True)
    (tree / "maculaos" / "rootfs.squashfs").write_bytes(b"TEST FIXTURE root image\n" * 40000)
    iso = tmp_path / f"{volume_id}.iso"
    made = run("xorriso", "-as", "mkisofs", "-quiet", "-V", volume_id, "-o", iso, tree)
    assert made.returncode == 0, made.stderr
    return iso


def stick_with(iso, path, size):
    path.write_bytes(iso.read_bytes())
    with open(path, "r+b") as f:
        f.truncate(size)
    return path


def probe(path, offset):
    """What blkid finds at offset: {'TYPE': ..., 'LABEL': ...}."""
    out = run("blkid", "--probe", "--offset", offset, "-o", "export", path)
    return dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)


@pytest.fixture
def iso(tmp_path):
    return fixture_iso(tmp_path, "MACULAOS")


def test_create_puts_ext4_after_the_image_and_leaves_the_image_whole(maculaos_bin, iso, tmp_path):
    stick = stick_with(iso, tmp_path / "stick.img", 300 * MiB)
    image = iso.read_bytes()
    offset = (len(image) + MiB - 1) // MiB * MiB
    made = run(maculaos_bin, "persistence", "create", "--size", "128M", stick)
    assert made.returncode == 0, made.stderr
    assert f"making 128 MiB of ext4 (MACULAOS_PERSIST) on {stick} at {offset // MiB} MiB" in made.stdout
    assert stick.read_bytes()[:len(image)] == image
    found = probe(stick, offset)
    assert found.get("TYPE") == "ext4" and found.get("LABEL") == "MACULAOS_PERSIST", found
    fsck = run("e2fsck", "-fn", f"{stick}?offset={offset}")
    dumpe2fs = run("dumpe2fs", "-h", f"{stick}?offset={offset}")
    assert "Block count:" in dumpe2fs.stdout, dumpe2fs.stderr
    blocks = int(next(l for l in dumpe2fs.stdout.splitlines() if l.startswith("Block count:")).split()[-1])
    block_size = int(next(l for l in dumpe2fs.stdout.splitlines() if l.startswith("Block size:")).split()[-1])
    assert blocks * block_size == 128 * MiB
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr

    again = run(maculaos_bin, "persistence", "create", stick)
    assert again.returncode == 1
    assert again.stderr.strip() == (f"persistence: {stick} already has persistence (ext4 MACULAOS_PERSIST at "
                                     f"{offset // MiB} MiB); nothing written")


@pytest.mark.parametrize("case", ["too-big", "no-room", "not-ours", "bad-size", "other-filesystem"])
def test_refusals_are_one_line_and_write_nothing(maculaos_bin, iso, tmp_path, case):
    stick = stick_with(iso, tmp_path / "stick.img", 200 * MiB)
    args, expected = ["--size", "4G"], "MiB free after the MaculaOS image"
    if case == "no-room":
        stick = stick_with(iso, tmp_path / "stick.img", iso.stat().st_size)
        args, expected = [], "persistence needs at least 64 MiB; nothing written"
    elif case == "not-ours":
        stick = stick_with(fixture_iso(tmp_path, "DEBIAN_LIVE"), tmp_path / "stick.img", 200 * MiB)
        args, expected = [], "no MaculaOS image at its start"
    elif case == "bad-size":
        args, expected = ["--size", "lots"], "persistence size: size 'lots'"
    elif case == "other-filesystem":
        offset = (iso.stat().st_size + MiB - 1) // MiB * MiB
        fs = tmp_path / "data.ext4"
        assert run("mkfs.ext4", "-q", "-L", "HOLIDAYS", fs, "100M").returncode == 0
        with open(stick, "r+b") as f:
            f.seek(offset)
            f.write(fs.read_bytes())
        args, expected = [], "the space after the image holds a file system of type ext4, labelled HOLIDAYS"
    before = sha256(stick)
    refused = run(maculaos_bin, "persistence", "create", *args, stick)
    assert refused.returncode != 0, refused.stdout
    assert expected in refused.stderr, refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert sha256(stick) == before
