"""Fixtures shared by the system tests of the built binary: a throwaway CA and HTTPS server."""
import http.server
import os
import pathlib
import threading

import pytest

from tls_fixture import make_test_ca, server_context


@pytest.fixture(scope="session")
def maculaos_bin():
    path = os.environ.get("MACULAOS_BIN")
    if not path or not os.access(path, os.X_OK):
        pytest.fail(f"MACULAOS_BIN={path!r}: expected the path of the built maculaos binary")
    return pathlib.Path(path)


@pytest.fixture(scope="session")
def tls_ca(tmp_path_factory):
    """A self-signed CA and a server certificate for 127.0.0.1 and localhost, signed by it."""
    return make_test_ca(tmp_path_factory.mktemp("ca"), ["localhost"], ["127.0.0.1"])


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
    ctx = server_context(tls_ca)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://localhost:{server.server_address[1]}", root
    server.shutdown()
