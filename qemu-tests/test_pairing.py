"""Zero-touch pairing: the first-boot service's page on port 80, driven in a real browser
(Debian's headless Chromium, through a hostfwd), the console's welcome screen with its QR code
and console code, and the exchange with the Portal: a TEST FIXTURE Portal
(tests/fixture_portal.py) on this host, reached at portal.macula.io through the guest's HTTPS
stand-in, with its own CA and signing key. The product code is the one that talks to the real
Portal."""
import json
import pathlib
import re
import subprocess
import sys
import urllib.request

import pytest

sys.path.append(str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from browser import Browser  # noqa: E402
from fixture_portal import PAIRING_CODE, FixturePortal  # noqa: E402
from tls_fixture import make_test_ca, server_context  # noqa: E402

import helpers  # noqa: E402
from machine import free_port  # noqa: E402

ISSUE = "/run/macula/issue.d/50-pairing.issue"
LOG = "/var/log/macula-firstboot.log"
CREDENTIALS = "/var/lib/maculaos/credentials"
FLEET = {"url": "https://git.example.org/fleet/edge.git", "branch": "edge", "path": "./clusters/edge"}
# Counts the page's pair requests and keeps the last answer, so each attempt is seen answered.
WATCH_ANSWERS = """(() => { window.answers = []; const plain = window.fetch;
  window.fetch = async (...args) => { const answer = await plain(...args);
    if (args[0] === '/api/pair') window.answers.push(await answer.clone().json());
    return answer; }; return true; })()"""


def console_code(screen):
    """The code on the line after "console code there:" (the QR code's blocks to its left)."""
    return re.search(r"console code there:\s*\n[^A-Z]*?([A-HJ-NP-Z]{3}-[0-9]{3})", screen).group(1)


def qr_lines(screen):
    """The QR code's lines (qr_text's half blocks), without the text beside them: its first line
    is the light quiet zone, whose width is the code's."""
    lines = [line for line in screen.replace("\r", "").split("\n") if line]  # the log doubles the serial's line ends
    first = next(i for i, line in enumerate(lines) if line.startswith("\u2588" * 20))
    width = len(lines[first]) - len(lines[first].lstrip("\u2588"))
    return [line[:width] for line in lines[first:first + 15] if line.startswith("\u2588\u2588")]


def open_page(browser, port):
    browser.open(f"http://127.0.0.1:{port}/")
    browser.evaluate(WATCH_ANSWERS)


def submit(browser, console, portal):
    """Types both codes and presses Pair; returns the service's answer to the request."""
    count = browser.evaluate("window.answers.length")
    browser.evaluate(f"""document.getElementById('console-code').value = {json.dumps(console)};
        document.getElementById('portal-code').value = {json.dumps(portal)};
        document.getElementById('pair').requestSubmit(); true""")
    browser.wait_for(f"window.answers.length > {count}")
    return browser.evaluate("window.answers[window.answers.length - 1]")


def wait_status(browser, phase, text, timeout=60):
    """Waits until the page's status line shows phase with text in it; returns the text."""
    status = "document.getElementById('status')"
    browser.wait_for(f"{status}.className === {json.dumps(phase)} && {status}.textContent.includes({json.dumps(text)})",
                     timeout)
    return browser.evaluate(f"{status}.textContent")


def nothing_stored(m):
    return m.sudo(f"test ! -e {CREDENTIALS} && test ! -e /var/lib/maculaos/.configured && echo none") == "none"


def test_the_pairing_page_pairs_the_node_with_the_portal(machine, iso, kernel, initrd, tmp_path, log_dir):
    """One live boot. The console shows the page's address, its QR code and a console code
    before login; port 80 is open only while the service runs. In the browser: five wrong
    console codes are refused and the sixth attempt is held; a Portal that answers garbage, one
    whose answer is signed by another key and an unknown pairing code are refused with nothing
    stored; a Portal that is down is retried with the page and console saying so, until it
    answers: then the credentials are stored private, the GitOps settings join the config,
    .configured is set and the service stops, closing port 80."""
    ca = make_test_ca(tmp_path, ["portal.macula.io"])
    page_port = free_port()
    with FixturePortal(server_context(ca), FLEET) as portal:
        m = machine(kernel=kernel, initrd=initrd, cdrom=iso, tls_port=portal.port, host_ports=((page_port, 80),),
                    append="console=ttyS0,115200n8")
        m.expect(r"type this console code there:", helpers.BOOT)
        m.login(helpers.BOOT)
        hostname = m.run("hostname")
        # the welcome screen above the serial console's login prompt, as the machine's own screen has it
        log = m.log()
        screen = log[log.rindex("\n", 0, log.index("Pair this node")) + 1:]
        screen = screen[:screen.index("login:")]
        assert f" http://{hostname}.local\n" in screen and " or http://10.0.2.15\n" in screen
        boot_code = console_code(screen)
        assert helpers.decode_terminal_qr(qr_lines(screen), tmp_path) == f"http://{hostname}.local"
        fingerprint = m.sudo("maculaos identity").split()[2]
        assert f" {fingerprint}\n" in screen, screen
        assert "elements = { 80 }" in m.sudo("nft list set inet maculaos pairing")

        # The node learns the fixture Portal's CA, address and signing key; the service starts again
        helpers.trust_fixture_ca(m, ca, "portal.macula.io")
        m.sudo("mkdir -p /var/lib/maculaos/config.d && printf 'maculaos:\\n  portal:\\n    signing_key: %s\\n' "
               f"'{portal.signing_key}' > /var/lib/maculaos/config.d/10-portal.yaml && rc-service macula-firstboot restart")
        code = console_code(m.sudo(f"cat {ISSUE}"))
        wrong = "ZZZ-999" if code != "ZZZ-999" else "ZZZ-998"

        with Browser() as browser:
            open_page(browser, page_port)
            assert browser.evaluate("document.getElementById('hostname').textContent") == hostname
            assert browser.evaluate("document.getElementById('fingerprint').textContent") == fingerprint
            shot = browser.screenshot(log_dir / "pairing-page.png")
            decoded = subprocess.run(["zbarimg", "--quiet", "--raw", "--nodbus", str(shot)], capture_output=True, text=True)
            assert decoded.stdout.strip() == f"http://{hostname}.local"  # the page's QR code, as a phone reads it

            for _ in range(5):
                answer = submit(browser, wrong, PAIRING_CODE)
                assert answer == {"phase": "refused", "message": "That is not the console code on the node's screen."}
            held = submit(browser, code, PAIRING_CODE)
            assert held["phase"] == "refused" and held["message"].startswith("Too many wrong console codes: try again in")
            wait_status(browser, "refused", "Too many wrong console codes")
            log = m.sudo(f"cat {LOG}")
            assert log.count("pairing: a wrong console code from 10.0.2.2") == 5, log
            assert code not in log and boot_code not in log
            assert nothing_stored(m)

            # a new start of the service: a new console code, and the wrong codes forgotten
            m.sudo("rc-service macula-firstboot restart")
            code = console_code(m.sudo(f"cat {ISSUE}"))
            open_page(browser, page_port)

            portal.mode = "garbage"
            submit(browser, code, PAIRING_CODE.lower()[:4] + "-" + PAIRING_CODE[4:])  # as a person may type it
            assert "not valid JSON" in wait_status(browser, "failed", "Refused the Portal's answer")
            assert nothing_stored(m)
            portal.mode = "bad-signature"
            submit(browser, code, PAIRING_CODE)
            assert "not signed by the Portal's key" in wait_status(browser, "failed", "nothing was stored")
            assert nothing_stored(m)
            portal.mode = "ok"
            submit(browser, code, "ABCD1234")
            wait_status(browser, "failed", "The Portal refused: no such pairing code (or it expired)")
            assert nothing_stored(m)

            portal.mode = "unavailable"
            submit(browser, code, PAIRING_CODE)
            wait_status(browser, "retrying", "does not answer (HTTP 503): trying again in")
            assert "does not answer (HTTP 503)" in m.sudo(f"cat {ISSUE}")  # the console says so too
            portal.mode = "ok"
            wait_status(browser, "paired", "Paired: Fixture Farm now holds this node", timeout=120)
            browser.screenshot(log_dir / "pairing-paired.png")
            page = browser.evaluate("document.documentElement.outerHTML")

        pair_request = next(body for path, body in portal.requests if path == "/api/console/pair")
        modes = m.sudo(f"stat -c '%a %n' {CREDENTIALS} {CREDENTIALS}/*")
        assert modes.split("\n") == [f"700 {CREDENTIALS}", f"600 {CREDENTIALS}/ca.pem", f"600 {CREDENTIALS}/portal.json",
                                     f"600 {CREDENTIALS}/refresh_token"], modes
        refresh_token = m.sudo(f"cat {CREDENTIALS}/refresh_token")
        assert refresh_token.startswith("fixture-refresh-")
        assert refresh_token not in m.sudo(f"cat {LOG}") and refresh_token not in page
        assert pair_request["hostname"] == hostname and pair_request["public_key"].startswith("ssh-ed25519 ")
        assert '"name": "Fixture Farm"' in m.sudo(f"cat {CREDENTIALS}/portal.json")
        m.sudo("test -e /var/lib/maculaos/.configured")
        assert m.sudo("maculaos config show").count(FLEET["url"]) == 1

        # the service stops by itself once paired (after the page has seen it), and port 80 closes
        m.sudo("for i in $(seq 90); do nft list set inet maculaos pairing | grep -q elements || exit 0; sleep 1; done; "
               "exit 1", timeout=120)
        m.sudo(f"test ! -e {ISSUE}")
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{page_port}/", timeout=10)
