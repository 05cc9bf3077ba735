"""TEST FIXTURE: a stand-in for the Portal's pairing API (docs/pairing-api.md), over HTTPS with
the tests' own CA and signing with its own Ed25519 key. It checks what a real Portal would check
of the node (the pairing code, the node's signature of the challenge, the challenge bound to the
node key that asked for it, whose fingerprint it shows its user) and answers as the
contract says, or as told to misbehave: `mode` is "ok", "unavailable" (503 to everything),
"garbage" (a 200 that is not JSON) or "bad-signature" (a right answer signed by another key)."""
import base64
import http.server
import json
import secrets
import threading

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PAIRING_CODE = "WXYZ7788"  # what the fixture Portal shows its user


def _raw_public(key):
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _node_key(openssh_line):
    """The Ed25519 key of an OpenSSH "ssh-ed25519 BASE64 COMMENT" line."""
    blob = base64.b64decode(openssh_line.split()[1])
    return Ed25519PublicKey.from_public_bytes(blob[-32:])


class FixturePortal:
    def __init__(self, ssl_context, gitops):
        self.key = Ed25519PrivateKey.generate()
        self.signing_key = base64.b64encode(_raw_public(self.key)).decode()  # maculaos.portal.signing_key
        self.gitops = gitops
        self.mode = "ok"
        self.requests = []  # (path, the JSON body), in order
        self._challenges = {}  # challenge: the node key (OpenSSH line) that asked for it
        self.shown_keys = []  # the node keys whose fingerprint the Portal showed its user
        self._lock = threading.Lock()
        portal = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                with portal._lock:
                    portal.requests.append((self.path, body))
                status, answer, signer = portal._answer(self.path, body)
                data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if signer:
                    self.send_header("X-Macula-Signature", base64.b64encode(signer.sign(data)).decode())
                self.end_headers()
                self.wfile.write(data)

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = ssl_context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, path, body):
        if self.mode == "unavailable":
            return 503, {"error": "the fixture Portal is down"}, None
        if body.get("pairing_code") != PAIRING_CODE:
            return 404, {"error": "no such pairing code (or it expired)"}, None
        if path == "/api/console/pair/challenge":
            if not str(body.get("public_key", "")).startswith("ssh-ed25519 "):
                return 400, {"error": "the challenge is asked for by a node key: public_key is missing"}, None
            challenge = base64.b64encode(secrets.token_bytes(32)).decode()
            self._challenges[challenge] = body["public_key"]
            self.shown_keys.append(body["public_key"])
            return 200, {"challenge": challenge}, None
        if path != "/api/console/pair":
            return 404, {"error": f"no API at {path}"}, None
        if body["challenge"] not in self._challenges:
            return 403, {"error": "unknown challenge"}, None
        if self._challenges[body["challenge"]] != body["public_key"]:
            return 403, {"error": "the challenge was asked for by another node key"}, None
        signed = "\n".join(["macula-pair-v1", body["challenge"], body["pairing_code"], body["hostname"],
                            body["public_key"], ""]).encode()
        try:
            _node_key(body["public_key"]).verify(base64.b64decode(body["signature"]), signed)
        except Exception:
            return 403, {"error": "the node's signature does not verify"}, None
        if self.mode == "garbage":
            return 200, b"<html>502 Bad Gateway from a proxy</html>", self.key
        answer = {"challenge": body["challenge"], "public_key": body["public_key"],
                  "refresh_token": "fixture-refresh-" + secrets.token_hex(16),
                  "user": {"id": "u-fixture", "name": "Fixture User"},
                  "organisation": {"id": "o-fixture", "name": "Fixture Farm"},
                  "certificates": {"ca": "-----BEGIN CERTIFICATE-----\nRklYVFVSRQ==\n-----END CERTIFICATE-----\n"},
                  "gitops": self.gitops}
        signer = Ed25519PrivateKey.generate() if self.mode == "bad-signature" else self.key
        return 200, answer, signer
