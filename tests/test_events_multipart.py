"""Multipart framing edge cases of vendor event streams, fed to the parser byte by byte.

The simulator's framings are tried end to end in test_events_framing; these are the shapes
it does not write: stray dashes, a Content-Length that is not a number, a header that never
ends.
"""

from __future__ import annotations

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
