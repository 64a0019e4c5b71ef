"""Multipart framing edge cases of vendor event streams, fed to the parser byte by byte.

The simulator's framings are tried end to end in test_events_framing; these are the shapes
it does not write: stray dashes, a Content-Length that is not a number, a header that never
ends.
"""

from __future__ import annotations

from custom_components.homebound.events import dahua, hikvision
from custom_components.homebound.events.multipart import MultipartStream, Part


def _feed(stream: MultipartStream, data: bytes) -> list[Part]:
    """Feed ``data`` one byte at a time, as a slow connection delivers it."""
    parts: list[Part] = []
    for index in range(len(data)):
        parts.extend(stream.feed(data[index : index + 1]))
    return parts


def test_a_bare_dash_line_does_not_become_the_boundary() -> None:
    """A stream whose Content-Type names no boundary learns it from the first delimiter;
    a line of two dashes alone before it is not taken for one."""
    stream = MultipartStream()
    data = (
        b"--\r\n--myboundary\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
        b"hello\r\n--myboundary\r\n"
    )
    parts = _feed(stream, data)
    assert stream.boundary == "myboundary"
    assert [part.body for part in parts] == [b"hello"]


def test_a_content_length_that_is_no_number_reads_to_the_next_boundary() -> None:
    """Firmware writing ``Content-Length: unknown``: the body runs to the next delimiter."""
    stream = MultipartStream(boundary="b")
    data = (
        b"--b\r\nContent-Length: unknown\r\n\r\nCode=VideoMotion;action=Start;index=0\r\n"
        b"--b\r\nContent-Length: 2\r\n\r\nok\r\n--b\r\n"
    )
    parts = _feed(stream, data)
    assert [part.body for part in parts] == [b"Code=VideoMotion;action=Start;index=0", b"ok"]
    assert stream.dropped == 0


def test_a_header_that_never_ends_is_dropped_and_the_stream_goes_on() -> None:
    """A header line longer than a part may be is dropped (memory stays bounded) and the
    parts after it are read."""
    stream = MultipartStream(boundary="b", max_part=32)
    assert stream.feed(b"--b\r\nX-Junk: " + b"x" * 100) == []
    assert stream.dropped == 1
    parts = stream.feed(b"\r\n--b\r\nContent-Length: 2\r\n\r\nok\r\n--b\r\n")
    assert [part.body for part in parts] == [b"ok"]


def test_a_length_past_the_boundary_ends_at_the_boundary() -> None:
    """``Content-Length: 999`` on a 37-byte part: the part ends at the next delimiter, and
    the next part is read; each such part counts as a framing quirk."""
    stream = MultipartStream(boundary="myboundary")
    line = b"Code=VideoMotion;action=Start;index=0"
    part = b"--myboundary\nContent-Type: text/plain\nContent-Length: 999\n\n" + line + b"\n"
    parts = _feed(stream, part * 3)
    assert [p.body for p in parts] == [line, line]  # the third ends with the next delimiter
    assert stream.framing_quirks == 2
    parts = stream.feed(b"--myboundary\n")
    assert [p.body for p in parts] == [line]
    assert stream.framing_quirks == 3
    assert stream.dropped == 0


def test_a_whole_part_is_not_held_for_a_length_that_runs_past_it() -> None:
    """With ``complete``, a part whole before its stated length is yielded at once; the
    length's disagreement with the boundary is counted when the next delimiter comes."""
    stream = MultipartStream(boundary="myboundary", complete=dahua.part_complete)
    head = b"--myboundary\r\nContent-Length: 999\r\n\r\n"
    [part] = stream.feed(head + b"Code=VideoMotion;action=Start;index=0\r\n")
    assert part.body == b"Code=VideoMotion;action=Start;index=0"
    assert stream.framing_quirks == 0
    [beat] = stream.feed(head + b"Heartbeat\r\n")
    assert beat.body == b"Heartbeat"
    assert stream.framing_quirks == 1


def test_a_length_that_stops_short_runs_on_to_the_boundary() -> None:
    """A part longer than it says is read to the boundary, not cut at its length."""
    stream = MultipartStream(boundary="boundary", complete=hikvision.alert_complete)
    alert = b"<EventNotificationAlert><eventType>VMD</eventType></EventNotificationAlert>"
    data = b"--boundary\r\nContent-Length: 10\r\n\r\n" + alert + b"\r\n--boundary\r\n"
    parts = _feed(stream, data)
    assert [p.body for p in parts] == [alert]
    assert stream.framing_quirks == 1


def test_a_length_larger_than_a_part_may_be_is_not_believed() -> None:
    """A stated length beyond the part limit: the small part behind it is still read."""
    stream = MultipartStream(boundary="b", max_part=64)
    data = (
        b"--b\r\nContent-Length: 99999999\r\n\r\nCode=VideoMotion;action=Start;index=0\r\n--b\r\n"
    )
    parts = _feed(stream, data)
    assert [p.body for p in parts] == [b"Code=VideoMotion;action=Start;index=0"]
    assert stream.framing_quirks == 1
    assert stream.dropped == 0


def test_a_right_length_is_no_quirk() -> None:
    """Parts whose length is right (LF or CRLF) count no framing quirk."""
    for eol in (b"\r\n", b"\n"):
        stream = MultipartStream(boundary="b", complete=dahua.part_complete)
        body = b"Code=VideoMotion;action=Start;index=0" + eol
        part = b"--b" + eol + b"Content-Length: %d" % len(body) + eol + eol + body
        assert len(_feed(stream, part * 4)) == 4
        assert stream.framing_quirks == 0
