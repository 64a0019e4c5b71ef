"""The virtual camera's web port inside a network namespace: the demo camera's LAN, as root.

The demo (``devtools.demo_lan``) joins a namespace to this host by a veth pair and the simulator
binds the camera's ONVIF/HTTP socket in there, so that the host's neighbour table shows the
camera's MAC at its address, as a firewall sees a camera on a LAN. These tests make that LAN,
talk to the camera across it, and check that nothing of it is left afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import json
import subprocess
from typing import Any, cast
import uuid

import aiohttp
from aiohttp import web
from homeassistant.util.yaml import parse_yaml
from lxml import etree
import pytest
import pytest_socket  # type: ignore[import-untyped,unused-ignore]

from devtools.demo_firewall import sweep_stale
from devtools.demo_lan import CameraLan
from devtools.hass_process import configuration_yaml, http_store
from simulator import CameraConfig, VirtualCamera
from simulator.__main__ import camera_configs, parse_args
from simulator.netns import check_name, listening_socket
from simulator.services.onvif.device import DEVICE_PATH

from .test_simulator_discovery import _Collector, _probe
from .test_simulator_support import WAIT, client

pytestmark = pytest.mark.usefixtures("socket_enabled")
NS_WSD = "http://schemas.xmlsoap.org/ws/2005/04/discovery"


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=20)  # noqa: S603


def _listening(ss_output: str, address: str, port: int) -> bool:
    return any(
        f"{address}:{port}" in line.split() for line in ss_output.splitlines() if "LISTEN" in line
    )


@pytest.fixture
def lan() -> Iterator[CameraLan]:
    """The camera's LAN; the test process may connect to the camera's address on it only."""
    assert CameraLan.possible(), "these tests need root and ip (namespaces, as the firewall's)"
    lan = CameraLan()
    try:
        lan.start()
        pytest_socket.socket_allow_hosts(["127.0.0.1", lan.camera_address, lan.host_address])
        yield lan
    finally:
        pytest_socket.socket_allow_hosts(["127.0.0.1"])
        lan.stop()
    assert _run("ip", "link", "show", lan.host_link).returncode != 0
    assert lan.name not in _run("ip", "netns", "list").stdout
    assert lan.host_address not in _run("ip", "-4", "addr", "show").stdout


async def _probe_xaddrs(discovery_port: int) -> str:
    loop = asyncio.get_running_loop()
    transport, collector = await loop.create_datagram_endpoint(
        _Collector, local_addr=("127.0.0.1", 0)
    )
    try:
        transport.sendto(_probe(f"urn:uuid:{uuid.uuid4()}"), ("127.0.0.1", discovery_port))
        async with asyncio.timeout(WAIT):
            answer = etree.fromstring(await collector.answers.get())
    finally:
        transport.close()
    return str(answer.findtext(f".//{{{NS_WSD}}}XAddrs"))


async def test_the_camera_answers_on_its_lan_address_and_the_host_sees_its_mac(
    lan: CameraLan,
) -> None:
    config = CameraConfig(rtsp=False, discovery_port=0, host=lan.camera_address, netns=lan.name)
    async with VirtualCamera(config) as cam:
        lan.attach(cam.config.mac)
        port = cam.onvif_port
        assert cam.url(DEVICE_PATH) == f"http://{lan.camera_address}:{port}{DEVICE_PATH}"
        # Discovery stays on loopback and names the LAN address; RTSP says where it really is.
        assert await _probe_xaddrs(cam.discovery_port or 0) == cam.url(DEVICE_PATH)
        assert cam.stream_uri(cam.profiles[0]).startswith("rtsp://127.0.0.1:")

        async with client(cam) as device:
            await device.update_xaddrs()
            info = await device.create_devicemgmt_service()
            answer = await info.GetDeviceInformation()
        assert answer.SerialNumber == cam.config.serial

        inside = _run("ip", "netns", "exec", lan.name, "ss", "-ltnH").stdout
        outside = _run("ss", "-ltnH").stdout
        assert _listening(inside, lan.camera_address, port)
        assert not _listening(outside, lan.camera_address, port)

        neighbours = json.loads(_run("ip", "-j", "neigh", "show", "dev", lan.host_link).stdout)
        seen = {entry.get("dst"): entry.get("lladdr") for entry in neighbours}
        assert seen[lan.camera_address] == cam.config.mac

        # Offline and back: the socket is made in the namespace again.
        await cam.set_online(False)
        await cam.set_online(True)
        async with (
            aiohttp.ClientSession() as http,
            http.get(cam.url("/"), timeout=aiohttp.ClientTimeout(total=WAIT)) as response,
        ):
            assert response.status < 500


async def test_what_the_camera_sends_leaves_from_its_lan_address(lan: CameraLan) -> None:
    """ONVIF Notify comes from the camera's address: Home Assistant refuses pushes from others."""
    seen: asyncio.Queue[str | None] = asyncio.Queue()

    async def notify(request: web.Request) -> web.Response:
        seen.put_nowait(request.remote)
        return web.Response()

    app = web.Application()
    app.router.add_post("/notify", notify)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    # This host's end of the veth: only the namespace (the camera) can reach it.
    site = web.TCPSite(runner, lan.host_address, 0)
    await site.start()
    port = runner.addresses[0][1]
    config = CameraConfig(rtsp=False, host=lan.camera_address, netns=lan.name)
    try:
        async with VirtualCamera(config) as cam:
            lan.attach(cam.config.mac)
            assert cam.http_session is not None
            url = f"http://{lan.host_address}:{port}/notify"
            async with cam.http_session.post(url, data=b"<x/>") as response:
                assert response.status == 200
            async with asyncio.timeout(WAIT):
                assert await seen.get() == lan.camera_address
    finally:
        await runner.cleanup()


