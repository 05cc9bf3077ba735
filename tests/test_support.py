"""`maculaos support`: a bundle of a node (a scratch root here) with its facts and none of the
token, key and passwords planted in its config, its logs and its state."""
import io
import os
import subprocess
import tarfile

TOKEN = "K10" + "c" * 64 + "::server:planted-token-secret"
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nplantedKeyBody0123\n-----END OPENSSH PRIVATE KEY-----\n"
SECRETS = ["planted-token-secret", "plantedKeyBody0123", "planted-password-9", "plantedHash",
           "opaque-state-token-0815", "opaque-credential-4711"]


def plant(root, path, text):
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def test_the_bundle_holds_the_node_facts_and_no_secret(maculaos_bin, tmp_path):
    root = tmp_path / "node"
    plant(root, "/var/lib/maculaos/config.yaml",
          f"hostname: edge-7\nmaculaos:\n  token: {TOKEN}\n  password: \"$6$salt$plantedHash\"\n")
    # the state's secret files: never read, so even what no pattern recognises is not in the bundle
    plant(root, "/var/lib/maculaos/k3s-token", "opaque-state-token-0815\n")
    plant(root, "/var/lib/maculaos/credentials/portal.json", '{"c": "opaque-credential-4711"}\n')
    plant(root, "/var/lib/maculaos/identity/node.key", KEY)
    plant(root, "/var/log/k3s.log",
          f"time=1 msg=\"a visible line\"\ntime=2 msg=\"joining with {TOKEN}\"\n{KEY}"
          "time=3 msg=\"login\" password=planted-password-9\n")
    plant(root, "/run/macula/boot.json",
          '{"version": "0.1.0", "mode": "live", "timings_ms": {"init_started": 900, "modules": 40, "init_total": 40}}\n')
    out = tmp_path / "bundle.tar.zst"
    r = subprocess.run([str(maculaos_bin), "support", "-o", str(out), "--root", str(root)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.stat().st_mode & 0o777 == 0o600
    raw = subprocess.run(["zstd", "-d", "-c", str(out)], capture_output=True, check=True).stdout
    for secret in SECRETS:
        assert secret.encode() not in raw, secret
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        files = {m.name.split("/", 1)[1]: tar.extractfile(m).read().decode() for m in tar.getmembers()}
    for name in ("boot.json", "boot-timeline.txt", "config.yaml", "boot-status.json", "version.txt",
                 "dmesg.txt", "lsblk.txt", "partitions.txt", "mountinfo.txt", "cmdline.txt", "logs/k3s.log"):
        assert name in files, (name, sorted(files))
    assert "hostname: \"edge-7\"" in files["config.yaml"]
    assert "live boot" in files["boot-timeline.txt"]
    assert "a visible line" in files["logs/k3s.log"] and "<hidden>" in files["logs/k3s.log"]
    assert files["version.txt"].startswith("maculaos")
