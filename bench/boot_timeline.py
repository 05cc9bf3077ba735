#!/usr/bin/env python3
"""Boot timeline: the live ISO booted as `make run` boots it (QEMU from the CD, GRUB's menu and
its timeout included, 1 GiB, virtio-rng, user network), RUNS times; medians of

  QEMU start -> kernel start, kernel start -> /init, /init -> switch_root, switch_root -> login
  prompt, kernel start -> login prompt, QEMU start -> login prompt, kernel start -> every
  service started (`local`, the default runlevel's last: the gettys start before the network
  services, in the boot runlevel)

and, from the last run, when each OpenRC service was marked started (the time of its link in
/run/openrc/started/, against kernel start), in order: where the boot spends its time.

Kernel start on the host's clock is when the line "switching root" arrived less its printk
stamp (the kernel's clock starts with the kernel).

usage: boot_timeline.py ISO [RUNS]
"""
import pathlib
import re
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "qemu-tests"))
from machine import Machine  # noqa: E402

STAMP = r"\[\s*(\d+\.\d+)\]"


def boot_once(iso, log):
    start = time.monotonic()
    with Machine(log, cdrom=iso) as m:
        m.expect(STAMP + r" macula-init: switching root", 600)
        switched_host = time.monotonic() - start
        switched = float(m.child.match.group(1))
        m.expect(r"login: ", 600)
        login_host = time.monotonic() - start
        init = float(re.search(STAMP + r" macula-init: .*init started", m.log()).group(1))
        m.log_in_at_prompt()
        m.wait_for_runlevel()  # the timeline is of the whole boot, `local` its last service
        # each started service's link time, and the kernel's start, on the guest's clock
        services = m.run("now=$(date +%s.%N); up=$(cut -d' ' -f1 /proc/uptime); echo \"boot $now $up\"; "
                         "stat -c '%.9Y %n' /run/openrc/started/*")
    kernel_host = switched_host - switched
    lines = services.splitlines()
    _, now, up = lines[0].split()
    booted = float(now) - float(up)
    timeline = sorted((float(t) - booted, pathlib.Path(name).name) for t, name in (ln.split() for ln in lines[1:]))
    return {"qemu_to_kernel": kernel_host, "kernel_to_init": init, "init_to_switch": switched - init,
            "switch_to_login": login_host - switched_host, "kernel_to_login": login_host - kernel_host,
            "qemu_to_login": login_host, "kernel_to_local": dict((n, t) for t, n in timeline)["local"]}, timeline


def main():
    iso = pathlib.Path(sys.argv[1]).resolve()
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = pathlib.Path(tempfile.mkdtemp(prefix="macula-timeline-"))
    results = []
    for i in range(runs):
        figures, timeline = boot_once(iso, work / f"boot-{i}.log")
        results.append(figures)
    print(f"boot timeline of {iso.name}, {runs} runs, medians, s (logs in {work})")
    for label, key in [("QEMU start -> kernel start", "qemu_to_kernel"), ("kernel start -> /init", "kernel_to_init"),
                       ("/init -> switch_root", "init_to_switch"), ("switch_root -> login prompt", "switch_to_login"),
                       ("kernel start -> login prompt", "kernel_to_login"), ("QEMU start -> login prompt", "qemu_to_login"),
                       ("kernel start -> every service", "kernel_to_local")]:
        print(f"  {label:30}{statistics.median(r[key] for r in results):7.2f}")
    print("OpenRC services of the last run, marked started at (s after kernel start):")
    previous = 0.0
    for at, name in timeline:
        print(f"  {at:7.2f}  +{at - previous:5.2f}  {name}")
        previous = at


if __name__ == "__main__":
    main()
