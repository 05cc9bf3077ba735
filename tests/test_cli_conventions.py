"""The command line's conventions, held for every command of the built binary's table: --version,
hidden internal commands, bash completion and man pages made from the table, --json that is
JSON, and the one-line refusal of a command that needs root."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

from exit_codes import documented_exit_statuses

VERSION = (pathlib.Path(__file__).resolve().parent.parent / "VERSION").read_text().split()[0]
# Every command takes these; the usage texts need not name them.
UNIVERSAL = {"--help", "-h", "--version"}


def run(*args, **kw):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60, **kw)


def listed(maculaos_bin):
    listing = run(maculaos_bin, "--help")
    assert listing.returncode == 0, listing.stderr
    return re.findall(r"^  (\S+)", listing.stdout, re.M)


def table(maculaos_bin):
    """The commands of the table a person is offered (the list names `completion`, which is the
    dispatcher's own)."""
    return [name for name in listed(maculaos_bin) if name != "completion"]


def completion_cases(maculaos_bin):
    """NAME -> (its subcommands, its options) from `maculaos completion bash`."""
    script = run(maculaos_bin, "completion", "bash")
    assert script.returncode == 0, script.stderr
    cases = re.findall(r"^    ([\w-]+)\) commands='([^']*)' options='([^']*)'", script.stdout, re.M)
    return {name: (set(commands.split()), set(options.split())) for name, commands, options in cases}


def usage_options(usage):
    """The options a usage text names: --long words and -s letters standing alone."""
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-z])(?![\w-])", usage))


def test_version_on_every_name(maculaos_bin, tmp_path):
    expected = f"maculaos {VERSION}\n"
    r = run(maculaos_bin, "--version")
    assert (r.returncode, r.stdout) == (0, expected), r.stderr
    for name in table(maculaos_bin):
        r = run(maculaos_bin, name, "--version")
        assert (r.returncode, r.stdout) == (0, expected), (name, r.stderr)
    link = tmp_path / "macula-install"
    link.symlink_to(maculaos_bin)
    r = run(link, "--version")
    assert (r.returncode, r.stdout) == (0, expected), r.stderr


def test_internal_commands_are_hidden_but_run(maculaos_bin):
    names = listed(maculaos_bin)
    assert "init" not in names and "pairing" not in names, names
    assert "upgrade" in names and "macula-install" in names and "completion" in names, names
    for hidden in ("init", "pairing"):
        r = run(maculaos_bin, hidden, "--help")
        assert r.returncode == 0 and r.stdout.startswith("usage:"), (hidden, r.stderr)
    r = run(maculaos_bin, "frobnicate")
    assert "pairing" not in r.stderr and "init" not in r.stderr, r.stderr


def test_completion_knows_every_option_its_usage_names(maculaos_bin):
    """The options table each applet parses with is what completion offers: its usage text must
    name each of them, and name no other, or the two have drifted apart."""
    cases = completion_cases(maculaos_bin)
    assert set(cases) == set(table(maculaos_bin)), cases.keys()
    for name, (_, options) in cases.items():
        usage = run(maculaos_bin, name, "--help").stdout
        assert usage_options(usage) - UNIVERSAL == options - UNIVERSAL, name
    assert cases["config"][0] >= {"show", "get", "apply", "status", "validate"}
    assert cases["boot"][0] >= {"status", "mark-good", "assess"}


def completed(maculaos_bin, *words):
    script = run(maculaos_bin, "completion", "bash").stdout
    array = " ".join(f"'{w}'" for w in words)
    r = run("bash", "--norc", "-c", f"{script}\nCOMP_WORDS=({array})\nCOMP_CWORD={len(words) - 1}\n"
                                    '_maculaos\necho "${COMPREPLY[*]}"')
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


def test_completion_in_bash(maculaos_bin):
    assert "upgrade" in completed(maculaos_bin, "maculaos", "up")
    assert "init" not in completed(maculaos_bin, "maculaos", "")
    assert set(completed(maculaos_bin, "maculaos", "upgrade", "--ch")) == {"--check"}
    assert set(completed(maculaos_bin, "maculaos", "config", "")) >= {"show", "status"}
    assert "--encrypt" in completed(maculaos_bin, "macula-install", "--en")


