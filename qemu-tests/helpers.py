"""What several QEMU scenarios share: disks, the unattended install, the installed-disk image,
and signed releases made by release/make-release.sh."""
import hashlib
import json
import os
import pathlib
import shlex
import subprocess
import tempfile
import time
import uuid

import pexpect
import pyte

from machine import KERNEL_PANIC

REPO = pathlib.Path(__file__).resolve().parent.parent
MAKE_RELEASE = REPO / "release" / "make-release.sh"
DEFAULT_SIGNING_KEY = pathlib.Path.home() / ".cache/maculaos/keys/maculaos-dev.key.pem"

SERIAL = "console=ttyS0,115200n8"
UNATTENDED = (f"{SERIAL} macula.mode=install macula.install.device=/dev/vda "
              "macula.install.silent macula.install.power_off")
BOOT = 420  # seconds from power-on to a login prompt, with room for a loaded TCG host
DISK_SIZE = "4G"


def blank_disk(path, size=DISK_SIZE):
    subprocess.run(["truncate", "-s", size, str(path)], check=True)
    return path


def file_hash(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def install_unattended(machine, iso, kernel, initrd, disk, **kw):
    """Installs from the ISO onto disk (/dev/vda) unattended; returns when the guest is off.

    machine is the `machine` fixture (a function starting a Machine)."""
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, disks=[disk], append=UNATTENDED, **kw)
    m.expect(r"MaculaOS \S+ installed on /dev/vda", BOOT + 300)
    m.wait_exit(120)  # macula.install.power_off: QEMU exits when the guest powers off
    assert KERNEL_PANIC not in m.log()


def installed_image():
    """The installed-disk image `make img` made from the images under test (images/make-img.sh:
    the unattended install of the ISO onto a 4 GiB disk, not yet booted). Scenarios boot copies."""
    return pathlib.Path(os.environ["MACULA_IMG"])


def installed_version():
    """The version the ISO under test installs: VERSION."""
    return (REPO / "VERSION").read_text().strip()


def next_version():
    """A version newer than the installed one: VERSION with its last number bumped."""
    parts = installed_version().split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


def upgrade_status(m):
    """`maculaos upgrade --status --json` of a logged-in machine, parsed."""
    return json.loads(m.run("maculaos upgrade --status --json"))


def random_file(path, size=1 << 20):
    """A file of random bytes: a root image for releases whose artifacts are never used."""
    pathlib.Path(path).write_bytes(os.urandom(size))
    return pathlib.Path(path)


def copy_disk(source, dest):
    subprocess.run(["cp", "--sparse=always", str(source), str(dest)], check=True)
    return pathlib.Path(dest)


def initramfs_without(initrd, module, out):
    """A copy of the initramfs (zstd cpio) without one kernel module: its .ko, its index line
    and its name in the boot's load list, as a release built without that driver would be."""
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp)
        subprocess.run(f"zstd -dc {shlex.quote(str(initrd))} | cpio -idm --quiet", shell=True, cwd=root, check=True)
        modules = root / "lib" / "modules"
        for ko in modules.rglob(f"{module}.ko*"):
            ko.unlink()
        index = modules / "maculaos.modules"
        index.write_text("".join(line for line in index.read_text().splitlines(keepends=True)
                                 if not line.startswith(f"{module}\t")))
        load = modules / "maculaos.load"
        load.write_text("".join(line for line in load.read_text().splitlines(keepends=True)
                                if line.strip() != module))
        subprocess.run(f"find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet | zstd -3 -q -o {shlex.quote(str(out))}",
                       shell=True, cwd=root, check=True)
    return pathlib.Path(out)


def new_disk_identity(disk):
    """Gives a copied disk image GUIDs of its own (the disk's and each partition's), as a
    separate install would have: copies of one template share them, like cloned disks."""
    table = json.loads(subprocess.run(["sfdisk", "--json", str(disk)], capture_output=True, text=True,
                                      check=True).stdout)["partitiontable"]
    subprocess.run(["sfdisk", "--quiet", "--disk-id", str(disk), str(uuid.uuid4())], check=True)
    for number in range(1, len(table["partitions"]) + 1):
        subprocess.run(["sfdisk", "--quiet", "--part-uuid", str(disk), str(number), str(uuid.uuid4())],
                       check=True)
    return disk


