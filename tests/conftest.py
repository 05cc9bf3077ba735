"""Fixtures shared by the system tests of the built binary: a throwaway CA and HTTPS server."""
import http.server
import os
import pathlib
import ssl
import subprocess
import threading

import pytest


@pytest.fixture(scope="session")
def maculaos_bin():
    path = os.environ.get("MACULAOS_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"MACULAOS_BIN={path!r}: expected the path of the built maculaos binary")
    return pathlib.Path(path)


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="session")
def tls_ca(tmp_path_factory):
    """A self-signed CA and a server certificate for 127.0.0.1 and localhost, signed by it."""
    d = tmp_path_factory.mktemp("ca")
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=MaculaOS test CA",
             cwd=d)
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", cwd=d)
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext", cwd=d)
    return d


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def https_server(tls_ca, tmp_path_factory):
    """Serves a directory over HTTPS on 127.0.0.1; yields (base_url, directory).

    The URL says localhost, not 127.0.0.1: mbedTLS 2.28 matches host names against DNS names
    only and cannot verify an iPAddress subjectAltName.
    """
    root = tmp_path_factory.mktemp("www")
    handler = lambda *a, **kw: _QuietHandler(*a, directory=str(root), **kw)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tls_ca / "server.pem", tls_ca / "server.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{server.server_address[1]}", root
    server.shutdown()
