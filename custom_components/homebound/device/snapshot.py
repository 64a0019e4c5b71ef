"""Fetch JPEG snapshots over HTTP with whichever authentication the camera wants."""

from __future__ import annotations

import base64
import logging
from typing import Final, Literal

import aiohttp
from yarl import URL

from .errors import CameraAuthError, CameraUnreachableError, SnapshotError

_LOGGER = logging.getLogger(__name__)

type AuthScheme = Literal["none", "digest", "basic"]

JPEG_MAGIC: Final = b"\xff\xd8"
MAX_SNAPSHOT_BYTES: Final = 16 * 1024 * 1024


def basic_authorization(username: str, password: str) -> str:
    """Return the value of an HTTP Basic ``Authorization`` header.

    Built by hand: aiohttp 3.14 deprecates ``BasicAuth`` and the ``auth=`` parameter, and
    aiohttp 3.13 (Home Assistant 2026.2) has no ``encode_basic_auth`` yet.
    """
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


class SnapshotFetcher:
    """Fetches snapshots from one camera, remembering which authentication scheme works.

    Cameras differ: most want HTTP Digest, some only Basic, a few none. The first fetch finds out
    (Digest first, then Basic when the camera asks for it); later fetches go straight to the
    scheme that worked.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        username: str,
        password: str,
        *,
        timeout: float = 10.0,
    ) -> None:
        """Use the caller's HTTP session (Home Assistant's shared one)."""
        self._session = session
        self._username = username
        self._password = password
        self._timeout = timeout
        self._digest = aiohttp.DigestAuthMiddleware(username, password) if username else None
        self.scheme: AuthScheme | None = None

    async def fetch(self, uri: str) -> bytes:
        """Return the JPEG behind ``uri``.

        Raises CameraAuthError when every scheme is refused, CameraUnreachableError on network
        failures and SnapshotError for any other bad answer.
        """
        url = URL(uri)
        if url.user is not None or url.password is not None:
            url = url.with_user(None)
        candidates: list[AuthScheme]
        if self.scheme is not None:
            candidates = [self.scheme]
        elif self._username:
            candidates = ["digest", "basic"]
        else:
            candidates = ["none"]
        refused = False
        for scheme in candidates:
            status, body, challenge = await self._get(url, scheme)
            if status == 200:
                if not body.startswith(JPEG_MAGIC):
                    raise SnapshotError(f"the snapshot at {url.path} is not a JPEG image")
                if self.scheme != scheme:
                    _LOGGER.debug("Snapshots from %s use %s authentication", url.host, scheme)
                self.scheme = scheme
                return body
            if status in (401, 403):
                refused = True
                if scheme == "digest" and "basic" not in challenge.lower():
                    # The camera did not offer Basic: trying it would only send the
                    # password in clear text for nothing.
                    break
                continue
            raise SnapshotError(f"the camera answered HTTP {status} for its snapshot")
        self.scheme = None
        if refused:
            raise CameraAuthError("the camera refused the credentials for its snapshot")
        raise SnapshotError("no snapshot could be fetched")

    async def _get(self, url: URL, scheme: AuthScheme) -> tuple[int, bytes, str]:
        headers: dict[str, str] = {}
        middlewares: tuple[aiohttp.ClientMiddlewareType, ...] = ()
        if scheme == "basic":
            headers[aiohttp.hdrs.AUTHORIZATION] = basic_authorization(
                self._username, self._password
            )
        elif scheme == "digest" and self._digest is not None:
            middlewares = (self._digest,)
        try:
            async with self._session.get(
                url,
                headers=headers,
                middlewares=middlewares,
                timeout=aiohttp.ClientTimeout(total=self._timeout),
                allow_redirects=True,
            ) as response:
                challenge = response.headers.get(aiohttp.hdrs.WWW_AUTHENTICATE, "")
                if response.status != 200:
                    return response.status, b"", challenge
                if (
                    response.content_length is not None
                    and response.content_length > MAX_SNAPSHOT_BYTES
                ):
                    raise SnapshotError("the snapshot is too large")
                body = await response.content.read(MAX_SNAPSHOT_BYTES + 1)
                if len(body) > MAX_SNAPSHOT_BYTES:
                    raise SnapshotError("the snapshot is too large")
                return response.status, body, challenge
        except (TimeoutError, aiohttp.ClientError, OSError) as err:
            raise CameraUnreachableError(f"snapshot request failed: {type(err).__name__}") from err
