"""What a check writes and what a call sends: issue 15's point 6, through Home Assistant.

- A service call for several cameras is one transaction on the firewall, not one per camera.
- A full check that finds nothing new writes nothing to ``.storage`` (a write a minute wears
  out an SD card); a counter that grew is written (the positive control).
- A login the router refused is not tried again and again (routers answer that by refusing
  every connection from Home Assistant for a while, the reauth flow's own included).
- The switch never claims more than is in force (point 5): the moment an "export only" entry
  is added while a camera exists, its switch is off and the exported rules hold no camera.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import dataclasses
from pathlib import Path
import socket
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_HOST, STATE_OFF
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_KIND,
    CONF_MAC,
    DOMAIN,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from custom_components.homebound.firewall import FirewallPolicy
from simulator import VirtualCamera

from ..conftest import entry_data, state_of
from .glue import (
    SWITCH,
    add_ssh_firewall,
    coordinator_of,
    install_hooks,
    network_input,
    use_hooks,
)
from .lab import CAMERA_MAC, CLOUD4, HONEST4, HONEST_MAC, Lab, Sshd
from .test_glue_local import add_local_firewall, camera_config  # noqa: F401 - the fixture
from .test_isolation import start_servers

CLOUD = [("tcp", CLOUD4, 443)]


async def test_one_transaction_per_call_and_no_write_without_a_change(
    hass: HomeAssistant,
    lab: Lab,
    tmp_path: Path,
    camera: VirtualCamera,
    device_registry: dr.DeviceRegistry,
) -> None:
    lab.add_lan_host()  # the second camera: an honest host the router sees
    start_servers(lab)
    install_hooks(hass, lab, tmp_path)
    firewall = await add_local_firewall(hass)  # cameras added later are isolated
    honest = MockConfigEntry(
        domain=DOMAIN,
        title="Honest Camera",
        unique_id=HONEST_MAC,
        data={CONF_HOST: HONEST4, CONF_MAC: HONEST_MAC, "port": 80, "username": "u",
              "password": "p"},
    )  # fmt: skip
    honest.add_to_hass(hass)  # never set up; its device is what a service call names
    honest_device = device_registry.async_get_or_create(
        config_entry_id=honest.entry_id, identifiers={(DOMAIN, HONEST_MAC)}
    )
    virtual = MockConfigEntry(
        domain=DOMAIN, title="Virtual Camera", unique_id=CAMERA_MAC, data=entry_data(camera)
    )
    virtual.add_to_hass(hass)
    assert await hass.config_entries.async_setup(virtual.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    (virtual_device,) = dr.async_entries_for_config_entry(device_registry, virtual.entry_id)
    coordinator = coordinator_of(firewall)
    await coordinator.async_refresh()
    assert coordinator.confirmed(virtual.entry_id)
    assert coordinator.confirmed(honest.entry_id)
    assert lab.probe(CLOUD) == [False]
    assert lab.probe_from("peer", CLOUD) == [False]

    backend = coordinator.backend
    assert backend is not None
    sent: list[FirewallPolicy] = []
    real_apply: Callable[[FirewallPolicy], Awaitable[Any]] = backend.apply

    async def apply(policy: FirewallPolicy) -> Any:
        sent.append(policy)
        return await real_apply(policy)

    devices = [virtual_device.id, honest_device.id]
    with patch.object(backend, "apply", apply):
        await hass.services.async_call(
            DOMAIN, "release_camera", {"device_id": devices}, blocking=True
        )
        assert len(sent) == 1
        assert not sent[0].cameras
        assert lab.probe(CLOUD) == [True]
        assert lab.probe_from("peer", CLOUD) == [True]
        await hass.services.async_call(
            DOMAIN, "isolate_camera", {"device_id": devices}, blocking=True
        )
        assert len(sent) == 2
        assert len(sent[1].cameras) == 2
        # Asked again for what is in force: nothing is sent at all.
        await hass.services.async_call(
            DOMAIN, "isolate_camera", {"device_id": devices}, blocking=True
        )
        assert len(sent) == 2
    assert lab.probe(CLOUD) == [False]
    assert lab.probe_from("peer", CLOUD) == [False]

    # Full checks that find nothing new write nothing; a counter that grew is written.
    await coordinator.async_refresh()  # takes in the counts of the probes above
    store: Any = coordinator.memory._store
    writes: list[str] = []
    with (
        patch.object(store, "async_delay_save", lambda *_a, **_k: writes.append("later")),
        patch.object(store, "async_save", lambda *_a, **_k: writes.append("now")),
    ):
        for _ in range(3):
            await coordinator.async_refresh()
            await hass.async_block_till_done(wait_background_tasks=True)
        assert writes == []
        assert lab.probe(CLOUD) == [False]  # one more blocked attempt
        await coordinator.async_refresh()
        assert writes == ["later"]


async def test_an_export_only_entry_added_while_a_camera_exists_claims_nothing(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    firewall = MockConfigEntry(
        domain=DOMAIN,
        unique_id=FIREWALL_UNIQUE_ID,
        data={CONF_KIND: KIND_FIREWALL, CONF_BACKEND: "export", **network_input()},
    )
    firewall.add_to_hass(hass)
    assert await hass.config_entries.async_setup(firewall.entry_id)
    # At once, before any background work: what the switch shows is what was exported.
    coordinator = coordinator_of(firewall)
    assert not coordinator.confirmed(config_entry.entry_id)
    exported = await hass.services.async_call(
        DOMAIN, "export_firewall_rules", {}, blocking=True, return_response=True
    )
    assert exported is not None
    assert CAMERA_MAC not in str(exported["nftables"])
    await hass.async_block_till_done(wait_background_tasks=True)
    if (switch := hass.states.get(SWITCH)) is not None:  # export mode may show no switch
        assert switch.state == STATE_OFF
        assert state_of(hass, SWITCH) == STATE_OFF
    assert not coordinator.confirmed(config_entry.entry_id)


async def test_a_refused_login_is_not_tried_again_until_the_user_gives_one(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    hooks = install_hooks(hass, lab, tmp_path)
    real_connect = hooks.connect_socket
    assert real_connect is not None
    connections: list[str] = []

    async def connect(host: str, port: int) -> socket.socket:
        connections.append(host)
        return await real_connect(host, port)

    use_hooks(dataclasses.replace(hooks, connect_socket=connect))
    firewall = await add_ssh_firewall(hass, sshd)
    coordinator = coordinator_of(firewall)
    backend = coordinator.backend
    assert backend is not None

    # The router stops taking Homebound's key; the next check logs in afresh and is refused.
    (sshd.directory / "authorized_keys").write_text("")
    await backend.close()
    await coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = [f for f in hass.config_entries.flow.async_progress() if f["handler"] == DOMAIN]
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    assert coordinator.data.error == "ssh_auth"

    # From now on nothing logs in: not a check, not the user's change (a translated error).
    tried = len(connections)
    await coordinator.async_refresh()
    coordinator.cameras_changed()
    await hass.async_block_till_done(wait_background_tasks=True)
    with pytest.raises(HomeAssistantError) as caught:
        await coordinator.async_set_isolated([], True)
    assert caught.value.translation_key == "ssh_auth"
    assert len(connections) == tried
