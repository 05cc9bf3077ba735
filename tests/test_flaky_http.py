"""The fault-injecting test server itself (tests/flaky_http.py), checked with urllib."""
import http.client
import socket
import ssl
import time
import urllib.error
import urllib.request

import pytest

from flaky_http import FlakyHTTPServer
from tls_fixture import server_context

DATA = bytes(range(256)) * 1024  # 256 KiB


@pytest.fixture
def server(tmp_path):
    with FlakyHTTPServer(tmp_path / "www") as s:
        (s.root / "blob").write_bytes(DATA)
        yield s


def get(url, range_from=None, timeout=10, context=None, if_range=None):
    req = urllib.request.Request(url)
    if range_from is not None:
        req.add_header("Range", f"bytes={range_from}-")
    if if_range is not None:
        req.add_header("If-Range", if_range)
    with urllib.request.urlopen(req, timeout=timeout, context=context) as r:
        return r.status, dict(r.headers), r.read()


def test_full_and_range(server):
    status, headers, body = get(f"{server.url}/blob")
    assert status == 200 and body == DATA and headers["Content-Length"] == str(len(DATA))
    status, headers, body = get(f"{server.url}/blob", range_from=1000)
    assert status == 206 and body == DATA[1000:]
    assert headers["Content-Range"] == f"bytes 1000-{len(DATA) - 1}/{len(DATA)}"
    with pytest.raises(urllib.error.HTTPError) as e:
        get(f"{server.url}/blob", range_from=len(DATA))
    assert e.value.code == 416
    with pytest.raises(urllib.error.HTTPError) as e:
        get(f"{server.url}/missing")
    assert e.value.code == 404
    assert server.requests == [("/blob", None), ("/blob", "bytes=1000-"),
                               ("/blob", f"bytes={len(DATA)}-"), ("/missing", None)]


def test_drop_after_once(server):
    server.drop_after("blob", 5000)
    with pytest.raises((http.client.IncompleteRead, ConnectionError)):
        get(f"{server.url}/blob")
    assert get(f"{server.url}/blob")[2] == DATA  # the fault cleared itself


def test_drop_after_sends_the_bytes_then_resets(server):
    server.drop_after("/blob", 5000, times=2)
    for _ in range(2):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/blob")
        r = conn.getresponse()
        assert r.getheader("Content-Length") == str(len(DATA))
        got = b""
        with pytest.raises((http.client.IncompleteRead, ConnectionError)):
            while True:
                chunk = r.read1(65536)
                if not chunk:
                    raise http.client.IncompleteRead(got)
                got += chunk
        assert got == DATA[:5000]
        conn.close()
    assert get(f"{server.url}/blob")[2] == DATA


def test_stall_after(server):
    """The body stops after 100 bytes and nothing more comes (no reset, no end): the reader's own
    timeout ends the wait. The stall outlasts any client timeout here; closing the server ends it."""
    server.stall_after("blob", 100, 3600)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/blob")
    r = conn.getresponse()
    assert r.getheader("Content-Length") == str(len(DATA))
    assert r.read(100) == DATA[:100]
    conn.sock.settimeout(1)
    with pytest.raises(TimeoutError):
        r.read(1)
    conn.close()
    assert get(f"{server.url}/blob")[2] == DATA  # the fault cleared itself


def test_corrupt_until_cleared(server):
    server.corrupt("blob", 70000)
    for _ in range(2):
        body = get(f"{server.url}/blob")[2]
        assert body[70000] == DATA[70000] ^ 0xFF and body[:70000] == DATA[:70000]
        assert body[70001:] == DATA[70001:]
    assert get(f"{server.url}/blob", range_from=70001)[2] == DATA[70001:]
    assert get(f"{server.url}/blob", range_from=69999)[2][1] == DATA[70000] ^ 0xFF
    server.clear("blob")
    assert get(f"{server.url}/blob")[2] == DATA


def test_ignore_range_and_status(server):
    server.ignore_range("blob")
    status, _, body = get(f"{server.url}/blob", range_from=10)
    assert status == 200 and body == DATA
    assert get(f"{server.url}/blob", range_from=10)[0] == 206
    server.status("blob", 503, times=2)
    for _ in range(2):
        with pytest.raises(urllib.error.HTTPError) as e:
            get(f"{server.url}/blob")
        assert e.value.code == 503
    assert get(f"{server.url}/blob")[0] == 200


def test_validators_and_if_range(server):
    etag, last_modified = server.validators("blob")
    status, headers, _ = get(f"{server.url}/blob")
    assert status == 200 and headers["ETag"] == etag and headers["Last-Modified"] == last_modified
    for same in (etag, last_modified):
        status, headers, body = get(f"{server.url}/blob", range_from=1000, if_range=same)
        assert status == 206 and headers["ETag"] == etag and body == DATA[1000:]
    status, _, body = get(f"{server.url}/blob", range_from=1000, if_range='"another"')
    assert status == 200 and body == DATA  # like nginx: another version goes out whole
    assert server.headers_for("blob", "If-Range") == [None, etag, last_modified, '"another"']
    new = server.root / "blob.new"
    new.write_bytes(DATA[::-1])
    new.replace(server.root / "blob")
    assert server.validators("blob")[0] != etag
    status, headers, body = get(f"{server.url}/blob", range_from=1000, if_range=etag)
    assert status == 200 and headers["ETag"] == server.validators("blob")[0] and body == DATA[::-1]


def test_omit_headers(server):
    server.omit_headers("blob", ["ETag", "Last-Modified"])
    _, headers, body = get(f"{server.url}/blob")
    assert "ETag" not in headers and "Last-Modified" not in headers and body == DATA
    _, headers, _ = get(f"{server.url}/blob")
    assert "ETag" in headers and "Last-Modified" in headers


def test_shift_range(server):
    server.shift_range("blob", 10)
    status, headers, body = get(f"{server.url}/blob", range_from=1000)
    assert status == 206 and body == DATA[1010:]
    assert headers["Content-Range"] == f"bytes 1010-{len(DATA) - 1}/{len(DATA)}"
    assert get(f"{server.url}/blob", range_from=1000)[2] == DATA[1000:]


def test_redirect(server):
    server.redirect("blob", "/elsewhere", times=2)
    for _ in range(2):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/blob")
        r = conn.getresponse()
        assert r.status == 302 and r.getheader("Location") == "/elsewhere"
        r.read()
        conn.close()
    assert get(f"{server.url}/blob")[2] == DATA


def test_tls(tls_ca, tmp_path):
    ctx = server_context(tls_ca)
    with FlakyHTTPServer(tmp_path / "www", ssl_context=ctx) as s:
        (s.root / "blob").write_bytes(DATA)
        assert s.url.startswith("https://localhost:")
        client = ssl.create_default_context(cafile=str(tls_ca / "ca.pem"))
        assert get(f"{s.url}/blob", range_from=7, context=client)[2] == DATA[7:]


def test_drop_after_delivers_exactly_nbytes_to_a_slow_reader(tmp_path):
    big = bytes(range(256)) * 16384  # 4 MiB: far more than the socket buffers hold
    with FlakyHTTPServer(tmp_path / "www") as s:
        (s.root / "big").write_bytes(big)
        s.drop_after("big", 3_000_000)
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", s.port))
        sock.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(0.5)  # the server has written everything it will; the reader lags
        got = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                got += chunk
                time.sleep(0.001)
        except ConnectionResetError:
            pass
        sock.close()
        body = got.split(b"\r\n\r\n", 1)[1]
        assert len(body) == 3_000_000 and body == big[:3_000_000]
