"""The snapshot plug-in: one JPEG URL per profile, behind HTTP Digest (or Basic).

Digest is what most cameras want; BASIC_AUTH_SNAPSHOT makes it Basic, and CREDENTIALS_IN_URIS
also lets ``?user=...&password=...`` in the URL through, the way the URIs that quirk advertises
carry them.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, ClassVar

from aiohttp import web

from ..quirks import Quirk
from ..render import SnapshotRenderer
from ..state import SNAPSHOT
from .base import Service, ServiceContext, drop_connection

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

    from ..profiles import StreamProfile


class SnapshotService(Service):
    """``snapshot``: GET ``path`` (formatted with the profile token) answers a JPEG."""

    name: ClassVar[str] = "snapshot"
    path: ClassVar[str] = "/snapshot/{token}.jpg"

    def __init__(self, context: ServiceContext) -> None:
        """Tell the camera state where snapshots are, so Media can advertise them."""
        super().__init__(context)
        self.state.snapshot_path = self.path
        self._renderer = SnapshotRenderer(self.state.config.name)

    def register(self, router: web.UrlDispatcher) -> None:
        """One GET route per profile."""
        for profile in self.state.profiles:
            router.add_get(self.path.format(token=profile.token), self._handler(profile))

    def _handler(self, profile: StreamProfile) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self.handle(request, profile)

        return handle

    def _query_credentials(self, request: web.Request) -> bool:
        if Quirk.CREDENTIALS_IN_URIS not in self.state.quirks:
            return False
        user, password = request.query.get("user"), request.query.get("password")
        if user is None or password is None:
            return False
        return hmac.compare_digest(user.encode(), self.state.username.encode()) and (
            hmac.compare_digest(password.encode(), self.state.password.encode())
        )

    def _authorized(self, request: web.Request, *, basic: bool) -> bool:
        state = self.state
        authorization = request.headers.get("Authorization", "")
        if self._query_credentials(request):
            return True
        if basic:
            return state.http_auth.check_basic(authorization, state.username, state.password)
        return any(
            state.http_auth.check_digest(
                authorization, request.method, uri, state.username, state.password
            )
            for uri in {request.path_qs, request.raw_path}
        )

    async def handle(self, request: web.Request, profile: StreamProfile) -> web.StreamResponse:
        """Count, delay, authenticate, render."""
        state = self.state
        if not state.online:
            drop_connection(request)  # arrived while the camera is going offline
        state.record(SNAPSHOT, soap=False)
        if not await state.hold(SNAPSHOT, soap=False):
            drop_connection(request)
        basic = Quirk.BASIC_AUTH_SNAPSHOT in state.quirks
        if not self._authorized(request, basic=basic):
            return self.context.behaviour.http_challenge(state, basic=basic)
        jpeg = self._renderer.jpeg(profile, state.now())
        state.snapshot_requests += 1
        return web.Response(body=jpeg, content_type="image/jpeg")
