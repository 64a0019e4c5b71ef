"""Every branch of the firewall's config flow: errors as form errors, reauth, reconfigure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from homeassistant.config_entries import SOURCE_REAUTH, SOURCE_RECONFIGURE, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_HA_HOSTS,
    CONF_KIND,
    CONF_LAN_RANGES,
    CONF_NTP_REDIRECT,
    DOMAIN,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from custom_components.homebound.firewall import CommandResult, SubprocessRunner
from custom_components.homebound.firewall.persist import DETECT
from custom_components.homebound.firewall.runner import DEFAULT_TIMEOUT
from custom_components.homebound.firewall_backend import DATA_HOOKS, FirewallHooks

from .glue import (
    add_ssh_firewall,
    finish_progress,
    install_hooks,
    network_input,
    ssh_input,
    start_firewall_flow,
)
from .lab import ROUTER_HA4, Lab, Sshd


class Refusing:
    """A host where nft exists but the kernel refuses it (no CAP_NET_ADMIN)."""

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        return CommandResult(1, "", "Error: Operation not permitted")


class Broken:
    """A runner that fails in a way nobody foresaw."""

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        raise RuntimeError("unforeseen")


async def test_local_backend_errors_are_form_errors(hass: HomeAssistant, tmp_path: Path) -> None:
    """Home Assistant OS, no permission, something unforeseen: a clear error, then a choice."""

    async def netlink_permitted() -> bool:
        return True

    async def netlink_refused() -> bool:
        return False

    no_nft = SubprocessRunner(env={"PATH": str(tmp_path)})
    cases = [
        (FirewallHooks(local_runner=no_nft, netlink_probe=netlink_permitted), "local_haos"),
        (FirewallHooks(local_runner=no_nft, netlink_probe=netlink_refused), "local_impossible"),
        (FirewallHooks(local_runner=Refusing()), "nft_not_permitted"),
        (FirewallHooks(local_runner=Broken()), "unknown"),
    ]
    result = await start_firewall_flow(hass)
    for hooks, error in cases:
        hass.data[DATA_HOOKS] = hooks
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_BACKEND: "local"}
        )
        result = await finish_progress(hass, result)
        assert result["step_id"] == "firewall"
        assert result["errors"] == {"base": error}
    # The user takes the advice: export only.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "export"}
    )
    assert result["step_id"] == "firewall_network"


async def test_export_only_with_defaults_from_the_network(hass: HomeAssistant) -> None:
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "export"}
    )
    assert result["step_id"] == "firewall_network"
    schema = result["data_schema"]
    assert schema is not None
    suggested = {
        str(key): key.description["suggested_value"]
        for key in schema.schema
        if key.description and "suggested_value" in key.description
    }
    # Home Assistant's (test) network settings: one adapter, 10.10.10.10/24.
    assert suggested[CONF_HA_HOSTS] == ["10.10.10.10"]
    assert suggested[CONF_LAN_RANGES] == ["10.10.10.0/24"]

    unsafe = {CONF_HA_HOSTS: ["10.10.10.10"], CONF_LAN_RANGES: ["0.0.0.0/0"]}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], unsafe)
    assert result["errors"] == {"base": "invalid_policy"}
    assert "0.0.0.0/0" in str(result["description_placeholders"])
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], network_input(**{CONF_NTP_REDIRECT: " 198.18.0.53 "})
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Firewall rules to export"
    assert result["data"][CONF_NTP_REDIRECT] == "198.18.0.53"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert result["result"].state is ConfigEntryState.LOADED

    # One firewall only.
    result = await start_firewall_flow_expecting_abort(hass)
    assert result["reason"] == "firewall_already_configured"


async def start_firewall_flow_expecting_abort(hass: HomeAssistant):  # type: ignore[no-untyped-def]
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    return await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "firewall"}
    )


async def test_ssh_errors_then_success(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    install_hooks(hass, lab, tmp_path)
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    assert result["step_id"] == "firewall_ssh"
    stranger = (sshd.directory / sshd.keygen("stranger").name).read_text()
    for answers, error in (
        (ssh_input(sshd, **{CONF_PORT: 2222}), "ssh_unreachable"),
        (ssh_input(sshd, **{CONF_CLIENT_KEY: stranger}), "ssh_auth"),
        (ssh_input(sshd, **{CONF_CLIENT_KEY: "", CONF_PASSWORD: "wrong"}), "ssh_auth"),
    ):
        result = await hass.config_entries.flow.async_configure(result["flow_id"], answers)
        result = await finish_progress(hass, result)
        assert result["step_id"] == "firewall_ssh"
        assert result["errors"] == {"base": error}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ssh_input(sshd))
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_host_key"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["fingerprint"].startswith("SHA256:")


async def test_router_without_a_place_for_the_rules(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    """Without the test's file target, the router is asked how it keeps rules (read only).

    The lab's "router" shares this machine's files: where they show OpenWrt, systemd or
    /etc/nftables.d the flow goes on (and stops here, before anything is stored).
    """
    install_hooks(hass, lab, tmp_path).persist = None
    kind = lab.exec("rtr", "sh", "-c", DETECT).stdout.strip()  # the same read-only probe
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ssh_input(sshd))
    result = await finish_progress(hass, result)
    if kind == "none":
        assert result["errors"] == {"base": "no_persistence"}
    else:
        assert result["step_id"] == "firewall_host_key"
    hass.config_entries.flow.async_abort(result["flow_id"])


async def test_reauth_and_reconfigure(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    install_hooks(hass, lab, tmp_path)
    entry = await add_ssh_firewall(hass, sshd)

    key = ssh_input(sshd)[CONF_CLIENT_KEY]
    # The router stops taking Homebound's key: the next check asks for a login.
    (sshd.directory / "authorized_keys").write_text("")
    coordinator = entry.runtime_data
    await coordinator.backend.close()  # the next check logs in afresh
    await coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)
    (flow,) = [f for f in hass.config_entries.flow.async_progress() if f["handler"] == DOMAIN]
    assert flow["context"]["source"] == SOURCE_REAUTH
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert result["step_id"] == "firewall_reauth"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "root", CONF_CLIENT_KEY: key}
    )
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_reauth"
    assert result["errors"] == {"base": "ssh_auth"}
    (sshd.directory / "authorized_keys").write_text((sshd.directory / "client.pub").read_text())
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "root", CONF_CLIENT_KEY: key}
    )
    result = await finish_progress(hass, result)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED

    # Reconfigure: the same steps, starting from what the entry holds; secrets kept if empty.
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == "firewall"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ssh_input(sshd, **{CONF_CLIENT_KEY: ""})
    )
    result = await finish_progress(hass, result)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    assert result["step_id"] == "firewall_network"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], network_input(**{CONF_LAN_RANGES: ["198.18.0.0/15"]})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data[CONF_LAN_RANGES] == ["198.18.0.0/15"]
    assert entry.data[CONF_CLIENT_KEY] == ssh_input(sshd)[CONF_CLIENT_KEY]
    assert entry.data[CONF_HOST] == ROUTER_HA4
    assert entry.state is ConfigEntryState.LOADED


async def test_firewall_entry_has_no_options(hass: HomeAssistant) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=FIREWALL_UNIQUE_ID,
        data={CONF_KIND: KIND_FIREWALL, CONF_BACKEND: "export", **network_input()},
    )
    entry.add_to_hass(hass)
    assert not entry.supports_options
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.LOADED
