"""What is typed into the camera forms: checked before anything is sent, errors on the field.

A host that is no address or host name, a port out of range, an address a camera entry already
has: each is a translated error on its field, the form stays open with what was typed, and no
request (and no DNS query) leaves for it. A well-formed name that does not resolve is still the
probe's "nothing answered". And with debug logging on, every step of the probe says what it
found, in words a camera cannot forge.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
import re
import socket
from typing import Any
from unittest.mock import patch

from aiohttp.abc import AbstractResolver, ResolveResult
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from hypothesis import given, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.cameras.flow_forms import valid_host, valid_port
from custom_components.homebound.const import DOMAIN
from simulator import CameraConfig, VirtualCamera

from .conftest import entry_data
from .flows import manual_input, offered, pick_options, start_user_flow, suggested

EN = json.loads(
    (
        Path(__file__).parents[1] / "custom_components" / "homebound" / "translations" / "en.json"
    ).read_text(encoding="utf-8")
)
NOT_PROBED = "custom_components.homebound.cameras.flow_probe.async_client"


@pytest.mark.parametrize(
    "host",
    [
        "not a host",
        "http://192.168.1.64",
        "192.168.1.64:8080",
        "192.168.1.300",
        "cam_01.lan",
        "-camera",
        "camera..lan",
        "   ",
        "x" * 64,
    ],
)
async def test_a_garbage_host_is_a_field_error(hass: HomeAssistant, host: str) -> None:
    """Nothing is sent for it (no probe, no DNS query): the host field says what is wrong."""
    result = await start_user_flow(hass, manual=True)
    typed = {CONF_HOST: host, CONF_PORT: 80, CONF_USERNAME: "admin", CONF_PASSWORD: "pw"}
    with patch(NOT_PROBED, side_effect=AssertionError("the camera was probed")):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert suggested(result, CONF_HOST) == host  # kept for the user to correct
    assert "not a valid ip address or host name" in EN["config"]["error"]["invalid_host"].lower()


async def test_spaces_and_brackets_around_an_address_are_taken_off(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual_input(camera), CONF_HOST: f"  {camera.host}\t"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == camera.host
    assert result["data"][CONF_PORT] == camera.onvif_port
    assert type(result["data"][CONF_PORT]) is int
    await hass.async_block_till_done()
    assert valid_host("[::1]") == "::1"
    assert valid_host("Camera-1.LAN.") == "Camera-1.LAN."


@pytest.mark.parametrize("port", [0, -1, 65536, 80.5, float("inf")])
async def test_a_port_out_of_range_is_a_field_error(hass: HomeAssistant, port: float) -> None:
    result = await start_user_flow(hass, manual=True)
    typed = {CONF_HOST: "192.0.2.10", CONF_PORT: port, CONF_USERNAME: "u", CONF_PASSWORD: "p"}
    with patch(NOT_PROBED, side_effect=AssertionError("the camera was probed")):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    assert result["errors"] == {CONF_PORT: "invalid_port"}
    assert EN["config"]["error"]["invalid_port"] == (
        "The port must be a whole number from 1 to 65535."
    )


@given(st.one_of(st.text(max_size=300), st.floats(), st.integers()))
def test_the_checks_take_anything(value: Any) -> None:
    """Whatever is typed, the checks answer (a value or None) and never raise; what they
    accept is stripped text without spaces, or a port in range."""
    host = valid_host(value)
    assert host is None or (host == host.strip() and " " not in host and host)
    port = valid_port(value)
    assert port is None or 1 <= port <= 65535


async def test_an_address_already_added_is_an_error_on_the_address(
    hass: HomeAssistant, camera: VirtualCamera
) -> None:
    """The flow does not end: the user changes the address and adds the camera there."""
    MockConfigEntry(domain=DOMAIN, unique_id="another", data=entry_data(camera)).add_to_hass(hass)
    result = await start_user_flow(hass, manual=True)
    with patch(NOT_PROBED, side_effect=AssertionError("the camera was probed")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], manual_input(camera)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "manual"
    assert result["errors"] == {CONF_HOST: "already_configured"}
    assert "already added" in EN["config"]["error"]["already_configured"]
    async with VirtualCamera(
        CameraConfig(rtsp=False, serial="HBSIM0009", mac="02:48:42:00:00:09")
    ) as other:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], manual_input(other)
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
        await hass.config_entries.async_unload(result["result"].entry_id)


async def test_reconfigure_checks_the_address_too(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    result = await config_entry.start_reconfigure_flow(hass)
    with patch(NOT_PROBED, side_effect=AssertionError("the camera was probed")):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_HOST: "http://cam", CONF_PORT: 70000, CONF_USERNAME: "admin"},
        )
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {CONF_HOST: "invalid_host", CONF_PORT: "invalid_port"}


async def test_reconfigure_onto_another_cameras_address_is_an_error_on_the_address(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """Moving an entry to the address another camera entry has: nothing is sent, the form
    stays open on the address (not a "wrong camera" ending after a probe), and the entry's
    own address is no error."""
    other = MockConfigEntry(
        domain=DOMAIN, unique_id="another", data=entry_data(camera, **{CONF_HOST: "192.0.2.7"})
    )
    other.add_to_hass(hass)
    result = await config_entry.start_reconfigure_flow(hass)
    typed = {CONF_HOST: "192.0.2.7", CONF_PORT: camera.onvif_port, CONF_USERNAME: "admin"}
    with patch(NOT_PROBED, side_effect=AssertionError("the camera was probed")):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {CONF_HOST: "already_configured"}
    assert suggested(result, CONF_HOST) == "192.0.2.7"
    # Gone before the reload sets up the domain's entries: it would try its (unreachable) host.
    assert await hass.config_entries.async_remove(other.entry_id)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**typed, CONF_HOST: camera.host}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()


class _RefusingResolver(AbstractResolver):
    """A resolver that knows no name: what the camera client meets for a name nobody has."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        raise OSError(socket.EAI_NONAME, "Name or service not known")

    async def close(self) -> None:
        return None


