"""Fetch JPEG snapshots over HTTP with whichever authentication the camera wants.

Home Assistant gives a camera 10 seconds to produce an image. A snapshot URL that hangs must
not use them all up: every fetch has a total budget (:data:`SNAPSHOT_BUDGET`, both
authentication attempts included), so the caller still has time to take a frame from the stream
instead. A camera whose snapshot URL failed is not asked again for a while
(:data:`FAILURE_BACKOFF`): its images come from the stream until then, instead of every request
waiting for the same failure. Requests that arrive while a fetch is under way share it rather
than queueing behind it.

An image is taken only whole: read to its end (:func:`~.body.read_body`; one ``read(n)``
returns what has arrived, and cameras hand large JPEGs over in pieces) and ending with the
JPEG end marker. A cut image is an error, never a picture: Home Assistant then takes a frame
from the stream.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
import logging
import time
from typing import Final, Literal

import aiohttp
from yarl import URL

from .body import BodyTooLargeError, IncompleteBodyError, read_body
from .errors import CameraAuthError, CameraError, CameraUnreachableError, SnapshotError

_LOGGER = logging.getLogger(__name__)

type AuthScheme = Literal["none", "digest", "basic"]

JPEG_MAGIC: Final = b"\xff\xd8"
JPEG_END: Final = b"\xff\xd9"
JPEG_PADDING: Final = b"\x00\r\n\t "
MAX_SNAPSHOT_BYTES: Final = 16 * 1024 * 1024
SNAPSHOT_BUDGET: Final = 4.0
"""Seconds one snapshot may take in all, authentication round trips included."""
FAILURE_BACKOFF: Final = 600.0
"""Seconds a camera's snapshot URL rests after it failed."""


def jpeg_whole(image: bytes) -> bool:
    """Whether a JPEG ends with its End Of Image marker (a cut one does not).

    In the compressed data a 0xFF byte is always followed by 0x00 or a restart marker, so
    0xFF 0xD9 at the end is the image's own end, not a byte pair that happened to be there.
    Padding some firmwares add after it (zeros, line ends) is allowed.
    """
    return image.rstrip(JPEG_PADDING).endswith(JPEG_END)


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
        budget: float = SNAPSHOT_BUDGET,
        backoff: float = FAILURE_BACKOFF,
        observers: tuple[aiohttp.ClientMiddlewareType, ...] = (),
    ) -> None:
        """Use the caller's HTTP session (Home Assistant's shared one).

        ``observers`` are middlewares that watch each answer (a fingerprint recorder).
        """
        self._session = session
        self._username = username
        self._password = password
        self._budget = budget
        self._backoff = backoff
        self._digest = aiohttp.DigestAuthMiddleware(username, password) if username else None
        self._observers = observers
        self._inflight: dict[str, asyncio.Task[bytes]] = {}
        self._resting_until = 0.0
        self.scheme: AuthScheme | None = None
        self.last_error: str | None = None

    @property
    def resting(self) -> bool:
        """Whether the snapshot URL failed recently and is not asked for now."""
        return time.monotonic() < self._resting_until

    async def fetch(self, uri: str) -> bytes:
        """Return the JPEG behind ``uri``.

        Raises CameraAuthError when every scheme is refused, CameraUnreachableError on network
        failures or when the budget runs out, SnapshotError for any other bad answer and while
        the URL rests after a failure.
        """
        if self.resting:
            raise SnapshotError(f"the snapshot address is resting after: {self.last_error}")
        task = self._inflight.get(uri)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch_within_budget(uri))
            self._inflight[uri] = task
            task.add_done_callback(self._forget(uri))
        return await asyncio.shield(task)

    def _forget(self, uri: str) -> Callable[[asyncio.Task[bytes]], None]:
        def done(task: asyncio.Task[bytes]) -> None:
            self._inflight.pop(uri, None)
            if not task.cancelled():
                task.exception()  # retrieved here: every waiter may have been cancelled

        return done

    async def _fetch_within_budget(self, uri: str) -> bytes:
        try:
            async with asyncio.timeout(self._budget):
                image = await self._fetch(uri)
        except TimeoutError as err:
            self._rest(f"no answer within {self._budget:.0f} s")
            raise CameraUnreachableError(
                f"the snapshot did not arrive within {self._budget:.0f} s"
            ) from err
        except CameraError as err:
            self._rest(str(err))
            raise
        self.last_error = None
        return image

    def _rest(self, reason: str) -> None:
        if self.last_error is None:
            _LOGGER.debug(
                "Snapshots failed (%s); using frames from the stream for %.0f s",
                reason,
                self._backoff,
            )
        self.last_error = reason
        self._resting_until = time.monotonic() + self._backoff

    async def _fetch(self, uri: str) -> bytes:
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
        for scheme in candidates:
            status, body, challenge = await self._get(url, scheme)
            if status == 200:
                if not body.startswith(JPEG_MAGIC):
                    raise SnapshotError(f"the snapshot at {url.path} is not a JPEG image")
                if not jpeg_whole(body):
                    raise SnapshotError(f"the snapshot at {url.path} is cut short")
                if self.scheme != scheme:
                    _LOGGER.debug("Snapshots from %s use %s authentication", url.host, scheme)
                self.scheme = scheme
                return body
            if status not in (401, 403):
                raise SnapshotError(f"the camera answered HTTP {status} for its snapshot")
            if scheme == "digest" and "basic" not in challenge.lower():
                # The camera did not offer Basic: trying it would only send the
                # password in clear text for nothing.
                break
        # Every scheme tried was refused (each other answer returned or raised above).
        self.scheme = None
        raise CameraAuthError("the camera refused the credentials for its snapshot")

    async def _get(self, url: URL, scheme: AuthScheme) -> tuple[int, bytes, str]:
        headers: dict[str, str] = {}
        middlewares: tuple[aiohttp.ClientMiddlewareType, ...] = ()
        if scheme == "basic":
            headers[aiohttp.hdrs.AUTHORIZATION] = basic_authorization(
                self._username, self._password
            )
        elif scheme == "digest" and self._digest is not None:
            middlewares = (self._digest,)
        middlewares += self._observers
        try:
            async with self._session.get(
                url, headers=headers, middlewares=middlewares, allow_redirects=True
            ) as response:
                challenge = response.headers.get(aiohttp.hdrs.WWW_AUTHENTICATE, "")
                if response.status != 200:
                    return response.status, b"", challenge
                body = await read_body(
                    response.content, MAX_SNAPSHOT_BYTES, expected=response.content_length
                )
                return response.status, body, challenge
        except BodyTooLargeError as err:
            raise SnapshotError("the snapshot is too large") from err
        except IncompleteBodyError as err:
            raise CameraUnreachableError(f"the snapshot was cut short: {err}") from err
        except (aiohttp.ClientError, OSError) as err:
            raise CameraUnreachableError(f"snapshot request failed: {type(err).__name__}") from err
