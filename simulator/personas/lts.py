"""An LTS doorbell that is a Hikvision inside: ONVIF says LTS, everything else says Hikvision.

LTS sells rebadged Hikvision products (the LTH-7132-WIFI doorbell is a Hikvision DS-HD1, per
Sean Blanchfield's 2022 teardown). This camera runs the Hikvision persona's services with
Hikvision's web root (the redirect to ``/doc/page/login.asp``), ``Server: App-webs/``, a Digest
realm shaped ``IP Camera(…)`` as in Hikvision's ISAPI guide, no RTSP ``Server`` header (none in
public Hikvision RTSP captures) and a MAC prefix registered to Hikvision; only its ONVIF
manufacturer says "LTS". The firmware string is made up in Hikvision's format.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from ..persona import Identity
from ..services.web import WebRootService
from ..services.web_pages import HikvisionWebRootService
from .hikvision import HIKVISION, SERVICES

HIKVISION_SERVICES: Final = tuple(
    HikvisionWebRootService if service is WebRootService else service for service in SERVICES
)
"""The Hikvision persona's plug-ins with Hikvision's own web root."""

LTS: Final = dataclasses.replace(
    HIKVISION,
    name="lts",
    description="an LTS doorbell that is a Hikvision inside (ONVIF says LTS)",
    identity=Identity(
        name="LTS Doorbell",
        manufacturer="LTS",
        model="LTH-7132-WIFI",
        firmware="V5.5.3 build 230412",
        serial="LTH-7132-WIFI20230412AAWRJ00000001",
        mac="44:19:b6:00:00:01",
        hardware_id="88",
        location="United States",
    ),
    services=HIKVISION_SERVICES,
    realm="IP Camera(C2183)",
    server_header="App-webs/",
    rtsp_server="",
)
