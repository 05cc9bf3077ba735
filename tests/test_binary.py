"""System tests of the built multi-call binary: static, self-contained, TLS through mbedTLS."""
import os
import re
import shutil
import subprocess

from exit_codes import documented_exit_statuses


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, **kw)


def commands(maculaos_bin):
    listing = run(maculaos_bin, "--help")
    assert listing.returncode == 0, listing.stderr
    names = re.findall(r"^  (\S+)", listing.stdout, re.M)
    assert "version" in names and "fetch" in names, listing.stdout
    return names


def test_static_elf(maculaos_bin):
    headers = run("readelf", "-lW", maculaos_bin)
    assert headers.returncode == 0, headers.stderr
    assert "INTERP" not in headers.stdout, "the binary asks for a dynamic loader"
    assert "statically linked" in run("file", "-L", maculaos_bin).stdout


def test_help_on_every_name(maculaos_bin, tmp_path):
    for name in commands(maculaos_bin):
        as_command = run(maculaos_bin, name, "--help")
        assert as_command.returncode == 0, (name, as_command.stderr)
        assert as_command.stdout.startswith("usage:"), (name, as_command.stdout)
        # Under its own name (a symlink, as in the initramfs), --help is understood too.
        link = tmp_path / name
        link.symlink_to(maculaos_bin)
        by_name = run(link, "--help")
        assert by_name.returncode == 0, (name, by_name.stderr)
        assert by_name.stdout.startswith("usage:"), (name, by_name.stdout)


def test_help_gives_the_documented_exit_statuses(maculaos_bin):
    listing = run(maculaos_bin, "--help").stdout
    line = next((l for l in listing.splitlines() if l.startswith("exit status: 0 done, ")), None)
    assert line and line.endswith("(docs/exit-codes.md)"), listing
    told = {kind: int(status) for status, kind in re.findall(r"(\d+) (\w+)", line) if kind != "done"}
    assert told == documented_exit_statuses()


def test_unknown_command_is_one_line(maculaos_bin):
    r = run(maculaos_bin, "frobnicate")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "'frobnicate'" in r.stderr, r.stderr
    assert "version" in r.stderr  # names what was expected


def test_version_in_empty_chroot(maculaos_bin, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(maculaos_bin, root / "maculaos")
    assert os.listdir(root) == ["maculaos"]
    r = run("chroot", root, "/maculaos", "version")
    assert r.returncode == 0, r.stderr
    fields = dict(line.split(None, 1) for line in r.stdout.splitlines())
    for lib in ("maculaos", "libblkid", "libmount", "libcryptsetup", "zstd", "libcurl",
                "libcurl-tls", "mbedtls"):
        assert re.search(r"\d+\.\d+", fields.get(lib, "")), (lib, r.stdout)
    assert fields["libcurl-tls"].startswith("mbedTLS/"), r.stdout


def test_https_fetch_with_explicit_ca(maculaos_bin, https_server, tls_ca, tmp_path):
    base, www = https_server
    payload = os.urandom(3 * 1024 * 1024 + 17)
    (www / "blob").write_bytes(payload)
    out = tmp_path / "blob"
    r = run(maculaos_bin, "fetch", f"{base}/blob", "-o", out, "--ca", tls_ca / "ca.pem")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == payload
    assert not (tmp_path / "blob.part").exists()


def test_https_refused_without_trusted_ca(maculaos_bin, https_server, tmp_path):
    base, www = https_server
    (www / "secret").write_bytes(b"must not arrive")
    out = tmp_path / "secret"
    r = run(maculaos_bin, "fetch", f"{base}/secret", "-o", out)
    assert r.returncode == documented_exit_statuses()["network"]
    assert f"{base}/secret" in r.stderr and "curl error 60" in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1, r.stderr
    assert not out.exists() and not (tmp_path / "secret.part").exists()


def test_http_error_is_refused(maculaos_bin, https_server, tls_ca, tmp_path):
    base, _ = https_server
    out = tmp_path / "missing"
    r = run(maculaos_bin, "fetch", f"{base}/missing", "-o", out, "--ca", tls_ca / "ca.pem")
    assert r.returncode == documented_exit_statuses()["not_found"]
    assert "404" in r.stderr, r.stderr
    assert not out.exists() and not (tmp_path / "missing.part").exists()
