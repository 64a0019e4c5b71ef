"""Fixtures shared by Homebound's tests: virtual cameras on loopback and config entries."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
import logging
import platform
import socket
from typing import Any
from unittest.mock import MagicMock, patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    __version__ as ha_version,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.network import NoURLAvailableError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.homebound.const import CONF_MAC, DOMAIN
from custom_components.homebound.device.discovery import ENV_DISCOVERY_TARGETS
from simulator import CameraConfig, VirtualCamera

from .keys_in_use import keys_in_use  # noqa: F401  (autouse: every test checks its keys)

SIM_MAC = "02:48:42:00:00:01"
LEG = f"Home Assistant {ha_version} on Python {platform.python_version()}"

# Loggers through which Home Assistant reports an integration's use of deprecated APIs
# (helpers.frame.report_usage, helpers.deprecation); what they say about Homebound fails a test.
DEPRECATION_LOGGERS = ("homeassistant.helpers.frame", "homeassistant.helpers.deprecation")


def onvif_library_basic_auth[F: Callable[..., Any]](test: F) -> F:
    """Let through aiohttp 3.14's deprecations that onvif-zeep-async's Basic snapshots raise.

    onvif-zeep-async 4.3.0 builds ``aiohttp.BasicAuth`` and passes ``auth=`` itself: a library
    warning, not Homebound's (Homebound builds its Basic header by hand).
    """
    for message in ("BasicAuth is deprecated", "The 'auth' parameter is deprecated"):
        test = pytest.mark.filterwarnings(f"ignore:{message}:DeprecationWarning")(test)
    return test


def pytest_report_header() -> str:
    """Say which Home Assistant and Python this run tests."""
    return f"homebound test leg: {LEG}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Repeat the leg at the end, where the verdict is read."""
    terminalreporter.write_line(f"homebound test leg: {LEG}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test is a failed test here: nothing may pass by not running."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and exitstatus == pytest.ExitCode.OK:
        names = ", ".join(getattr(report, "nodeid", "?") for report in skipped[:5])
        if reporter is not None:
            reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped: {names}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def deprecations_about_homebound(records: list[logging.LogRecord]) -> list[str]:
    """The messages in which Home Assistant reports Homebound's use of a deprecated API."""
    found = []
    for record in records:
        message = record.getMessage()
        if record.levelno < logging.WARNING or "homebound" not in message:
            continue
        reported = "Detected that" in message and "integration 'homebound'" in message
        if record.name.startswith(DEPRECATION_LOGGERS) or reported:
            found.append(message)
    return found


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_deprecated_api_use() -> Iterator[None]:
    """Fail a test in which Home Assistant reports that Homebound uses a deprecated API."""
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    found = deprecations_about_homebound(collector.records)
    assert not found, f"Home Assistant reports deprecated API use: {found}"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/homebound."""


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Real protocols need real sockets; pytest-socket still confines them to 127.0.0.1."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serialiser."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera's settings; override in a test module for other cameras."""
    return CameraConfig(rtsp=False)


@pytest.fixture
async def camera(camera_config: CameraConfig) -> AsyncIterator[VirtualCamera]:
    """A virtual ONVIF camera listening on loopback for the length of one test."""
    sim = VirtualCamera(camera_config)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
def discovery_camera_config() -> CameraConfig:
    """The discoverable camera's settings (a test may override this fixture)."""
    return CameraConfig(rtsp=False, discovery_port=0)


@pytest.fixture
async def discoverable(
    discovery_camera_config: CameraConfig, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[VirtualCamera]:
    """A camera that answers WS-Discovery probes, which searches send only to it."""
    sim = VirtualCamera(discovery_camera_config)
    await sim.start()
    monkeypatch.setenv(ENV_DISCOVERY_TARGETS, f"127.0.0.1:{sim.discovery_port}")
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
async def vendor_camera(request: pytest.FixtureRequest) -> AsyncIterator[VirtualCamera]:
    """A camera of the persona a test parametrizes (indirectly) with fast stream timing."""
    async with VirtualCamera(
        CameraConfig(persona=request.param, rtsp=False, repeat_interval=0.05)
    ) as camera:
        yield camera


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The state of an entity that must exist."""
    state = hass.states.get(entity_id)
    assert state is not None, f"{entity_id} does not exist"
    return state.state


def entry_state(entry: MockConfigEntry) -> ConfigEntryState:
    """The entry's current state (a call, so that type narrowing does not stick)."""
    state: ConfigEntryState = entry.state
    return state


def entry_data(camera: VirtualCamera, **overrides: Any) -> dict[str, Any]:
    """Config entry data pointing at ``camera``."""
    data: dict[str, Any] = {
        CONF_HOST: camera.host,
        CONF_PORT: camera.onvif_port,
        CONF_USERNAME: camera.config.username,
        CONF_PASSWORD: camera.config.password,
        CONF_MAC: camera.config.mac,
    }
    data.update(overrides)
    return data


@pytest.fixture
def config_entry(hass: HomeAssistant, camera: VirtualCamera) -> MockConfigEntry:
    """A Homebound entry for the virtual camera, added to Home Assistant (not set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Virtual Camera",
        unique_id=camera.config.mac,
        data=entry_data(camera),
        entry_id="01HOMEBOUNDTESTENTRY00001",
    )
    entry.add_to_hass(hass)
    return entry


@pytest.fixture(autouse=True)
def loopback_discovery(loopback_sockets: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every WS-Discovery probe of every test goes to loopback, and listens briefly.

    Homebound searches in the background once an entry is set up; in tests, its probes go to a
    loopback port where nothing answers (tests that want answers point it at a simulator), so
    no test ever sends multicast.
    """
    monkeypatch.setenv(ENV_DISCOVERY_TARGETS, f"127.0.0.1:{free_udp_port()}")
    with patch("custom_components.homebound.cameras.scanner.DISCOVERY_TIMEOUT", 0.3):
        yield


@pytest.fixture(autouse=True)
def no_dns() -> Iterator[None]:
    """No test resolves a name: the cloud catalogue's domains fail to resolve unless faked."""

    async def refuse(hass: HomeAssistant, name: str) -> list[str]:
        raise OSError(f"no DNS in tests ({name})")

    with patch("custom_components.homebound.isolation.backend.system_resolve", refuse):
        yield


@pytest.fixture(autouse=True)
def no_webhook_url() -> Iterator[MagicMock]:
    """Home Assistant has no local URL here, so events come by PullPoint.

    The test Home Assistant's default URL is a mocked LAN address that the simulator cannot
    (and pytest-socket will not let it) reach; tests of ONVIF push use ``webhook_url``.
    """
    with patch(
        "custom_components.homebound.cameras.webhook.get_url", side_effect=NoURLAvailableError
    ) as get_url:
        yield get_url


def free_udp_port() -> int:
    """A UDP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
