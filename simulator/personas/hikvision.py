"""Hikvision personas: an AcuSense-era IP camera and an NVR that never says "inactive".

Both are the generic camera's ONVIF services plus the ISAPI plug-ins (events; the settings
that phone home, ``isapi_settings``), behind Hikvision-shaped
HTTP Digest (realm ``IP Camera(…)``, hex-of-base64 nonces) with the XML ``userCheck`` body a
refused ISAPI request gets. Their ONVIF topic sets declare motion and tampering only, as
Hikvision firmwares do; the rest of what they have set up is in ``/ISAPI/Event/triggers``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from aiohttp import web

from ..detections import Kind
from ..event_hub import GENERIC_TOPICS
from ..httpauth import HikvisionDigest
from ..persona import Behaviour, Identity, Persona
from ..quirks import Quirk
from ..services.isapi import IsapiService
from ..services.isapi_settings import IsapiSettingsService
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web import WebRootService

if TYPE_CHECKING:
    from ..state import CameraState

USER_CHECK_401: Final = (
    '<?xml version="1.0" encoding="UTF-8"?>\r\n'
    '<userCheck version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">\r\n'
    "<statusValue>401</statusValue>\r\n<statusString>Unauthorized</statusString>\r\n"
    "</userCheck>\r\n"
)


class HikvisionBehaviour(Behaviour):
    """A refused HTTP request gets Hikvision's ``userCheck`` XML, not plain text."""

    def http_challenge(self, state: CameraState, *, basic: bool) -> web.Response:
        """401 with the Digest (or Basic) challenge and the userCheck body."""
        auth = state.http_auth
        challenge = auth.basic_challenge() if basic else auth.digest_challenge()
        return web.Response(
            status=401,
            body=USER_CHECK_401.encode(),
            headers={"WWW-Authenticate": challenge, "Content-Type": "application/xml"},
        )


SERVICES: Final = (
    DeviceService,
    MediaService,
    Media2Service,
    EventsService,
    SnapshotService,
    IsapiService,
    IsapiSettingsService,
    WebRootService,
)
KINDS: Final = frozenset(
    {
        Kind.MOTION,
        Kind.PERSON,
        Kind.VEHICLE,
        Kind.LINE_CROSSING,
        Kind.INTRUSION,
        Kind.TAMPER,
        Kind.AUDIO,
        Kind.DIGITAL_INPUT,
    }
)
TOPICS: Final = GENERIC_TOPICS
"""VideoSource/MotionAlarm, CellMotionDetector/Motion and TamperDetector/Tamper."""

HIKVISION: Final = Persona(
    name="hikvision",
    description="a Hikvision DS-2CD camera: ONVIF plus ISAPI and its alert stream",
    identity=Identity(
        name="Hikvision Camera",
        manufacturer="HIKVISION",
        model="DS-2CD2043G2-I",
        firmware="V5.7.15 build 230620",
        serial="DS-2CD2043G2-I20230620AAWRJ00000001",
        mac="24:28:fd:00:00:01",
        hardware_id="88",
        location="China",
    ),
    services=SERVICES,
    behaviour=HikvisionBehaviour(),
    topics=TOPICS,
    realm="IP Camera(J2914)",
    authenticator=HikvisionDigest,
    kinds=KINDS,
)

HIKVISION_NVR: Final = Persona(
    name="hikvision-nvr",
    description="a Hikvision DS-7600 NVR whose alert stream never says inactive",
    identity=Identity(
        name="Hikvision NVR",
        manufacturer="HIKVISION",
        model="DS-7608NI-K2",
        firmware="V4.62.210 build 230415",
        serial="DS-7608NI-K20820230415CCRRJ00000001",
        mac="c0:56:e3:00:00:01",
        hardware_id="0x0",
        location="China",
    ),
    services=SERVICES,
    behaviour=HikvisionBehaviour(),
    quirks=frozenset({Quirk.NO_INACTIVE}),
    topics=TOPICS,
    realm="DVRNVRDVS",
    authenticator=HikvisionDigest,
    kinds=KINDS,
)
