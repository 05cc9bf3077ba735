"""Zero-touch pairing: the first-boot service's page on port 80, driven in a real browser
(Debian's headless Chromium, through a hostfwd), the console's welcome screen with its QR code
and console code, and the exchange with the Portal: a TEST FIXTURE Portal
(tests/fixture_portal.py) on this host, reached at portal.macula.io through the guest's HTTPS
stand-in, with its own CA and signing key. The product code is the one that talks to the real
Portal."""
import http.client
import json
import pathlib
import re
import socket
import subprocess
import sys
import time
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


def wait_refusal(browser, text, timeout=60):
    """Waits until the page shows its last request's refusal (apart from the status) with text in
    it; returns the text."""
    answer = "document.getElementById('answer')"
    browser.wait_for(f"{answer}.className === 'refused' && {answer}.textContent.includes({json.dumps(text)})", timeout)
    return browser.evaluate(f"{answer}.textContent")


def boot_unpaired(machine, iso, kernel, initrd, portal, page_port):
    """The live ISO, the fixture Portal reached as portal.macula.io and the page's port 80 at
    page_port on this host: logged in once pairing shows its console code."""
    m = machine(kernel=kernel, initrd=initrd, cdrom=iso, tls_port=portal.port, host_ports=((page_port, 80),),
                append="console=ttyS0,115200n8")
    m.expect(r"type this console code there:", helpers.BOOT)
    m.login(helpers.BOOT)
    return m


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
        m = boot_unpaired(machine, iso, kernel, initrd, portal, page_port)
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
            wait_refusal(browser, "Too many wrong console codes")
            # a refusal is that request's answer alone: the status stays the exchange's
            wait_status(browser, "waiting", "Waiting for the codes.")
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
        # the challenge was asked for with the node's key, whose fingerprint the Portal showed
        challenge_request = next(body for path, body in portal.requests if path == "/api/console/pair/challenge")
        assert challenge_request["public_key"] == pair_request["public_key"]
        assert fingerprint in page and 'id="portal-fingerprint"' in page
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


FIRSTBOOT_PIDFILE = "/run/macula-firstboot.pid"
MIB = 1 << 20


def page_status(port, host="127.0.0.1"):
    """GET /api/status by the hostfwd: the status and the answer's JSON."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", "/api/status", headers={"Host": host})
    answer = connection.getresponse()
    body = answer.read()
    connection.close()
    return answer.status, (json.loads(body) if answer.status == 200 else body.decode(errors="replace"))


def page_token(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", "/")
    page = connection.getresponse().read().decode()
    connection.close()
    return re.search(r'const TOKEN = "([0-9a-f]+)"', page).group(1)


def send_raw(port, head, body_bytes=0, chunk=b"A" * 65536, timeout=60):
    """Sends head, then body_bytes of chunk's bytes, as fast as the server takes them; stops
    when the server closes or resets the connection. Returns what it answered (maybe nothing)
    and how many bytes of the body went out."""
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(head)
            while sent < body_bytes:
                s.sendall(chunk[:min(len(chunk), body_bytes - sent)])
                sent += min(len(chunk), body_bytes - sent)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            pass
        try:
            s.shutdown(socket.SHUT_WR)
            while data := s.recv(65536):
                answer += data
        except OSError:
            pass
    return answer, sent


def server_memory_kib(m):
    """VmRSS and VmHWM (its peak) of the serving process: the guard's child."""
    status = m.sudo(f"cat /proc/$(pgrep -P $(cat {FIRSTBOOT_PIDFILE}))/status")
    return tuple(int(re.search(rf"^{name}:\s+(\d+) kB", status, re.M).group(1)) for name in ("VmRSS", "VmHWM"))


