"""A threaded HTTP/1.1 file server for tests, with faults injected per path at run time.

    with FlakyHTTPServer(directory) as server:
        server.drop_after("/rootfs.squashfs.zst", 1 << 20)   # the next request is cut short
        fetch(f"{server.url}/rootfs.squashfs.zst")
        assert server.requests[-1] == ("/rootfs.squashfs.zst", "bytes=1048576-")

It serves the files of one directory (GET and HEAD), always with Content-Length, keeps
connections alive (HTTP/1.1) and honours `Range: bytes=N-` and `bytes=N-M` (206 with
Content-Range; 416 when N is at or past the end). Like nginx, it names each file's version with
an ETag (from its size and mtime) and Last-Modified, and honours `If-Range`: a Range is served
only when If-Range, if sent, equals one of them, else the whole file goes out (200). To change
a file between requests, write a new one into `root`. Only the standard library.

Faults are keyed by the request path (with or without the leading slash) and apply to the next
`times` requests for that path, then clear; `times=None` keeps one until `clear(path)`. Several
faults can be set on one path at once (for example ignore_range and drop_after).
"""
import email.utils
import fcntl
import http.server
import pathlib
import re
import socket
import ssl
import struct
import termios
import threading
import time
import urllib.parse

CHUNK = 64 * 1024
DRAIN_SECONDS = 30


