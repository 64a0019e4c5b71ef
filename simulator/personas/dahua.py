"""The Dahua persona: an IPC camera with ONVIF plus the CGI API and its event stream.

Its configuration (the settings that phone home) is served over ``configManager.cgi`` and RPC2
(``services/dahua_config``).

Dahua-shaped HTTP Digest (realm ``Login to <serial>``, decimal nonces, an opaque); its ONVIF
topic set has motion (as ``VideoSource/MotionAlarm``) and tampering (as a global scene change,
the way Dahua reports it), while ``eventManager.cgi?action=getCaps`` lists the rest.
"""

from __future__ import annotations

from typing import Final

from ..detections import MOTION_ALARM, SCENE_CHANGE, Kind, renderings
from ..event_hub import TopicDescription
from ..httpauth import DahuaDigest
from ..persona import Identity, Persona
from ..services.dahua_cgi import DahuaCgiService
from ..services.dahua_config import DahuaConfigService
from ..services.onvif import DeviceService, EventsService, Media2Service, MediaService
from ..services.snapshot import SnapshotService
from ..services.web import WebRootService

DAHUA: Final = Persona(
    name="dahua",
    description="a Dahua IPC camera: ONVIF plus CGI and its event stream",
    identity=Identity(
        name="Dahua Camera",
        manufacturer="Dahua",
        model="IPC-HDW2431T-AS-S2",
        firmware="2.800.0000000.25.R",
        serial="4L01D3FPAZ00001",
        mac="9c:14:63:00:00:01",
        hardware_id="1.00",
        location="China",
    ),
    services=(
        DeviceService,
        MediaService,
        Media2Service,
        EventsService,
        SnapshotService,
        DahuaCgiService,
        DahuaConfigService,
        WebRootService,
    ),
    topics=(
        TopicDescription(
            MOTION_ALARM.topic,
            (("Source", "tt:ReferenceToken", "vs_main"),),
            (("State", "xs:boolean", "false"),),
        ),
        TopicDescription(
            SCENE_CHANGE.topic,
            (("Source", "tt:ReferenceToken", "vs_main"),),
            (("State", "xs:boolean", "false"),),
        ),
    ),
    renderings=renderings({Kind.MOTION: MOTION_ALARM, Kind.TAMPER: SCENE_CHANGE}),
    realm="Login to {serial}",
    authenticator=DahuaDigest,
    kinds=frozenset(
        {
            Kind.MOTION,
            Kind.PERSON,
            Kind.VEHICLE,
            Kind.LINE_CROSSING,
            Kind.INTRUSION,
            Kind.LOITERING,
            Kind.TAMPER,
            Kind.AUDIO,
            Kind.DIGITAL_INPUT,
        }
    ),
)
