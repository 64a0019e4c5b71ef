"""Personas: what makes a virtual camera look like one maker's firmware.

A ``Persona`` bundles an identity (the defaults of ``CameraConfig``'s identity fields), the
service plug-ins the camera serves, the quirks and delays it starts with, its event topics, its
profiles, and a ``Behaviour``: how its refusals and faults look on the wire. ``VirtualCamera``
composes a persona and runs it; personas live in ``simulator/personas/`` and are found by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from aiohttp import web

from .detections import ALL_KINDS, ONVIF_RENDERINGS, Kind, OnvifRendering
from .event_hub import GENERIC_TOPICS, TopicDescription
from .httpauth import REALM, HttpAuthenticator
from .profiles import StreamProfile, stream_profiles
from .quirks import Quirk
from .soap import SOAP_CONTENT_TYPE

if TYPE_CHECKING:
    from .services.base import Service, ServiceContext
    from .soap import Fault
    from .state import CameraState

type ServiceFactory = Callable[[ServiceContext], Service]
type ProfileFactory = Callable[[str, str], tuple[StreamProfile, ...]]
"""(main codec, sub codec) -> the camera's profiles."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the camera says it is; each field is the default of the ``CameraConfig`` field."""

    name: str
    manufacturer: str
    model: str
    firmware: str
    serial: str
    mac: str
    hardware_id: str
    location: str = "Homebound"
    """The ``onvif://www.onvif.org/location/country/...`` scope."""

    def numbered(self, number: int) -> Identity:
        """Return the identity of camera ``number`` of several: name, serial, MAC end in it.

        The serial's last four characters and the MAC's last two octets become the number, so
        the first camera of a set keeps the persona's own serial and MAC when they end in 1.
        """
        octets = [*self.mac.split(":")[:4], f"{number // 256:02x}", f"{number % 256:02x}"]
        return dataclasses.replace(
            self,
            name=f"{self.name} {number}",
            serial=f"{self.serial[:-4]}{number:04d}",
            mac=":".join(octets),
        )


class Behaviour:
    """How a camera's refusals and faults look on the wire.

    The quirks that change a shape are read here, so a persona whose firmware answers in its
    own way (an HTML error page, a different status) overrides one method.
    """

    def soap_fault(self, state: CameraState, fault: Fault) -> web.Response:
        """Answer a SOAP request with a fault (plain text with NON_SOAP_FAULTS)."""
        if Quirk.NON_SOAP_FAULTS in state.quirks:
            return web.Response(status=500, text="Internal Server Error", content_type="text/plain")
        return web.Response(
            status=fault.http_status,
            body=fault.to_xml(),
            content_type=SOAP_CONTENT_TYPE,
            charset="utf-8",
        )

    def soap_unauthorized(self, state: CameraState, fault: Fault) -> web.Response:
        """Refuse a WS-UsernameToken: the ``fault``, or a bare 401 with SOAP_401_NO_BODY."""
        if Quirk.SOAP_401_NO_BODY in state.quirks:
            return web.Response(status=401)
        return self.soap_fault(state, fault)

    def soap_digest_challenge(self, state: CameraState) -> web.Response:
        """Refuse a SOAP request without valid HTTP Digest (SOAP_HTTP_DIGEST): 401, no body."""
        return web.Response(
            status=401, headers={"WWW-Authenticate": state.http_auth.digest_challenge()}
        )

    def http_challenge(self, state: CameraState, *, basic: bool) -> web.Response:
        """Refuse a plain HTTP request (a snapshot) with a Digest or Basic challenge."""
        auth = state.http_auth
        challenge = auth.basic_challenge() if basic else auth.digest_challenge()
        return web.Response(
            status=401, text="Unauthorized", headers={"WWW-Authenticate": challenge}
        )


GENERIC_BEHAVIOUR = Behaviour()


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