def _norm(path):
    return "/" + str(path).lstrip("/")


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FlakyHTTP/1"
    _omitted = ()  # response headers the omit_headers fault leaves out of this response

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def _serve(self, head):
        flaky = self.server.flaky
        path = _norm(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path))
        range_header = self.headers.get("Range")
        faults = flaky._take(path, self.headers)
        self._omitted = faults.get("omit_headers", ())

        if "redirect" in faults:
            self._answer(302, "moved\n", head, Location=faults["redirect"])
            return

        if "status" in faults:
            code, headers = faults["status"]
            self._answer(code, f"injected status {code}\n", head, **headers)
            return

        file = flaky._resolve(path)
        if file is None:
            self._answer(404, "not found\n", head)
            return

        stat = file.stat()
        size = stat.st_size
        etag, last_modified = _validators(stat)
        start, end = 0, size  # end exclusive
        partial = False
        m = re.fullmatch(r"\s*bytes=(\d+)-(\d*)\s*", range_header or "")
        if_range = self.headers.get("If-Range")
        same_version = if_range is None or if_range in (etag, last_modified)
        if m and same_version and "ignore_range" not in faults:
            first = int(m.group(1))
            if first >= size:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            last = int(m.group(2)) if m.group(2) else size - 1
            if last >= first:
                start, end, partial = first, min(last + 1, size), True
                start = min(max(start + faults.get("shift_range", 0), 0), end - 1)

        self.send_response(206 if partial else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", last_modified)
        if partial:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        self.end_headers()
        if head:
            return

        # How many body bytes go out before the fault that cuts the response.
        limit = end - start
        cut = None
        if "drop_after" in faults:
            limit, cut = min(limit, faults["drop_after"]), "drop"
        if "stall_after" in faults:
            nbytes, seconds = faults["stall_after"]
            if nbytes < limit or cut is None:
                limit, cut = min(limit, nbytes), ("stall", seconds)
        corrupt_at = faults.get("corrupt")

        sent = 0
        try:
            with open(file, "rb") as f:
                f.seek(start)
                while sent < limit:
                    chunk = f.read(min(CHUNK, limit - sent))
                    if not chunk:
                        break
                    pos = start + sent
                    if corrupt_at is not None and pos <= corrupt_at < pos + len(chunk):
                        chunk = bytearray(chunk)
                        chunk[corrupt_at - pos] ^= 0xFF
                        chunk = bytes(chunk)
                    self.wfile.write(chunk)
                    sent += len(chunk)
            if cut is None:
                return
            if isinstance(cut, tuple):
                flaky._closing.wait(cut[1])
            self._abort()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    def _answer(self, code, text, head, **headers):
        """A short text answer instead of the file."""
        body = text.encode()
        self.send_response(code)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_header(self, keyword, value):
        if keyword not in self._omitted:
            super().send_header(keyword, value)

    def _abort(self):
        """Resets the connection, whatever the client still expects.

        First waits (up to DRAIN_SECONDS) until the client has acknowledged every byte sent:
        a reset discards what is still in the send buffer, and the client must get exactly
        the bytes the fault names, however slowly it reads."""
        self.close_connection = True
        try:
            self.wfile.flush()
            deadline = time.monotonic() + DRAIN_SECONDS
            outq = bytearray(4)
            while time.monotonic() < deadline and not self.server.flaky._closing.is_set():
                fcntl.ioctl(self.connection.fileno(), termios.TIOCOUTQ, outq)  # SIOCOUTQ
                if struct.unpack("i", outq)[0] == 0:
                    break
                time.sleep(0.01)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
        except OSError:
            pass
        self.connection.close()


def _validators(stat):
    """The ETag (nginx's shape: size and mtime) and Last-Modified naming a file's version."""
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    return etag, email.utils.formatdate(stat.st_mtime, usegmt=True)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-response is what these tests are about


class FlakyHTTPServer:
    """Serves `root` on 127.0.0.1 at a free port; a context manager.

    ssl_context: an ssl.SSLContext (PROTOCOL_TLS_SERVER, certificate loaded) serves HTTPS; the
    URL then names localhost, as mbedTLS cannot verify a certificate for an IP address.
    """

    def __init__(self, root, ssl_context=None):
        self.root = pathlib.Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self._requests = []  # (path, the request's headers), in the order they arrived
        self._lock = threading.Lock()
        self._faults = {}  # path -> {kind: [value, remaining uses or None]}
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.flaky = self
        if ssl_context is not None:
            # The handshake happens in the request's thread, not in the accepting one.
            self._server.socket = ssl_context.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False)
        self.port = self._server.server_address[1]
        host = "localhost" if ssl_context is not None else "127.0.0.1"
        self.url = f"{'https' if ssl_context is not None else 'http'}://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._closing.is_set():
            return
        self._closing.set()  # wakes stalled responses
        self._server.shutdown()
        self._server.server_close()

    # Faults. Each applies to the next `times` requests for the path (None: until cleared).

    def drop_after(self, path, nbytes, times=1):
        """Full headers, then only nbytes of the body, then the connection is reset (once the
        client has acknowledged those bytes, so it gets exactly nbytes)."""
        self._set(path, "drop_after", int(nbytes), times)

    def stall_after(self, path, nbytes, seconds, times=1):
        """nbytes of the body, then nothing for `seconds`, then the connection is reset."""
        self._set(path, "stall_after", (int(nbytes), float(seconds)), times)

    def corrupt(self, path, offset, times=None):
        """Flips the byte at `offset` of the file (an offset in the file, not in the response:
        a range that does not cover it goes out intact). Every time until cleared by default."""
        self._set(path, "corrupt", int(offset), times)

    def ignore_range(self, path, times=1):
        """200 with the whole file even when a Range was asked for."""
        self._set(path, "ignore_range", True, times)

    def status(self, path, code, times=1, headers=None):
        """Answers with this HTTP status (a short text body, and these headers: a dict) instead of the file."""
        self._set(path, "status", (int(code), dict(headers or {})), times)

    def redirect(self, path, location, times=1):
        """Answers 302 with `Location: location` instead of the file."""
        self._set(path, "redirect", str(location), times)

    def shift_range(self, path, delta, times=1):
        """A Range is served from `delta` bytes off the byte asked for (Content-Range saying so)."""
        self._set(path, "shift_range", int(delta), times)

    def omit_headers(self, path, names, times=1):
        """Leaves these response headers out (e.g. ETag and Last-Modified: a file unnamed)."""
        self._set(path, "omit_headers", tuple(names), times)

    def clear(self, path=None):
        """Clears the faults of one path, or of every path."""
        with self._lock:
            if path is None:
                self._faults.clear()
            else:
                self._faults.pop(_norm(path), None)

    @property
    def requests(self):
        """(path, Range header or None) of every request, in the order they arrived."""
        with self._lock:
            return [(p, h.get("Range")) for p, h in self._requests]

    def requests_for(self, path):
        """The Range headers (or None) of the requests served for one path."""
        return self.headers_for(path, "Range")

    def headers_for(self, path, name):
        """The values (or None) of one request header, in the requests served for one path."""
        with self._lock:
            return [h.get(name) for p, h in self._requests if p == _norm(path)]

    def validators(self, path):
        """The (ETag, Last-Modified) the file at path is served with now."""
        return _validators(self._resolve(_norm(path)).stat())

    def _set(self, path, kind, value, times):
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None: until cleared)")
        with self._lock:
            self._faults.setdefault(_norm(path), {})[kind] = [value, times]

    def _take(self, path, headers):
        """Records the request and returns the faults that apply to it, using one of each."""
        with self._lock:
            self._requests.append((path, headers))
            active = self._faults.get(path, {})
            taken = {}
            for kind, entry in list(active.items()):
                taken[kind] = entry[0]
                if entry[1] is not None:
                    entry[1] -= 1
                    if entry[1] == 0:
                        del active[kind]
            if not active:
                self._faults.pop(path, None)
            return taken

    def _resolve(self, path):
        root = self.root.resolve()
        candidate = (root / path.lstrip("/")).resolve()
        if candidate != root and root not in candidate.parents:
            return None
        return candidate if candidate.is_file() else None
