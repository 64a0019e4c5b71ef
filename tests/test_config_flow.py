"""Config flow against virtual cameras over real loopback sockets."""

from __future__ import annotations

from collections.abc import AsyncIterator
import socket

from aiohttp import web
from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_USER,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_DEVICE,
    CONF_MAC,
    CONF_RTSP_TRANSPORT,
    DOMAIN,
    ENV_DISCOVERY_TARGETS,
    MANUAL_ENTRY,
)
from simulator import CameraConfig, Quirk, VirtualCamera

from .conftest import SIM_MAC, entry_data

pytestmark = pytest.mark.usefixtures("fast_discovery")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _router_page(_: web.Request) -> web.Response:
    return web.Response(text="<html>router</html>", content_type="text/html")


async def _start_user_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Start the user flow and let WS-Discovery finish."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["progress_action"] == "discovery"
    await hass.async_block_till_done()
    return await hass.config_entries.flow.async_configure(result["flow_id"])


def _credentials(camera: VirtualCamera, **overrides: str) -> dict[str, str]:
    data = {CONF_USERNAME: camera.config.username, CONF_PASSWORD: camera.config.password}
    data.update(overrides)
    return data


@pytest.fixture
def discovery_camera_config() -> CameraConfig:
    return CameraConfig(rtsp=False, discovery_port=0)