def test_a_namespace_name_is_a_plain_file_name() -> None:
    for bad in ("", ".", "..", "../x", "a/b", "-x", "x" * 64, "a b"):
        with pytest.raises(ValueError, match="namespace"):
            check_name(bad)
        with pytest.raises(ValueError, match="namespace"):
            CameraConfig(netns=bad)
    assert check_name("hbdemo12x00ffcam") == "hbdemo12x00ffcam"


def test_a_namespace_that_does_not_exist_fails_to_bind() -> None:
    with pytest.raises(FileNotFoundError):
        listening_socket(f"hbmissing{uuid.uuid4().hex[:8]}", "172.31.0.50", 0)


def test_the_command_line_puts_each_camera_at_its_own_address() -> None:
    args = parse_args(["--count", "2", "--netns", "demo-ns", "--address", "172.31.3.50"])
    configs = camera_configs(args)
    assert [(c.host, c.netns) for c in configs] == [
        ("172.31.3.50", "demo-ns"),
        ("172.31.3.51", "demo-ns"),
    ]
    assert [(c.host, c.netns) for c in camera_configs(parse_args([]))] == [("127.0.0.1", None)]
    for wrong in (
        ["--netns", "demo-ns"],
        ["--address", "172.31.3.50"],
        ["--netns", "../x", "--address", "172.31.3.50"],
        ["--netns", "demo-ns", "--address", "not-an-address"],
    ):
        with pytest.raises(SystemExit):
            parse_args(wrong)


def _yaml(text: str) -> dict[str, Any]:
    return cast(dict[str, Any], parse_yaml(text))


def test_home_assistant_listens_on_the_camera_lan_only_when_the_demo_made_one() -> None:
    plain = _yaml(configuration_yaml(8123))
    assert plain["http"]["server_host"] == ["127.0.0.1"]
    assert plain["homeassistant"]["internal_url"] == "http://127.0.0.1:8123"
    on_lan = _yaml(configuration_yaml(8123, lan_address="172.31.0.10"))
    assert on_lan["http"]["server_host"] == ["127.0.0.1", "172.31.0.10"]
    # Cameras push to the internal URL: the address Home Assistant has on their LAN.
    assert on_lan["homeassistant"]["internal_url"] == "http://172.31.0.10:8123"
    store = http_store(8123, "172.31.0.10")
    if store is not None:  # from 2026.10 the HTTP settings are in storage
        assert store["data"]["stable"]["server_host"] == ["127.0.0.1", "172.31.0.10"]
        assert http_store(8123)["data"]["stable"]["server_host"] == ["127.0.0.1"]  # type: ignore[index]


def test_a_lan_left_by_a_killed_demo_is_swept_by_the_next() -> None:
    gone = subprocess.Popen(["true"])  # noqa: S607 - a process id that no longer runs
    gone.wait()
    stale = f"hbdemo{gone.pid}x00aacam"
    link = f"hbd{gone.pid}"
    assert _run("ip", "netns", "add", stale).returncode == 0
    try:
        peer = ("peer", "name", "eth0", "netns", stale)
        assert _run("ip", "link", "add", link, "type", "veth", *peer).returncode == 0
        sweep_stale()
        assert stale not in _run("ip", "netns", "list").stdout
        assert _run("ip", "link", "show", link).returncode != 0
    finally:
        _run("ip", "netns", "delete", stale)
        _run("ip", "link", "delete", link)
