"""The one boundary between onvif-zeep-async and Homebound: every library error becomes ours.

Every SOAP exchange is awaited through :func:`soap_call`, which bounds it in time and turns
whatever the library stack (onvif-zeep-async, zeep, lxml, aiohttp) raises into a
:class:`~.errors.CameraError` subclass. Code above this module catches only those, so a
``KeyError`` or ``AttributeError`` in our own parsing is a bug that surfaces, not a camera
quirk that is silently swallowed.

What the library stack raises, as seen against real and simulated cameras:

* a SOAP fault: ``zeep.exceptions.Fault`` with code and subcodes (``ter:NotAuthorized`` when
  the WS-UsernameToken is refused);
* an HTTP error status with a body zeep could not read: ``zeep.exceptions.TransportError``;
* a body that is not XML at all (a plain-text HTTP 500, an HTML page, nothing): zeep's loader
  dereferences the missing document and raises ``AttributeError`` from inside zeep;
* malformed XML: ``lxml.etree.XMLSyntaxError`` or ``zeep.exceptions.XMLParseError``;
* onvif-zeep-async's own ``ONVIFError``/``ONVIFAuthError`` (401 on snapshots, missing services);
* network failures and timeouts: ``aiohttp.ClientError``, ``OSError``, ``TimeoutError``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final
import weakref

import aiohttp
import lxml
from lxml.etree import XMLSyntaxError
import onvif
from onvif.exceptions import ONVIFAuthError, ONVIFError
import zeep
from zeep.exceptions import Error as ZeepError, Fault, TransportError

from .errors import (
    CameraAuthError,
    CameraError,
    CameraFaultError,
    CameraProtocolError,
    CameraUnreachableError,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable

# Subcodes and reasons with which cameras refuse a WS-UsernameToken. Compared whole (local
# names, lower case): a fault that merely mentions "auth" somewhere is not a refusal.
_AUTH_SUBCODES: Final = frozenset(
    {"notauthorized", "failedauthentication", "invalidsecuritytoken", "failedcheck"}
)
_AUTH_REASONS: Final = frozenset(
    {
        "sender not authorized",
        "not authorized",
        "notauthorized",
        "unauthorized",
        "authentication failed",
        "authority failure",
        "the security token could not be authenticated or authorized",
    }
)
_AUTH_STATUS: Final = frozenset({401, 403})

# Where exceptions of the library stack come from: an error of one of these generic types that
# was raised inside them is a camera answer they could not digest, not a bug of ours.
_LIBRARY_DIRS: Final = tuple(
    str(Path(module.__file__).parent) for module in (zeep, onvif, lxml) if module.__file__
)
_GENERIC_ERRORS: Final = (AttributeError, KeyError, TypeError, ValueError, IndexError)


def _local(name: Any) -> str:
    """Return the local part of a QName, prefixed string or lxml QName, in lower case."""
    text = str(getattr(name, "localname", None) or getattr(name, "text", None) or name or "")
    return text.rsplit("}", 1)[-1].rsplit(":", 1)[-1].strip().lower()


def fault_codes(fault: Fault) -> tuple[str, ...]:
    """Return the fault's code and subcodes as local names (``Sender``, ``NotAuthorized``)."""
    codes = [_local(fault.code)] if fault.code else []
    codes.extend(_local(code) for code in getattr(fault, "subcodes", None) or [])
    return tuple(code for code in codes if code)


def is_auth_fault(fault: Fault) -> bool:
    """Whether a SOAP fault means the credentials were refused."""
    if _AUTH_SUBCODES.intersection(fault_codes(fault)):
        return True
    reason = " ".join(str(fault.message or "").split()).lower().rstrip(".")
    return reason in _AUTH_REASONS


def _raised_in_library(err: BaseException) -> bool:
    """Whether the innermost frame of ``err`` lies in zeep, onvif-zeep-async or lxml."""
    tb: TracebackType | None = err.__traceback__
    last = None
    while tb is not None:
        last = tb
        tb = tb.tb_next
    return last is not None and last.tb_frame.f_code.co_filename.startswith(_LIBRARY_DIRS)


