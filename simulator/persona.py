"""Personas: what makes a virtual camera look like one maker's firmware.

A ``Persona`` bundles an identity (the defaults of ``CameraConfig``'s identity fields), the
service plug-ins the camera serves, the quirks and delays it starts with, its event topics, its
profiles, and a ``Behaviour``: how its refusals and faults look on the wire. ``VirtualCamera``
composes a persona and runs it; personas live in ``simulator/personas/`` and are found by name
(``registry``). ``Identity`` and ``Behaviour`` have modules of their own, below the plug-ins
that read them; they are named here too, so a persona module imports all it needs from one place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from .behaviour import GENERIC_BEHAVIOUR, Behaviour
from .detections import ALL_KINDS, ONVIF_RENDERINGS, Kind, OnvifRendering
from .event_hub import GENERIC_TOPICS, TopicDescription
from .httpauth import REALM, HttpAuthenticator
from .identity import Identity
from .lies import TRUTH, Lies
from .profiles import StreamProfile, stream_profiles
from .quirks import Quirk

if TYPE_CHECKING:
    from .services.base import Service, ServiceContext

__all__ = ["Behaviour", "Identity", "Persona", "ProfileFactory", "ServiceFactory"]

type ServiceFactory = Callable[[ServiceContext], Service]
type ProfileFactory = Callable[[str, str], tuple[StreamProfile, ...]]
"""(main codec, sub codec) -> the camera's profiles."""


@dataclass(frozen=True, slots=True)
class Persona:
    """One kind of camera: identity, services, behaviours."""

    name: str
    """What ``CameraConfig.persona`` and ``--persona`` call it."""
    description: str
    identity: Identity
    services: tuple[ServiceFactory, ...]
    """Service plug-ins, in the order their routes are registered."""
    behaviour: Behaviour = GENERIC_BEHAVIOUR
    quirks: frozenset[Quirk] = frozenset()
    """Quirks a camera of this persona starts with (on top of ``CameraConfig.quirks``)."""
    delays: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    """Delays a camera of this persona starts with (see ``VirtualCamera.set_delay``)."""
    topics: tuple[TopicDescription, ...] = GENERIC_TOPICS
    profiles: ProfileFactory = stream_profiles
    realm: str = REALM
    """HTTP authentication realm of its web server; ``{serial}`` and ``{model}`` are filled in."""
    authenticator: type[HttpAuthenticator] = HttpAuthenticator
    """The shape of its HTTP Digest challenges and nonces."""
    renderings: Mapping[Kind, OnvifRendering] = ONVIF_RENDERINGS
    """The ONVIF topic of each detection kind (``detections.renderings`` to override some)."""
    kinds: frozenset[Kind] = ALL_KINDS
    """Detections the camera has set up (what its vendor API lists as triggers or caps)."""
    lies: Lies = TRUTH
    """What a camera of this persona reports about itself instead of the truth, unless its
    ``CameraConfig.lies`` says otherwise."""
    server_header: str | None = None
    """The HTTP ``Server`` header its web server sends (None: aiohttp's own)."""
    rtsp_server: str | None = None
    """The RTSP ``Server`` header (None: GStreamer's own; "": none at all, as Hikvision)."""
