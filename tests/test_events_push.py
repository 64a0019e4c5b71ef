"""ONVIF push to Home Assistant's webhook: delivery, refusal of strangers, fallback when silent."""

from __future__ import annotations

from datetime import timedelta
import socket
from typing import Any
from unittest.mock import MagicMock

import aiohttp
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.homebound.cameras.webhook import CameraWebhook
from custom_components.homebound.events import SourceKind
from simulator import Quirk, VirtualCamera

from .conftest import state_of
from .events_helpers import MOTION, source_becomes, source_ready, state_becomes
from .flows import free_tcp_port

MOTION_TOPIC = "tns1:VideoSource/MotionAlarm"


@pytest.fixture
async def webhook_url(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, no_webhook_url: MagicMock
) -> str:
    """Home Assistant served on a loopback port, as its local URL."""
    assert await async_setup_component(hass, "http", {})
    assert await async_setup_component(hass, "webhook", {})
    # Home Assistant's own server keeps its router open for what loads later (the cards'
    # static path, registered at an entry's set-up); the test server would freeze it.
    hass.http.app.router.freeze = lambda: None  # type: ignore[method-assign]
    client = await hass_client_no_auth()
    url = str(client.make_url("/")).rstrip("/")
    no_webhook_url.side_effect = None
    no_webhook_url.return_value = url
    return url


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> SourceKind:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return await source_ready(hass, entry)


@pytest.mark.usefixtures("webhook_url")
async def test_events_are_pushed(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """With a local URL, the camera pushes to a webhook; no PullPoint is made."""
    assert await _setup(hass, config_entry) is SourceKind.WEBHOOK
    camera.trigger_event(MOTION_TOPIC, {"State": "true"})
    await state_becomes(hass, MOTION, STATE_ON)
    camera.trigger_event(MOTION_TOPIC, {"State": "false"})
    await state_becomes(hass, MOTION, STATE_OFF)
    assert "CreatePullPointSubscription" not in camera.requests
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert camera.events.subscriptions == []


async def test_the_webhook_takes_posts_from_the_camera_only(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry, webhook_url: str
) -> None:
    """Another host on the LAN cannot forge the camera's events."""
    assert await _setup(hass, config_entry) is SourceKind.WEBHOOK
    hub = config_entry.runtime_data.hub
    url = f"{webhook_url}/api/webhook/{hub.webhook_id}"
    forged = (
        b'<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope"><Body>'
        b'<Notify xmlns="http://docs.oasis-open.org/wsn/b-2"><NotificationMessage>'
        b"<Topic>tns1:VideoSource/MotionAlarm</Topic><Message>"
        b'<Message xmlns="http://www.onvif.org/ver10/schema"><Data>'
        b'<SimpleItem Name="State" Value="true"/></Data></Message></Message>'
        b"</NotificationMessage></Notify></Body></Envelope>"
    )
    connector = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
    async with (
        aiohttp.ClientSession(connector=connector) as stranger,
        stranger.post(url, data=forged) as response,
    ):
        assert response.status == 403
    await hass.async_block_till_done()
    assert state_of(hass, MOTION) == STATE_OFF


async def test_a_webhook_that_never_delivers_is_replaced_by_pullpoint(
    hass: HomeAssistant,
    camera: VirtualCamera,
    config_entry: MockConfigEntry,
    no_webhook_url: MagicMock,
) -> None:
    """Home Assistant's URL is unreachable for the camera (another VLAN, HTTPS only): the
    webhook stays silent after Subscribe, and PullPoint takes over by itself."""
    no_webhook_url.side_effect = None
    no_webhook_url.return_value = f"http://127.0.0.1:{free_tcp_port()}"
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await source_becomes(config_entry, SourceKind.WEBHOOK)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=16))
    await source_becomes(config_entry, SourceKind.PULLPOINT)
    camera.trigger_event(MOTION_TOPIC, {"State": "true"})
    await state_becomes(hass, MOTION, STATE_ON)
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.failures == {"onvif_webhook": "fell silent"}


@pytest.mark.usefixtures("webhook_url")
async def test_pushes_written_in_pieces_are_read_whole(
    hass: HomeAssistant, camera: VirtualCamera, config_entry: MockConfigEntry
) -> None:
    """BODIES_IN_PIECES: each Notify arrives 128 bytes at a time; the webhook reads it whole."""
    camera.set_quirk(Quirk.BODIES_IN_PIECES)
    assert await _setup(hass, config_entry) is SourceKind.WEBHOOK
    camera.trigger_event(MOTION_TOPIC, {"State": "true"})
    await state_becomes(hass, MOTION, STATE_ON)
    camera.trigger_event(MOTION_TOPIC, {"State": "false"})
    await state_becomes(hass, MOTION, STATE_OFF)
    manager = config_entry.runtime_data.hub.manager
    assert manager is not None
    assert manager.kind is SourceKind.WEBHOOK
    assert manager.active is not None
    assert manager.active.stats.malformed == 0


async def test_a_camera_name_that_does_not_resolve_costs_only_the_push(
    hass: HomeAssistant, no_webhook_url: MagicMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A camera entered by a name that does not resolve when events start: no webhook (the
    sender could not be checked), and no exception that would end the event start with it —
    PullPoint and the vendor stream are still tried."""
    no_webhook_url.side_effect = None
    no_webhook_url.return_value = "http://127.0.0.1:8123"

    async def unresolved(*_: Any, **__: Any) -> list[Any]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(hass.loop, "getaddrinfo", unresolved)
    hook = CameraWebhook(hass, "Porch", "porch.camera.test", lambda: None)
    assert await hook.async_register() is None
    assert hook.webhook_id is None
    assert hook.url is None
