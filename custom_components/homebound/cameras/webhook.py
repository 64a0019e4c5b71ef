"""A camera's ONVIF push endpoint: a local-only Home Assistant webhook with a random id.

Requests from any address but the camera's are refused (another host on the LAN must not
forge its events); a body is read whole and bounded (``device.body.read_body``: a Notify
written in pieces is not cut, one too large or never finished is refused) and handed to the
running push source, whichever it is — the one in use or one being probed.
"""

from __future__ import annotations

from collections.abc import Callable
import ipaddress
import secrets
import socket
from typing import Final

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError, get_url

from ..const import DOMAIN, LOGGER
from ..device.body import BodyTooLargeError, IncompleteBodyError, read_body
from ..events.onvif_sources import WebhookSource
from ..events.source import EventSource

MAX_NOTIFY_BYTES: Final = 256 * 1024
NOTIFY_READ_TIMEOUT: Final = 10.0


class CameraWebhook:
    """The webhook of one camera entry (registered once, kept while the entry is loaded)."""

    def __init__(
        self, hass: HomeAssistant, title: str, host: str, target: Callable[[], EventSource | None]
    ) -> None:
        """``target`` returns the running push source (None: no push source runs now)."""
        self.hass = hass
        self._title = title
        self._host = host
        self._target = target
        self.webhook_id: str | None = None
        self.url: str | None = None
        self._camera_ip: str | None = None

    async def async_register(self) -> str | None:
        """Register the webhook (once); return its local URL, or None without one."""
        if self.webhook_id is not None:
            return self.url
        try:
            base = get_url(
                self.hass, allow_external=False, allow_cloud=False, prefer_external=False
            )
        except NoURLAvailableError:
            LOGGER.debug("%s: no local URL for Home Assistant; no ONVIF push", self._title)
            return None
        self._camera_ip = await self._async_camera_ip()
        if self._camera_ip is None:
            # Pushes could not be told from a stranger's: none is taken. The event start
            # goes on without (the vendor stream, PullPoint); a reload asks again.
            LOGGER.debug("%s: %s does not resolve; no ONVIF push", self._title, self._host)
            return None
        self.webhook_id = secrets.token_urlsafe(24)
        webhook.async_register(
            self.hass,
            DOMAIN,
            f"Homebound {self._title}",
            self.webhook_id,
            self._async_handle,
            local_only=True,
            allowed_methods=("POST",),
        )
        self.url = f"{base.rstrip('/')}{webhook.async_generate_path(self.webhook_id)}"
        return self.url

    async def _async_camera_ip(self) -> str | None:
        """Return the address pushes must come from (None: the camera's name does not resolve)."""
        try:
            return str(ipaddress.ip_address(self._host))
        except ValueError:
            pass
        try:
            infos = await self.hass.loop.getaddrinfo(self._host, None, type=socket.SOCK_STREAM)
        except OSError:
            return None
        return str(infos[0][4][0]) if infos else None

    def unregister(self) -> None:
        """Remove the webhook (the entry unloads)."""
        if self.webhook_id is not None:
            webhook.async_unregister(self.hass, self.webhook_id)
            self.webhook_id = self.url = None

    async def _async_handle(
        self, hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        """Take a Notify POST from the camera, and from nothing else."""
        if request.remote is None or request.remote != self._camera_ip:
            LOGGER.debug("%s: refused a webhook POST from %s", self._title, request.remote)
            return web.Response(status=403)
        try:
            body = await read_body(
                request.content,
                MAX_NOTIFY_BYTES,
                expected=request.content_length,
                timeout=NOTIFY_READ_TIMEOUT,
            )
        except BodyTooLargeError:
            return web.Response(status=413)
        except (IncompleteBodyError, TimeoutError):
            return web.Response(status=400)
        source = self._target()
        if isinstance(source, WebhookSource):
            await source.handle_notify(body)
        return web.Response(status=200)