@pytest.fixture
async def discoverable(
    discovery_camera_config: CameraConfig, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[VirtualCamera]:
    """A camera that answers WS-Discovery probes, which the flow sends only to it."""
    sim = VirtualCamera(discovery_camera_config)
    await sim.start()
    monkeypatch.setenv(ENV_DISCOVERY_TARGETS, f"127.0.0.1:{sim.discovery_port}")
    try:
        yield sim
    finally:
        await sim.stop()


@pytest.fixture
def no_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Probe a loopback port where nothing answers."""
    monkeypatch.setenv(ENV_DISCOVERY_TARGETS, f"127.0.0.1:{_free_port()}")


async def test_discovered_camera(hass: HomeAssistant, discoverable: VirtualCamera) -> None:
    """A camera found by WS-Discovery is picked and signed in to."""
    result = await _start_user_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    key = f"127.0.0.1:{discoverable.onvif_port}"
    schema = result["data_schema"]
    assert schema is not None
    options = schema.schema[CONF_DEVICE].config["options"]
    assert [o["value"] for o in options] == [key, MANUAL_ENTRY]
    assert "Virtual Camera" in options[0]["label"]

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {CONF_DEVICE: key})
    assert result["step_id"] == "credentials"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _credentials(discoverable, **{CONF_PASSWORD: "wrong"})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _credentials(discoverable)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Virtual Camera"
    assert result["result"].unique_id == SIM_MAC
    assert result["data"] == entry_data(discoverable)
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED


async def test_discovery_skips_configured_cameras(
    hass: HomeAssistant, discoverable: VirtualCamera
) -> None:
    """A camera that is already set up is not offered again; the flow goes to manual entry."""
    MockConfigEntry(domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(discoverable)).add_to_hass(
        hass
    )
    result = await _start_user_flow(hass)
    assert result["step_id"] == "manual"


async def test_pick_manual(hass: HomeAssistant, discoverable: VirtualCamera) -> None:
    """Choosing manual entry from the list shows the address form."""
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_DEVICE: MANUAL_ENTRY}
    )
    assert result["step_id"] == "manual"


@pytest.mark.usefixtures("no_discovery")
async def test_manual_entry(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Nothing discovered: the address is entered by hand, port 80 by default."""
    result = await _start_user_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    schema = result["data_schema"]
    assert schema is not None
    assert schema({CONF_HOST: "x", CONF_USERNAME: "u", CONF_PASSWORD: "p"})[CONF_PORT] == 80
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == SIM_MAC
    await hass.async_block_till_done()


@pytest.mark.usefixtures("no_discovery")
async def test_manual_errors(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Unreachable, wrong password and not-ONVIF each give their own error, then success."""
    result = await _start_user_flow(hass)
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: _free_port(), **_credentials(camera)}
    )
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        flow_id,
        {
            CONF_HOST: camera.host,
            CONF_PORT: camera.onvif_port,
            **_credentials(camera, **{CONF_PASSWORD: "nope"}),
        },
    )
    assert result["errors"] == {"base": "invalid_auth"}

    # A web server that is not a camera.
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _router_page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        result = await hass.config_entries.flow.async_configure(
            flow_id, {CONF_HOST: "127.0.0.1", CONF_PORT: port, **_credentials(camera)}
        )
    finally:
        await runner.cleanup()
    assert result["errors"] == {"base": "not_onvif"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.usefixtures("no_discovery")
async def test_manual_already_configured(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """The same camera cannot be added twice, by address or by identity."""
    MockConfigEntry(
        domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(camera, **{CONF_PORT: 1})
    ).add_to_hass(hass)
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    MockConfigEntry(domain=DOMAIN, unique_id="other", data=entry_data(camera)).add_to_hass(hass)
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.usefixtures("no_discovery")
@pytest.mark.parametrize(
    ("quirks", "unique_id"),
    [
        (frozenset({Quirk.NO_NETWORK_INTERFACES}), "hbsim0001"),
        (frozenset({Quirk.NON_SOAP_FAULTS}), SIM_MAC),
        (frozenset({Quirk.AUTH_ON_DATE_TIME}), SIM_MAC),
        (frozenset({Quirk.NO_MEDIA2}), SIM_MAC),
        (frozenset({Quirk.NON_SOAP_FAULTS, Quirk.NO_NETWORK_INTERFACES}), "hbsim0001"),
    ],
)
async def test_quirky_cameras(
    hass: HomeAssistant, quirks: frozenset[Quirk], unique_id: str
) -> None:
    """Cameras that bend the standard still set up; without a MAC the serial identifies them."""
    async with VirtualCamera(CameraConfig(rtsp=False, quirks=quirks)) as sim:
        result = await _start_user_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_HOST: sim.host, CONF_PORT: sim.onvif_port, **_credentials(sim)},
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
        assert result["result"].unique_id == unique_id
        await hass.async_block_till_done()
        assert result["result"].state is ConfigEntryState.LOADED
        await hass.config_entries.async_unload(result["result"].entry_id)


@pytest.mark.usefixtures("no_discovery")
async def test_clock_skew(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """A camera whose clock is hours off still accepts the sign-in."""
    camera.skew_clock(-5 * 3600)
    result = await _start_user_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_dhcp_follows_moved_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """DHCP sees a configured camera at a new address: the entry follows, nothing is added."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=SIM_MAC, data=entry_data(camera, **{CONF_HOST: "198.18.0.10"})
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(ip="198.18.0.11", hostname="cam", macaddress="024842000001"),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "198.18.0.11"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_dhcp_follows_camera_keyed_by_serial(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """A camera identified by serial is matched by the MAC recorded when it was added."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id="hbsim0001",
        data=entry_data(camera, **{CONF_HOST: "198.18.0.10", CONF_MAC: "ec:71:db:00:00:01"}),
    )
    entry.add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(ip="198.18.0.12", hostname="cam", macaddress="ec71db000001"),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "198.18.0.12"


async def test_dhcp_new_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """DHCP offers a new camera from a camera maker: the address form comes pre-filled."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(ip=camera.host, hostname="ipc", macaddress="024842000001"),
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {"name": camera.host}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == SIM_MAC
    await hass.async_block_till_done()


async def test_dhcp_names_the_vendor(hass: HomeAssistant) -> None:
    """A camera maker's MAC prefix names the discovered device."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_DHCP},
        data=DhcpServiceInfo(ip="198.18.0.20", hostname="ipc", macaddress="ec71db123456"),
    )
    assert result["step_id"] == "manual"
    flows = hass.config_entries.flow.async_progress()
    assert flows[0]["context"]["title_placeholders"] == {"name": "Reolink (198.18.0.20)"}


async def test_reauth(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """New credentials are checked, stored, and the entry reloads."""
    camera.set_credentials("admin", "n3w-secret")
    result = await config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "n3w-secret"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert config_entry.data[CONF_PASSWORD] == "n3w-secret"
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED


async def test_reauth_other_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Reauth refuses credentials that open a different camera."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="aa:bb:cc:dd:ee:ff", data=entry_data(camera))
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _credentials(camera))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_camera"


async def test_reconfigure(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Address and credentials change in place; an empty password keeps the old one."""
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, CONF_PORT: _free_port()}
    )
    result = await config_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: _free_port(), CONF_USERNAME: "admin"},
    )
    assert result["errors"] == {"base": "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, CONF_USERNAME: "admin"},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert config_entry.data[CONF_PORT] == camera.onvif_port
    assert config_entry.data[CONF_PASSWORD] == camera.config.password
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED


async def test_reconfigure_other_camera(hass: HomeAssistant, camera: VirtualCamera) -> None:
    """Reconfigure refuses an address where a different camera answers."""
    entry = MockConfigEntry(domain=DOMAIN, unique_id="aa:bb:cc:dd:ee:ff", data=entry_data(camera))
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **_credentials(camera)},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_camera"


async def test_options(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """The RTSP transport is an option; changing it reloads the entry."""
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    result = await hass.config_entries.options.async_init(config_entry.entry_id)
    assert result["step_id"] == "init"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_RTSP_TRANSPORT: "udp"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert config_entry.options == {CONF_RTSP_TRANSPORT: "udp"}
    assert config_entry.state is ConfigEntryState.LOADED
