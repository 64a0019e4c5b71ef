"""One camera's own HTTP API (Hikvision ISAPI, Dahua CGI and RPC2), through the caller's session.

Every request goes through the caller's ``aiohttp.ClientSession`` (Home Assistant's shared
one) with an HTTP Digest middleware of the camera's credentials, is bounded in time, and has
its body read whole but never more than :data:`MAX_BODY` bytes: the answers come from a device
that may be hostile, and a settings document is a few kilobytes. URLs are sent as written
(``encoded=True``): yarl would send ``DDNS[0]`` as ``DDNS%5B0%5D`` while the Digest middleware
signs what it was given, and firmwares compare the two strictly.

Why a reader of our own: ``StreamReader.read(n)`` returns what has arrived (a body written in
pieces comes back cut), and ``read()`` has no limit. (Helper ``ev`` is adding
``device/body.read_body`` for every body Homebound reads; this one should become a call to it.)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

import aiohttp
from yarl import URL

from .errors import CameraProtocolError, CameraUnreachableError

MAX_BODY: Final = 64 * 1024
"""Largest settings answer taken (real ones are a few kilobytes)."""
REQUEST_TIMEOUT: Final = 10.0
_CHUNK: Final = 16 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: its status and its whole (bounded) body."""

    status: int
    body: bytes

    @property
    def text(self) -> str:
        """The body as text (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")


async def read_bounded(content: aiohttp.StreamReader, limit: int, expected: int | None) -> bytes:
    """Read a body to its end; CameraProtocolError above ``limit`` or short of ``expected``."""
    if expected is not None and expected > limit:
        raise CameraProtocolError(f"the camera announced {expected} bytes; {limit} are allowed")
    data = bytearray()
    while chunk := await content.read(min(_CHUNK, limit + 1 - len(data))):
        data += chunk
        if len(data) > limit:
            raise CameraProtocolError(f"the camera sent more than the {limit} bytes allowed")
    if expected is not None and len(data) != expected:
        raise CameraProtocolError(f"the answer ended after {len(data)} of {expected} bytes")
    return bytes(data)


def query_value(text: str) -> str:
    """Percent-encode a value for a query sent as written (see the module docstring)."""
    return quote(text, safe="")


class VendorHttp:
    """Requests to one camera's web server, with Digest, a time bound and a body bound."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        username: str,
        password: str,
        *,
        timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        """Talk to ``base_url`` (``http://host:port``) as ``username``."""
        self._session = session
        self._base = base_url.rstrip("/")
        self._digest = aiohttp.DigestAuthMiddleware(username, password)
        self._timeout = timeout

    async def request(
        self,
        method: str,
        path: str,
        *,
        data: bytes | None = None,
        content_type: str | None = None,
        digest: bool = True,
    ) -> Answer:
        """Send one request; ``path`` (with its query) is sent as written.

        Raises CameraUnreachableError when nothing answers in time, CameraProtocolError for
        a body too large or cut short.
        """
        url = URL(self._base + path, encoded=True)
        headers = {"Content-Type": content_type} if content_type else {}
        try:
            async with asyncio.timeout(self._timeout):
                async with self._session.request(
                    method,
                    url,
                    data=data,
                    headers=headers,
                    middlewares=(self._digest,) if digest else (),
                    allow_redirects=False,
                ) as response:
                    body = await read_bounded(response.content, MAX_BODY, response.content_length)
                    return Answer(response.status, body)
        except TimeoutError as err:
            raise CameraUnreachableError(f"{method} {url.path} did not answer in time") from err
        except (aiohttp.ClientError, OSError) as err:
            raise CameraUnreachableError(
                f"{method} {url.path} failed: {type(err).__name__}"
            ) from err
