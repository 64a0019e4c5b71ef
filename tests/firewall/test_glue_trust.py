"""No credential reaches a machine that is not the router, in any path of the glue.

Another machine answers at the router's address - a rogue asyncssh server on loopback that
records every user name, password and key offered to it (``rogue_ssh.py``). The test's socket
factory decides what answers there: the lab's real sshd, or the rogue. In each path - adding the
firewall, reconfiguring it, reauthentication, the host-key repair's "accept", the periodic
check - the rogue must receive nothing: the host key is fetched without logging in and shown,
and a login accepts only the key the user pinned.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
import socket

from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_RECONFIGURE, ConfigEntry, ConfigFlowResult
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import CONF_BACKEND, CONF_CLIENT_KEY, CONF_HOST_KEY, DOMAIN
from custom_components.homebound.firewall import fingerprint
from simulator import CameraConfig

from .glue import (
    add_ssh_firewall,
    coordinator_of,
    finish_progress,
    install_hooks,
    ssh_input,
    start_firewall_flow,
)
from .lab import CAMERA_MAC, Lab, Sshd, connect_from
from .rogue_ssh import RogueSshServer, rogue_ssh_server
from .test_glue_ssh import next_check
from .test_ssh import keygen_fingerprint


class RouterAddress:
    """What answers at the router's address: the lab's sshd, or (once set) the rogue."""

    def __init__(self, lab: Lab, rogue: RogueSshServer) -> None:
        self.lab = lab
        self.rogue = rogue
        self.rogue_answers = False

    async def connect(self, host: str, port: int) -> socket.socket:
        if self.rogue_answers:
            return await asyncio.to_thread(
                socket.create_connection, ("127.0.0.1", self.rogue.port), 5
            )
        return await asyncio.to_thread(connect_from, self.lab, "ha", host, port)


@pytest.fixture
def camera_config() -> CameraConfig:
    """The virtual camera answers ONVIF with the MAC of the lab's camera host."""
    return CameraConfig(rtsp=False, mac=CAMERA_MAC)


@pytest.fixture
async def router(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> AsyncIterator[RouterAddress]:
    """The lab, with the rogue standing by to answer at the router's address."""
    async with rogue_ssh_server() as rogue:
        address = RouterAddress(lab, rogue)
        install_hooks(hass, lab, tmp_path).connect_socket = address.connect
        yield address


SECRET = "router-root-password"
"""The router's password as the user types it: it must reach no machine but the router."""


def assert_nothing_sent(rogue: RogueSshServer) -> None:
    """The rogue was reached, and learnt nothing: no user name, no password, no key."""
    assert rogue.connections > 0
    assert rogue.usernames == []
    assert rogue.offers == []


async def test_adding_shows_the_key_before_anything_is_sent(
    hass: HomeAssistant, router: RouterAddress, sshd: Sshd
) -> None:
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    # The user saw the router's key, then another machine took its address: the login
    # accepts only the key shown, and stops before authenticating.
    by_password = ssh_input(sshd, **{CONF_CLIENT_KEY: "", CONF_PASSWORD: SECRET})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], by_password)
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_host_key"
    router.rogue_answers = True
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_ssh"
    assert result["errors"] == {"base": "host_key_changed"}
    assert_nothing_sent(router.rogue)

    # Asked again, the flow shows the rogue's key - and has sent it nothing still. A user who
    # does not recognise it stops here.
    result = await hass.config_entries.flow.async_configure(result["flow_id"], by_password)
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_host_key"
    assert result["description_placeholders"] is not None
    rogue_fingerprint = fingerprint(router.rogue.public_keys[0])
    assert result["description_placeholders"]["fingerprint"] == rogue_fingerprint
    assert_nothing_sent(router.rogue)

    # The control: a user who confirms that key does send the password to it - the recorder
    # sees what a login gives away, so its silence above means nothing was given.
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await finish_progress(hass, result)
    assert [(o.kind, o.secret) for o in router.rogue.offers] == [("password", SECRET)]
    hass.config_entries.flow.async_abort(result["flow_id"])


async def test_reconfigure_reauth_and_the_check_send_nothing_to_another_machine(
    hass: HomeAssistant,
    router: RouterAddress,
    sshd: Sshd,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    assert await hass.config_entries.async_setup(config_entry.entry_id)  # a camera to check
    entry = await add_ssh_firewall(hass, sshd)
    router.rogue_answers = True

    # Reconfigure to the same router: the rogue's key is shown beside the pinned one.
    result = await reconfigure_ssh(hass, entry, sshd)
    assert result["step_id"] == "firewall_new_host_key"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["offered"] == fingerprint(router.rogue.public_keys[0])
    hass.config_entries.flow.async_abort(result["flow_id"])

    # Reauthentication logs in with the pin: refused before authentication.
    entry.async_start_reauth(hass)
    await hass.async_block_till_done()
    (flow,) = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert result["step_id"] == "firewall_reauth"
    login = {
        CONF_USERNAME: "root",
        CONF_PASSWORD: SECRET,
        CONF_CLIENT_KEY: ssh_input(sshd)[CONF_CLIENT_KEY],
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], login)
    result = await finish_progress(hass, result)
    assert result["errors"] == {"base": "host_key_changed"}
    hass.config_entries.flow.async_abort(result["flow_id"])

    # The periodic check, on a fresh connection (a router reboot closes the old one).
    backend = coordinator_of(entry).backend
    assert backend is not None
    await backend.close()
    await next_check(hass, entry)
    issue = issue_registry.async_get_issue(DOMAIN, f"host_key_changed_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["offered"] == fingerprint(router.rogue.public_keys[0])
    assert_nothing_sent(router.rogue)


async def reconfigure_ssh(hass: HomeAssistant, entry: ConfigEntry, sshd: Sshd) -> ConfigFlowResult:
    """Reconfigure the firewall with the same router and login: the step after the key fetch."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ssh_input(sshd, **{CONF_CLIENT_KEY: "", CONF_PASSWORD: SECRET})
    )
    return await finish_progress(hass, result)


async def test_the_repair_checks_the_key_before_it_logs_in(
    hass: HomeAssistant,
    router: RouterAddress,
    sshd: Sshd,
    config_entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """The repair shows the reinstalled router's key; by the time the user accepts, another
    machine answers: its key is not the one shown, so nothing is sent and nothing pinned."""
    assert await async_setup_component(hass, "repairs", {})
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    entry = await add_ssh_firewall(hass, sshd)
    pinned = entry.data[CONF_HOST_KEY]
    sshd.stop()
    sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
    backend = coordinator_of(entry).backend
    assert backend is not None
    await backend.close()
    await next_check(hass, entry)
    issue_id = f"host_key_changed_{entry.entry_id}"
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    result = await manager.async_configure(result["flow_id"], {"next_step_id": "accept"})
    assert result["description_placeholders"] == {
        "offered": keygen_fingerprint(sshd.directory / "host_b.pub")
    }

    router.rogue_answers = True
    result = await manager.async_configure(result["flow_id"], {})
    assert result["errors"] == {"base": "host_key_differs"}
    assert entry.data[CONF_HOST_KEY] == pinned
    assert_nothing_sent(router.rogue)

    # The router answers again: accepted, pinned, and the entry reloads with it.
    router.rogue_answers = False
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done(wait_background_tasks=True)
    assert fingerprint(entry.data[CONF_HOST_KEY]) == keygen_fingerprint(
        sshd.directory / "host_b.pub"
    )
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert coordinator_of(entry).halted is None
