"""First boot: `maculaos setup` installs k3s and Flux from their release layouts, verified,
resumed and idempotent, and starts the k3s service.

The real k3s cannot be downloaded here: the k3s served is the TEST FIXTURE k3s_fixture
(qemu-tests/fixtures/k3s_fixture.cc), the Flux tarball holds a fixture script, and the release
sums are made for them. The product code is the one that runs against the real releases."""
import json
import pathlib
import re
import subprocess
import sys

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from flaky_http import FlakyHTTPServer  # noqa: E402
from tls_fixture import make_test_ca, server_context  # noqa: E402

import helpers  # noqa: E402
from setup_releases import FIXTURE_IMAGES, IMAGE_FLUX, IMAGE_K3S, publish_releases, sha256  # noqa: E402
from machine import SHUTDOWN  # noqa: E402

NEXT_K3S = "v1.31.5+k3s1"  # what the node config moves to, from the network
MISSING_K3S = "v1.31.6+k3s1"  # a version no source has
FIXTURE_APPLIED = "/var/lib/rancher/k3s/server/fixture-applied"  # what k3s_fixture's kubectl apply keeps
FLEET = {"url": "https://git.example.org/fleet/edge.git", "branch": "edge", "path": "./clusters/edge"}



# The image's release source (rootfs/overlay/usr/share/maculaos/config.yaml: maculaos.upgrade.url)
IMAGE_RELEASE_REPO = "macula-io/macula-os"
RELEASES_PATH = f"/repos/{IMAGE_RELEASE_REPO}/releases"  # on api.github.com
CDN = "objects.githubusercontent.com"  # where github.com's download links redirect to


def publish_github_releases(server, tmp_path):
    """A TEST FIXTURE of GitHub for the image's release source: the releases list of its REST
    API (a stable release, a newer prerelease and a newer draft), and each release's
    manifest-amd64.json and signature behind github.com's download links, which redirect to the
    CDN's host as GitHub's do. The releases are signed by the key the image trusts; their images
    are small stand-ins (a check reads the manifest only). Returns {channel: version}."""
    versions = {"stable": helpers.next_version(), "beta": "9.0.0-beta.1", "draft": "9.9.9"}
    stand_in = tmp_path / "image-stand-in"
    stand_in.write_bytes(b"a test fixture, not an image\n")
    releases = []
    for channel, version in versions.items():
        tag = f"v{version}"
        helpers.make_release(server.root / "fixture-cdn" / tag, version, channel=channel,
                             kernel=stand_in, initrd=stand_in, rootfs=stand_in)
        assets = []
        for name in ("manifest-amd64.json", "manifest-amd64.json.sig"):
            download = f"/{IMAGE_RELEASE_REPO}/releases/download/{tag}/{name}"
            server.redirect(download, f"https://{CDN}/fixture-cdn/{tag}/{name}", times=None)
            assets.append({"name": name, "browser_download_url": f"https://github.com{download}"})
        releases.insert(0, {"tag_name": tag, "draft": channel == "draft", "prerelease": channel == "beta",
                            "html_url": f"https://github.com/{IMAGE_RELEASE_REPO}/releases/tag/{tag}",
                            "published_at": "2026-12-01T09:30:00Z", "assets": assets})
    listing = server.root / RELEASES_PATH.lstrip("/")
    listing.parent.mkdir(parents=True)
    listing.write_text(json.dumps(releases))
    return versions


