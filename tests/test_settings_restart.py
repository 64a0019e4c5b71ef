"""A start of Home Assistant takes the day's settings audit from the camera's record.

The audit reads a dozen settings over two APIs; it runs at set-up and daily. What it read is
kept with the camera's record, so a restart shows the repair and the sensors at once and asks
the camera nothing more, until the day is over, unless the record is stale or unfit, the
time-server option changed, or the user reloads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.util import dt as dt_util
from hypothesis import given, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.homebound.cameras.known import async_known_cameras
from custom_components.homebound.cameras.settings import AUDIT_INTERVAL, SettingsAudit
from custom_components.homebound.const import CONF_NTP_SERVER
from custom_components.homebound.device.settings_model import UNSHOWABLE, SettingRead, clean_host
from custom_components.homebound.device.stored import reads_from_data, reads_to_data

from .conftest import state_of
from .settings_glue import (
    Cameras,
    add_audited,
    audited,
    audits_reach,
    entity_of,
    features_listed,
    virtual_cameras,
)

SETTINGS_READS = ("GetNTP", "GetDNS", "GetNetworkDefaultGateway")


@pytest.fixture
async def cameras() -> AsyncIterator[Cameras]:
    """Cameras of any persona for one test."""
    async with virtual_cameras() as started:
        yield started


async def _restart(hass: HomeAssistant, entry: ConfigEntry[Any]) -> SettingsAudit:
    """Unload, then set up as Home Assistant does while it starts; the audit once shown."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.set_state(CoreState.not_running)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    audit = await audited(entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    hass.set_state(CoreState.running)
    return audit


async def _change_record(hass: HomeAssistant, entry: ConfigEntry[Any], **change: Any) -> None:
    known = await async_known_cameras(hass)
    record = known.settings(entry.entry_id)
    assert record is not None
    known.async_remember_settings(entry.entry_id, {**record, **change})


async def test_a_restart_shows_the_day_s_audit_and_asks_nothing(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    before = (features_listed(hass, entry), entry.runtime_data.settings.audited_at)
    camera.reset_counts()
    audit = await _restart(hass, entry)
    assert entry.runtime_data.coordinator.resumed
    assert audit.audits == 0
    assert (features_listed(hass, entry), audit.audited_at) == before
    assert state_of(hass, entity_of(hass, entry, "sensor", "cloud_features")) == "5"
    assert audit.fixes() == ["switch_off", "set_ntp", "remove_gateway"]
    assert [op for op in SETTINGS_READS if camera.request_counts[op]] == []

    # When the day since that audit is over, it runs, and then every day.
    assert audit.audited_at is not None
    async_fire_time_changed(hass, audit.audited_at + AUDIT_INTERVAL + timedelta(seconds=1))
    await audits_reach(entry, 1)
    assert camera.request_counts["GetNTP"] == 1
    async_fire_time_changed(hass, dt_util.utcnow() + AUDIT_INTERVAL + timedelta(seconds=1))
    await audits_reach(entry, 2)


async def test_a_maker_without_switch_is_named_again_from_the_catalogue(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("xiongmai")
    entry = await add_audited(hass, camera)
    named = entry.runtime_data.settings.no_switch_maker
    audit = await _restart(hass, entry)
    assert (audit.audits, audit.no_switch_maker) == (0, named)


@pytest.mark.parametrize(
    "change",
    [
        {"at": "2000-01-01T00:00:00+00:00"},  # stale
        {"at": "2999-01-01T00:00:00+00:00"},  # from the future
        {"at": "2026-12-08T00:00:00"},  # no time zone
        {"at": None},
        {"reads": "on"},
        {"known": [{"setting": "hik_connect", "state": "blazing"}]},
        {"known": [{"setting": "no_such_setting", "state": "on"}]},
        {"reads": [{"setting": "hik_connect", "state": "on", "servers": "a.example"}]},
        {"reads": [{"setting": "hik_connect", "state": "on", "colour": "red"}]},
        {"clock_offset": "3"},
        {"clock_offset": True},
        {CONF_NTP_SERVER: "192.0.2.1"},  # the option changed since
    ],
)
async def test_an_unfit_record_is_read_again(
    hass: HomeAssistant, cameras: Cameras, change: dict[str, Any]
) -> None:
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    stored = {"ntp_server": change.pop(CONF_NTP_SERVER)} if CONF_NTP_SERVER in change else {}
    await _change_record(hass, entry, **change, **stored)
    camera.reset_counts()
    audit = await _restart(hass, entry)
    assert audit.audits == 1
    assert camera.request_counts["GetNTP"] >= 1
    assert features_listed(hass, entry)[0].startswith("Hik-Connect cloud")


async def test_a_changed_time_server_option_is_applied_at_the_next_start(
    hass: HomeAssistant, cameras: Cameras
) -> None:
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    assert await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_update_entry(entry, options={CONF_NTP_SERVER: "192.0.2.123"})
    audit = await _restart(hass, entry)
    assert audit.audits == 1
    assert "192.0.2.123" in {server for read in audit.reads for server in read.servers}


async def test_a_reload_reads_again(hass: HomeAssistant, cameras: Cameras) -> None:
    camera = await cameras.start("hikvision")
    entry = await add_audited(hass, camera)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await audits_reach(entry, 1)


def test_stored_servers_are_cleaned_again() -> None:
    """The file is Homebound's, but what it holds came from a camera."""
    reads = reads_from_data(
        [{"setting": "hik_connect", "state": "on", "servers": ["evil\n`reboot`", "NTP.Example"]}]
    )
    assert reads is not None
    assert reads[0].servers == (UNSHOWABLE, "ntp.example")
    assert reads_from_data(reads_to_data(reads)) == reads


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
        max_leaves=20,
    )
)
def test_any_stored_data_reads_as_settings_or_none(data: Any) -> None:
    reads = reads_from_data(data)
    assert reads is None or all(isinstance(read, SettingRead) for read in reads)
    for read in reads or ():
        assert all(clean_host(server) in {server, UNSHOWABLE} for server in read.servers)
