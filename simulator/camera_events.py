"""The event controls of a virtual camera: raw ONVIF events, detections, bursts, streams.

``VirtualCamera`` takes these from ``CameraEvents``, so that what a test or the control API
does to a camera's events reads in one place; the work is done by its ``EventHub`` and the
vendor stream plug-ins.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from .config import check_interval
from .detections import Detection, check_detection
from .services.vendor import StreamConnection

if TYPE_CHECKING:
    from collections import Counter

    from .config import CameraConfig
    from .event_hub import EventHub
    from .state import CameraState


class CameraEvents:
    """Event controls; mixed into ``VirtualCamera``."""

    config: CameraConfig
    state: CameraState
    events: EventHub

    def trigger_event(
        self, topic: str, data: dict[str, str], source: dict[str, str] | None = None
    ) -> None:
        """Raise an event (call from the camera's event loop).

        ``source`` defaults to the camera's usual source items for the known topics.
        """
        self.events.trigger(topic, data, source)

    def raise_detection(
        self,
        kind: str,
        active: bool = True,
        *,
        channel: int = 1,
        region: str | None = None,
        pulse: bool = False,
    ) -> Detection:
        """Say "``kind`` started (``active``) or ended on ``channel``" on every source.

        ONVIF subscriptions get a property change on the persona's topic for the kind, vendor
        event streams their own part (Hikvision then repeats it while it lasts). ``region``
        names the line, zone or rule (None: each source's default); ``pulse`` is a start
        without duration. Call from the camera's event loop; ValueError for a bad argument.
        """
        detection = check_detection(kind, active, channel, region, pulse)
        self.events.detect(detection)
        return detection

    async def detection_burst(
        self,
        kind: str,
        transitions: int,
        within_ms: float = 0.0,
        *,
        channel: int = 1,
        region: str | None = None,
    ) -> list[float]:
        """Raise ``transitions`` starts, each followed by its end, spread over ``within_ms``.

        The 2N changes are evenly spaced (all at once with 0), and the last is an end. Returns
        the wall-clock time (``time.time()``) each change was raised at, for latency figures.
        """
        if isinstance(transitions, bool) or not isinstance(transitions, int) or transitions < 1:
            raise ValueError(f"transitions must be a whole number from 1, not {transitions!r}")
        if not within_ms >= 0 or within_ms == float("inf"):
            raise ValueError(f"within_ms must be zero or more milliseconds, not {within_ms!r}")
        check_detection(kind, True, channel, region, pulse=False)
        step = within_ms / 1000 / max(2 * transitions - 1, 1)
        raised: list[float] = []
        for index in range(2 * transitions):
            if index and step:
                await asyncio.sleep(step)
            raised.append(time.time())
            self.raise_detection(kind, index % 2 == 0, channel=channel, region=region)
        return raised

    @property
    def serving_event_stream(self) -> bool:
        """Whether the vendor event stream (alert stream, eventManager attach) is served."""
        return self.state.event_stream

    def set_event_stream(self, serving: bool) -> None:
        """Stop (or resume) serving the vendor event stream, the rest of the camera unchanged.

        Stopped: open streams are cut at once and new ones are answered HTTP 503, as when the
        firmware's event process dies; ONVIF events go on.
        """
        self.state.event_stream = bool(serving)
        self.state.wake()

    @property
    def event_stream_stalled(self) -> bool:
        """Whether the vendor event stream hangs (see :meth:`stall_event_stream`)."""
        return self.state.stream_stalled

    def stall_event_stream(self, stalled: bool = True) -> None:
        """Hang (or resume) the vendor event stream: open, answered, but nothing written.

        As when the firmware's event process hangs: no parts, no heartbeats, and detections
        raised meanwhile are lost on that stream (ONVIF events go on). Resumed, the stream
        writes again, a heartbeat first.
        """
        self.state.stream_stalled = bool(stalled)
        self.state.wake()

    def send_stream_part(self, lines: list[str], what: str = "injected") -> int:
        """Write ``lines`` as one part, as they are, on every open vendor event stream.

        For what no detection renders: a body no parser expects, a kind no one knows. The
        part is framed as the stream's others are and counted in ``stream_parts`` as
        ``what``. Returns the number of streams it was queued on.
        """
        streams = [s for s in self.events.listeners if isinstance(s, StreamConnection)]
        for stream in streams:
            stream.inject((what, list(lines)))
        return len(streams)

    def set_stream_timing(
        self, repeat_interval: float | None = None, heartbeat_interval: float | None = None
    ) -> None:
        """Change the Hikvision repeat interval and the vendor heartbeat (None: unchanged).

        Applies to streams opened from now on (repeats: at once).
        """
        if repeat_interval is not None:
            self.config.repeat_interval = check_interval(repeat_interval, "repeat_interval")
        if heartbeat_interval is not None:
            self.config.heartbeat_interval = check_interval(
                heartbeat_interval, "heartbeat_interval"
            )

    @property
    def stream_parts(self) -> Counter[str]:
        """Parts written on vendor event streams, by what they said (``heartbeat``, ...)."""
        return self.state.stream_parts

    async def wait_for_parts(self, what: str, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until ``count`` stream parts saying ``what`` were written in all."""
        await self.state.wait_until(lambda: self.state.stream_parts[what] >= count, timeout)
