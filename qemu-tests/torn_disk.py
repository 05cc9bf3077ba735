"""A disk image served to QEMU over NBD, whose power can be cut in the middle of a write.

Killing QEMU alone never tears a write: whatever the guest wrote reached the image (or the host
page cache) whole. A real disk that loses power mid-write keeps some of its sectors and not
the others. TornDisk sits at the block layer instead: QEMU reads and writes the image through
it (`-drive file=nbd://127.0.0.1:PORT`), and after cut() the next write is applied only in
part (a random number of its first 512-byte sectors), no answer goes back, and the caller
kills QEMU. Only the standard library; the NBD protocol's fixed newstyle handshake with
NBD_OPT_GO (and NBD_OPT_EXPORT_NAME), simple replies, and READ, WRITE, FLUSH, TRIM,
WRITE_ZEROES and DISC.

    with TornDisk(image, random.Random(seed)) as disk:
        m = Machine(..., disks=[disk.url])
        ...
        disk.cut()                      # the next write is torn, then the disk goes dead
        disk.wait_for_cut(2)            # True if a write was torn within 2 s
        m.kill()
"""
import os
import socket
import struct
import threading

SECTOR = 512
NBDMAGIC = b"NBDMAGIC"
IHAVEOPT = 0x49484156454F5054
OPT_REPLY_MAGIC = 0x3E889045565A9
REQUEST_MAGIC = 0x25609513
SIMPLE_REPLY_MAGIC = 0x67446698

FLAG_FIXED_NEWSTYLE, FLAG_NO_ZEROES = 1, 2
OPT_EXPORT_NAME, OPT_ABORT, OPT_INFO, OPT_GO = 1, 2, 6, 7
REP_ACK, REP_INFO, REP_ERR_UNSUP = 1, 3, 0x80000001
INFO_EXPORT = 0
# has flags, flush, FUA, trim, write zeroes
TRANSMISSION_FLAGS = 1 | 4 | 8 | 32 | 64
CMD_READ, CMD_WRITE, CMD_DISC, CMD_FLUSH, CMD_TRIM, CMD_WRITE_ZEROES = 0, 1, 2, 3, 4, 6
EIO = 5


def _recv(conn, n):
    data = bytearray()
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return bytes(data)


class TornDisk:
    """Serves `image` on 127.0.0.1 at a free port, one QEMU at a time; a context manager."""

    def __init__(self, image, rng):
        self.image = str(image)
        self.rng = rng
        self.torn_writes = 0      # writes applied in part by a cut
        self._armed = False       # the next write is torn
        self._dead = False        # cut: nothing reaches the image until the next connection
        self._cut_done = threading.Event()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self.url = f"nbd://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._closing.set()
        self._thread.join(5)
        self._listener.close()

    def cut(self):
        """From now on the disk is dying: the next write lands in part, and nothing after it."""
        with self._lock:
            self._cut_done.clear()
            self._armed = True

    def wait_for_cut(self, seconds):
        """True when a write was torn since cut(); the disk is dead either way until the next
        connection (the next power-on)."""
        torn = self._cut_done.wait(seconds)
        with self._lock:
            self._armed = False
            self._dead = True
        return torn

    # ---- serving ----

    def _serve(self):
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            with self._lock:
                self._dead = False  # powered on again
            try:
                with conn, open(self.image, "r+b", buffering=0) as f:
                    conn.settimeout(None)
                    if self._handshake(conn, os.fstat(f.fileno()).st_size):
                        self._transmit(conn, f)
            except (ConnectionError, OSError):
                pass  # QEMU was killed: the power is off until the next connection

    def _option_reply(self, conn, option, kind, payload=b""):
        conn.sendall(struct.pack(">QIII", OPT_REPLY_MAGIC, option, kind, len(payload)) + payload)

    def _handshake(self, conn, size):
        conn.sendall(NBDMAGIC + struct.pack(">QH", IHAVEOPT, FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES))
        (client_flags,) = struct.unpack(">I", _recv(conn, 4))
        while True:
            magic, option, length = struct.unpack(">QII", _recv(conn, 16))
            if magic != IHAVEOPT:
                return False
            _recv(conn, length)
            if option == OPT_EXPORT_NAME:
                zeroes = b"" if client_flags & FLAG_NO_ZEROES else bytes(124)
                conn.sendall(struct.pack(">QH", size, TRANSMISSION_FLAGS) + zeroes)
                return True
            if option in (OPT_INFO, OPT_GO):
                self._option_reply(conn, option, REP_INFO, struct.pack(">HQH", INFO_EXPORT, size, TRANSMISSION_FLAGS))
                self._option_reply(conn, option, REP_ACK)
                if option == OPT_GO:
                    return True
            elif option == OPT_ABORT:
                self._option_reply(conn, option, REP_ACK)
                return False
            else:
                self._option_reply(conn, option, REP_ERR_UNSUP)

    def _transmit(self, conn, f):
        fd = f.fileno()
        while True:
            magic, _flags, kind, handle, offset, length = struct.unpack(">IHHQQI", _recv(conn, 28))
            if magic != REQUEST_MAGIC:
                return
            data = _recv(conn, length) if kind == CMD_WRITE else b""
            with self._lock:
                armed, dead = self._armed, self._dead
            if dead:
                return  # the power is off: nothing more reaches the disk
            if kind in (CMD_WRITE, CMD_WRITE_ZEROES) and armed:
                self._tear(fd, offset, data if kind == CMD_WRITE else bytes(length))
                return
            error, payload = 0, b""
            if kind == CMD_READ:
                payload = os.pread(fd, length, offset)
                payload += bytes(length - len(payload))
            elif kind == CMD_WRITE:
                os.pwrite(fd, data, offset)
            elif kind == CMD_WRITE_ZEROES:
                os.pwrite(fd, bytes(length), offset)
            elif kind == CMD_DISC:
                return
            elif kind not in (CMD_FLUSH, CMD_TRIM):
                error = EIO
            conn.sendall(struct.pack(">IIQ", SIMPLE_REPLY_MAGIC, error, handle) + payload)

    def _tear(self, fd, offset, data):
        """Writes a random number of the write's first sectors (never all of a multi-sector
        write, possibly none), then the disk is dead."""
        sectors = max(1, len(data) // SECTOR)
        kept = self.rng.randrange(sectors) if sectors > 1 else self.rng.randrange(2)
        if kept:
            os.pwrite(fd, data[: kept * SECTOR], offset)
        with self._lock:
            self.torn_writes += 1
            self._armed = False
            self._dead = True
        self._cut_done.set()
