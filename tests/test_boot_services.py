"""The update check (issue 35's auto_check) adds no wait to the boot's path to a login: read from
the image's own recipe, so that a change that puts the check on that path fails here.

OpenRC runs the boot runlevel to its end before the default one starts. The gettys are in boot;
the check's service is in default, and supervise-daemon returns from its start once the daemon
runs, so neither the prompt nor a later service (local, which assesses the boot) waits for the
network or for GitHub. What a login runs (the motd, sysinfo) reads the kept answer, never the
network."""
import pathlib
import re

REPO = pathlib.Path(__file__).resolve().parent.parent
ROOTFS = REPO / "rootfs"
SERVICE = "macula-update-check"


def runlevel_of(service):
    """The runlevel rootfs/customize.sh adds service to."""
    text = (ROOTFS / "customize.sh").read_text().replace("\\\n", " ")
    for services, level in re.findall(r"for svc in ([^;]+); do\s+in_root rc-update add \"\$svc\" (\w+)", text):
        if service in services.split():
            return level
    return None


def test_the_check_runs_in_the_default_runlevel_and_the_gettys_in_boot():
    assert runlevel_of(SERVICE) == "default"
    assert runlevel_of("agetty.ttyS0") == "boot" and runlevel_of("agetty.tty1") == "boot"


def test_the_check_is_a_supervised_daemon_whose_start_returns_at_once():
    script = (ROOTFS / "overlay/etc/init.d" / SERVICE).read_text()
    assert re.search(r"^supervisor=supervise-daemon$", script, re.M), script
    assert re.search(r'^command_args="upgrade --watch"$', script, re.M), script
    assert "command_background" not in script  # supervise-daemon backgrounds it itself


def test_no_service_waits_for_the_check():
    for script in (ROOTFS / "overlay/etc/init.d").iterdir():
        depend = re.search(r"depend\(\) \{(.*?)\}", script.read_text(), re.S)
        if depend:
            assert SERVICE not in depend.group(1), f"{script.name} waits for {SERVICE}"


def test_what_a_login_runs_reads_the_kept_answer_and_never_checks():
    for path in [ROOTFS / "overlay/etc/update-motd.d/20-maculaos", *(ROOTFS / "overlay/etc/profile.d").iterdir()]:
        text = path.read_text()
        assert "--check" not in text and "--watch" not in text and "--apply" not in text.replace(
            "(sudo maculaos upgrade --apply --reboot)", ""), path
