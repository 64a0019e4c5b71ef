"""A Xiongmai XM530 camera of the NETSurveillance / XMEye family, sold under no maker's name.

As the Besder 6024PB-XMA501 investigation shows it (KostasEreksonas on GitHub): ONVIF
manufacturer ``H264``, model ``XM530_50X50-WG_8M``, firmware ``V5.00.R02.00030747.10010.349f17``
(the one the CVE-2025-65856 proof of concept was tested on), a ``NETSurveillance WEB`` web root
and an RTSP server that names itself ``H264DVR rtspd 1.0``; the web server says ``uc-httpd
1.0.0``, as recog lists Xiongmai's. No MAC prefix is registered to Xiongmai, so its MAC is a
locally administered one. Only the identity and the wire strings are imitated, not the flaw.
"""

from __future__ import annotations

from typing import Final

from ..persona import Identity, Persona
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web_pages import NetSurveillanceWebRootService

XIONGMAI: Final = Persona(
    name="xiongmai",
    description="a Xiongmai XM530 NETSurveillance camera (ONVIF manufacturer H264)",
    identity=Identity(
        name="NETSurveillance Camera",
        manufacturer="H264",
        model="XM530_50X50-WG_8M",
        firmware="V5.00.R02.00030747.10010.349f17",
        serial="a1b2c3d4e5f60001",
        mac="02:12:12:00:00:01",
        hardware_id="00001",
        location="China",
    ),
    services=(
        DeviceService,
        MediaService,
        Media2Service,
        EventsService,
        SnapshotService,
        NetSurveillanceWebRootService,
    ),
    server_header="uc-httpd 1.0.0",
    rtsp_server="H264DVR rtspd 1.0",
)
