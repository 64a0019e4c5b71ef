"""How a vendor event stream frames its parts, and the framing quirks firmwares show.

Both Hikvision's alert stream and Dahua's event stream are one HTTP answer whose multipart body
never ends. Real firmwares disagree on the details, and each detail is a quirk: line ends (CRLF
or bare LF), whether a part says its Content-Length, whether the delimiter is ``--boundary``
or ``-- boundary``, whether the Content-Type names the boundary at all, and whether the
Content-Length a part states is its own (a public Dahua fixture says ``999`` for every part).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ..quirks import Quirk

WRONG_LENGTH: Final = 999
"""The Content-Length every part states under STREAM_WRONG_LENGTH."""


@dataclass(frozen=True, slots=True)
class Framing:
    """One stream's framing, fixed when the stream opens."""

    boundary: str
    eol: bytes = b"\r\n"
    content_length: bool = True
    spaced: bool = False
    named: bool = True
    stated_length: int | None = None
    """The Content-Length every part states whatever its size (None: each its own)."""

    @classmethod
    def of(cls, quirks: frozenset[Quirk], boundary: str) -> Framing:
        """Return the framing the camera's quirks give a stream with this boundary."""
        return cls(
            boundary=boundary,
            eol=b"\n" if Quirk.STREAM_LF_ONLY in quirks else b"\r\n",
            content_length=Quirk.STREAM_NO_CONTENT_LENGTH not in quirks,
            spaced=Quirk.STREAM_SPACED_BOUNDARY in quirks,
            named=Quirk.STREAM_UNNAMED_BOUNDARY not in quirks,
            stated_length=WRONG_LENGTH if Quirk.STREAM_WRONG_LENGTH in quirks else None,
        )

    def content_type(self, media_type: str) -> str:
        """Return the HTTP Content-Type of the whole stream (``multipart/…; boundary=…``)."""
        return f"{media_type}; boundary={self.boundary}" if self.named else media_type

    def text(self, lines: list[str]) -> bytes:
        """Join ``lines`` with the stream's line end, ending with one."""
        eol = self.eol.decode()
        return (eol.join(lines) + eol).encode()

    def part(self, content_type: str, body: bytes) -> bytes:
        """One part: delimiter, headers, blank line, ``body`` (which ends with a line end)."""
        delimiter = "-- " if self.spaced else "--"
        headers = [f"{delimiter}{self.boundary}", f"Content-Type: {content_type}"]
        if self.content_length:
            length = len(body) if self.stated_length is None else self.stated_length
            headers.append(f"Content-Length: {length}")
        return self.text([*headers, ""]) + body