async def test_a_name_that_does_not_resolve_is_cannot_connect(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A well-formed name is tried: its resolution fails (here, on a resolver that sends
    nothing anywhere) and the form says nothing answered."""
    resolver = _RefusingResolver()
    connector = async_get_clientsession(hass, verify_ssl=False).connector
    monkeypatch.setattr(connector, "_resolver", resolver)
    result = await start_user_flow(hass, manual=True)
    typed = {CONF_HOST: "camera.example", CONF_PORT: 80, CONF_USERNAME: "u", CONF_PASSWORD: "p"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], typed)
    assert result["errors"] == {"base": "cannot_connect"}
    assert resolver.asked
    assert set(resolver.asked) == {"camera.example"}


# -- debug logging of the probe ------------------------------------------------------------------

HOSTILE = CameraConfig(
    rtsp=False,
    manufacturer="Evil\nINFO homeassistant: all is well",
    model="M\u202e1-CV",
    firmware="9\u20289",
    username="probe-user-7f3a",
    password="probe-pass-91c2",
)


@pytest.mark.parametrize("camera_config", [HOSTILE], ids=["hostile_words"])
async def test_each_probe_step_is_logged_and_escaped(
    hass: HomeAssistant, camera: VirtualCamera, caplog: pytest.LogCaptureFixture
) -> None:
    """Step 1 (clock), 2 (identity, services) and 3 (network identity, profiles) each leave a
    debug line; the camera's words are quoted with their line breaks and control characters
    written out; no credential, serial number or MAC address is written."""
    caplog.set_level(logging.DEBUG, logger="custom_components.homebound")
    result = await start_user_flow(hass, manual=True)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**manual_input(camera), CONF_PASSWORD: "wrong-pass-55aa"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], manual_input(camera))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    # The title, shown and logged everywhere, is one line of visible characters.
    assert result["title"] == "Evil INFO homeassistant: all is well M 1-CV"
    await hass.async_block_till_done()

    lines = [
        r.getMessage() for r in caplog.records if r.name.startswith("custom_components.homebound")
    ]
    probe = [line for line in lines if line.startswith("Setup probe of ")]
    for step in (1, 2, 3):
        assert any(f"step {step} of 3: " in line for line in probe), step
    assert any("step 2 of 3: failed with CameraAuthError" in line for line in probe)
    assert any("the form says invalid_auth" in line for line in probe)
    said = next(line for line in probe if "the camera says it is" in line)
    assert "'Evil\\nINFO homeassistant: all is well'" in said
    assert "'M\\u202e1-CV'" in said
    assert "'9\\u20289'" in said
    assert "it serves: " in said
    secrets = (
        "probe-user-7f3a",
        "probe-pass-91c2",
        "wrong-pass-55aa",
        camera.config.serial or "HBSIM0001",
        "02:48:42:00:00:01",
        "024842000001",
    )
    for line in lines:
        assert len(line.splitlines()) == 1, line
        assert not any(ch in line for ch in "\u202e\u2028\x1b"), line
        for secret in secrets:
            assert secret.lower() not in line.lower(), (secret, line)


@pytest.mark.parametrize(
    "discovery_camera_config",
    [CameraConfig(rtsp=False, discovery_port=0, name="[Reset](http://198.51.100.1) *now*\n#")],
    ids=["markdown_name"],
)
async def test_a_camera_name_cannot_write_markdown(
    hass: HomeAssistant, discoverable: VirtualCamera
) -> None:
    """The sign-in form's description is Markdown: the name a camera announces is shown as
    the text it is, not as a link, emphasis or a heading."""
    result = await start_user_flow(hass, found=True)
    key = offered(result)[0]
    assert pick_options(result)[0]["label"].startswith("[Reset](http://198.51.100.1) *now* #")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {"device": key})
    assert result["step_id"] == "credentials"
    placeholders = result["description_placeholders"]
    assert placeholders is not None
    name = placeholders["name"]
    assert name == r"\[Reset\]\(http://198\.51\.100\.1\) \*now\* \#"


# -- the camera list's counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found", "added", "reads"),
    [
        (0, 0, "so far: 0. Already added, and so not listed: 0."),
        (1, 1, "so far: 1. Already added, and so not listed: 1."),
        (1, 0, "so far: 1. Already added, and so not listed: 0."),
        (5, 2, "so far: 5. Already added, and so not listed: 2."),
    ],
)
def test_the_counts_read_right_for_any_number(found: int, added: int, reads: str) -> None:
    """Each count stands alone after a colon, so no word has to agree with it.

    Home Assistant's frontend would render ICU plurals, but its backend checks every
    translation's placeholders with Python's ``str.format`` parser, which rejects them: the
    camera strings use plain ``{name}`` placeholders only.
    """
    template = EN["config"]["step"]["pick"]["description"]
    assert reads in template.format(found=found, added=added)


def test_flow_strings_use_plain_placeholders() -> None:
    """Every placeholder of the config flow's strings is a plain ``{name}``."""

    def strings(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [s for value in node.values() for s in strings(value)]
        return [node] if isinstance(node, str) else []

    for text in strings(EN["config"]) + strings(EN["selector"]["device"]):
        for placeholder in re.findall(r"\{[^{}]*\}", text):
            assert re.fullmatch(r"\{[a-z_]+\}", placeholder), (placeholder, text)
        assert text.count("{") == text.count("}"), text


# -- what a camera announces about itself ----------------------------------------------------------


async def test_a_camera_claiming_a_known_mac_does_not_move_its_entry(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """WS-Discovery answers are the camera's own words: a device that announces a configured
    camera's MAC address from another address is not followed there (the entry would send
    that camera's credentials to it). DHCP, the network's word, still moves an entry."""
    claim = {
        "endpoint": "urn:uuid:impostor",
        "host": "198.18.0.66",
        "port": 80,
        "xaddr": "http://198.18.0.66/onvif/device_service",
        "name": "Impostor",
        "hardware": "",
        "mac": camera.config.mac or "02:48:42:00:00:01",
        "scopes": [],
    }
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "integration_discovery"}, data=claim
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert config_entry.data[CONF_HOST] == camera.host
    assert config_entry.data[CONF_PORT] == camera.onvif_port
