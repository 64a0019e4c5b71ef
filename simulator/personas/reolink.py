"""A Reolink camera: its own maker, named by its ONVIF manufacturer and its MAC prefix.

Reolink Innovation registers the EC:71:DB prefix. No Reolink web-server or RTSP string was
found in public sources, so this camera keeps the simulator's own (no fingerprint): what
identifies it is what it reports and what the network sees. Model and firmware strings are
made up in Reolink's format.
"""

from __future__ import annotations

from typing import Final

from ..persona import Identity, Persona
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web import WebRootService

REOLINK: Final = Persona(
    name="reolink",
    description="a Reolink camera (its own maker)",
    identity=Identity(
        name="Reolink Camera",
        manufacturer="Reolink",
        model="RLC-510A",
        firmware="v3.1.0.2347_23061923",
        serial="9527000ABCD0001",
        mac="ec:71:db:00:00:01",
        hardware_id="IPC_523128M5MP",
        location="China",
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
