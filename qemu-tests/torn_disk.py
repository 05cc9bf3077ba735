"""A disk image served to QEMU over NBD, with a volatile write cache, whose power can be cut in
the middle of a write.

Killing QEMU alone never tears a write nor loses one: whatever the guest wrote reached the
image (or the host page cache) whole. A real disk that loses power mid-write keeps some of its
sectors and not the others, and loses what its write cache held: writes it had acknowledged
but not yet put on the medium, each of them, in no particular order. TornDisk sits at the
block layer instead: QEMU reads and writes the image through it
(`-drive file=nbd://127.0.0.1:PORT`), which it serves as such a disk (write_cache.py):

- it advertises a volatile write cache (NBD's SEND_FLUSH and SEND_FUA), so QEMU passes the
  guest's flushes and FUA writes on;
- a write (WRITE, WRITE_ZEROES, TRIM, which zeroes) is acknowledged once in the cache, and
  reads see it; it reaches the image at a FLUSH (everything cached, then the answer), when it
  carries FUA (that write only), when the cache is full (the oldest first), or on the disk's
  own whim (any of them, now and then);
- after cut(), the next write is applied only in part (a random number of its first 512-byte
  sectors), or the next FLUSH is cut short; each write still cached is lost or lands, by
  the rng; no answer goes back, and the caller kills QEMU. Nothing answered after a FUA
  write or a FLUSH is ever lost. A QEMU that goes away without NBD_CMD_DISC (killed) is a
  power cut too, with no write in flight.

Only the standard library; the NBD protocol's fixed newstyle handshake with NBD_OPT_GO (and
NBD_OPT_EXPORT_NAME), simple replies, and READ, WRITE, FLUSH, TRIM, WRITE_ZEROES and DISC.

    with TornDisk(image, random.Random(seed)) as disk:
        m = Machine(..., disks=[disk.url])
        ...
        disk.cut()                      # the next write is torn, then the disk goes dead
        disk.wait_for_cut(2)            # True if a write was torn (or a flush cut) within 2 s
        m.kill()
        disk.lost_writes                # cached writes the cuts lost, so far
"""
import os
import socket
import struct
import threading

from write_cache import WriteCache, write_to

SECTOR = 512
# A disk's cache is bounded; this one holds at most this much data, in this many extents.
CACHE_BYTES = 32 << 20
CACHE_EXTENTS = 4096
# After a write, the chance the disk puts some of its cache on the medium on its own.
DESTAGE_CHANCE = 1 / 16

NBDMAGIC = b"NBDMAGIC"
IHAVEOPT = 0x49484156454F5054
OPT_REPLY_MAGIC = 0x3E889045565A9
REQUEST_MAGIC = 0x25609513
SIMPLE_REPLY_MAGIC = 0x67446698

