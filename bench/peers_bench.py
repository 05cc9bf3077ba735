#!/usr/bin/env python3
"""mDNS discovery benchmark: how soon two live nodes on one LAN list each other with `maculaos
peers` (the plan's goal: under 30 s), RUNS times, each with two fresh boots.

The nodes are qemu-tests/test_peers.py's (two live ISOs whose second NICs share a LAN of QEMU
socket netdevs). Each boots to the end of its default runlevel first, so that the figure is
discovery's alone; then both are given their LAN address, and each node's clock counts from
there until `maculaos peers` lists the other. Prints each node's seconds of each run, their
median and the largest.

usage: bench/peers_bench.py ISO KERNEL INITRAMFS [RUNS]
"""
import pathlib
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "qemu-tests"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
import helpers  # noqa: E402
from machine import Machine  # noqa: E402
from test_peers import join_lan, on_each, start_lan_nodes  # noqa: E402

GIVE_UP = 300  # seconds: a node that has not found the other by then is reported so


def seconds_until_listed(m, name):
    """Seconds on m's clock from now until `maculaos peers` on m lists name."""
    out = m.run(f"s=$(date +%s.%N); n=0; f=; until [ -n \"$f\" ] || [ $n -ge {2 * GIVE_UP} ]; do "
                f"maculaos peers | grep -q '^{name} ' && f=1 || {{ n=$((n+1)); sleep 0.5; }}; done; "
                f"e=$(date +%s.%N); if [ -n \"$f\" ]; then echo \"$e $s\" | awk '{{print $1 - $2}}'; "
                f"else echo not found; fi", timeout=4 * GIVE_UP)
    if out == "not found":
        raise SystemExit(f"peers_bench: {name} not listed after {GIVE_UP} s (log: {m.log_path})")
    return float(out)


def run_once(iso, kernel, initrd, work):
    nodes = []

    def start(log_name, **kw):
        nodes.append(Machine(work / f"{log_name}.log", probe_kernel=kernel, **kw))
        return nodes[-1]

    try:
        start_lan_nodes(start, iso, kernel, initrd)
        on_each(nodes, lambda m: (m.login(helpers.BOOT), m.wait_for_runlevel()))
        names = [join_lan(m, i) for i, m in enumerate(nodes)]
        others = dict(zip(nodes, reversed(names)))
        return on_each(nodes, lambda m: seconds_until_listed(m, others[m]))
    finally:
        for m in nodes:
            m.kill()


def main():
    iso, kernel, initrd = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    figures = []
    for i in range(runs):
        work = pathlib.Path(tempfile.mkdtemp(prefix=f"macula-peers-bench-{i}-"))
        a, b = run_once(iso, kernel, initrd, work)
        print(f"  run {i + 1}: A lists B after {a:6.1f} s, B lists A after {b:6.1f} s (logs in {work})", flush=True)
        figures += [a, b]
    print(f"peers benchmark, {runs} runs of two live nodes: seconds from both LAN addresses set to the other "
          f"listed: median {statistics.median(figures):.1f}, largest {max(figures):.1f} (goal: under 30)")


if __name__ == "__main__":
    main()
