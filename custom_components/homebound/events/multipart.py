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
    _state: str = "seek"
    _headers: dict[str, str] = field(default_factory=dict)
    _length: int | None = None

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
                # No line end in sight: keep only what could still hold a boundary's start.
                self._overflow(keep=0)
            return None
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        return line

    def _overflow(self, keep: int) -> None:
        self.dropped += 1
        if keep:
            del self._buffer[:-keep]
        else:
            self._buffer.clear()
        self._state = "seek"
        self._headers = {}
        self._length = None

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
                    self._state, self._headers, self._length = "headers", {}, None
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
                    self._overflow(keep=0)
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
        """Return the part once its body is complete; None when more data is needed."""
        length = self._length
        if length is not None and 0 <= length <= self.max_part:
            if len(self._buffer) < length:
                return None
            body = bytes(self._buffer[:length])
            del self._buffer[:length]
            self._state = "seek"
            return Part(self._headers, body)
        if length is not None and length > self.max_part:
            self._overflow(keep=0)
            return None
        # Without a usable length the body runs to the next boundary line.
        search_from = 0
        while True:
            end = self._buffer.find(b"\n", search_from)
            if end < 0:
                if len(self._buffer) > self.max_part:
                    self._overflow(keep=0)
                    return None
                return self._whole(search_from)
            start = search_from
            line = bytes(self._buffer[start : end + 1])
            if self._is_delimiter(line):
                body = bytes(self._buffer[:start]).rstrip(b"\r\n")
                del self._buffer[: end + 1]
                self._state, headers = "headers", self._headers
                self._headers, self._length = {}, None
                return Part(headers, body)
            search_from = end + 1

    def _whole(self, lines_end: int) -> Part | None:
        """Return the body up to ``lines_end`` if ``complete`` says it is a whole part."""
        if not lines_end or self.complete is None:
            return None
        body = bytes(self._buffer[:lines_end]).rstrip(b"\r\n")
        if not self.complete(body):
            return None
        del self._buffer[:lines_end]
        self._state, headers = "seek", self._headers  # the next delimiter opens the next part
        self._headers, self._length = {}, None
        return Part(headers, body)