def check_github_channels(m, server, tmp_path):
    """`maculaos upgrade --check` against the image's own source (no config sets one): the
    stable channel's release, then beta's, then GitHub's rate limit said with its reset time."""
    versions = publish_github_releases(server, tmp_path)
    m.sudo(f"echo '10.0.2.100 api.github.com {CDN}' >> /etc/hosts")
    # (the node's config is root's: sudo, as docs/upgrades.md says)
    assert m.sudo("maculaos config get maculaos.upgrade.url") == f"github://{IMAGE_RELEASE_REPO}"
    check = json.loads(m.sudo("maculaos upgrade --check --json 2>/dev/null"))
    assert (check["available"], check["channel"], check["newer"]) == (versions["stable"], "stable", True), check
    assert check["notes"] == f"https://github.com/{IMAGE_RELEASE_REPO}/releases/tag/v{versions['stable']}", check
    assert check["released"] == "2026-12-01T09:30:00Z", check
    assert server.headers_for(RELEASES_PATH, "User-Agent")[-1].startswith("maculaos ")
    m.sudo("printf 'maculaos:\\n  upgrade: {channel: beta}\\n' > /var/lib/maculaos/config.d/60-beta.yaml")
    check = json.loads(m.sudo("maculaos upgrade --check --json 2>/dev/null"))
    assert (check["available"], check["channel"]) == (versions["beta"], "beta"), check
    # the auto_check service may ask too: the limit holds until cleared
    reset = 1_900_000_000  # 2030-03-17 17:46:40 UTC
    server.status(RELEASES_PATH, 403, times=None,
                  headers={"X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    code, out = m.sudo_status("maculaos upgrade --check 2>&1")
    server.clear(RELEASES_PATH)
    assert code == 8 and "GitHub's API rate limit: try again after 2030-03-17 17:46:40 UTC" in out, (code, out)  # 8: busy
    assert len(out.splitlines()) == 1, out


def run_wizard(m, bundle, tmp_path):
    """`maculaos setup --from bundle` on the serial console, as a person drives it: the
    screens on an 80x24 terminal, keys typed. Returns the Summary's screen."""
    m.sudo("true")  # sudo remembers the password for this terminal
    screen = helpers.TerminalScreen(m)
    screen.press(f"stty rows 24 cols 80; sudo env LANG=C.UTF-8 TERM=vt100 maculaos setup --from {bundle}; "
                 "echo WIZARD''-EXIT=$?\r")
    welcome = screen.wait_for("Step 1 of 8: Welcome")
    assert "Enter: next" in welcome and "q: quit" in welcome and "b: back" not in welcome, welcome
    screen.press("\r")
    network = screen.wait_for("Step 2 of 8: Network")
    assert re.search(r"ens3 +up +dhcp +10\.0\.2\.15", network), network
    screen.press("\r")  # the reachability check of the source
    screen.wait_for(f"The download source answers: {bundle}")
    screen.press("b")  # back, then on again: the check is kept
    screen.wait_for("Step 1 of 8: Welcome")
    screen.press("\r")
    assert "Enter: next   r: run again" in screen.wait_for("Step 2 of 8: Network")
    screen.press("\r")
    screen.wait_for("Step 3 of 8: Identity")
    screen.press("\r")
    identity = screen.wait_for("Fingerprint: SHA256:")
    fingerprint = re.search(r"Fingerprint: (SHA256:\S+)", identity).group(1)
    screen.press("\r")
    k3s = screen.wait_for("Step 4 of 8: k3s")
    assert f"k3s {IMAGE_K3S} (server)" in k3s and "This is a live session" in k3s, k3s
    screen.press("\r")  # the download in line mode, then the screen again
    screen.wait_for(f"k3s {IMAGE_K3S} runs and answers.", timeout=900)
    screen.press("\r")
    screen.wait_for("Step 5 of 8: Flux CLI")
    screen.press("\r")
    screen.wait_for(f"The Flux CLI {IMAGE_FLUX} is installed.", timeout=300)
    screen.press("\r")
    gitops = screen.wait_for("Step 6 of 8: GitOps")
    words = " ".join(gitops.split())  # the page wraps its text
    assert f"Flux follows the Git repository {FLEET['url']}, branch {FLEET['branch']}, path {FLEET['path']}" in words, gitops
    screen.press("\r")
    screen.wait_for("The GitOps manifests are in /var/lib/maculaos/setup/flux-sync.yaml.")
    screen.press("\r")
    screen.wait_for("Step 7 of 8: Console")
    screen.press("\r")  # applied in line mode, then the screen again
    screen.wait_for(f"The cluster has Flux, following {FLEET['url']}.", timeout=300)
    screen.press("\r")
    summary = screen.wait_for("Step 8 of 8: Summary")
    (tmp_path / "wizard-summary.txt").write_text(summary)
    url = re.search(r"http://\S+\.local", summary).group(0)
    assert fingerprint.removeprefix("SHA256:") in summary, summary
    # the QR code beside the text, from where its first line starts
    lines = summary.splitlines()
    qr_column = lines[2].index("\u2588")
    assert helpers.decode_terminal_qr([line[qr_column:] for line in lines[2:21]], tmp_path) == url, summary
    screen.press("q")
    screen.wait_for("WIZARD-EXIT=0")
    m.use_shell()
    assert m.run("hostname") + ".local" == url.removeprefix("http://")
    assert m.sudo("ssh-keygen -lf /var/lib/maculaos/identity/node.pub").split()[1] == fingerprint
    assert m.sudo("stat -c %a /var/lib/maculaos/identity /var/lib/maculaos/identity/node.key") == "700\n600"
    return summary


def test_setup_installs_k3s_offline_then_a_new_release_resumed_and_verified(machine, iso, kernel, initrd, tmp_path):
    """One live boot. Offline first: `setup --from` a bundle on a second disk (the image's
    pinned versions) installs k3s and Flux and starts k3s until its API answers. Then the
    config names a newer k3s, fetched from the HTTPS stand-in of github.com: a tampered copy is
    refused with both hashes and nothing installed; a transfer cut in the middle resumes with a
    Range request; the new k3s replaces the running one; a second run fetches nothing. Last,
    the same stand-in answers for GitHub's API: `upgrade --check` finds the image's default
    source's releases of each channel (check_github_channels)."""
    bundle = tmp_path / "bundle"
    publish_releases(bundle, IMAGE_K3S, IMAGE_FLUX)
    bundle_iso = tmp_path / "bundle.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", "MACULA_BUNDLE", "-r", "-o", str(bundle_iso), str(bundle)],
                   check=True)
    ca = make_test_ca(tmp_path, ["github.com", "api.github.com", CDN])
    tls = server_context(ca)
    with FlakyHTTPServer(tmp_path / "www", ssl_context=tls) as server:
        k3s_path = publish_releases(server.root, NEXT_K3S, IMAGE_FLUX)
        m = machine(kernel=kernel, initrd=initrd, cdrom=iso, disks=[bundle_iso], tls_port=server.port,
                    append="console=ttyS0,115200n8")
        m.login(helpers.BOOT)
        helpers.trust_fixture_ca(m, ca, "github.com")
        m.wait_for_service("k3s", "inactive")  # k3s before setup: says so, and the boot goes on
        assert "k3s: not installed (sudo maculaos setup)" in m.log().rsplit("login:", 1)[1]  # sysinfo at login
        before_login = m.log().split("login:", 1)[0]  # /etc/issue, made from the logo at build time
        assert "  o---o---o    | |\\/| |/ _` |" in before_login and " on macula-123456 (ttyS0)" in before_login

        # The wizard starts by itself at a login on tty1 (the machine's own keyboard and screen)
        m.type_on_screen("macula\n")
        m.run("sleep 3", timeout=30)
        m.type_on_screen("macula\n")  # login's password
        m.run("sleep 5", timeout=30)
        m.type_on_screen("macula\n")  # sudo's
        # sudo (use_pty) runs it on a terminal of its own, which it relays to tty1
        m.run("for i in $(seq 60); do pgrep -x -f '/usr/bin/maculaos setup' && break; sleep 1; done", timeout=90)
        m.run("pgrep -x -f '/usr/bin/maculaos setup'")
        assert "sudo /usr/bin/maculaos setup" in m.run("ps -o args= -t tty1").splitlines()
        m.type_on_screen("q")  # it leaves the node as it was, and the cue stays
        m.run("for i in $(seq 30); do pgrep -f 'maculaos setup$' || break; sleep 1; done", timeout=60)
        m.run("! pgrep -f 'maculaos setup$'")
        m.run("test -e /run/macula/setup-needed")

        # Offline, from the bundle, through the wizard on the serial console
        m.sudo("mkdir -p /mnt/bundle && mount -o ro /dev/disk/by-label/MACULA_BUNDLE /mnt/bundle")
        fleet = ", ".join(f"{k}: {v}" for k, v in FLEET.items())
        m.sudo("mkdir -p /var/lib/maculaos/config.d && "
               f"printf 'maculaos:\\n  setup: {{airgap_images: true, gitops: {{{fleet}}}}}\\n' "
               "> /var/lib/maculaos/config.d/40-setup.yaml")
        m.wait_for_network()  # the wizard's Network step shows the lease
        run_wizard(m, "/mnt/bundle", tmp_path)
        # The Console step applied Flux's kinds, then the repository that Flux follows
        assert m.sudo(f"ls {FIXTURE_APPLIED}").split() == ["flux-components.yaml", "flux-sync.yaml"]
        sync = m.sudo(f"cat {FIXTURE_APPLIED}/flux-sync.yaml")
        assert f'url: "{FLEET["url"]}"' in sync and f'branch: "{FLEET["branch"]}"' in sync, sync
        assert f'path: "{FLEET["path"]}"' in sync and "kind: Kustomization" in sync, sync
        m.run("! test -e /run/macula/setup-needed")
        # mDNS: avahi announces the node, which finds itself among the peers
        m.wait_for_service("avahi-daemon")
        hostname = m.run("hostname")
        peers = json.loads(m.run("for i in $(seq 30); do maculaos peers --json | grep -q name && break; sleep 1; done; "
                                 "maculaos peers --json", timeout=120))
        assert [(p["name"], p["role"], p["realm"], p["version"]) for p in peers] == \
            [(f"{hostname}.local", "server", "io.macula", helpers.installed_version())], peers
        assert m.run(f"getent hosts {hostname}.local").split()[0] in peers[0]["addresses"]
        assert m.sudo("cat /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst") == \
            FIXTURE_IMAGES.format(version=IMAGE_K3S).strip()
        assert server.requests == [], "the offline setup went to the network"
        m.sudo("test -e /var/lib/maculaos/.configured")
        # the kubeconfig is the cluster's admin: root's, 0600 (k3s's default); kubectl through sudo,
        # whose secure_path has /opt/macula/bin
        assert m.sudo("kubectl get --raw=/readyz") == "ok"
        assert m.run("flux --version") == f"flux version {IMAGE_FLUX} (test fixture)"
        assert m.run("readlink /opt/macula/bin/crictl") == "k3s"
        assert "     k3s: running (k3s version v0.0.0+fixture (k3s_fixture))" in m.run("maculaos sysinfo")
        assert m.sudo("stat -c '%a' /var/lib/maculaos/setup") == "700"
        # the service ran k3s with the flags of the image's config
        log = m.sudo("cat /var/log/k3s.log")
        assert "write-kubeconfig-mode" not in log and '- "traefik"' in log, log
        assert '- "macula.io/role=server"' in log and '- "macula.io/arch=amd64"' in log, log

        # From the network: a newer k3s, tampered on the server
        m.sudo(f"printf 'maculaos:\\n  setup: {{k3s_version: {NEXT_K3S}}}\\n' > /var/lib/maculaos/config.d/50-next.yaml")
        good = sha256((server.root / k3s_path.lstrip("/")).read_bytes())
        server.corrupt(k3s_path, 3 << 20, times=None)
        code, out = m.sudo_status("maculaos setup --unattended", timeout=900)
        assert code == 6 and f"differs from the expected {good}" in out, (code, out)  # 6: verification
        assert m.sudo(f"ls /var/lib/maculaos/setup/k3s-{NEXT_K3S}") == "sha256sum-amd64.txt"  # no file, no .part
        assert m.sudo("kubectl get --raw=/readyz") == "ok"  # the installed k3s still runs

        # Repaired, and cut at 1 MiB: resumed from there
        server.clear(k3s_path)
        server.drop_after(k3s_path, 1 << 20)
        out = m.sudo("maculaos setup --unattended 2>&1", timeout=900)
        assert f"k3s {NEXT_K3S}: verified (SHA-256 {good})" in out and "restarting the k3s service" in out, out
        assert server.requests_for(k3s_path)[-2:] == [None, "bytes=1048576-"]
        assert m.sudo("kubectl get --raw=/readyz") == "ok"

        # Idempotent: nothing fetched again
        before = len(server.requests)
        out = m.sudo("LANG=C.UTF-8 maculaos setup --unattended 2>&1", timeout=900)
        assert f"k3s {NEXT_K3S}: installed already" in out and "k3s answers" in out, out
        assert len(server.requests) == before
        # The summary as lines: the node key as ssh-keygen sees it, and the node's mDNS
        # address as text and as a QR code that decodes to it
        hostname = m.run("hostname")
        fingerprint = m.sudo("ssh-keygen -lf /var/lib/maculaos/identity/node.pub").split()[1]
        assert f"setup: node identity: ED25519 {fingerprint}\n" in out, out
        url = f"http://{hostname}.local"
        qr = out.split(f"setup: on the LAN: {url}\n", 1)[1].split("setup: done", 1)[0]
        assert helpers.decode_terminal_qr(qr.splitlines(), tmp_path) == url, out

        check_k3s_follows_the_pin(m, server)
        check_github_channels(m, server, tmp_path)


