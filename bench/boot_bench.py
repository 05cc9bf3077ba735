#!/usr/bin/env python3
"""Boot benchmark: MaculaOS's C++ /init against a busybox-script /init (bench/busybox-init.sh).

Same kernel, same modules, same busybox, same ISO media and root squashfs: only /init differs.
Each initramfs boots RUNS times under QEMU (direct kernel boot, the ISO as CD-ROM), alternating.
Reported per initramfs: compressed size; kernel start -> /init and /init -> exec of OpenRC (printk
timestamps of init's first and "switching root" lines); QEMU start -> login prompt (wall clock).
Medians, and the ratio busybox / C++ (above 1: ours is faster or smaller).

usage: boot_bench.py ISO KERNEL INITRAMFS [RUNS]
"""
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "qemu-tests"))
from machine import Machine  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
STAMP = r"\[\s*(\d+\.\d+)\]"


def busybox_initramfs(ours, out):
    """Our initramfs with /init replaced by the busybox script, repacked the same way."""
    with tempfile.TemporaryDirectory() as tree:
        subprocess.run(f"zstd -dc {ours} | cpio -id --quiet", shell=True, cwd=tree, check=True)
        init = pathlib.Path(tree) / "init"
        init.unlink()
        init.write_text((HERE / "busybox-init.sh").read_text())
        init.chmod(0o755)
        subprocess.run(f"find . | cpio -o -H newc --quiet | zstd -19 -q -o {out}", shell=True,
                       cwd=tree, check=True)


def boot_once(kernel, initrd, iso, log, prefix):
    start = time.monotonic()
    with Machine(log, kernel=kernel, initrd=initrd, cdrom=iso,
                 append="console=ttyS0,115200n8 macula.mode=live") as m:
        m.expect(r"login: ", 600)
        login = time.monotonic() - start
        text = m.log()
    started = float(re.search(STAMP + rf" {prefix}: .*(init started|started at)", text).group(1))
    switched = float(re.search(STAMP + rf" {prefix}: switching root", text).group(1))
    return {"kernel_to_init": started, "init_to_openrc": switched - started, "to_login": login}


def main():
    iso, kernel, ours = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    work = pathlib.Path(tempfile.mkdtemp(prefix="macula-bench-"))
    peer = work / "busybox-initramfs.cpio.zst"
    busybox_initramfs(ours, peer)
    subjects = {"C++ /init": (ours, "macula-init"), "busybox /init": (peer, "busybox-init")}
    results = {name: [] for name in subjects}
    for i in range(runs):
        for name, (initrd, prefix) in subjects.items():
            results[name].append(boot_once(kernel, initrd, iso, work / f"{prefix}-{i}.log", prefix))
    med = {n: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for n, rs in results.items()}
    size = {n: initrd.stat().st_size for n, (initrd, _) in subjects.items()}
    ours_name, peer_name = list(subjects)
    print(f"boot benchmark, {runs} runs each, medians (logs in {work})")
    print(f"{'':28}{ours_name:>14}{peer_name:>16}{'ratio':>9}")
    rows = [("initramfs (zstd), MB", size[ours_name] / 1e6, size[peer_name] / 1e6)]
    rows += [(label, med[ours_name][k], med[peer_name][k]) for label, k in
             [("kernel start -> /init, s", "kernel_to_init"),
              ("/init -> exec OpenRC, s", "init_to_openrc"),
              ("QEMU start -> login, s", "to_login")]]
    for label, a, b in rows:
        print(f"{label:28}{a:14.2f}{b:16.2f}{b / a:9.2f}")


if __name__ == "__main__":
    main()
