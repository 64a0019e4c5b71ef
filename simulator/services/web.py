"""The web root plug-in: what a browser pointed at the camera sees (a one-line text page)."""

from __future__ import annotations

from typing import ClassVar

from aiohttp import web

from .base import Service


class WebRootService(Service):
    """``web/root``: GET / names the camera, as a login page would."""

    name: ClassVar[str] = "web/root"

    def register(self, router: web.UrlDispatcher) -> None:
        """GET /."""
        router.add_get("/", self.handle)

    async def handle(self, _request: web.Request) -> web.StreamResponse:
        """Answer the camera's maker, model and name."""
        config = self.state.config
        return web.Response(
            text=f"{config.manufacturer} {config.model} — {config.name}\n",
            content_type="text/plain",
        )