def running_k3s(m):
    """The binary the k3s service's daemon runs (/proc/PID/exe, its links resolved)."""
    return m.sudo("readlink /proc/$(pgrep -x k3s | head -1)/exe")


def check_k3s_follows_the_pin(m, server):
    """k3s follows the pinned version: each version in a directory of its own and the link at
    the pinned one, the old version kept for a fallback. Back on the image's pin (what a fallback
    to the older slot's image does), the service's next start runs the old version again with no
    download; a pin no source has leaves the linked k3s running and fails the boot's k3s health
    check by name."""
    assert m.run("readlink /opt/macula/bin/k3s") == f"../k3s/{NEXT_K3S}/k3s"
    assert m.run("ls /opt/macula/k3s").split() == [IMAGE_K3S, NEXT_K3S]
    assert running_k3s(m) == f"/opt/macula/k3s/{NEXT_K3S}/k3s"
    assert m.sudo_status("maculaos setup --k3s-health")[0] == 0

    m.sudo("rm /var/lib/maculaos/config.d/50-next.yaml")
    before = len(server.requests)
    m.sudo("rc-service k3s restart", timeout=180)
    assert m.run("readlink /opt/macula/bin/k3s") == f"../k3s/{IMAGE_K3S}/k3s"
    assert f"setup: k3s {IMAGE_K3S}, the version this image pins, is installed already: linked (it was {NEXT_K3S})" \
        in m.sudo("cat /var/log/k3s.log")
    m.sudo("for i in $(seq 60); do kubectl get --raw=/readyz 2>/dev/null && break; sleep 1; done", timeout=90)
    assert running_k3s(m) == f"/opt/macula/k3s/{IMAGE_K3S}/k3s"
    assert len(server.requests) == before
    assert m.sudo_status("maculaos setup --k3s-health")[0] == 0

    m.sudo(f"printf 'maculaos:\\n  setup: {{k3s_version: {MISSING_K3S}}}\\n' > /var/lib/maculaos/config.d/50-next.yaml")
    m.sudo("rc-service k3s restart", timeout=180)
    m.sudo("for i in $(seq 60); do kubectl get --raw=/readyz 2>/dev/null && break; sleep 1; done", timeout=90)
    assert running_k3s(m) == f"/opt/macula/k3s/{IMAGE_K3S}/k3s"
    code, out = m.sudo_status("maculaos setup --k3s-health")
    assert code == 1 and f"k3s {IMAGE_K3S} is linked where this image pins {MISSING_K3S}" in out, (code, out)
    m.sudo("rm /var/lib/maculaos/config.d/50-next.yaml")


