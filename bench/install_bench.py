#!/usr/bin/env python3
"""Install benchmark: macula-install onto a blank 4 GiB disk, inside the live system in QEMU,
and the slot write against dd of the same bytes to the same kind of target in the same run.

Both targets are 4 GiB raw virtio disks of the same guest. Reported: the whole install
(partitioning, file systems, slot A written, read back from disk and hashed, GRUB twice), the
write throughput macula-install reports for rootfs.squashfs (buffered 1 MiB writes, hashed on
the way), and dd's for the same file to the raw disk (bs=1M, conv=fsync).

usage: install_bench.py ISO KERNEL INITRAMFS
"""
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "qemu-tests"))
from machine import Machine  # noqa: E402


def seconds(m, command):
    out = m.sudo(f"s=$(date +%s.%N); {command} >/tmp/out 2>&1; e=$(date +%s.%N); "
                 f"echo \"took $(echo \"$e - $s\" | awk '{{print $1 - $3}}')\"", timeout=1800)
    return float(re.search(r"took ([\d.]+)", out).group(1))


def main():
    iso, kernel, initrd = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    work = pathlib.Path(tempfile.mkdtemp(prefix="macula-install-bench-"))
    disks = []
    for name in ("install.img", "dd.img"):
        subprocess.run(["truncate", "-s", "4G", str(work / name)], check=True)
        disks.append(work / name)
    with Machine(work / "console.log", kernel=kernel, initrd=initrd, cdrom=iso, disks=disks,
                 append="console=ttyS0,115200n8 macula.mode=live", memory=2048) as m:
        m.login(600)
        m.wait_for_runlevel()  # what is timed does not share the guest's CPU with the boot
        image = "/run/macula/media/maculaos/rootfs.squashfs"
        size_mib = int(m.run(f"stat -c %s {image}")) / (1 << 20)
        install = seconds(m, "macula-install --yes /dev/vda")
        log = m.sudo("cat /tmp/out")
        rate = float(re.search(r"writing rootfs.squashfs.*?([\d.]+) MiB/s", log).group(1))
        m.sudo("echo 3 > /proc/sys/vm/drop_caches")
        dd_rate = size_mib / seconds(m, f"dd if={image} of=/dev/vdb bs=1M conv=fsync")
    print(f"install benchmark (console log {work / 'console.log'})")
    print(f"  whole install on a 4 GiB disk:        {install:8.1f} s")
    print(f"  slot write, macula-install:           {rate:8.1f} MiB/s ({size_mib:.0f} MiB root image)")
    print(f"  dd bs=1M conv=fsync, same bytes:      {dd_rate:8.1f} MiB/s")
    print(f"  ratio macula-install / dd:            {rate / dd_rate:8.2f}")


if __name__ == "__main__":
    main()
