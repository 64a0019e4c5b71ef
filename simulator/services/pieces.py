"""Bodies written in small pieces with pauses: what a slow or busy camera's TCP stack does.

On loopback a whole body arrives in one segment, so a client that takes one
``content.read(n)`` for the whole of it never fails here; in the field it gets whatever has
arrived (a held-out camera's 259,494-byte JPEG came back as 112,933 bytes, a Notify POST was
cut at 1,400 of 3,025 bytes). With BODIES_IN_PIECES on, every body the camera writes — its
HTTP answers (through :func:`middleware`), vendor stream parts and the Notify POSTs it sends
(through :func:`pieces`) — goes out :data:`PIECE_BYTES` at a time with :data:`PIECE_PAUSE`
between pieces. The Content-Length stays the body's whole length, as a camera's would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Final

from aiohttp import web

from ..quirks import Quirk

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler, Middleware

    from ..state import CameraState

PIECE_BYTES: Final = 128
"""Bytes per piece: smaller than any event part, so that even those arrive split."""
PIECE_PAUSE: Final = 0.002
"""Seconds between pieces: long enough for the reader to wake up between two of them."""


def in_pieces(state: CameraState) -> bool:
    """Whether the camera writes its bodies in pieces right now."""
    return Quirk.BODIES_IN_PIECES in state.quirks


async def pieces(body: bytes) -> AsyncIterator[bytes]:
    """Yield ``body`` in pieces, pausing before each but the first."""
    for start in range(0, len(body), PIECE_BYTES):
        if start:
            await asyncio.sleep(PIECE_PAUSE)
        yield body[start : start + PIECE_BYTES]


async def write(response: web.StreamResponse, body: bytes, state: CameraState) -> None:
    """Write ``body`` on a prepared response: at once, or in pieces under the quirk."""
    if not in_pieces(state):
        await response.write(body)
        return
    async for piece in pieces(body):
        await response.write(piece)


def middleware(state: CameraState) -> Middleware:
    """Re-send every finished answer of the camera's web server in pieces under the quirk.

    One place for every plain answer (snapshot, ISAPI, CGI, SOAP), so that the handlers stay
    as they are; streamed answers (the event streams) write their parts through :func:`write`.
    """

    @web.middleware
    async def answer_in_pieces(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        body = response.body if isinstance(response, web.Response) else None
        if not in_pieces(state) or not isinstance(body, bytes) or len(body) <= PIECE_BYTES:
            return response
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        streamed = web.StreamResponse(status=response.status, reason=response.reason)
        streamed.headers.update(headers)
        streamed.content_length = len(body)
        await streamed.prepare(request)
        await write(streamed, body, state)
        await streamed.write_eof()
        return streamed

    return answer_in_pieces
