"""An Annke camera of the line that is not a Hikvision: its maker is not known.

Scanners call Annke's IP line a Hikvision OEM, but no primary source says so, and another Annke
line answers with the web server ``MWS 0.01`` (recog; an ieGeek camera on the MIPC platform
sends the same). This camera is that line: ONVIF says "ANNKE", the web server says
``MWS 0.01``, and its MAC is locally administered, so nothing establishes a maker — the
identification must say "unknown", not guess Hikvision. Model and firmware strings are made up.
"""

from __future__ import annotations

from typing import Final

from ..persona import Identity, Persona
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web import WebRootService

ANNKE: Final = Persona(
    name="annke",
    description="an Annke camera of a non-Hikvision line (maker unknown)",
    identity=Identity(
        name="ANNKE Camera",
        manufacturer="ANNKE",
        model="C500",
        firmware="V5.1.10.2104151205",
        serial="ANK2104150001",
        mac="02:a4:4e:00:00:01",
        hardware_id="C500",
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
    server_header="MWS 0.01",
)
