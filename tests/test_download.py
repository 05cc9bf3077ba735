"""The downloader (`maculaos fetch`) and release verification (`maculaos upgrade --check`)
against a local server that drops connections, stalls, ignores ranges and serves wrong bytes."""
import hashlib
import json
import os
import pathlib
import socket
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from exit_codes import documented_exit_statuses  # noqa: E402
from flaky_http import FlakyHTTPServer  # noqa: E402
from tls_fixture import server_context  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parent.parent
SIZE = 3 * 1024 * 1024 + 12345
STATUS = documented_exit_statuses()
NOT_FOUND, VERIFICATION, NETWORK = STATUS["not_found"], STATUS["verification"], STATUS["network"]


def run(binary, *args, timeout=120):
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def server(tmp_path):
    with FlakyHTTPServer(tmp_path / "www") as s:
        yield s


@pytest.fixture
def payload(server):
    data = os.urandom(SIZE)
    (server.root / "blob").write_bytes(data)
    return data


def fetch(binary, server, out, *extra):
    return run(binary, "fetch", f"{server.url}/blob", "-o", out, *extra)


def sha(data):
    return hashlib.sha256(data).hexdigest()


def resumed_from(range_header):
    """The first byte a `Range: bytes=N-` asked for."""
    assert range_header and range_header.startswith("bytes=") and range_header.endswith("-"), range_header
    return int(range_header[len("bytes="):-1])


def publish(server, name, data):
    """A new version of a file, put in place the way a publisher does (written, then renamed)."""
    new = server.root / f"{name}.new"
    new.write_bytes(data)
    os.replace(new, server.root / name)


def last_line(stderr):
    """The error, after any progress and retry lines."""
    return stderr.strip().splitlines()[-1]


def test_resumes_a_dropped_connection(maculaos_bin, server, payload, tmp_path):
    server.drop_after("/blob", 1 << 20)
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload
    # The server resets the connection after 1 MiB: what was still in flight is lost, so the
    # resumed request starts at what really arrived, somewhere up to there.
    first, resumed = server.requests_for("/blob")
    assert first is None and 0 < resumed_from(resumed) <= 1 << 20
    assert f"retrying from byte {resumed_from(resumed)}" in r.stderr
    # Only the version the first bytes came from may continue them.
    etag, _ = server.validators("/blob")
    assert server.headers_for("/blob", "If-Range") == [None, etag]


def test_stall_times_out_and_resumes(maculaos_bin, server, payload, tmp_path):
    server.stall_after("/blob", 100_000, 30)
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--stall-timeout", 2, "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload
    first, resumed = server.requests_for("/blob")
    assert first is None and resumed_from(resumed) == 100_000  # a stall loses nothing in flight


def test_server_ignoring_range_still_yields_the_right_bytes(maculaos_bin, server, payload, tmp_path):
    server.drop_after("/blob", 500_000)
    server.ignore_range("/blob", times=2)  # the retry's Range is ignored: 200, whole file
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload


def test_wrong_bytes_are_refused_and_not_kept(maculaos_bin, server, payload, tmp_path):
    server.corrupt("/blob", 5000)
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))
    assert r.returncode == VERIFICATION
    error = r.stderr.strip().splitlines()[-1]  # after the progress lines: one line saying why
    assert error.startswith(f"fetch: {server.url}/blob: SHA-256 ") and f"differs from the expected {sha(payload)}" in error
    assert not out.exists() and not (tmp_path / "blob.part").exists()


def test_5xx_is_retried_and_404_is_not(maculaos_bin, server, payload, tmp_path):
    server.status("/blob", 503)
    r = fetch(maculaos_bin, server, tmp_path / "a", "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a").read_bytes() == payload
    r = run(maculaos_bin, "fetch", f"{server.url}/missing", "-o", tmp_path / "b", "--sha256", sha(b""))
    assert r.returncode == NOT_FOUND and "404" in r.stderr, r.stderr
    assert len(server.requests_for("/missing")) == 1


