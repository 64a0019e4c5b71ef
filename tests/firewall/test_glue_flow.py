"""Every branch of the firewall's config flow: errors as form errors, reauth, reconfigure."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.homebound.const import (
    CONF_BACKEND,
    CONF_CLIENT_KEY,
    CONF_GATEWAYS,
    CONF_HOST_KEY,
    CONF_KIND,
    CONF_LAN_RANGES,
    DOMAIN,
    FIREWALL_UNIQUE_ID,
    KIND_FIREWALL,
)
from custom_components.homebound.firewall import CommandResult, SubprocessRunner, fingerprint
from custom_components.homebound.firewall.persist import DETECT
from custom_components.homebound.firewall.runner import DEFAULT_TIMEOUT

from .glue import (
    FirewallHooks,
    add_ssh_firewall,
    finish_progress,
    install_hooks,
    network_input,
    ssh_input,
    start_firewall_flow,
    use_hooks,
)
from .lab import ROUTER_HA4, Lab, Sshd
from .test_ssh import keygen_fingerprint


class Refusing:
    """A host where nft exists but the kernel refuses it (no CAP_NET_ADMIN)."""

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        return CommandResult(1, "", "Error: Operation not permitted")


class Permitted:
    """A host where nft works (and holds nothing yet)."""

    async def run(
        self, argv: Sequence[str], *, stdin: str | None = None, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandResult:
        return CommandResult(0, '{"nftables": []}', "")


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
        use_hooks(hooks)
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


def suggested(result: ConfigFlowResult) -> dict[str, Any]:
    """The values a form is shown with."""
    schema = result["data_schema"]
    assert schema is not None
    return {
        str(key): key.description["suggested_value"]
        for key in schema.schema
        if key.description and "suggested_value" in key.description
    }


async def log_in(
    hass: HomeAssistant, result: ConfigFlowResult, answers: dict[str, Any]
) -> ConfigFlowResult:
    """Submit the router form, accept the key shown, and let the login run; the next step."""
    result = await hass.config_entries.flow.async_configure(result["flow_id"], answers)
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_host_key", result
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    return await finish_progress(hass, result)


async def test_ssh_errors_then_success(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    install_hooks(hass, lab, tmp_path)
    result = await start_firewall_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    assert result["step_id"] == "firewall_ssh"
    # Nothing answers: found while fetching the key, before any login.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ssh_input(sshd, **{CONF_PORT: 2222})
    )
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_ssh"
    assert result["errors"] == {"base": "ssh_unreachable"}
    stranger = (sshd.directory / sshd.keygen("stranger").name).read_text()
    for answers in (
        ssh_input(sshd, **{CONF_CLIENT_KEY: stranger}),
        ssh_input(sshd, **{CONF_CLIENT_KEY: "", CONF_PASSWORD: "wrong"}),
    ):
        result = await log_in(hass, result, answers)
        assert result["step_id"] == "firewall_ssh"
        assert result["errors"] == {"base": "ssh_auth"}
    # The password typed above is gone once the field is empty: the key alone logs in.
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ssh_input(sshd))
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_host_key"
    assert result["description_placeholders"] is not None
    assert result["description_placeholders"]["fingerprint"] == keygen_fingerprint(
        sshd.directory / "host_a.pub"
    )
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_network"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], network_input())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PASSWORD] is None
    assert result["data"][CONF_CLIENT_KEY] == ssh_input(sshd)[CONF_CLIENT_KEY]
    assert fingerprint(result["data"][CONF_HOST_KEY]) == keygen_fingerprint(
        sshd.directory / "host_a.pub"
    )
    await hass.async_block_till_done(wait_background_tasks=True)


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
    result = await log_in(hass, result, ssh_input(sshd))
    if kind == "none":
        assert result["errors"] == {"base": "no_persistence"}
    else:
        assert result["step_id"] == "firewall_network"
    hass.config_entries.flow.async_abort(result["flow_id"])


async def test_reauth_and_reconfigure(
    hass: HomeAssistant, lab: Lab, sshd: Sshd, tmp_path: Path
) -> None:
    install_hooks(hass, lab, tmp_path)
    entry = await add_ssh_firewall(hass, sshd)
    pinned = entry.data[CONF_HOST_KEY]

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
    assert entry.data[CONF_HOST_KEY] == pinned

    # Reconfigure: the same steps, starting from what the entry holds; secrets kept if empty;
    # the same router with the same key: the pin is kept, no question asked.
    result = await start_reconfigure(hass, entry)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], ssh_input(sshd, **{CONF_CLIENT_KEY: ""})
    )
    result = await finish_progress(hass, result)
    assert result["progress_action"] == "firewall_test"  # straight to the login
    result = await finish_progress(hass, result)
    assert result["step_id"] == "firewall_network"
    assert suggested(result)[CONF_GATEWAYS] == network_input()[CONF_GATEWAYS]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], network_input(**{CONF_LAN_RANGES: ["198.18.0.0/24"]})
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.data[CONF_LAN_RANGES] == ["198.18.0.0/24"]
    assert entry.data[CONF_CLIENT_KEY] == key
    assert entry.data[CONF_HOST] == ROUTER_HA4
    assert entry.data[CONF_HOST_KEY] == pinned
    assert entry.state is ConfigEntryState.LOADED

    # The router was reinstalled: a new key is shown beside the pinned one, and replaces it
    # only when the user goes on.
    sshd.stop()
    sshd.start(sshd.keygen("host_b"), sshd.directory / "authorized_keys")
    for confirm in (False, True):
        result = await start_reconfigure(hass, entry)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], ssh_input(sshd, **{CONF_CLIENT_KEY: ""})
        )
        result = await finish_progress(hass, result)
        assert result["step_id"] == "firewall_new_host_key"
        assert result["description_placeholders"] == {
            "host": ROUTER_HA4,
            "pinned": fingerprint(pinned),
            "offered": keygen_fingerprint(sshd.directory / "host_b.pub"),
        }
        if not confirm:
            hass.config_entries.flow.async_abort(result["flow_id"])
            assert entry.data[CONF_HOST_KEY] == pinned
            continue
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
        result = await finish_progress(hass, result)
        result = await hass.config_entries.flow.async_configure(result["flow_id"], network_input())
        assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done(wait_background_tasks=True)
    assert fingerprint(entry.data[CONF_HOST_KEY]) == keygen_fingerprint(
        sshd.directory / "host_b.pub"
    )
    assert entry.state is ConfigEntryState.LOADED


async def start_reconfigure(hass: HomeAssistant, entry: ConfigEntry) -> ConfigFlowResult:
    """Reconfigure the firewall entry, keeping its SSH backend: the router form."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == "firewall"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_BACKEND: "ssh"}
    )
    assert result["step_id"] == "firewall_ssh"
    assert CONF_CLIENT_KEY not in suggested(result)  # secrets are never shown
    return result


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
