"""Collect a camera's firmware fingerprint, almost entirely from answers set-up already gets.

What is read, and from where:

* the HTTP ``Server`` header and the realm of every ``401`` challenge of the answers Homebound
  receives anyway — the ONVIF SOAP exchanges of set-up, the snapshot, the vendor endpoints
  (``/ISAPI/System/deviceInfo``, ``/cgi-bin/magicBox.cgi``) that event set-up asks with the
  user's own credentials — through :meth:`FingerprintRecorder.middleware`, an aiohttp client
  middleware the caller adds to those requests (it only reads headers, never a body);
* which vendor endpoint answered, as :func:`events.capabilities.detect_vendor` found it
  (:meth:`FingerprintRecorder.observe_vendor_api`);
* the RTSP ``Server`` string when the caller already has an RTSP answer
  (:meth:`FingerprintRecorder.observe_rtsp_server`); Homebound sends no RTSP request for this.

The one request added is :func:`fetch_root_page`: a single unauthenticated ``GET /`` of the
camera's web root, made once at set-up, redirects not followed, at most 64 KiB read. Why it is
worth it: the web root is what a browser pointed at the camera shows, every firmware family
marks it as its own (Hikvision's redirect to ``/doc/page/login.asp``, Xiongmai's
``NETSurveillance WEB``), and it is the only answer that carries a fingerprint for cameras that
speak neither vendor API, so set-up never asks them anything vendor-specific. It sends no
credentials, changes nothing and is what the camera serves to anyone on the LAN.

Never done here: an exploit or a check of a vulnerability, a login with anything but the user's
own credentials, a port scan, or any request beyond the one above.
"""

from __future__ import annotations

from collections.abc import Mapping
import logging
import re
from typing import Final

import aiohttp

from ..catalog.identify import Fingerprint, clean

_LOGGER = logging.getLogger(__name__)

ROOT_TIMEOUT: Final = 5.0
ROOT_LIMIT: Final = 64 * 1024
MAX_KEPT: Final = 4
"""Distinct Server headers and realms kept (a camera cannot fill memory with new ones)."""
_REALM: Final = re.compile(r'realm\s*=\s*(?:"([^"]*)"|([^\s,]+))', re.IGNORECASE)
_TITLE: Final = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
VENDOR_APIS: Final = frozenset({"isapi", "dahua_cgi"})


def realms_of(challenge: str) -> list[str]:
    """Return the realms named in a ``WWW-Authenticate`` value (one per challenge)."""
    found = (clean(quoted or bare) for quoted, bare in _REALM.findall(challenge))
    return [realm for realm in found if realm]


def _add(kept: list[str], value: str) -> None:
    if value and value not in kept and len(kept) < MAX_KEPT:
        kept.append(value)


class FingerprintRecorder:
    """Gathers what one camera's answers say about its firmware, for :func:`catalog.identify`."""

    def __init__(self) -> None:
        """Start with nothing observed."""
        self._servers: list[str] = []
        self._realms: list[str] = []
        self._apis: list[str] = []
        self._page = ""
        self._title = ""
        self._rtsp = ""

    async def middleware(
        self, request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
    ) -> aiohttp.ClientResponse:
        """Pass the request on and note the answer's headers (an aiohttp client middleware).

        Put it after an authentication middleware (``middlewares=(digest, recorder.middleware)``)
        so that it sees the 401 challenge as well as the final answer.
        """
        response = await handler(request)
        self.observe_headers(response.status, response.headers)
        return response

    def observe_headers(self, status: int, headers: Mapping[str, str]) -> None:
        """Note the ``Server`` header of any answer and the realms of a 401's challenges."""
        _add(self._servers, clean(headers.get("Server", "")))
        if status == 401:
            for realm in realms_of(headers.get("WWW-Authenticate", "")):
                _add(self._realms, realm)

    def observe_vendor_api(self, api: str | None) -> None:
        """Note a vendor endpoint that answered (``isapi``, ``dahua_cgi``); None is ignored."""
        if api in VENDOR_APIS and api not in self._apis:
            self._apis.append(api)

    def observe_rtsp_server(self, server: str) -> None:
        """Note the ``Server`` header of an RTSP answer the caller already has."""
        self._rtsp = clean(server) or self._rtsp

    def observe_root_page(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        """Note the web root: its headers, redirect target, title and (bounded) text."""
        self.observe_headers(status, headers)
        text = body[:ROOT_LIMIT].decode("utf-8", errors="replace")
        if (title := _TITLE.search(text)) is not None:
            self._title = clean(title.group(1))
        location = clean(headers.get("Location", ""), limit=256)
        self._page = f"{location}\n{text}" if location else text

    def fingerprint(self) -> Fingerprint:
        """Return what was observed so far."""
        return Fingerprint(
            http_servers=tuple(self._servers),
            realms=tuple(self._realms),
            root_page=self._page,
            page_title=self._title,
            rtsp_server=self._rtsp,
            vendor_apis=tuple(self._apis),
        )


async def fetch_root_page(
    session: aiohttp.ClientSession,
    base_url: str,
    recorder: FingerprintRecorder,
    *,
    timeout: float = ROOT_TIMEOUT,
) -> bool:
    """Make the one added request: unauthenticated ``GET /``, no redirects (see the module doc).

    Returns whether the camera answered; a camera that does not answer is simply not
    fingerprinted by its web root (nothing raises).
    """
    try:
        async with session.get(
            base_url.rstrip("/") + "/",
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            body = await response.content.read(ROOT_LIMIT)
            recorder.observe_root_page(response.status, response.headers, body)
    except (aiohttp.ClientError, TimeoutError, OSError) as err:
        _LOGGER.debug("The web root did not answer: %s", type(err).__name__)
        return False
    return True
