"""The Hikvision ISAPI plug-in: device info, event triggers and the alert stream.

``GET /ISAPI/Event/notification/alertStream`` answers ``multipart/mixed; boundary=boundary``
with one ``application/xml`` part per alert. A detection that starts is an ``active`` alert,
repeated every ``CameraConfig.repeat_interval`` seconds while it lasts (``activePostCount``
counts them); its end is one ``inactive`` alert, unless NO_INACTIVE (many NVRs) or
DROPS_OFF_MESSAGES keep it back, so that it ends only by its repeats stopping. After
``heartbeat_interval`` seconds without a part (10 by default) the stream says ``videoloss``
``inactive``: the heartbeat clients watch for.
"""

from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, ClassVar, Final

from aiohttp import web

from ..quirks import Quirk
from . import isapi_xml
from .vendor import EventStreamService, StreamConnection

if TYPE_CHECKING:
    from ..detections import Detection
    from .vendor import Part

DEVICE_INFO_PATH: Final = "/ISAPI/System/deviceInfo"
TRIGGERS_PATH: Final = "/ISAPI/Event/triggers"
ALERT_STREAM_PATH: Final = "/ISAPI/Event/notification/alertStream"
XML_TYPE: Final = 'application/xml; charset="UTF-8"'
DEFAULT_HEARTBEAT: Final = 10.0


class IsapiService(EventStreamService):
    """``hikvision/isapi``: the ISAPI endpoints Homebound reads."""

    name: ClassVar[str] = "hikvision/isapi"
    media_type: ClassVar[str] = "multipart/mixed"
    boundary: ClassVar[str] = "boundary"
    part_type: ClassVar[str] = XML_TYPE
    stream_name: ClassVar[str] = ALERT_STREAM_PATH.removeprefix("/")

    def register(self, router: web.UrlDispatcher) -> None:
        """Serve the three GETs."""
        router.add_get(DEVICE_INFO_PATH, self.get_device_info)
        router.add_get(TRIGGERS_PATH, self.get_triggers)
        router.add_get(ALERT_STREAM_PATH, self.stream)

    def _xml(self, lines: list[str]) -> web.Response:
        return web.Response(
            body=("\r\n".join(lines) + "\r\n").encode(), headers={"Content-Type": XML_TYPE}
        )

    async def get_device_info(self, request: web.Request) -> web.StreamResponse:
        """DeviceInfo: model, serial, MAC, firmware."""
        refused = await self.admit(request, DEVICE_INFO_PATH.removeprefix("/"))
        return refused or self._xml(isapi_xml.device_info(self.state))

    async def get_triggers(self, request: web.Request) -> web.StreamResponse:
        """EventTriggerList of the kinds the persona has set up."""
        refused = await self.admit(request, TRIGGERS_PATH.removeprefix("/"))
        return refused or self._xml(isapi_xml.triggers(self.context.persona.kinds))

    # --- the alert stream -----------------------------------------------------------------

    def heartbeat_of(self, request: web.Request) -> float:
        """``heartbeat_interval``, or ten seconds."""
        return self.state.config.heartbeat_interval or DEFAULT_HEARTBEAT

    def render(self, connection: StreamConnection, detection: Detection) -> list[Part]:
        """Write a start as its first ``active``, an end as ``inactive`` (unless NO_INACTIVE)."""
        state = self.state
        if detection.active:
            count = 1
            if not detection.pulse:
                connection.counts[detection.key] = count
                now = asyncio.get_running_loop().time()
                connection.next_repeat = min(
                    connection.next_repeat, now + state.config.repeat_interval
                )
            return [("active", isapi_xml.detection_alert(state, detection, True, count))]
        count = connection.counts.pop(detection.key, 0)
        if Quirk.NO_INACTIVE in state.quirks:
            return []
        return [("inactive", isapi_xml.detection_alert(state, detection, False, count))]

    def scheduled(self, connection: StreamConnection, now: float) -> list[Part]:
        """Repeats of what is ongoing; a heartbeat after a quiet spell."""
        state = self.state
        parts: list[Part] = []
        ongoing = self.context.events.ongoing
        if now >= connection.next_repeat:
            connection.next_repeat = now + state.config.repeat_interval if ongoing else math.inf
            for key, detection in ongoing.items():
                count = connection.counts.get(key, 0) + 1
                connection.counts[key] = count
                parts.append(("active", isapi_xml.detection_alert(state, detection, True, count)))
        elif ongoing and math.isinf(connection.next_repeat):
            # Started before this stream was opened: repeated from now on.
            connection.next_repeat = now + state.config.repeat_interval
        if not parts and now - connection.last_sent >= connection.heartbeat:
            parts.append(("heartbeat", isapi_xml.heartbeat(state)))
        return parts

    def next_due(self, connection: StreamConnection) -> float:
        """Return when the next repeat is due, or when quiet calls for a heartbeat."""
        return min(connection.next_repeat, connection.last_sent + connection.heartbeat)