def test_gives_up_after_bounded_retries_and_resumes_next_run(maculaos_bin, server, payload, tmp_path):
    server.drop_after("/blob", 300_000, times=None)  # the server keeps cutting every attempt
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--retries", 2, "--sha256", sha(payload))
    assert r.returncode == NETWORK
    assert "after 3 attempts" in r.stderr, r.stderr
    assert len(server.requests_for("/blob")) == 3
    assert not out.exists()
    held = (tmp_path / "blob.part").stat().st_size
    ranges = server.requests_for("/blob")
    assert ranges[0] is None and 0 < resumed_from(ranges[1]) <= resumed_from(ranges[2]) <= held
    etag, _ = server.validators("/blob")
    source = tmp_path / "blob.part.source"
    assert source.read_text() == f"{server.url}/blob\n{etag}\n"
    server.clear("/blob")
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))  # the next run resumes the .part
    assert r.returncode == 0, r.stderr
    assert server.requests_for("/blob")[-1] == f"bytes={held}-"
    assert server.headers_for("/blob", "If-Range")[-1] == etag
    assert out.read_bytes() == payload
    assert not source.exists()


def test_a_part_that_holds_every_byte_is_completed_not_fetched_again(maculaos_bin, server, payload, tmp_path):
    """A run stopped after the last byte arrived and before the file was completed (a power cut
    while it was hashed): the server answers the resume with 416 and the size, which is the
    size held. The next run completes the file from what it holds."""
    out = tmp_path / "blob"
    (tmp_path / "blob.part").write_bytes(payload)
    etag, _ = server.validators("/blob")
    (tmp_path / "blob.part.source").write_text(f"{server.url}/blob\n{etag}\n")
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert server.requests_for("/blob") == [f"bytes={SIZE}-"]
    assert out.read_bytes() == payload and not (tmp_path / "blob.part").exists()
    assert f": {SIZE} bytes to {out} (0 received in this run)" in r.stdout, r.stdout


def test_resume_names_the_version_by_last_modified_without_an_etag(maculaos_bin, server, payload, tmp_path):
    server.omit_headers("/blob", ["ETag"], times=None)
    server.drop_after("/blob", 1 << 20)
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload
    _, last_modified = server.validators("/blob")
    assert server.headers_for("/blob", "If-Range") == [None, last_modified]