def translate(err: BaseException, where: str) -> CameraError | None:
    """Return the CameraError for an exception of the library stack; None when it is not one."""
    if isinstance(err, CameraError):
        return err
    if isinstance(err, TimeoutError | aiohttp.ClientError | OSError):
        return CameraUnreachableError(f"{where} did not answer ({type(err).__name__})")
    if isinstance(err, ONVIFAuthError):
        return CameraAuthError(f"{where} refused the credentials")
    if isinstance(err, Fault):
        if is_auth_fault(err):
            return CameraAuthError(f"{where} refused the credentials")
        return CameraFaultError(f"{where} answered a SOAP fault: {err.message}", fault_codes(err))
    if isinstance(err, TransportError):
        if err.status_code in _AUTH_STATUS:
            return CameraAuthError(f"{where} refused the credentials (HTTP {err.status_code})")
        return CameraProtocolError(f"{where} answered HTTP {err.status_code} without SOAP")
    if isinstance(err, XMLSyntaxError | ZeepError):
        return CameraProtocolError(f"{where} answered malformed XML ({type(err).__name__})")
    if isinstance(err, ONVIFError):
        return CameraFaultError(f"{where}: {err.reason}")
    if isinstance(err, _GENERIC_ERRORS) and _raised_in_library(err):
        return CameraProtocolError(f"{where} answered something that is not SOAP")
    return None


_SERVICE_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


async def build_service[T](factory: Awaitable[T]) -> T:
    """Build a library service client, one at a time in this event loop.

    onvif-zeep-async parses each WSDL once per process and caches it, but cameras set up
    concurrently (every entry at Home Assistant's start) all miss the cache together and each
    parse and keep their own copy: measured here, 32 concurrent first loads cost 168 MB more
    than 32 in a row. Building services one after another makes every camera after the first
    find the parsed document; building from a cached document takes milliseconds.
    """
    loop = asyncio.get_running_loop()
    lock = _SERVICE_LOCKS.get(loop)
    if lock is None:
        lock = _SERVICE_LOCKS[loop] = asyncio.Lock()
    async with lock:
        return await factory


class CameraSession:
    """The caller's HTTP session, handed to onvif-zeep-async's transports as their own.

    The library gives every service its own ``aiohttp.ClientSession`` and cannot take one from
    outside; its transport, though, only ever calls ``post``, ``get``, ``closed`` and
    ``timeout`` on the session it holds, and never closes one it was given. Putting this
    object in its place sends all SOAP of a camera through Home Assistant's shared session,
    with an HTTP Digest middleware of the camera's own credentials for firmwares that demand
    Digest on their SOAP endpoints (it only acts on a 401 that carries a Digest challenge).
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        username: str,
        password: str,
        observers: tuple[aiohttp.ClientMiddlewareType, ...] = (),
    ) -> None:
        """Wrap ``session`` for one camera; ``observers`` watch each answer, inside Digest."""
        self._session = session
        self._middlewares: tuple[aiohttp.ClientMiddlewareType, ...] = (
            (aiohttp.DigestAuthMiddleware(username, password),) if username else ()
        ) + observers

    @property
    def closed(self) -> bool:
        """Whether the underlying session is closed."""
        return self._session.closed

    @property
    def timeout(self) -> aiohttp.ClientTimeout:
        """The underlying session's default timeout."""
        return self._session.timeout

    def post(self, url: str, **kwargs: Any) -> Any:
        """POST through the shared session, with the camera's Digest middleware."""
        return self._session.post(url, middlewares=self._middlewares, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        """GET through the shared session, with the camera's Digest middleware."""
        return self._session.get(url, middlewares=self._middlewares, **kwargs)


async def soap_call[T](request: Awaitable[T], *, timeout: float, where: str) -> T:
    """Await one SOAP exchange within ``timeout`` seconds, with library errors translated."""
    try:
        async with asyncio.timeout(timeout):
            return await request
    except Exception as err:
        translated = translate(err, where)
        if translated is None:
            raise
        raise translated from err