def test_man_pages(maculaos_bin, tmp_path):
    man8 = tmp_path / "man8"
    r = run(maculaos_bin, "help", "--man-dir", man8)
    assert r.returncode == 0, r.stderr
    pages = {p.name for p in man8.iterdir()}
    expected = {"maculaos.8", "macula-install.8"} | {
        f"maculaos-{n}.8" for n in table(maculaos_bin) if n != "macula-install"}
    assert pages == expected
    upgrade = (man8 / "maculaos-upgrade.8").read_text()
    assert upgrade.startswith(".TH MACULAOS-UPGRADE 8 ")
    assert "--allow-downgrade" in upgrade
    assert r"\-\-" not in upgrade  # the usage text as written, not re-typeset
    if shutil.which("groff"):
        for page in man8.iterdir():
            checked = run("groff", "-man", "-T", "utf8", "-w", "all", "-z", page)
            assert checked.returncode == 0 and not checked.stderr, (page.name, checked.stderr)
        shown = run("groff", "-man", "-T", "utf8", man8 / "maculaos-upgrade.8")
        assert "--check" in re.sub(r".\x08", "", shown.stdout)


def test_json_outputs_parse(maculaos_bin):
    versions = run(maculaos_bin, "version", "--json")
    assert versions.returncode == 0, versions.stderr
    assert json.loads(versions.stdout)["maculaos"] == VERSION
    facts = run(maculaos_bin, "sysinfo", "--json")
    assert facts.returncode == 0, facts.stderr
    parsed = json.loads(facts.stdout)
    assert {"os", "hostname", "kernel", "uptime_seconds", "memory", "disk", "addresses", "k3s"} <= parsed.keys()
    assert parsed["memory"]["total_bytes"] > 0 and parsed["kernel"] == os.uname().release


def test_json_is_honoured_or_refused(maculaos_bin, tmp_path):
    # --json where nothing reports: a usage error, not ignored
    r = run(maculaos_bin, "upgrade", "--rollback", "--json")
    assert r.returncode == documented_exit_statuses()["usage"], r.stderr
    assert "--json" in r.stderr
    # --check --json that fails: the error as JSON on stdout, nothing else there
    r = run(maculaos_bin, "upgrade", "--check", "--json", "--from", tmp_path / "nowhere")
    assert r.returncode != 0
    assert "error" in json.loads(r.stdout), r.stdout


def test_check_without_release_source_says_so(maculaos_bin, tmp_path):
    """As root, on a system whose config sets no source (the live ISO's case): the message says
    which key is missing and where to set it, never that root must sudo."""
    if os.geteuid() != 0:
        pytest.skip("needs root: the check reads the node config as root would")
    r = run(maculaos_bin, "upgrade", "--check")
    if "maculaos.upgrade.url=" in pathlib.Path("/proc/cmdline").read_text():
        pytest.skip("this host's kernel command line sets a release source")
    assert r.returncode == documented_exit_statuses()["not_found"], r.stderr
    assert "sets no maculaos.upgrade.url" in r.stderr and "--from" in r.stderr, r.stderr
    assert "sudo" not in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.fixture
def as_nobody(maculaos_bin):
    """Runs the binary as nobody (a copy nobody can read); root is needed to drop to it."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as another user")
    with tempfile.TemporaryDirectory() as scratch:
        os.chmod(scratch, 0o755)
        copy = pathlib.Path(scratch) / "maculaos"
        shutil.copy(maculaos_bin, copy)
        (pathlib.Path(scratch) / "macula-install").symlink_to("maculaos")

        def run_as_nobody(name, *args):
            return run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", pathlib.Path(scratch) / name, *args,
                       cwd=scratch)
        yield run_as_nobody


def test_root_is_asked_for_in_one_line_first(as_nobody):
    permission = documented_exit_statuses()["permission"]
    for name, args, command in (("maculaos", ["upgrade", "--apply", "--from", "/nowhere"], "maculaos upgrade"),
                                ("maculaos", ["boot", "mark-good", "a"], "maculaos boot"),
                                ("maculaos", ["setup", "--unattended"], "maculaos setup"),
                                ("macula-install", ["--yes", "/dev/null"], "macula-install")):
        r = as_nobody(name, *args)
        assert r.returncode == permission, (args, r.stderr)
        assert r.stderr == f"{command}: run it with sudo (it needs root)\n"
        assert r.stdout == ""
    # what any user may do is not refused
    r = as_nobody("maculaos", "upgrade", "--status")
    assert "run it with sudo" not in r.stderr
    r = as_nobody("maculaos", "version")
    assert r.returncode == 0, r.stderr
