"""What a service plug-in is: a part of the camera's web server that registers its own routes.

A plug-in is made once per camera from a ``ServiceContext`` (the camera state, the persona, the
event hub and its sibling services), registers its routes on the camera's aiohttp router, and
forgets what a reboot forgets in ``reset``. Adding a vendor API is one new module with one
``Service`` subclass, listed in a persona.

A plug-in sees its persona as ``PersonaView``: personas list plug-ins, so they sit above them,
and this module must not import them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, NoReturn, Protocol

from aiohttp import web

if TYPE_CHECKING:
    from ..behaviour import Behaviour
    from ..detections import Kind
    from ..event_hub import EventHub
    from ..identity import Identity
    from ..state import CameraState


class PersonaView(Protocol):
    """What a plug-in may read of its camera's persona (``persona.Persona`` is one)."""

    @property
    def identity(self) -> Identity:
        """Who the camera says it is (its location scope, say)."""
        ...

    @property
    def kinds(self) -> frozenset[Kind]:
        """Detections the camera has set up."""
        ...

    @property
    def behaviour(self) -> Behaviour:
        """How its refusals and faults look."""
        ...


@dataclass
class ServiceContext:
    """What every plug-in of one camera shares."""

    state: CameraState
    persona: PersonaView
    events: EventHub
    services: list[Service] = field(default_factory=list)
    """Every plug-in of the camera, in persona order (filled once all are made)."""

    @property
    def behaviour(self) -> Behaviour:
        """How the persona's refusals and faults look."""
        return self.persona.behaviour


class Service:
    """One plug-in; subclasses name themselves and register their routes."""

    name: ClassVar[str]
    """Plug-in name, e.g. ``onvif/device`` or ``snapshot``."""

    def __init__(self, context: ServiceContext) -> None:
        """Keep the context; nothing is registered yet."""
        self.context = context
        self.state = context.state

    def register(self, router: web.UrlDispatcher) -> None:
        """Add this service's routes to the camera's web server."""
        raise NotImplementedError

    async def reset(self) -> None:
        """Forget what a reboot forgets (subscriptions, sessions); nothing by default."""

    async def close(self) -> None:
        """Release what the service holds when the camera stops; nothing by default."""


def drop_connection(request: web.Request) -> NoReturn:
    """Close the request's connection without an answer (the camera went away meanwhile)."""
    if request.transport is not None:
        request.transport.close()
    raise web.HTTPServiceUnavailable
