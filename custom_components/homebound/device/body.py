"""Reading an HTTP body whole, and no more of it than a limit.

``StreamReader.read(n)`` returns what has arrived, not ``n`` bytes: a camera whose TCP stack
hands a body over in pieces (a busy one, one behind a slow link) gets cut at the first piece —
a held-out camera's 259,494-byte JPEG came back as 112,933 bytes, a Notify POST was cut at
1,400 of 3,025 bytes. Every body Homebound reads (snapshots, the cameras' own APIs, the
webhook's Notify POSTs) goes through :func:`read_body`: to its end, within a size limit, and
checked against the Content-Length the sender stated.

aiohttp's ``read()`` reads to the end but without a limit, so a hostile camera could make it
buffer gigabytes; hence this loop.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import aiohttp

READ_CHUNK: Final = 64 * 1024


class BodyError(ValueError):
    """A body that cannot be taken: larger than allowed, or cut short."""


class BodyTooLargeError(BodyError):
    """The body is (or says it is) larger than the limit (HTTP 413 for a server)."""


class IncompleteBodyError(BodyError):
    """The body ended before the length its sender stated (HTTP 400 for a server)."""


async def read_body(
    content: aiohttp.StreamReader,
    limit: int,
    *,
    expected: int | None = None,
    timeout: float | None = None,
) -> bytes:
    """Return the whole body ``content`` carries: at most ``limit`` bytes, else an error.

    ``expected`` is the Content-Length the sender stated (None when it stated none): a body
    that says it is larger than ``limit`` is refused before a byte of it is read, one that
    ends short of it is an :class:`IncompleteBodyError`. ``timeout`` bounds the whole read
    (a sender trickling a byte a second must not hold the reader for ever); running out of
    it raises TimeoutError. Errors of the connection itself (aiohttp's) pass through.
    """
    if expected is not None and expected > limit:
        raise BodyTooLargeError(f"the body says it has {expected} bytes; {limit} are allowed")
    data = bytearray()
    async with asyncio.timeout(timeout):
        while chunk := await content.read(min(READ_CHUNK, limit + 1 - len(data))):
            data += chunk
            if len(data) > limit:
                raise BodyTooLargeError(f"the body has more than the {limit} bytes allowed")
    if expected is not None and len(data) != expected:
        raise IncompleteBodyError(f"the body ended after {len(data)} of {expected} bytes")
    return bytes(data)