def test_setup_resumes_after_a_power_cut_and_k3s_starts_at_boot(machine, installed_disk, tmp_path):
    """An installed node loses power in the middle of the k3s download (the server stalls after
    1 MiB; QEMU is killed). The next boot's setup, run at the first login, waits for the boot,
    resumes the file it kept with a Range request and completes with k3s under its service;
    the boot after that starts k3s by itself."""
    ca = make_test_ca(tmp_path, ["github.com"])
    tls = server_context(ca)
    with FlakyHTTPServer(tmp_path / "www", ssl_context=tls) as server:
        k3s_path = publish_releases(server.root, IMAGE_K3S, IMAGE_FLUX)
        m = machine(disks=[installed_disk], tls_port=server.port, log_name="first-boot")
        assert m.expect_boot_of_slot(120) == "a"
        m.login(helpers.BOOT)
        helpers.trust_fixture_ca(m, ca, "github.com")
        m.wait_for_network()
        server.stall_after(k3s_path, 1 << 20, 900)
        m.sudo("maculaos setup --unattended >/var/log/setup-1.log 2>&1 &")
        part = f"/var/lib/maculaos/setup/k3s-{IMAGE_K3S}/k3s.part"
        m.sudo(f"until [ \"$(stat -c %s {part} 2>/dev/null)\" = {1 << 20} ]; do sleep 1; done", timeout=300)
        # Past the kernel's writeback of dirty pages (30 s): what a power cut a while into a
        # stalled transfer finds on the disk.
        m.run("sleep 40", timeout=60)
        m.kill()

        # Logged in at the first prompt, setup at once, as a person does: the boot is still
        # starting its services (the network, k3s's own service ahead); setup waits for it
        # rather than start k3s twice, and is done only with k3s under its supervisor.
        m = machine(disks=[installed_disk], tls_port=server.port, log_name="after-the-cut")
        assert m.expect_boot_of_slot(120) == "a"
        m.login(helpers.BOOT)
        out = m.sudo("maculaos setup --unattended 2>&1", timeout=900)
        assert f"resuming {part} at byte {1 << 20}" in out and "k3s answers" in out, out
        assert server.requests_for(k3s_path)[-1] == f"bytes={1 << 20}-"
        assert "status: started" in m.sudo("rc-service k3s status")
        assert "     k3s: running (k3s version" in m.run("maculaos sysinfo")
        m.assert_no_failed_services()  # k3s's among them: not started a second time by the boot

        m.sudo("sync; poweroff", check=False)
        m.wait_exit(SHUTDOWN)
        m = machine(disks=[installed_disk], tls_port=server.port, log_name="configured")
        assert m.expect_boot_of_slot(120) == "a"
        m.login(helpers.BOOT)
        m.wait_for_service("k3s")
        m.sudo("for i in $(seq 120); do kubectl get --raw=/readyz 2>/dev/null && break; sleep 1; done", timeout=180)
        assert m.sudo("kubectl get --raw=/readyz") == "ok"
        assert "status: started" in m.sudo("rc-service k3s status")
        m.sudo("test -e /var/lib/maculaos/.configured")