FLAG_FIXED_NEWSTYLE, FLAG_NO_ZEROES = 1, 2
OPT_EXPORT_NAME, OPT_ABORT, OPT_INFO, OPT_GO = 1, 2, 6, 7
REP_ACK, REP_INFO, REP_ERR_UNSUP = 1, 3, 0x80000001
INFO_EXPORT = 0
HAS_FLAGS, SEND_FLUSH, SEND_FUA, SEND_TRIM, SEND_WRITE_ZEROES = 1, 4, 8, 32, 64
TRANSMISSION_FLAGS = HAS_FLAGS | SEND_FLUSH | SEND_FUA | SEND_TRIM | SEND_WRITE_ZEROES
CMD_READ, CMD_WRITE, CMD_DISC, CMD_FLUSH, CMD_TRIM, CMD_WRITE_ZEROES = 0, 1, 2, 3, 4, 6
WRITES = (CMD_WRITE, CMD_WRITE_ZEROES, CMD_TRIM)
CMD_FLAG_FUA = 1
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
    """Serves `image` on 127.0.0.1 at a free port, one QEMU at a time; a context manager.
    Every random choice (tears, destaging, what a cut loses) comes from rng."""

    def __init__(self, image, rng, cache_bytes=CACHE_BYTES, cache_extents=CACHE_EXTENTS,
                 destage_chance=DESTAGE_CHANCE):
        self.image = str(image)
        self.rng = rng
        self.cache_bytes = cache_bytes
        self.cache_extents = cache_extents
        self.destage_chance = destage_chance
        self.torn_writes = 0      # writes applied in part by a cut
        self.flushes_cut = 0      # flushes a cut fell in
        self.lost_writes = 0      # cached writes lost (in whole or in part) at power cuts
        self.landed_writes = 0    # cached writes that reached the image whole at power cuts
        self._cache = None        # while QEMU is connected (the power is on)
        self._armed = False       # the next write is torn
        self._dead = False        # cut: nothing reaches the image until the next connection
        self._cut_done = threading.Event()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
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

    @property
    def cached_writes(self):
        """How many acknowledged writes are in the cache, not yet on the image."""
        with self._lock:
            return self._cache.writes if self._cache else 0

    def cut(self):
        """From now on the disk is dying: the next write lands in part (or the next flush is
        cut short), the cache loses what it loses, and nothing reaches the image after it."""
        with self._lock:
            self._cut_done.clear()
            self._armed = True

    def wait_for_cut(self, seconds):
        """True when a write was torn (or a flush cut short) since cut(); else the power goes
        now, with nothing in flight. The disk is dead either way until the next connection
        (the next power-on)."""
        self._cut_done.wait(seconds)
        with self._lock:
            self._armed = False
            if not self._dead:
                self._lose_power()
            return self._cut_done.is_set()

    # ---- the power (called with the lock held) ----

    def _lose_power(self):
        """What the cache held is lost or lands, each write by the rng; then nothing more lands."""
        if self._cache:
            lost, landed = self._cache.lose_power(self.rng)
            self.lost_writes += lost
            self.landed_writes += landed
        self._dead = True

    def _cut_in(self, kind, offset, data, length):
        """The power goes during this request: a write lands in part (a random number of its
        first sectors, never all of a multi-sector write, possibly none) over what the cache
        left; a flush does no more than the cache's loss."""
        self._lose_power()
        if kind == CMD_FLUSH:
            self.flushes_cut += 1
        else:
            sectors = max(1, length // SECTOR)
            kept = (self.rng.randrange(sectors) if sectors > 1 else self.rng.randrange(2)) * SECTOR
            if kept:
                write_to(self._cache.fd, offset, None if data is None else data[:kept], kept)
            self.torn_writes += 1
        self._armed = False
        self._cut_done.set()

    # ---- serving ----

    def _serve(self):
        while not self._closing.is_set():
            try:
                conn, _ = self._listener.accept()
            except socket.timeout:
                continue
            try:
                with conn, open(self.image, "r+b", buffering=0) as f:
                    with self._lock:
                        self._dead = False  # powered on again, with an empty cache
                        self._cache = WriteCache(f.fileno(), self.cache_bytes, self.cache_extents)
                    try:
                        conn.settimeout(None)
                        if self._handshake(conn, os.fstat(f.fileno()).st_size):
                            self._transmit(conn)
                    finally:
                        with self._lock:
                            if not self._dead:
                                self._lose_power()  # QEMU was killed: its power is off
                            self._cache = None
            except (ConnectionError, OSError):
                pass

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

    def _transmit(self, conn):
        while True:
            magic, flags, kind, handle, offset, length = struct.unpack(">IHHQQI", _recv(conn, 28))
            if magic != REQUEST_MAGIC:
                return
            data = _recv(conn, length) if kind == CMD_WRITE else None
            with self._lock:
                if self._dead:
                    return  # the power is off: nothing more reaches the disk
                if self._armed and kind in (*WRITES, CMD_FLUSH):
                    self._cut_in(kind, offset, data, length)
                    return
                if kind == CMD_DISC:
                    self._cache.flush()  # an orderly goodbye: the disk keeps its power
                    return
                error, payload = self._request(self._cache, kind, flags, offset, length, data)
            conn.sendall(struct.pack(">IIQ", SIMPLE_REPLY_MAGIC, error, handle) + payload)

    def _request(self, cache, kind, flags, offset, length, data):
        """Serves one request of a powered disk; returns (error, payload)."""
        if kind == CMD_READ:
            buf = bytearray(os.pread(cache.fd, length, offset))
            buf += bytes(length - len(buf))
            cache.overlay(offset, buf)
            return 0, bytes(buf)
        if kind in WRITES:
            if flags & CMD_FLAG_FUA:
                cache.forget(offset, length)
                write_to(cache.fd, offset, data, length)
            else:
                cache.put(offset, data, length)
                if self.rng.random() < self.destage_chance:
                    cache.destage(self.rng)
            return 0, b""
        if kind == CMD_FLUSH:
            cache.flush()
            return 0, b""
        return EIO, b""
