"""The generic persona: a standards-abiding ONVIF Profile S/T camera made by Homebound.

It is what every virtual camera was before personas: device, Media, Media2 and events over
WS-UsernameToken, Digest-protected snapshots, and the three generic event topics. Every quirk
can still be switched on at runtime; none is on by default.
"""

from __future__ import annotations

from typing import Final

from ..persona import Identity, Persona
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web import WebRootService

GENERIC: Final = Persona(
    name="generic",
    description="a standards-abiding ONVIF Profile S/T camera",
    identity=Identity(
        name="Virtual Camera",
        manufacturer="Homebound",
        model="Virtual Camera VC-1",
        firmware="1.0.0",
        serial="HBSIM0001",
        mac="02:48:42:00:00:01",
        hardware_id="VC-1",
    ),
    services=(
        DeviceService,
        MediaService,
        Media2Service,
        EventsService,
        SnapshotService,
        WebRootService,
    ),
)
