#!/usr/bin/env python3
"""Setup benchmark: `maculaos setup --unattended` against the same downloads done with curl,
in one live guest, from the same HTTPS stand-in of github.com, alternating, RUNS times.

The releases are the QEMU scenarios' (qemu-tests/test_setup.py: the TEST FIXTURE k3s_fixture
and a fixture Flux tarball, with their sums), the k3s binary padded with random bytes to
K3S_MIB so the transfer weighs what the real k3s does (about 70 MiB). Each setup run starts
from a node that never ran setup (k3s stopped, its binaries and setup's state removed). The curl
run is the same job done by hand: the k3s binary, its sums, the Flux tarball and its sums
fetched with curl, checked with sha256sum -c, Flux unpacked; setup also installs, starts k3s
and waits for its API, which the curl run does not (the fixture answers at once).

usage: MACULA_K3S_FIXTURE=build/release/k3s_fixture \
       setup_bench.py ISO KERNEL INITRAMFS [K3S_MIB] [RUNS]
"""
import os
import pathlib
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "qemu-tests"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from flaky_http import FlakyHTTPServer  # noqa: E402
from install_bench import seconds  # noqa: E402
from machine import Machine  # noqa: E402
from helpers import trust_fixture_ca  # noqa: E402
from test_setup import IMAGE_FLUX, IMAGE_K3S, publish_releases  # noqa: E402
from tls_fixture import make_test_ca, server_context  # noqa: E402

# The k3s config (/etc/rancher/k3s) is the boot's, from the node config: it stays.
NEVER_SET_UP = ("rc-service k3s stop >/dev/null 2>&1; rm -rf /var/lib/maculaos/setup /opt/macula/bin/* "
                "/var/lib/maculaos/.configured /tmp/curl; sync; echo 3 > /proc/sys/vm/drop_caches")


def curl_job(base):
    k3s = f"{base}/k3s-io/k3s/releases/download/{IMAGE_K3S}"
    flux = f"{base}/fluxcd/flux2/releases/download/v{IMAGE_FLUX}"
    tarball = f"flux_{IMAGE_FLUX}_linux_amd64.tar.gz"
    return ("(mkdir -p /tmp/curl && cd /tmp/curl && "
            f"curl -fsSLO {k3s}/k3s -O {k3s}/sha256sum-amd64.txt -O {flux}/{tarball} "
            f"-O {flux}/flux_{IMAGE_FLUX}_checksums.txt && "
            "sha256sum -c --ignore-missing sha256sum-amd64.txt && "
            f"sha256sum -c --ignore-missing flux_{IMAGE_FLUX}_checksums.txt && "
            f"tar -xzf {tarball} flux && chmod 0755 k3s && sync)")


def main():
    iso, kernel, initrd = (pathlib.Path(a).resolve() for a in sys.argv[1:4])
    k3s_mib = int(sys.argv[4]) if len(sys.argv) > 4 else 64
    runs = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    work = pathlib.Path(tempfile.mkdtemp(prefix="macula-setup-bench-"))
    padded = work / "k3s_fixture"
    fixture = pathlib.Path(os.environ["MACULA_K3S_FIXTURE"]).read_bytes()
    padded.write_bytes(fixture + os.urandom(max(0, (k3s_mib << 20) - len(fixture))))
    padded.chmod(0o755)
    os.environ["MACULA_K3S_FIXTURE"] = str(padded)
    ca = make_test_ca(work, ["github.com"])
    tls = server_context(ca)
    times = {"maculaos setup --unattended": [], "curl + sha256sum -c + tar": []}
    with FlakyHTTPServer(work / "www", ssl_context=tls) as server:
        publish_releases(server.root, IMAGE_K3S, IMAGE_FLUX)
        with Machine(work / "console.log", kernel=kernel, initrd=initrd, cdrom=iso, tls_port=server.port,
                     append="console=ttyS0,115200n8", memory=2048) as m:
            m.login(600)
            m.wait_for_runlevel()  # what is timed does not share the guest's CPU with the boot
            trust_fixture_ca(m, ca, "github.com")
            for _ in range(runs):
                m.sudo(NEVER_SET_UP, timeout=120)
                times["maculaos setup --unattended"].append(seconds(m, "maculaos setup --unattended"))
                m.sudo("grep -q 'k3s answers' /tmp/out || { cat /tmp/out; exit 1; }")
                m.sudo(NEVER_SET_UP, timeout=120)
                times["curl + sha256sum -c + tar"].append(seconds(m, curl_job("https://github.com")))
                m.sudo("test -x /tmp/curl/flux || { cat /tmp/out; exit 1; }")
    print(f"setup benchmark: k3s {k3s_mib} MiB + Flux over HTTPS into a TCG guest, median of {runs} runs "
          f"(console log {work / 'console.log'})")
    base = statistics.median(times["curl + sha256sum -c + tar"])
    for name, ts in times.items():
        t = statistics.median(ts)
        print(f"  {name:30s} {t:7.1f} s  (x{t / base:.2f} of curl's)")


if __name__ == "__main__":
    main()
