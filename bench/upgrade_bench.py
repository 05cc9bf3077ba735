#!/usr/bin/env python3
"""Upgrade benchmark: `maculaos upgrade --apply` of a release from a server on the host,
against downloading the same artifacts alone, in the same guest, same run.

The guest (TCG) boots an installed disk and reaches the release server at
http://10.0.2.100/ (tests/flaky_http.py behind QEMU's guestfwd). "download alone" is
`maculaos fetch --sha256` of the three compressed artifacts into tmpfs (plain http needs a
hash: the download is hashed, not decompressed); `--apply` also checks the signature,
decompresses, hashes, makes the standby slot's file system, writes it, reads every file back
from disk and hashes it again. Reported: both times (median of RUNS), the ratio, and the
peak RSS of `upgrade --apply` (issue 16: at most 16 MiB).

usage: upgrade_bench.py [RUNS]   (environment as for the QEMU scenarios: MACULA_IMG,
                                  MACULA_KERNEL, MACULA_INITRAMFS, MACULA_ROOTFS)
"""
import os
import pathlib
import re
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "qemu-tests"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
import helpers  # noqa: E402
from flaky_http import FlakyHTTPServer  # noqa: E402
from machine import RELEASE_HOST, Machine  # noqa: E402

ARTIFACTS = ("rootfs.squashfs.zst", "vmlinuz.zst", "initrd.zst.zst")


def measure(m, command):
    """Wall seconds and peak RSS (KiB: the process's VmHWM, read every half second while it
    runs with the shell's own `read`, so that polling costs the guest's one CPU little; growth
    in its last half second can be missed) of one command in the guest; a command that fails
    stops the benchmark."""
    out = m.sudo(f"s=$(date +%s.%N); {command} >/tmp/out 2>&1 & p=$!; hwm=0; "
                 f"while kill -0 $p 2>/dev/null; do "
                 f"while read -r k v _; do [ \"$k\" = VmHWM: ] && hwm=$v; done </proc/$p/status; "
                 f"sleep 0.5; done 2>/dev/null; wait $p; rc=$?; e=$(date +%s.%N); "
                 f"echo \"exit $rc took $(echo \"$e $s\" | awk '{{print $1 - $2}}') hwm $hwm\"", timeout=1800)
    rc, took, hwm = re.search(r"exit (\d+) took ([\d.]+) hwm (\d+)", out).groups()
    if rc != "0":
        raise SystemExit(f"upgrade_bench: '{command}' exited {rc}:\n" + m.sudo("tail -5 /tmp/out"))
    return float(took), int(hwm)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    work = pathlib.Path(tempfile.mkdtemp(prefix="macula-upgrade-bench-"))
    kernel = os.environ["MACULA_KERNEL"]

    def start(name, **kw):
        return Machine(work / f"{name}.log", probe_kernel=kernel, **kw)

    disk = helpers.copy_disk(helpers.installed_image(), work / "disk.img")
    release = helpers.make_release(work / "www" / "stable", helpers.next_version())
    size_mib = sum((release / a).stat().st_size for a in ARTIFACTS) / (1 << 20)
    digests = {a: helpers.file_hash(release / a) for a in ARTIFACTS}
    downloads, applies, apply_rss = [], [], []
    with FlakyHTTPServer(work / "www") as server, \
            start("console", disks=[disk], release_port=server.port, memory=1024) as m:
        m.login(helpers.BOOT)
        # what is timed does not share the guest's CPU with the boot, nor the boot state's lock
        # with its assessment
        m.wait_for_runlevel()
        m.wait_for_network()
        base = f"http://{RELEASE_HOST}/stable"
        for _ in range(runs):
            fetches = " && ".join(f"maculaos fetch {base}/{a} -o /tmp/{a} --sha256 {digests[a]}"
                                  for a in ARTIFACTS)
            downloads.append(measure(m, f"sh -c '{fetches}'")[0])
            m.sudo("rm -f /tmp/*.zst")
            took, rss = measure(m, f"maculaos upgrade --apply --from {base}")
            applies.append(took)
            apply_rss.append(rss)
    d, a = statistics.median(downloads), statistics.median(applies)
    print(f"upgrade benchmark: {size_mib:.0f} MiB of artifacts, median of {runs} runs (logs in {work})")
    print(f"  download alone (fetch --sha256, 3 artifacts): {d:7.1f} s  {size_mib / d:6.1f} MiB/s")
    print(f"  upgrade --apply (download, unzstd, SHA-256, write, read back, verify): {a:7.1f} s")
    print(f"  ratio apply / download:               {a / d:7.2f}")
    print(f"  upgrade --apply peak RSS (VmHWM, largest of the runs): {max(apply_rss) / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
