"""The SOAP endpoint every ONVIF service plug-in shares: one request's way through the camera.

read -> (HTTP Digest, with SOAP_HTTP_DIGEST) -> parse -> count -> delay -> WS-UsernameToken ->
operation -> answer. The order is the one cameras show: a request is counted (and can be waited
for) even when it is refused or delayed, and a request whose connection was dropped while it was
held (offline, reboot, stop) gets no answer at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, ClassVar

from aiohttp import web

from ...errors import FaultError
from ...quirks import Quirk
from ...soap import (
    ACTION_NOT_SUPPORTED,
    NOT_AUTHORIZED,
    SOAP_CONTENT_TYPE,
    Fault,
    SoapParseError,
    add_addressing,
    check_username_token,
    new_envelope,
    parse_request,
    response_action,
    serialize,
)
from ..base import Service, drop_connection

if TYPE_CHECKING:
    from lxml import etree
    from lxml.etree import _Element

    from ...soap import SoapRequest
    from ...state import CameraState

type Operation = Callable[[CameraState, SoapRequest, _Element], Awaitable[None]]
"""A SOAP operation: read the request, write the answer into the (empty) Body."""
type Resolver = Callable[[SoapRequest], Operation | None]


class OnvifService(Service):
    """An ONVIF service at one path, with its operations keyed by (namespace, local name)."""

    namespace: ClassVar[str]
    prefix: ClassVar[str]
    """The prefix of its namespace in ``soap.NS`` (``tds``, ``trt``, ...)."""
    path: ClassVar[str]
    open_operations: ClassVar[frozenset[str]] = frozenset()
    """Operations answered without authentication."""

    def operations(self) -> Mapping[tuple[str, str], Operation]:
        """Return the operations served at ``path``."""
        raise NotImplementedError

    def available(self) -> bool:
        """Whether the camera serves and advertises this service right now."""
        return True

    def xaddr(self) -> str:
        """Return the service's address (GetServices, GetCapabilities)."""
        return self.state.url(self.path)

    def write_capabilities(self, parent: etree._Element) -> None:
        """Fill the service's ``<prefix>:Capabilities`` element (GetServices)."""
        raise NotImplementedError

    def needs_auth(self, request: SoapRequest) -> bool:
        """Whether this operation wants the caller authenticated."""
        return request.name not in self.open_operations

    def register(self, router: web.UrlDispatcher) -> None:
        """Serve the operations at ``path``."""
        router.add_post(self.path, self.handle)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one POST at ``path``."""
        if not self.available():
            raise web.HTTPNotFound
        operations = self.operations()
        return await self.serve(request, lambda soap: operations.get((soap.namespace, soap.name)))

    async def serve(self, request: web.Request, resolve: Resolver) -> web.StreamResponse:
        """Take one SOAP request through the camera; ``resolve`` finds its operation."""
        state, behaviour = self.state, self.context.behaviour
        if not state.online:
            drop_connection(request)  # arrived while the camera is going offline
        generation = state.generation
        digest = Quirk.SOAP_HTTP_DIGEST in state.quirks
        digest_ok = digest and any(
            state.http_auth.check_digest(
                request.headers.get("Authorization", ""),
                request.method,
                uri,
                state.username,
                state.password,
            )
            for uri in {request.path_qs, request.raw_path}
        )
        data = await request.read()
        try:
            soap = parse_request(data)
        except SoapParseError as err:
            if digest and not digest_ok:
                return behaviour.soap_digest_challenge(state)
            return behaviour.soap_fault(state, Fault("env:Sender", ("ter:WellFormed",), str(err)))
        state.record(soap.name)
        if not await state.hold(soap.name):
            drop_connection(request)
        if self.needs_auth(soap):
            if digest:
                if not digest_ok:
                    return behaviour.soap_digest_challenge(state)
            elif not check_username_token(soap, state.username, state.password, state.now()):
                return behaviour.soap_unauthorized(state, NOT_AUTHORIZED)
        if (injected := state.fault_of(soap.name)) is not None:
            return behaviour.soap_fault(state, injected)
        operation = resolve(soap)
        if operation is None:
            return behaviour.soap_fault(state, ACTION_NOT_SUPPORTED)
        envelope, header, body = new_envelope()
        fault: Fault | None = None
        try:
            await operation(state, soap, body)
        except FaultError as err:
            fault = err.fault
        if state.generation != generation:
            drop_connection(request)  # went away while the request waited (a long poll)
        if fault is not None:
            return behaviour.soap_fault(state, fault)
        add_addressing(header, soap, response_action(soap))
        return web.Response(
            body=serialize(envelope), content_type=SOAP_CONTENT_TYPE, charset="utf-8"
        )
