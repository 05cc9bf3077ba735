"""The macula-mdns-name service's loop (rootfs/overlay/usr/libexec/maculaos/keep-mdns-name)
against a LAN where another host answers for the node's name: avahi is asked for the name back
three times, restarted each time, and then the name is left to the other host: no restart loop.

TEST FIXTURES: avahi-set-host-name, avahi-daemon, hostname and sleep are stand-ins on PATH that
record their calls; `sleep` ends the loop after a given number of checks. The script runs as
installed, with its names file at the test's path."""
import os
import pathlib
import subprocess

SCRIPT = pathlib.Path(__file__).parent.parent / "rootfs/overlay/usr/libexec/maculaos/keep-mdns-name"


def fake(bin_dir, name, body):
    path = bin_dir / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def run_loop(tmp_path, checks, set_succeeds):
    """Runs the loop for `checks` checks; avahi-set-host-name succeeds (the name was avahi's
    alternative, i.e. taken from us) when set_succeeds(check number) says so."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    log = tmp_path / "mdns-name.log"
    names = tmp_path / "names.sh"
    names.write_text(f"MACULA_MDNS_NAME_LOG={log}\n")
    answers = " ".join("0" if set_succeeds(i) else "1" for i in range(1, checks + 1))
    fake(bin_dir, "hostname", "echo macula-123456")
    fake(bin_dir, "sleep", f'[ "$1" = 1 ] && exit 0\necho "sleep $1" >> {calls}\n'
                           f'[ $(grep -c "^sleep" {calls}) -le {checks} ]')
    fake(bin_dir, "avahi-set-host-name", f'echo "set $1" >> {calls}\n'
                                         f'n=$(grep -c "^set" {calls})\n'
                                         f'set -- {answers}\nshift $((n - 1))\nexit $1')
    fake(bin_dir, "avahi-daemon", f'[ "$1" = --check ] && exit 1\necho "avahi-daemon $1" >> {calls}')
    script = tmp_path / "keep-mdns-name"
    script.write_text(SCRIPT.read_text().replace("/usr/lib/maculaos/names.sh", str(names)))
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    subprocess.run(["sh", str(script)], env=env, check=True, timeout=60)
    return calls.read_text().splitlines(), log.read_text()


def test_a_name_another_host_holds_is_left_to_it_after_three_reclaims(tmp_path):
    calls, log = run_loop(tmp_path, checks=10, set_succeeds=lambda i: True)
    assert calls.count("avahi-daemon --daemonize") == 3, calls
    assert calls.count("set macula-123456") == 4, calls  # three reclaims, then the one that gives up
    assert log.count("reclaimed") == 3 and log.count("is another host's too: left to it") == 1, log


def test_a_name_avahi_keeps_after_a_reclaim_is_reclaimed_again_later(tmp_path):
    # the probe echo of an address change: one reclaim, then avahi keeps the name
    calls, log = run_loop(tmp_path, checks=8, set_succeeds=lambda i: i in (2, 5, 8))
    assert calls.count("avahi-daemon --daemonize") == 3, calls
    assert log.count("reclaimed") == 3 and "left to it" not in log, log