def test_the_pairing_page_withstands_the_lan_and_the_console_code_still_pairs(machine, iso, kernel, initrd, tmp_path):
    """One live boot, the page driven from this host (the node sees 10.0.2.2) and from the node
    itself (127.0.0.1: another address). After bodies of 48 MiB (with a length, chunked, and
    without a length), request and header lines of megabytes, a request of another Host, and
    junk bytes, the page still answers and the service's memory stays small. 1,000 wrong console
    codes from 10.0.2.2: five are checked and logged, the rest held (429). Then the console code
    pairs from 127.0.0.1 while 10.0.2.2 is held; while that exchange waits on a Portal that is
    down, malformed requests are refused without touching its status, and it then pairs."""
    ca = make_test_ca(tmp_path, ["portal.macula.io"])
    page_port = free_port()
    with FixturePortal(server_context(ca), FLEET) as portal:
        m = boot_unpaired(machine, iso, kernel, initrd, portal, page_port)
        helpers.trust_fixture_ca(m, ca, "portal.macula.io")
        m.sudo("mkdir -p /var/lib/maculaos/config.d && printf 'maculaos:\\n  portal:\\n    signing_key: %s\\n' "
               f"'{portal.signing_key}' > /var/lib/maculaos/config.d/10-portal.yaml && rc-service macula-firstboot restart")
        code = console_code(m.sudo(f"cat {ISSUE}"))
        token = page_token(page_port)
        rss_before, _ = server_memory_kib(m)

        # 48 MiB bodies: with a Content-Length (413 before the body is read), chunked and without
        # a length (411); the rest of each is never held
        for head in (b"POST /api/pair HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % (48 * MIB),
                     b"POST /api/pair HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"3000000\r\n",
                     b"POST /api/pair HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"):
            answer, _ = send_raw(page_port, head, 48 * MIB)
            assert answer == b"" or answer.startswith((b"HTTP/1.1 413", b"HTTP/1.1 411")), answer[:200]
            assert page_status(page_port)[0] == 200
        # a request line and a header line of 48 MiB (no line end), and junk
        for head, length in ((b"GET /", 48 * MIB), (b"GET / HTTP/1.1\r\nX-Long: ", 48 * MIB),
                             (bytes(range(256)) * 64, 0), (b"\r\n" * 10000, 0)):
            answer, _ = send_raw(page_port, head, length)
            assert answer == b"" or answer.startswith(b"HTTP/1.1 4"), answer[:200]
            assert page_status(page_port)[0] == 200
        # DNS rebinding: a page of another site, resolved to the node, sends that site's name
        status, why = page_status(page_port, host="evil.example.org")
        assert status == 421 and "is not this node" in why, why
        # none of the 48 MiB was held: the peak stays within 24 MiB of where it started (one
        # connection holds at most 256 KiB)
        rss, peak = server_memory_kib(m)
        assert peak < rss_before + 24 * 1024 and rss < rss_before + 16 * 1024, (rss_before, rss, peak)

        # 1,000 wrong codes from 10.0.2.2 (keep-alive connections of up to 5 requests each)
        wrong = "ZZZ-999" if code != "ZZZ-999" else "ZZZ-998"
        body = json.dumps({"console_code": wrong, "portal_code": PAIRING_CODE})
        statuses = []
        connection = None
        for _ in range(1000):
            for attempt in range(2):
                try:
                    connection = connection or http.client.HTTPConnection("127.0.0.1", page_port, timeout=20)
                    connection.request("POST", "/api/pair", body, {"Content-Type": "application/json",
                                                                   "X-Pairing-Token": token})
                    answer = connection.getresponse()
                    answer.read()
                    statuses.append(answer.status)
                    if answer.getheader("Connection", "").lower() == "close":
                        connection.close()
                        connection = None
                    break
                except (http.client.HTTPException, OSError):
                    connection = None  # the server ended the keep-alive: a new connection
                    assert attempt == 0
        assert statuses[:5] == [403] * 5 and set(statuses[5:]) == {429}, statuses[:10]
        assert m.sudo(f"cat {LOG}").count("pairing: a wrong console code from 10.0.2.2") == 5
        assert console_code(m.sudo(f"cat {ISSUE}")) == code  # 5 wrong codes: not yet redrawn

        # the console code pairs from another address (the node itself) while 10.0.2.2 is held;
        # the Portal is down first, so the exchange waits and retries
        portal.mode = "unavailable"
        pair = json.dumps({"console_code": code.lower().replace("-", " "), "portal_code": PAIRING_CODE})
        answer = m.sudo(f"curl -s -o /dev/null -w '%{{http_code}}' -H 'Content-Type: application/json' "
                        f"-H 'X-Pairing-Token: {token}' --data '{pair}' http://127.0.0.1/api/pair")
        assert answer == "202", answer
        deadline = time.monotonic() + 60
        while page_status(page_port)[1]["phase"] != "retrying":
            assert time.monotonic() < deadline
            time.sleep(0.5)
        # malformed requests while the exchange runs: each refused on its own
        for token_sent, content_type, data in ((token[::-1], "application/json", pair), (token, "application/json", "{"),
                                               (token, "text/plain", pair), (token, "application/json", "[]")):
            connection = http.client.HTTPConnection("127.0.0.1", page_port, timeout=20)
            connection.request("POST", "/api/pair", data, {"Content-Type": content_type, "X-Pairing-Token": token_sent})
            answer = connection.getresponse()
            reply = answer.read()
            connection.close()
            assert answer.status in (400, 403, 409, 415, 429), (answer.status, reply)
            assert page_status(page_port)[1]["phase"] == "retrying"
        send_raw(page_port, b"POST /api/pair HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % (48 * MIB),
                 48 * MIB)
        assert page_status(page_port)[1]["phase"] == "retrying"
        rss, peak = server_memory_kib(m)
        assert peak < rss_before + 24 * 1024, (rss_before, rss, peak)

        portal.mode = "ok"
        deadline = time.monotonic() + 180
        while (status := page_status(page_port)[1])["phase"] != "paired":
            assert status["phase"] in ("retrying", "pairing") and time.monotonic() < deadline, status
            time.sleep(1)
        assert "Fixture Farm" in status["message"]
        challenge_request = next(body for path, body in portal.requests if path == "/api/console/pair/challenge")
        assert challenge_request["public_key"] == m.sudo("cat /var/lib/maculaos/identity/node.pub")
        m.sudo("test -e /var/lib/maculaos/.configured")
