"""The Dahua CGI plug-in: device type, event capabilities and the event stream.

``GET /cgi-bin/eventManager.cgi?action=attach&codes=[All]&heartbeat=5`` answers
``multipart/x-mixed-replace; boundary=myboundary`` with one ``text/plain`` part per event line:
``Code=VideoMotion;action=Start;index=0`` (``Stop`` when it ends, ``Pulse`` for a happening
without duration; ``index`` counts channels from 0), the rule-based kinds followed by
``;data={…}``, JSON over several lines as the firmware pretty-prints it. ``codes`` filters by
code; a ``Heartbeat`` part comes every ``heartbeat`` seconds (``CameraConfig.heartbeat_interval``
overrides what the request asks). Codes follow python-amcrest and public captures.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar, Final

from aiohttp import web

from ..detections import Detection, Kind
from .vendor import EventStreamService, StreamConnection

if TYPE_CHECKING:
    from .vendor import Part

MAGIC_BOX_PATH: Final = "/cgi-bin/magicBox.cgi"
EVENT_MANAGER_PATH: Final = "/cgi-bin/eventManager.cgi"
DEFAULT_REGION: Final = "Rule1"
BAD_REQUEST: Final = "Error\r\nBad Request!\r\n"

CODES: Final[dict[Kind, str]] = {
    Kind.MOTION: "VideoMotion",
    Kind.PERSON: "SmartMotionHuman",
    Kind.VEHICLE: "SmartMotionVehicle",
    Kind.ANIMAL: "AnimalDetection",
    Kind.FACE: "FaceDetection",
    Kind.LINE_CROSSING: "CrossLineDetection",
    Kind.INTRUSION: "CrossRegionDetection",
    Kind.LOITERING: "WanderDetection",
    Kind.TAMPER: "VideoBlind",
    Kind.AUDIO: "AudioMutation",
    Kind.DIGITAL_INPUT: "AlarmLocal",
}
RULE_KINDS: Final = frozenset({Kind.LINE_CROSSING, Kind.INTRUSION, Kind.LOITERING})
CAPS: Final[dict[Kind, str]] = {
    Kind.MOTION: "MotionDetectSupport",
    Kind.PERSON: "SmartMotionSupport",
    Kind.VEHICLE: "SmartMotionSupport",
    Kind.FACE: "FaceDetectSupport",
    Kind.LINE_CROSSING: "CrossLineSupport",
    Kind.INTRUSION: "CrossRegionSupport",
    Kind.LOITERING: "WanderSupport",
    Kind.TAMPER: "BlindDetectSupport",
    Kind.AUDIO: "AudioDetectSupport",
    Kind.DIGITAL_INPUT: "AlarmInSupport",
}
_ACTIONS: Final = {(True, False): "Start", (False, False): "Stop", (True, True): "Pulse"}


def event_lines(detection: Detection, utc: int) -> list[str]:
    """Return the lines of one event part (``Code=…;action=…;index=…`` and any ``data``)."""
    action = _ACTIONS[(detection.active, detection.pulse)]
    head = f"Code={CODES[detection.kind]};action={action};index={detection.channel - 1}"
    if detection.kind not in RULE_KINDS:
        return [head]
    data = {
        "Class": "Normal",
        "Name": detection.region or DEFAULT_REGION,
        "Object": {"ObjectType": "Human", "ObjectID": 1},
        "UTC": utc,
    }
    text = json.dumps(data, indent="\t", separators=(",", ":\t"))
    first, *rest = text.splitlines()
    return [f"{head};data={first}", *rest]


def _codes(text: str) -> frozenset[str] | None:
    """Return the codes of ``codes=[A,B]`` (lower case); None for ``[All]``."""
    names = {name.strip().lower() for name in text.strip().strip("[]").split(",") if name.strip()}
    return None if not names or "all" in names else frozenset(names)


class DahuaCgiService(EventStreamService):
    """``dahua/cgi``: magicBox and eventManager."""

    name: ClassVar[str] = "dahua/cgi"
    media_type: ClassVar[str] = "multipart/x-mixed-replace"
    boundary: ClassVar[str] = "myboundary"
    part_type: ClassVar[str] = "text/plain"
    stream_name: ClassVar[str] = "eventManager.attach"

    def register(self, router: web.UrlDispatcher) -> None:
        """Serve the two CGIs."""
        router.add_get(MAGIC_BOX_PATH, self.magic_box)
        router.add_get(EVENT_MANAGER_PATH, self.event_manager)

    @staticmethod
    def _text(lines: list[str]) -> web.Response:
        return web.Response(text="".join(f"{line}\r\n" for line in lines))

    async def magic_box(self, request: web.Request) -> web.StreamResponse:
        """``action=getDeviceType`` and ``getVendor``."""
        action = request.query.get("action", "")
        refused = await self.admit(request, f"magicBox.{action}")
        if refused is not None:
            return refused
        config = self.state.config
        if action == "getDeviceType":
            return self._text([f"type={config.model}"])
        if action == "getVendor":
            return self._text([f"vendor={config.manufacturer}"])
        return web.Response(status=400, text=BAD_REQUEST)

    async def event_manager(self, request: web.Request) -> web.StreamResponse:
        """``action=getCaps`` and ``action=attach``."""
        action = request.query.get("action", "")
        if action == "attach":
            if "codes" not in request.query:
                return web.Response(status=400, text=BAD_REQUEST)
            return await self.stream(request)
        refused = await self.admit(request, f"eventManager.{action}")
        if refused is not None:
            return refused
        if action != "getCaps":
            return web.Response(status=400, text=BAD_REQUEST)
        kinds = self.context.persona.kinds
        caps = sorted({CAPS[kind] for kind in kinds if kind in CAPS} | {"LossDetectSupport"})
        return self._text([f"caps.{name}=true" for name in caps])

    # --- the event stream -----------------------------------------------------------------

    def heartbeat_of(self, request: web.Request) -> float:
        """``heartbeat_interval``, else the request's ``heartbeat`` (seconds; 60 without)."""
        if (configured := self.state.config.heartbeat_interval) is not None:
            return configured
        try:
            asked = int(request.query.get("heartbeat", "60"))
        except ValueError:
            asked = 60
        return float(max(asked, 1))

    def _wanted(self, connection: StreamConnection, code: str) -> bool:
        codes = _codes(connection.query.get("codes", "[All]"))
        return codes is None or code.lower() in codes

    def render(self, connection: StreamConnection, detection: Detection) -> list[Part]:
        """Write one event line, if the stream asked for its code."""
        if not self._wanted(connection, CODES[detection.kind]):
            return []
        utc = int(self.state.now().timestamp())
        action = _ACTIONS[(detection.active, detection.pulse)]
        return [(action, event_lines(detection, utc))]

    def scheduled(self, connection: StreamConnection, now: float) -> list[Part]:
        """Send a heartbeat every ``heartbeat`` seconds."""
        if now < connection.next_heartbeat:
            return []
        connection.next_heartbeat = now + connection.heartbeat
        return [("heartbeat", ["Heartbeat"])]
