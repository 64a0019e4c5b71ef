"""JSON control API for cameras run out of process (``python -m simulator``).

Routes (all on 127.0.0.1):

* ``GET  /cameras`` - the cameras and their ports
* ``POST /cameras/{index}/online``  ``{"online": bool}``
* ``POST /cameras/{index}/clock``   ``{"skew": seconds}``
* ``POST /cameras/{index}/quirks``  ``{"quirk": name, "enabled": bool}``
* ``POST /cameras/{index}/event``   ``{"topic": str, "data": {...}, "source": {...}}``
* ``POST /cameras/{index}/credentials`` ``{"username": str, "password": str}``
* ``POST /cameras/{index}/delay``   ``{"target": str, "seconds": number | "inf" | null}``
* ``POST /cameras/{index}/reboot``  ``{"downtime": seconds, "lose_clock": bool}`` (answers once
  the camera is back)
* ``GET  /cameras/{index}/counts``  ``{"counts": {name: n}}``; ``POST .../counts/reset`` zeroes them
* ``GET  /cameras/{index}/stream_parts`` ``{"stream_parts": {what: n}}``: vendor stream parts
* ``POST /cameras/{index}/detection`` ``{"kind": str, "active": bool, "channel": int,
  "region": str | null, "pulse": bool}`` (all but ``kind`` optional: started, channel 1);
  answers ``{"ok": true, "at": t}``, the wall-clock time the detection was raised at
* ``POST /cameras/{index}/burst``   ``{"kind": str, "transitions": int, "within_ms": number,
  "channel": int, "region": str | null}`` (answers once the burst is over, ``"at"`` listing
  the time of each change)
* ``POST /cameras/{index}/event_stream`` ``{"serving": bool, "stalled": bool}`` (either or
  both): not serving kills the vendor event stream (open ones cut, new ones HTTP 503), stalled
  hangs it (open and answered, nothing written); serving and not stalled is its return
* ``POST /cameras/{index}/stream_timing`` ``{"repeat_interval": s, "heartbeat_interval": s}``
* ``POST /cameras/{index}/lies`` ``{"mac": str | null, "addresses": [str] | null}``: what
  ``GetNetworkInterfaces`` reports (null: the truth; "" for the MAC: none at all)
* ``POST /cameras/{index}/dhcp`` ``{"dhcp": bool}``
* ``POST /cameras/{index}/setting_fault`` ``{"setting": name, "fault": "ignored" | "refused" |
  "unsupported" | null}``
* ``GET  /cameras/{index}/network``: NTP, DNS, gateway and DHCP as the camera is set

Infinite delays are written ``"inf"`` in JSON (which has no infinity).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .config import Quirk
from .setting_faults import SettingFault

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .camera import VirtualCamera


def describe(camera: VirtualCamera) -> dict[str, Any]:
    """Return the JSON description of one camera."""
    config = camera.config
    return {
        "name": config.name,
        "host": camera.host,
        "onvif_port": camera.onvif_port,
        "rtsp_port": camera.rtsp_port,
        "discovery_port": camera.discovery_port,
        "username": config.username,
        "password": config.password,
        "mac": config.mac,
        "serial": config.serial,
        "main_codec": config.main_codec,
        "sub_codec": config.sub_codec,
        "persona": config.persona,
        "online": camera.online,
        "quirks": sorted(quirk.value for quirk in config.quirks),
        "clock_skew": camera.clock_skew,
        "delays": {
            target: "inf" if math.isinf(seconds) else seconds
            for target, seconds in sorted(camera.delays.items())
        },
        "serving_event_stream": camera.serving_event_stream,
        "event_stream_stalled": camera.event_stream_stalled,
        "repeat_interval": config.repeat_interval,
        "heartbeat_interval": config.heartbeat_interval,
        "lies": {"mac": camera.lies.mac, "addresses": camera.lies.addresses},
        "dhcp": camera.network.dhcp,
        "setting_faults": {name: fault.value for name, fault in camera.setting_faults.items()},
    }


def parse_seconds(value: object) -> float | None:
    """Read a delay from JSON or the command line: a number, "inf" or None.

    Raises TypeError for what is no number at all and ValueError for a negative or NaN one.
    """
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in {"inf", "infinity"}:
        return math.inf
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a number of seconds: {value!r}")
    seconds = float(value)
    if math.isnan(seconds) or seconds < 0:
        raise ValueError(f"not a number of seconds: {value!r}")
    return seconds


class ControlServer:
    """aiohttp server exposing the control routes for a list of cameras."""

    def __init__(self, cameras: Sequence[VirtualCamera]) -> None:
        """Control these cameras."""
        self._cameras = list(cameras)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self, port: int = 0) -> int:
        """Listen on 127.0.0.1:<port> (0 picks a free port); return the port."""
        app = web.Application()
        app.router.add_get("/cameras", self._list)
        app.router.add_post("/cameras/{index}/online", self._online)
        app.router.add_post("/cameras/{index}/clock", self._clock)
        app.router.add_post("/cameras/{index}/quirks", self._quirks)
        app.router.add_post("/cameras/{index}/event", self._event)
        app.router.add_post("/cameras/{index}/credentials", self._credentials)
        app.router.add_post("/cameras/{index}/delay", self._delay)
        app.router.add_post("/cameras/{index}/reboot", self._reboot)
        app.router.add_get("/cameras/{index}/counts", self._counts)
        app.router.add_post("/cameras/{index}/counts/reset", self._reset_counts)
        app.router.add_get("/cameras/{index}/stream_parts", self._stream_parts)
        app.router.add_post("/cameras/{index}/detection", self._detection)
        app.router.add_post("/cameras/{index}/burst", self._burst)
        app.router.add_post("/cameras/{index}/event_stream", self._event_stream)
        app.router.add_post("/cameras/{index}/stream_timing", self._stream_timing)
        app.router.add_post("/cameras/{index}/lies", self._lies)
        app.router.add_post("/cameras/{index}/dhcp", self._dhcp)
        app.router.add_post("/cameras/{index}/setting_fault", self._setting_fault)
        app.router.add_get("/cameras/{index}/network", self._network)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        self._runner = runner
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        self.port = int(runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    def _camera(self, request: web.Request) -> VirtualCamera:
        text = request.match_info["index"]
        if not text.isdigit() or int(text) >= len(self._cameras):
            raise web.HTTPNotFound(text="no such camera")
        return self._cameras[int(text)]

    @staticmethod
    async def _json(request: web.Request) -> dict[str, Any]:
        try:
            payload = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(text="the body must be a JSON object") from None
        if not isinstance(payload, dict):
            raise web.HTTPBadRequest(text="the body must be a JSON object")
        return payload

    async def _list(self, _request: web.Request) -> web.Response:
        return web.json_response({"cameras": [describe(camera) for camera in self._cameras]})

    async def _online(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        online = payload.get("online")
        if not isinstance(online, bool):
            raise web.HTTPBadRequest(text='"online" must be true or false')
        await camera.set_online(online)
        return web.json_response(describe(camera))

    async def _clock(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        skew = payload.get("skew")
        if isinstance(skew, bool) or not isinstance(skew, int | float):
            raise web.HTTPBadRequest(text='"skew" must be a number of seconds')
        camera.skew_clock(float(skew))
        return web.json_response(describe(camera))

    async def _quirks(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        try:
            quirk = Quirk(str(payload.get("quirk")))
        except ValueError:
            raise web.HTTPBadRequest(
                text=f"unknown quirk; known: {', '.join(q.value for q in Quirk)}"
            ) from None
        enabled = payload.get("enabled", True)
        if not isinstance(enabled, bool):
            raise web.HTTPBadRequest(text='"enabled" must be true or false')
        camera.set_quirk(quirk, enabled=enabled)
        return web.json_response(describe(camera))

    async def _event(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        topic = payload.get("topic")
        data = payload.get("data", {})
        source = payload.get("source")
        if not isinstance(topic, str) or not topic:
            raise web.HTTPBadRequest(text='"topic" must be a non-empty string')
        if not isinstance(data, dict) or (source is not None and not isinstance(source, dict)):
            raise web.HTTPBadRequest(text='"data" and "source" must be objects')
        camera.trigger_event(
            topic,
            {str(k): str(v) for k, v in data.items()},
            None if source is None else {str(k): str(v) for k, v in source.items()},
        )
        return web.json_response({"ok": True})

    async def _credentials(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        username, password = payload.get("username"), payload.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            raise web.HTTPBadRequest(text='"username" and "password" must be strings')
        camera.set_credentials(username, password)
        return web.json_response(describe(camera))

    async def _delay(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        target = payload.get("target")
        if not isinstance(target, str) or not target:
            raise web.HTTPBadRequest(text='"target" must be an operation, "soap" or "snapshot"')
        try:
            seconds = parse_seconds(payload.get("seconds"))
        except (TypeError, ValueError):
            raise web.HTTPBadRequest(
                text='"seconds" must be a number of seconds, "inf" or null'
            ) from None
        camera.set_delay(target, seconds)
        return web.json_response(describe(camera))

    async def _reboot(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        downtime, lose_clock = payload.get("downtime", 0), payload.get("lose_clock", False)
        if isinstance(downtime, bool) or not isinstance(downtime, int | float) or downtime < 0:
            raise web.HTTPBadRequest(text='"downtime" must be zero or more seconds')
        if not isinstance(lose_clock, bool):
            raise web.HTTPBadRequest(text='"lose_clock" must be true or false')
        await camera.reboot(float(downtime), lose_clock=lose_clock)
        return web.json_response(describe(camera))

    async def _counts(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        return web.json_response({"counts": dict(sorted(camera.request_counts.items()))})

    async def _stream_parts(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        return web.json_response({"stream_parts": dict(sorted(camera.stream_parts.items()))})

    async def _reset_counts(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        camera.reset_counts()
        return web.json_response({"counts": {}})

    async def _detection(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        kind, channel, region = _detection_fields(payload)
        active, pulse = payload.get("active", True), payload.get("pulse", False)
        if not isinstance(active, bool) or not isinstance(pulse, bool):
            raise web.HTTPBadRequest(text='"active" and "pulse" must be true or false')
        raised = time.time()
        try:
            camera.raise_detection(kind, active, channel=channel, region=region, pulse=pulse)
        except ValueError as err:
            raise web.HTTPBadRequest(text=str(err)) from None
        return web.json_response({"ok": True, "at": raised})

    async def _burst(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        kind, channel, region = _detection_fields(payload)
        transitions, within = payload.get("transitions"), payload.get("within_ms", 0)
        if isinstance(transitions, bool) or not isinstance(transitions, int):
            raise web.HTTPBadRequest(text='"transitions" must be a whole number')
        if isinstance(within, bool) or not isinstance(within, int | float):
            raise web.HTTPBadRequest(text='"within_ms" must be a number of milliseconds')
        try:
            raised = await camera.detection_burst(
                kind, transitions, float(within), channel=channel, region=region
            )
        except ValueError as err:
            raise web.HTTPBadRequest(text=str(err)) from None
        return web.json_response({"ok": True, "at": raised})

    async def _event_stream(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        serving, stalled = payload.get("serving"), payload.get("stalled")
        if serving is None and stalled is None:
            raise web.HTTPBadRequest(text='say "serving", "stalled" or both')
        if any(value is not None and not isinstance(value, bool) for value in (serving, stalled)):
            raise web.HTTPBadRequest(text='"serving" and "stalled" must be true or false')
        if serving is not None:
            camera.set_event_stream(serving)
        if stalled is not None:
            camera.stall_event_stream(stalled)
        return web.json_response(describe(camera))

    async def _stream_timing(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        values = [payload.get("repeat_interval"), payload.get("heartbeat_interval")]
        if any(isinstance(v, bool) or not isinstance(v, int | float | None) for v in values):
            raise web.HTTPBadRequest(text="intervals must be numbers of seconds")
        try:
            camera.set_stream_timing(*values)
        except ValueError as err:
            raise web.HTTPBadRequest(text=str(err)) from None
        return web.json_response(describe(camera))

    async def _lies(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        mac, addresses = payload.get("mac"), payload.get("addresses")
        if mac is not None and not isinstance(mac, str):
            raise web.HTTPBadRequest(text='"mac" must be a string or null')
        if addresses is not None and (
            not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses)
        ):
            raise web.HTTPBadRequest(text='"addresses" must be a list of strings or null')
        try:
            camera.set_lies(mac, None if addresses is None else tuple(addresses))
        except ValueError as err:
            raise web.HTTPBadRequest(text=str(err)) from None
        return web.json_response(describe(camera))

    async def _dhcp(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        dhcp = (await self._json(request)).get("dhcp")
        if not isinstance(dhcp, bool):
            raise web.HTTPBadRequest(text='"dhcp" must be true or false')
        camera.set_dhcp(dhcp)
        return web.json_response(describe(camera))

    async def _setting_fault(self, request: web.Request) -> web.Response:
        camera = self._camera(request)
        payload = await self._json(request)
        setting, fault = payload.get("setting"), payload.get("fault")
        if not isinstance(setting, str) or not setting:
            raise web.HTTPBadRequest(text='"setting" must name a setting')
        try:
            camera.set_setting_fault(setting, None if fault is None else SettingFault(fault))
        except ValueError:
            known = ", ".join(f.value for f in SettingFault)
            raise web.HTTPBadRequest(text=f'"fault" must be null or one of {known}') from None
        return web.json_response(describe(camera))

    async def _network(self, request: web.Request) -> web.Response:
        network = self._camera(request).network
        return web.json_response(
            {
                "dhcp": network.dhcp,
                "gateway": network.effective_gateway,
                "dns": network.effective_dns,
                "ntp": network.effective_ntp,
            }
        )


def _detection_fields(payload: dict[str, Any]) -> tuple[str, int, str | None]:
    """Read ``kind``, ``channel`` and ``region`` of a detection request (HTTP 400 if wrong)."""
    kind, channel, region = payload.get("kind"), payload.get("channel", 1), payload.get("region")
    if not isinstance(kind, str) or not kind:
        raise web.HTTPBadRequest(text='"kind" must be a detection kind')
    if isinstance(channel, bool) or not isinstance(channel, int):
        raise web.HTTPBadRequest(text='"channel" must be a whole number')
    if region is not None and not isinstance(region, str):
        raise web.HTTPBadRequest(text='"region" must be a string or null')
    return kind, channel, region