def test_a_file_changed_between_retries_is_refused(maculaos_bin, server, payload, tmp_path):
    server.drop_after("/blob", 1 << 20)
    etag, _ = server.validators("/blob")
    out = tmp_path / "blob"
    url = f"{server.url}/blob"
    with subprocess.Popen([maculaos_bin, "fetch", url, "-o", out, "--sha256", sha(payload)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        stderr = ""
        for line in proc.stderr:
            stderr += line
            if "retrying" in line:  # the first attempt was cut; the retry is a second away
                publish(server, "blob", os.urandom(SIZE))
        assert proc.wait(timeout=120) == NETWORK, stderr
    error = last_line(stderr)
    assert error.startswith(f"fetch: download {url}: changed on the server during the download: "), stderr
    assert f"are of version {etag}, the server now has {server.validators('/blob')[0]}" in error
    assert server.headers_for("/blob", "If-Range") == [None, etag]  # asked for, and not retried
    assert not out.exists() and not (tmp_path / "blob.part").exists()
    assert not (tmp_path / "blob.part.source").exists()


def test_a_file_changed_between_runs_is_refused_then_fetched_anew(maculaos_bin, server, payload, tmp_path):
    server.drop_after("/blob", 1 << 20)
    etag, _ = server.validators("/blob")
    out, part = tmp_path / "blob", tmp_path / "blob.part"
    r = fetch(maculaos_bin, server, out, "--retries", 0, "--sha256", sha(payload))
    assert r.returncode == NETWORK and part.stat().st_size > 0, r.stderr
    held = part.stat().st_size
    new = os.urandom(SIZE)
    publish(server, "blob", new)
    r = fetch(maculaos_bin, server, out, "--sha256", sha(new))
    assert r.returncode == NETWORK
    assert last_line(r.stderr).startswith(
        f"fetch: download {server.url}/blob: changed on the server during the download: the {held} bytes held "
        f"are of version {etag}, the server now has "), r.stderr
    assert server.requests_for("/blob")[1:] == [f"bytes={held}-"]
    assert server.headers_for("/blob", "If-Range")[1:] == [etag]
    # The old version's bytes are gone: the next run starts over, with the new version.
    assert not part.exists() and not (tmp_path / "blob.part.source").exists()
    r = fetch(maculaos_bin, server, out, "--sha256", sha(new))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == new and server.requests_for("/blob")[-1] is None


def test_a_range_from_another_byte_is_refused(maculaos_bin, server, payload, tmp_path):
    server.drop_after("/blob", 1 << 20)
    server.shift_range("/blob", 1000, times=None)
    r = fetch(maculaos_bin, server, tmp_path / "blob", "--sha256", sha(payload))
    assert r.returncode == NETWORK
    first, resumed = server.requests_for("/blob")  # not retried
    at = resumed_from(resumed)
    assert last_line(r.stderr) == (
        f"fetch: download {server.url}/blob: a resume from byte {at} got Content-Range "
        f"'bytes {at + 1000}-{SIZE - 1}/{SIZE}', expected one starting at byte {at}"), r.stderr
    assert not (tmp_path / "blob").exists()


def test_a_version_the_server_does_not_name_is_not_resumed(maculaos_bin, server, payload, tmp_path):
    server.omit_headers("/blob", ["ETag", "Last-Modified"], times=None)
    server.drop_after("/blob", 1 << 20)
    r = fetch(maculaos_bin, server, tmp_path / "blob", "--sha256", sha(payload))
    assert r.returncode == NETWORK
    error = last_line(r.stderr)
    assert error.startswith(f"fetch: download {server.url}/blob: "), r.stderr
    assert error.endswith(": the server named no version (ETag or Last-Modified) of what it sent"), r.stderr
    assert "cannot resume from byte " in error and len(server.requests_for("/blob")) == 1
    assert list(tmp_path.iterdir()) == [server.root]  # no .part that nothing could vouch for


@pytest.mark.parametrize("source", ["none", "other_url"])
def test_a_part_not_left_by_this_url_is_started_over(maculaos_bin, server, payload, tmp_path, source):
    part = tmp_path / "blob.part"
    part.write_bytes(os.urandom(100_000))
    if source == "other_url":
        (tmp_path / "blob.part.source").write_text(f"{server.url}/other\n\"1-2\"\n")
    out = tmp_path / "blob"
    r = fetch(maculaos_bin, server, out, "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    why = {"none": f"no {part}.source names the URL and version of its bytes",
           "other_url": f"it holds bytes of {server.url}/other, not of {server.url}/blob"}[source]
    assert r.stderr.startswith(f"fetch: starting {part} over: {why}\n"), r.stderr
    assert server.requests_for("/blob") == [None]
    assert out.read_bytes() == payload and not (tmp_path / "blob.part.source").exists()


def test_a_symlinked_part_is_refused(maculaos_bin, server, payload, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not yours")
    part = tmp_path / "blob.part"
    part.symlink_to(target)
    r = fetch(maculaos_bin, server, tmp_path / "blob", "--sha256", sha(payload))
    assert r.returncode == 1
    assert r.stderr == f"fetch: {part} is a symbolic link: refusing to write through it\n"
    assert target.read_bytes() == b"not yours" and part.is_symlink()
    assert server.requests == [] and not (tmp_path / "blob").exists()


def test_a_part_of_another_user_is_refused(maculaos_bin, server, payload, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    part = tmp_path / "blob.part"
    part.write_bytes(b"theirs")
    os.chown(part, 65534, 65534)
    r = fetch(maculaos_bin, server, tmp_path / "blob", "--sha256", sha(payload))
    assert r.returncode == 1
    assert r.stderr == (f"fetch: {part} belongs to uid 65534, not to this user (uid 0): "
                        "refusing to resume or overwrite it\n")
    assert part.read_bytes() == b"theirs" and part.stat().st_uid == 65534
    assert server.requests == [] and not (tmp_path / "blob").exists()


def test_plain_http_without_a_hash_is_refused(maculaos_bin, server, payload, tmp_path):
    r = fetch(maculaos_bin, server, tmp_path / "blob")
    assert r.returncode == 2 and not (tmp_path / "blob").exists()
    assert r.stderr == f"fetch: {server.url}/blob: plain http is not verified: use https, or give --sha256 HEX\n"
    assert server.requests_for("/blob") == []


def test_zstd_is_decompressed_on_the_way(maculaos_bin, server, payload, tmp_path):
    subprocess.run(["zstd", "-q", "-3", str(server.root / "blob"), "-o", str(server.root / "blob.zst")], check=True)
    server.drop_after("/blob.zst", 1 << 20)
    out = tmp_path / "blob"
    r = run(maculaos_bin, "fetch", f"{server.url}/blob.zst", "-o", out, "--zstd", "--sha256", sha(payload))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload
    truncated = server.root / "cut.zst"
    truncated.write_bytes((server.root / "blob.zst").read_bytes()[:100_000])
    r = run(maculaos_bin, "fetch", f"{server.url}/cut.zst", "-o", tmp_path / "cut", "--zstd", "--sha256", sha(payload))
    assert r.returncode == VERIFICATION and "truncated" in r.stderr, r.stderr


def test_https_is_never_redirected_to_plain_http(maculaos_bin, server, payload, tls_ca, tmp_path):
    tls = server_context(tls_ca)
    with FlakyHTTPServer(tmp_path / "tls", ssl_context=tls) as https:
        (https.root / "blob").write_bytes(payload)
        out = tmp_path / "blob"
        https.redirect("/blob", f"{server.url}/blob")
        r = run(maculaos_bin, "fetch", f"{https.url}/blob", "-o", out, "--ca", tls_ca / "ca.pem")
        assert r.returncode == NETWORK
        assert r.stderr == (f"fetch: download {https.url}/blob: redirected to {server.url}/blob, but this "
                            "download follows redirects to https only (curl error 1)\n")
        assert server.requests == [] and not out.exists() and not (tmp_path / "blob.part").exists()
        https.redirect("/blob", f"{https.url}/blob")  # https to https is followed
        r = run(maculaos_bin, "fetch", f"{https.url}/blob", "-o", out, "--ca", tls_ca / "ca.pem")
        assert r.returncode == 0, r.stderr
        assert out.read_bytes() == payload


# Releases: signed manifests, checked before anything else is read.

def make_key(directory, name):
    directory.mkdir(parents=True, exist_ok=True)
    key = directory / f"{name}.key"
    subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key], check=True)
    subprocess.run(["openssl", "ec", "-in", key, "-pubout", "-out", directory / f"{name}.pem"],
                   check=True, capture_output=True)
    return key


def make_release(out, key, tmp_path, version="9.9.9"):
    inputs = {}
    for name in ("vmlinuz", "initrd", "rootfs"):
        inputs[name] = tmp_path / f"in-{name}"
        inputs[name].write_bytes(os.urandom(4096))
    subprocess.run([REPO / "release/make-release.sh", "--version", version, "--channel", "stable",
                    "--key", key, "--kernel", inputs["vmlinuz"], "--initrd", inputs["initrd"],
                    "--rootfs", inputs["rootfs"], out], check=True, capture_output=True)
    return out


def test_a_release_carries_its_manifest_under_the_names_of_a_github_release_too(tmp_path):
    key = make_key(tmp_path / "keys", "release")
    release = make_release(tmp_path / "release", key, tmp_path)
    for suffix in ("", ".sig"):
        assert (release / f"manifest-amd64.json{suffix}").read_bytes() == (release / f"manifest.json{suffix}").read_bytes()
    inputs = [a for name in ("vmlinuz", "initrd", "rootfs") for a in (f"--{name.replace('vmlinuz', 'kernel')}", tmp_path / f"in-{name}")]
    common = [REPO / "release/make-release.sh", "--version", "9.9.9", "--channel", "stable", "--key", key, *inputs]
    subprocess.run([*common, "--arch", "arm64", tmp_path / "arm"], check=True, capture_output=True)
    assert sorted(p.name for p in (tmp_path / "arm").glob("manifest*")) == \
        ["manifest-arm64.json", "manifest-arm64.json.sig", "manifest.json", "manifest.json.sig"]
    r = subprocess.run([*common, "--arch", "sparc", tmp_path / "sparc"], capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr == "make-release: --arch: 'sparc': expected amd64 or arm64\n", r.stderr
    assert not (tmp_path / "sparc").exists()


def test_a_release_carries_the_k3s_its_image_pins_when_given_one(tmp_path):
    key = make_key(tmp_path / "keys", "release")
    make_release(tmp_path / "plain", key, tmp_path)
    k3s = tmp_path / "k3s-io/k3s/releases/download/v1.31.5+k3s1"  # a TEST FIXTURE k3s release
    k3s.mkdir(parents=True)
    (k3s / "k3s").write_bytes(b"fixture k3s binary\n")
    (k3s / "sha256sum-amd64.txt").write_text(f"{hashlib.sha256(b'fixture k3s binary' + bytes([10])).hexdigest()}  k3s\n")
    inputs = [a for name in ("vmlinuz", "initrd", "rootfs") for a in (f"--{name.replace('vmlinuz', 'kernel')}", tmp_path / f"in-{name}")]
    common = [REPO / "release/make-release.sh", "--version", "9.9.9", "--channel", "stable", "--key", key, *inputs]
    subprocess.run([*common, "--k3s", k3s, tmp_path / "release"], check=True, capture_output=True)
    manifest = json.loads((tmp_path / "release/manifest.json").read_text())
    assert manifest["k3s"]["version"] == "v1.31.5+k3s1"
    for entry, name in zip(manifest["k3s"]["files"], ["k3s", "sha256sum-amd64.txt"], strict=True):
        data = (k3s / name).read_bytes()
        assert (entry["name"], entry["url"], entry["size"]) == (name, f"k3s/{name}.zst", len(data))
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert subprocess.run(["zstd", "-dc", tmp_path / "release" / entry["url"]], capture_output=True).stdout == data
    assert "k3s" not in json.loads((tmp_path / "plain/manifest.json").read_text())
    r = subprocess.run([*common, "--arch", "arm64", "--k3s", k3s, tmp_path / "arm"], capture_output=True, text=True)
    assert r.returncode == 1 and r.stderr == (f"make-release: --k3s: {k3s}/k3s-arm64: no such readable file "
                                              "(k3s's arm64 release has it)\n"), r.stderr
    assert not (tmp_path / "arm").exists()


def test_release_check_verifies_the_signature_first(maculaos_bin, server, tmp_path):
    keys = tmp_path / "keys"
    good = make_key(keys, "release")
    other = make_key(tmp_path / "other", "stranger")
    release = make_release(server.root / "stable", good, tmp_path)

    r = run(maculaos_bin, "upgrade", "--check", "--from", f"{server.url}/stable", "--keys", keys)
    assert r.returncode == 0, r.stderr
    assert "available: 9.9.9" in r.stdout and "signed by release.pem" in r.stdout, r.stdout
    r = run(maculaos_bin, "upgrade", "--check", "--from", release, "--keys", keys)  # a directory
    assert r.returncode == 0, r.stderr

    forged = make_release(tmp_path / "forged", other, tmp_path)
    r = run(maculaos_bin, "upgrade", "--check", "--from", forged / "manifest.json", "--keys", keys)
    assert r.returncode == VERIFICATION and "is not signed by a trusted key" in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr

    manifest = release / "manifest.json"
    manifest.write_text(manifest.read_text().replace("9.9.9", "9.9.10"))  # tampered after signing
    r = run(maculaos_bin, "upgrade", "--check", "--from", release, "--keys", keys)
    assert r.returncode == VERIFICATION and "is not signed by a trusted key" in r.stderr, r.stderr

    (release / "manifest.json.sig").unlink()
    r = run(maculaos_bin, "upgrade", "--check", "--from", f"{server.url}/stable", "--keys", keys)
    assert r.returncode == NOT_FOUND and "release signature" in r.stderr and "404" in r.stderr, r.stderr


def test_release_over_https_is_verified_against_the_given_ca(maculaos_bin, https_server, tls_ca, tmp_path):
    base, www = https_server
    keys = tmp_path / "keys"
    make_release(www / "https-stable", make_key(keys, "release"), tmp_path)
    source = f"{base}/https-stable"
    r = run(maculaos_bin, "upgrade", "--check", "--from", source, "--keys", keys, "--ca", tls_ca / "ca.pem")
    assert r.returncode == 0 and "available: 9.9.9" in r.stdout, r.stderr
    # The same server without its CA: refused before any byte of the manifest is believed.
    r = run(maculaos_bin, "upgrade", "--check", "--from", source, "--keys", keys)
    assert r.returncode == NETWORK and "curl error 60" in r.stderr and "available" not in r.stdout, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_an_unreachable_server_and_a_forged_release_exit_with_different_statuses(maculaos_bin, server, tmp_path):
    """A script tells a network that is down from a release not to be trusted by the exit status
    alone (docs/exit-codes.md), and with --json from what stdout says."""
    with socket.socket() as s:  # a port that nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = run(maculaos_bin, "fetch", f"http://127.0.0.1:{port}/blob", "-o", tmp_path / "blob",
            "--sha256", sha(b""), "--retries", 0)
    assert r.returncode == NETWORK and "curl error 7" in r.stderr, r.stderr

    keys = tmp_path / "keys"
    make_key(keys, "release")
    make_release(server.root / "stable", make_key(tmp_path / "other", "stranger"), tmp_path)
    r = run(maculaos_bin, "upgrade", "--check", "--from", f"{server.url}/stable", "--keys", keys, "--json")
    assert r.returncode == VERIFICATION, r.stderr
    assert json.loads(r.stdout) == {"error": {"kind": "verification", "message": last_line(r.stderr), "errno": 0}}
    assert last_line(r.stderr).startswith("upgrade: ") and "is not signed by a trusted key" in r.stderr, r.stderr
    assert NETWORK != VERIFICATION
