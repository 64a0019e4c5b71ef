"""Helpers for simulator tests of vendor APIs: Digest GETs and raw event stream bytes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
import contextlib
from itertools import pairwise
import re

import aiohttp
from yarl import URL

from simulator import VirtualCamera

WAIT = 10.0


def digest(camera: VirtualCamera) -> aiohttp.DigestAuthMiddleware:
    """A Digest middleware with the camera's credentials."""
    return aiohttp.DigestAuthMiddleware(camera.config.username, camera.config.password)


def url(camera: VirtualCamera, path: str) -> URL:
    """``path`` on the camera, sent as written (``codes=[All]``), as Homebound sends it."""
    return URL(camera.url(path), encoded=True)


async def get(
    session: aiohttp.ClientSession, camera: VirtualCamera, path: str
) -> tuple[int, str, str]:
    """GET ``path`` with Digest: (status, Content-Type header, text)."""
    async with session.get(url(camera, path), middlewares=(digest(camera),)) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


class RawStream:
    """The bytes of an open event stream, read as they come."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        """Read ``response``'s body."""
        self.response = response
        self.data = b""

    async def until(self, condition: Callable[[bytes], bool]) -> bytes:
        """Read until ``condition(all bytes so far)`` holds; return them."""
        async with asyncio.timeout(WAIT):
            while not condition(self.data):
                chunk = await self.response.content.readany()
                assert chunk, "the stream ended"
                self.data += chunk
        return self.data

    async def parts(self, count: int, delimiter: bytes) -> list[bytes]:
        """Read until ``count`` parts are complete (their next delimiter came); return them.

        Each part is returned from its delimiter line to the byte before the next.
        """
        pattern = re.compile(re.escape(delimiter) + rb"\r?\n")
        await self.until(lambda data: len(pattern.findall(data)) > count)
        starts = [match.start() for match in pattern.finditer(self.data)]
        return [self.data[a:b] for a, b in pairwise(starts)][:count]


@contextlib.asynccontextmanager
async def raw_stream(
    session: aiohttp.ClientSession, camera: VirtualCamera, path: str
) -> AsyncIterator[RawStream]:
    """Open an event stream (Digest), wait until the camera has it open, yield its bytes."""
    async with session.get(url(camera, path), middlewares=(digest(camera),)) as response:
        assert response.status == 200, await response.text()
        await camera.state.wait_until(lambda: bool(camera.events.listeners), WAIT)
        yield RawStream(response)
