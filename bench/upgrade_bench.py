#!/usr/bin/env python3
"""Upgrade benchmark: `maculaos upgrade --apply` of a release from a server on the host,
against downloading the same artifacts alone, in the same guest, same run.

The guest (TCG) boots an installed disk and reaches the release server at
http://10.0.2.100/ (tests/flaky_http.py behind QEMU's guestfwd). "download alone" is
`maculaos fetch --sha256` of the three compressed artifacts into tmpfs (plain http needs a
hash: the download is hashed, not decompressed); `--apply` also checks the signature,
decompresses, hashes, makes the standby slot's file system, writes it, reads every file back
from disk and hashes it again. Reported: both times (median of RUNS) and the ratio.

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


def seconds(m, command):
    """Wall seconds of one command in the guest; a command that fails stops the benchmark."""
    out = m.sudo(f"s=$(date +%s.%N); {command} >/tmp/out 2>&1; rc=$?; e=$(date +%s.%N); "
                 f"echo \"exit $rc took $(echo \"$e $s\" | awk '{{print $1 - $2}}')\"", timeout=1800)
    rc, took = re.search(r"exit (\d+) took ([\d.]+)", out).groups()
    if rc != "0":
        raise SystemExit(f"upgrade_bench: '{command}' exited {rc}:\n" + m.sudo("tail -5 /tmp/out"))
    return float(took)


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
    downloads, applies = [], []
    with FlakyHTTPServer(work / "www") as server, \
            start("console", disks=[disk], release_port=server.port, memory=1024) as m:
        m.login(helpers.BOOT)
        m.wait_for_network()
        base = f"http://{RELEASE_HOST}/stable"
        for _ in range(runs):
            fetches = " && ".join(f"maculaos fetch {base}/{a} -o /tmp/{a} --sha256 {digests[a]}"
                                  for a in ARTIFACTS)
            downloads.append(seconds(m, f"sh -c '{fetches}'"))
            m.sudo("rm -f /tmp/*.zst")
            applies.append(seconds(m, f"maculaos upgrade --apply --from {base}"))
    d, a = statistics.median(downloads), statistics.median(applies)
    print(f"upgrade benchmark: {size_mib:.0f} MiB of artifacts, median of {runs} runs (logs in {work})")
    print(f"  download alone (fetch --sha256, 3 artifacts): {d:7.1f} s  {size_mib / d:6.1f} MiB/s")
    print(f"  upgrade --apply (download, unzstd, SHA-256, write, read back, verify): {a:7.1f} s")
    print(f"  ratio apply / download:               {a / d:7.2f}")


if __name__ == "__main__":
    main()
