"""A disk's volatile write cache: writes acknowledged to the host that are not on the medium yet.

A real disk answers a write once the data is in its cache and puts it on the medium later, in
an order of its own: when the host asks (a flush, a write with FUA), when the cache is full,
or whenever it likes. A power cut loses what was still in the cache, or some of it: each
cached write may have reached the medium or not, whatever the order the host wrote them in.

The cache keeps the newest data of each byte only, as a disk's cache keeps the newest data of
each sector: a write replaces the parts of older cached writes it covers (an older write seen
on the medium after a cut had reached it before the newer write came). So the cached extents
never overlap, and any of them may go to the medium first without an older one landing over
a newer one.
"""
import bisect
import os

ZERO_CHUNK = bytes(1 << 20)


class Extent:
    """Bytes [start, end) of one write (`serial`, the order the host wrote in): `data`, or
    zeroes when data is None (WRITE_ZEROES, TRIM)."""
    __slots__ = ("start", "end", "data", "serial")

    def __init__(self, start, end, data, serial):
        self.start, self.end, self.data, self.serial = start, end, data, serial

    def part(self, start, end):
        data = None if self.data is None else self.data[start - self.start:end - self.start]
        return Extent(start, end, data, self.serial)

    @property
    def cached_bytes(self):
        return 0 if self.data is None else len(self.data)


def write_to(fd, offset, data, length):
    """Puts `data` (or `length` zeroes when data is None) on the medium at offset."""
    if data is not None:
        os.pwrite(fd, data, offset)
        return
    while length:
        n = min(length, len(ZERO_CHUNK))
        os.pwrite(fd, ZERO_CHUNK[:n], offset)
        offset, length = offset + n, length - n


class WriteCache:
    """The cache of the disk whose medium is the file `fd`; holds at most max_bytes of data in
    at most max_extents extents, putting the oldest on the medium to make room."""

    def __init__(self, fd, max_bytes, max_extents):
        self.fd = fd
        self.max_bytes = max_bytes
        self.max_extents = max_extents
        self.cached_bytes = 0
        self._extents = []  # by start; they never overlap, so by end too
        self._serial = 0

    @property
    def writes(self):
        """How many writes have data in the cache (a write partly replaced by newer ones counts
        while a part of it is left)."""
        return len({e.serial for e in self._extents})

    def put(self, offset, data, length):
        """Takes a write (data, or `length` zeroes when data is None), acknowledged once here."""
        self._serial += 1
        self.forget(offset, length)
        extent = Extent(offset, offset + length, data, self._serial)
        self._extents.insert(bisect.bisect_left(self._extents, offset, key=lambda e: e.start), extent)
        self.cached_bytes += extent.cached_bytes
        while self.cached_bytes > self.max_bytes or len(self._extents) > self.max_extents:
            self.write_back([min(self._extents, key=lambda e: e.serial)])

    def forget(self, offset, length):
        """Drops what the cache holds of bytes [offset, offset + length): a newer write covers them."""
        end = offset + length
        lo = bisect.bisect_right(self._extents, offset, key=lambda e: e.end)
        hi = bisect.bisect_left(self._extents, end, key=lambda e: e.start)
        if lo == hi:
            return
        covered = self._extents[lo:hi]
        kept = []
        if covered[0].start < offset:
            kept.append(covered[0].part(covered[0].start, offset))
        if covered[-1].end > end:
            kept.append(covered[-1].part(end, covered[-1].end))
        self._extents[lo:hi] = kept
        self.cached_bytes += sum(e.cached_bytes for e in kept) - sum(e.cached_bytes for e in covered)

    def overlay(self, offset, buf):
        """Lays what the cache holds of bytes [offset, offset + len(buf)) over buf, read from
        the medium: a read sees every acknowledged write."""
        end = offset + len(buf)
        lo = bisect.bisect_right(self._extents, offset, key=lambda e: e.end)
        hi = bisect.bisect_left(self._extents, end, key=lambda e: e.start)
        for e in self._extents[lo:hi]:
            start, stop = max(e.start, offset), min(e.end, end)
            if e.data is None:
                buf[start - offset:stop - offset] = bytes(stop - start)
            else:
                buf[start - offset:stop - offset] = e.data[start - e.start:stop - e.start]

    def write_back(self, extents):
        """Puts these cached extents on the medium, in this order, and drops them from the cache."""
        for e in extents:
            write_to(self.fd, e.start, e.data, e.end - e.start)
            self.cached_bytes -= e.cached_bytes
        gone = {id(e) for e in extents}
        self._extents = [e for e in self._extents if id(e) not in gone]

    def flush(self):
        """Everything cached goes to the medium."""
        self.write_back(list(self._extents))

    def destage(self, rng):
        """What a disk does on its own: each cached extent goes to the medium with even odds
        (the newest as likely as the oldest)."""
        self.write_back([e for e in self._extents if rng.random() < 0.5])

    def lose_power(self, rng):
        """The power goes: each cached extent has reached the medium or not, with even odds,
        independently of the others (as they never overlap, the order they landed in leaves no
        trace). Returns (writes lost in whole or in part, writes that landed whole)."""
        extents = self._extents
        lands = [rng.random() < 0.5 for _ in extents]
        landed = [e for e, yes in zip(extents, lands) if yes]
        lost = {e.serial for e, yes in zip(extents, lands) if not yes}
        whole = {e.serial for e in landed} - lost
        self.write_back(landed)
        self._extents, self.cached_bytes = [], 0
        return len(lost), len(whole)