def make_release(out_dir, version, *, channel="stable", key=None, kernel=None, initrd=None,
                 rootfs=None, k3s=None):
    """Makes a signed release in out_dir with release/make-release.sh; returns out_dir.

    out_dir gets manifest.json, manifest.json.sig, rootfs.squashfs.zst, vmlinuz.zst and
    initrd.zst.zst (and the k3s release directory k3s's files, when given). The images default
    to those under test (MACULA_KERNEL, MACULA_INITRAMFS, MACULA_ROOTFS), the key to
    MACULA_SIGNING_KEY or the development key.
    """
    def image(value, env):
        value = value or os.environ.get(env)
        if not value:
            raise AssertionError(f"make_release: no {env.lower()} given and {env} is not set")
        return str(value)

    key = key or os.environ.get("MACULA_SIGNING_KEY") or DEFAULT_SIGNING_KEY
    command = [str(MAKE_RELEASE), "--version", str(version), "--channel", channel,
               "--key", str(key),
               "--kernel", image(kernel, "MACULA_KERNEL"),
               "--initrd", image(initrd, "MACULA_INITRAMFS"),
               "--rootfs", image(rootfs, "MACULA_ROOTFS"),
               *(["--k3s", str(k3s)] if k3s else []),
               str(out_dir)]
    # zstd -3: the level changes nothing the scenarios check, and -19 takes a minute per release
    r = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "ZSTD_LEVEL": "3"})
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {r.returncode}:\n{r.stdout}{r.stderr}")
    return pathlib.Path(out_dir)


def trust_fixture_ca(m, ca, host):
    """Makes the guest trust the fixture CA (tests/tls_fixture.py) and send host to
    10.0.2.100:443, this host's HTTPS stand-in (the machine's tls_port guestfwd). /etc persists
    on an installed disk: once is enough there."""
    m.sudo(f"cat >> /etc/ssl/certs/ca-certificates.crt <<'EOF'\n{(ca / 'ca.pem').read_text()}EOF\n"
           f"echo '10.0.2.100 {host}' >> /etc/hosts")


def decode_terminal_qr(lines, scratch):
    """Reads a QR code drawn in a terminal with half blocks (maculaos's qr_text, UTF-8) the way
    a phone's camera does: drawn cells light, blank cells dark, 4x4 pixels each on a dark
    ground, decoded by zbarimg. Returns what it decodes to."""
    rows = []
    for line in lines:
        rows.append([c in "\u2588\u2580" for c in line])
        rows.append([c in "\u2588\u2584" for c in line])
    scale, border = 4, 8
    width = max(len(r) for r in rows) * scale + 2 * border
    height = len(rows) * scale + 2 * border
    pixels = bytearray(width * height)
    for y in range(len(rows) * scale):
        for x in range(len(rows[y // scale]) * scale):
            if rows[y // scale][x // scale]:
                pixels[(y + border) * width + x + border] = 255
    image = pathlib.Path(scratch) / "terminal-qr.pgm"
    image.write_bytes(b"P5\n%d %d\n255\n" % (width, height) + bytes(pixels))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", "--nodbus", str(image)], capture_output=True, text=True)
    return out.stdout.strip()


class TerminalScreen:
    """What a person sees on the machine's serial console: its output played into an 80x24
    terminal (pyte), for full-screen programs (the setup wizard)."""

    def __init__(self, machine, columns=80, lines=24):
        self.machine = machine
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.Stream(self.screen)

    def text(self):
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, text, timeout=60):
        """Plays the output in until text is on the screen and the screen is still (nothing
        more for a second: the whole page is drawn); returns the screen."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.stream.feed(self.machine.child.read_nonblocking(65536, timeout=1))
            except pexpect.TIMEOUT:
                if text in self.text():
                    return self.text()
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not on the screen after {timeout} s:\n{self.text()}\n"
                                     f"(log: {self.machine.log_path})")

    def press(self, keys):
        self.machine.child.send(keys)
