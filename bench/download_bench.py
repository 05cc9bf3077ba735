#!/usr/bin/env python3
"""Download benchmark: `maculaos fetch` against the curl command-line tool, same 1 GiB file,
same local server (tests/flaky_http.py on 127.0.0.1, no faults), same run, alternating.

Reported per tool (median of RUNS): wall time, throughput and peak RSS (ru_maxrss of the
child), and the ratios to curl's. Over plain http fetch needs --sha256, so it also hashes
(OpenSSL's SHA-256, on a thread of its own); with --zstd it downloads a zstd copy and
decompresses it. fetch also makes the file durable (fsync) before it renames it into place:
`curl; sync FILE` is curl with that same step. `curl | tee | sha256sum` is the same job as
fetch --sha256 done by the usual tools (coreutils' SHA-256, in a second process).

usage: download_bench.py MACULAOS_BIN [SIZE_MIB] [RUNS]     (needs GNU time: apt-get install time)
"""
import hashlib
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from flaky_http import FlakyHTTPServer  # noqa: E402


def timed(argv, work):
    """Wall seconds and peak RSS (MiB) of one child, measured by GNU time (a child of this
    Python would start with, and be charged for, the interpreter's own pages)."""
    rss_file = work / "rss"
    start = time.monotonic()
    subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *argv],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    elapsed = time.monotonic() - start
    return elapsed, int(rss_file.read_text().split()[-1]) / 1024


def main():
    binary = pathlib.Path(sys.argv[1]).resolve()
    size_mib = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = pathlib.Path(tempfile.mkdtemp(prefix="macula-download-bench-"))
    blob = work / "www" / "blob"
    blob.parent.mkdir()
    h = hashlib.sha256()
    with open(blob, "wb") as f:  # incompressible, so --zstd measures decoding, not a tiny file
        for _ in range(size_mib):
            chunk = os.urandom(1 << 20)
            h.update(chunk)
            f.write(chunk)
    subprocess.run(["zstd", "-q", "-1", "-T0", str(blob), "-o", str(blob) + ".zst"], check=True)
    digest = h.hexdigest()
    out = work / "out"
    results = {"curl": [], "curl; sync FILE": [], "curl | tee | sha256sum": [], "fetch --sha256": [],
               "fetch --zstd --sha256": []}
    with FlakyHTTPServer(blob.parent) as server:
        for _ in range(runs):
            for name, argv in (
                    ("curl", ["curl", "-sS", "-f", "-o", str(out), f"{server.url}/blob"]),
                    ("curl; sync FILE", ["sh", "-c", f"curl -sS -f -o {out} {server.url}/blob && sync {out}"]),
                    ("curl | tee | sha256sum",
                     ["sh", "-c", f"curl -sS -f {server.url}/blob | tee {out} | sha256sum"]),
                    ("fetch --sha256", [str(binary), "fetch", f"{server.url}/blob", "-o", str(out),
                                        "--sha256", digest]),
                    ("fetch --zstd --sha256", [str(binary), "fetch", f"{server.url}/blob.zst", "-o", str(out),
                                               "--zstd", "--sha256", digest])):
                out.unlink(missing_ok=True)
                results[name].append(timed(argv, work))
    print(f"download benchmark: {size_mib} MiB over loopback, median of {runs} runs")
    base_t = statistics.median(t for t, _ in results["curl"])
    base_rss = statistics.median(r for _, r in results["curl"])
    for name, rs in results.items():
        t = statistics.median(x for x, _ in rs)
        rss = statistics.median(r for _, r in rs)
        print(f"  {name:24s} {t:7.2f} s {size_mib / t:8.1f} MiB/s  peak RSS {rss:6.1f} MiB"
              f"  (time x{t / base_t:.2f}, RSS x{rss / base_rss:.2f} of curl's)")
    subprocess.run(["rm", "-rf", str(work)])


if __name__ == "__main__":
    main()
