"""A streaming reader for the never-ending multipart bodies of camera event streams.

Hikvision's ``alertStream`` and Dahua's ``eventManager.cgi?action=attach`` answer one HTTP
request with a multipart body that lasts as long as the connection. aiohttp's
``MultipartReader`` is made for finite, well-formed bodies; these are neither: framing varies
by firmware (CRLF or bare LF, parts with or without Content-Length, ``--boundary`` or
``-- myboundary``, a boundary the headers do not name), and a hostile or broken camera can
send a part that never ends. This reader takes bytes as they arrive, yields complete parts,
keeps at most :data:`MAX_PART_BYTES` of any part (a longer one is dropped and counted), and
finds its footing again at the next boundary line.

A part without Content-Length ends, by the framing alone, only where the next one starts —
on a quiet camera a heartbeat later (five seconds or more). The caller can say what a whole
part looks like (``complete``): such a part is yielded as soon as its last line is in.

A Content-Length is a claim, not a fact: firmware writes wrong ones (a public Dahua fixture
says ``999`` for every part; with the length believed, five of five motion events were lost).
Where the data disagrees with the stated length — a delimiter line inside it, or a body not
whole at its end — the part is read up to the boundary instead and counted as a framing quirk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import re
from typing import Final

MAX_PART_BYTES: Final = 64 * 1024
"""Largest part kept; event parts are a few hundred bytes, pictures are not wanted."""
MAX_HEADER_LINES: Final = 16

_BOUNDARY_PARAM: Final = re.compile(r'boundary\s*=\s*"?([^";]+)"?', re.IGNORECASE)


def boundary_of(content_type: str) -> str | None:
    """Return the boundary a ``multipart/…; boundary=…`` Content-Type names, without dashes."""
    match = _BOUNDARY_PARAM.search(content_type or "")
    if match is None:
        return None
    return match.group(1).strip().lstrip("-").strip() or None


@dataclass(frozen=True, slots=True)
class Part:
    """One part: its headers (names in lower case) and body."""

    headers: dict[str, str]
    body: bytes


@dataclass
class MultipartStream:
    """Feed bytes in, get parts out; never holds more than about one part of data."""

    boundary: str | None = None
    max_part: int = MAX_PART_BYTES
    dropped: int = 0
    """Parts dropped: too large, or with a Content-Length the data did not match."""
    complete: Callable[[bytes], bool] | None = None
    """Whether a part body without Content-Length is whole (so not to wait for the next part)."""
    _buffer: bytearray = field(default_factory=bytearray)
    framing_quirks: int = 0
    """Parts whose stated Content-Length disagreed with where the next boundary was: each
    was read up to the boundary instead (and counted here, for diagnostics)."""
    _state: str = "seek"
    _headers: dict[str, str] = field(default_factory=dict)
    _length: int | None = None
    _stated: int | None = None
    """The Content-Length stated for a part read up to the boundary instead."""
    _scanned: int = 0
    """How far the body was searched for a delimiter line (no need to search it again)."""
    _owed: int = 0
    """Bytes a part yielded before its stated length still owed; skipped in "seek"."""
    _skipped: int = 0

    def _is_delimiter(self, line: bytes) -> bool:
        text = line.strip()
        if not text.startswith(b"--"):
            return False
        name = text[2:].strip().removesuffix(b"--").strip()
        if self.boundary is None:
            if not name:
                return False
            self.boundary = name.decode("latin-1")
            return True
        return name == self.boundary.encode("latin-1")

    def _take_line(self) -> bytes | None:
        end = self._buffer.find(b"\n")
        if end < 0:
            if len(self._buffer) > self.max_part:
                # No line end in sight: nothing of it can be kept.
                self._overflow()
            return None
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        return line

    def _overflow(self) -> None:
        self.dropped += 1
        self._buffer.clear()
        self._state = "seek"
        self._headers = {}
        self._length = self._stated = None
        self._scanned = self._owed = self._skipped = 0

    def feed(self, data: bytes) -> list[Part]:
        """Add bytes from the connection; return the parts they complete."""
        self._buffer += data
        parts: list[Part] = []
        while True:
            if self._state == "seek":
                line = self._take_line()
                if line is None:
                    return parts
                if self._is_delimiter(line):
                    if self._skipped < self._owed:
                        self.framing_quirks += 1  # the stated length ran past this boundary
                    self._owed = self._skipped = 0
                    self._state, self._headers, self._length = "headers", {}, None
                elif self._owed:
                    self._skipped += len(line)
            elif self._state == "headers":
                if not self._read_headers():
                    return parts
            elif (part := self._read_body()) is not None:
                if part.body.strip() or part.headers:
                    parts.append(part)
            else:
                return parts

    def _read_headers(self) -> bool:
        """Read header lines up to the blank one; False when more data is needed."""
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                if len(self._buffer) > self.max_part:
                    self._overflow()
                    return True
                return False
            line = bytes(self._buffer[: end + 1])
            text = line.strip()
            if not text:
                del self._buffer[: end + 1]
                self._state = "body"
                return True
            name, colon, value = text.partition(b":")
            if not colon or b" " in name.strip() or len(self._headers) >= MAX_HEADER_LINES:
                # No headers (some firmwares start the body at once): this line is body.
                self._state = "body"
                return True
            del self._buffer[: end + 1]
            key = name.strip().decode("latin-1").lower()
            self._headers[key] = value.strip().decode("latin-1")
            if key == "content-length":
                try:
                    self._length = int(self._headers[key])
                except ValueError:
                    self._length = None

    def _read_body(self) -> Part | None:
        """Return the part once its body is complete; None when more data is needed.

        A stated Content-Length is believed only as far as the data agrees with it: a
        delimiter line inside the stated length ends the part there (the length ran past the
        boundary), and a body not whole at its stated length runs on to the boundary (the
        length stopped short). Both count in :attr:`framing_quirks`.
        """
        length = self._length
        if length is None or not 0 <= length <= self.max_part:
            if length is not None:
                self._stated, self._length = length, None
            return self._read_to_boundary()
        found = self._delimiter_before(length)
        if found is not None:
            self.framing_quirks += 1
            start, end = found
            return self._cut(start, end)
        if len(self._buffer) >= length:
            body = bytes(self._buffer[:length])
            if self.complete is None or self.complete(body.rstrip(b"\r\n")):
                del self._buffer[:length]
                return self._finish(body, "seek")
            self._stated, self._length = length, None
            return self._read_to_boundary()
        body = bytes(self._buffer).rstrip(b"\r\n")
        if body and self.complete is not None and self.complete(body):
            # Whole before its stated length: yielded now, not a heartbeat later. What the
            # length still owes is skipped up to the next delimiter (see feed).
            self._owed = length - len(self._buffer)
            self._buffer.clear()
            return self._finish(body, "seek")
        return None

    def _delimiter_before(self, limit: int) -> tuple[int, int] | None:
        """Find a delimiter line starting before ``limit``: (its start, its end)."""
        start = self._scanned
        while start < limit:
            end = self._buffer.find(b"\n", start)
            if end < 0:
                break
            if self._is_delimiter(bytes(self._buffer[start : end + 1])):
                return start, end + 1
            start = end + 1
        self._scanned = start
        return None

    def _cut(self, start: int, end: int) -> Part:
        """End the part where a delimiter line starts; the next part's headers follow it."""
        body = bytes(self._buffer[:start]).rstrip(b"\r\n")
        del self._buffer[:end]
        return self._finish(body, "headers")

    def _finish(self, body: bytes, state: str) -> Part:
        """Yield the part read so far and move on to ``state``."""
        stated = self._stated
        if stated is not None and abs(len(body) - stated) > 2:
            self.framing_quirks += 1  # a stated length the boundary disagreed with
        part = Part(self._headers, body)
        self._state, self._headers, self._length = state, {}, None
        self._stated, self._scanned = None, 0
        return part

    def _read_to_boundary(self) -> Part | None:
        """Read the body up to the next delimiter line (or until ``complete`` says it is whole)."""
        search_from = 0
        while True:
            end = self._buffer.find(b"\n", search_from)
            if end < 0:
                if len(self._buffer) > self.max_part:
                    self._overflow()
                    return None
                return self._whole(search_from)
            if self._is_delimiter(bytes(self._buffer[search_from : end + 1])):
                return self._cut(search_from, end + 1)
            search_from = end + 1

    def _whole(self, lines_end: int) -> Part | None:
        """Return the body up to ``lines_end`` if ``complete`` says it is a whole part."""
        if not lines_end or self.complete is None:
            return None
        body = bytes(self._buffer[:lines_end]).rstrip(b"\r\n")
        if not self.complete(body):
            return None
        del self._buffer[:lines_end]
        return self._finish(body, "seek")  # the next delimiter opens the next part
