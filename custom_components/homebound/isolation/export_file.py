"""Export only: the rules written where the user looks, and a notice that says where.

An export-only firewall entry has no backend: the user loads the rules on a router Homebound
cannot program. A service response or diagnostics is not where anybody looks for them, so
:func:`async_publish_rules` writes one paste-ready file per router kind into the configuration
directory (``<config>/homebound/``; each file's header says how to load it):

* ``homebound.nft`` - nftables (``nft -f homebound.nft``),
* ``homebound4.rules`` - iptables (``iptables-restore --noflush < homebound4.rules``),
* ``homebound6.rules`` - ip6tables (``ip6tables-restore --noflush < homebound6.rules``).

Files are written off the event loop, atomically (Home Assistant's ``write_utf8_file_atomic``),
and only when their text changed (an SD card is not written on every check). When they
changed, a repair issue names the directory and asks the user to load them; it is deleted and
made again on every change, so that it shows again even if the user had ignored it, and its
fix flow is the user saying "loaded". A directory that cannot be written is a repair of its own.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.util.file import write_utf8_file_atomic
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN, LOGGER
from ..firewall import FirewallPolicy, export_iptables, export_nftables
from .notices import issue_id

if TYPE_CHECKING:
    from .coordinator import FirewallConfigEntry

RULES_DIRECTORY: Final = "homebound"
"""The directory under Home Assistant's configuration directory the rules go to."""
NFTABLES_FILE: Final = "homebound.nft"
IPTABLES_FILE: Final = "homebound4.rules"
IP6TABLES_FILE: Final = "homebound6.rules"
RULES_EXPORTED: Final = "rules_exported"
"""Issue kind: the rules were written (or changed); load them on the router."""
EXPORT_FAILED: Final = "rules_not_written"
"""Issue kind: the rules could not be written to the configuration directory."""

_LOCK: HassKey[asyncio.Lock] = HassKey(f"{DOMAIN}_export_file_lock")


def rules_directory(hass: HomeAssistant) -> Path:
    """Return where an export-only firewall writes its rules."""
    return Path(hass.config.path(RULES_DIRECTORY))


def rule_files(policy: FirewallPolicy) -> dict[str, str]:
    """File name -> paste-ready text, one per kind of router."""
    return {
        NFTABLES_FILE: export_nftables(policy),
        IPTABLES_FILE: export_iptables(policy, 4),
        IP6TABLES_FILE: export_iptables(policy, 6),
    }


def _write(directory: Path, files: dict[str, str]) -> bool:
    """Write the files whose text changed (in the executor); whether any did."""
    directory.mkdir(parents=True, exist_ok=True)
    changed = False
    for name, text in files.items():
        path = directory / name
        try:
            if path.read_text(encoding="utf-8") == text:
                continue
        except FileNotFoundError:
            pass
        write_utf8_file_atomic(str(path), text)
        changed = True
    return changed


async def async_publish_rules(
    hass: HomeAssistant, entry: FirewallConfigEntry, policy: FirewallPolicy
) -> None:
    """Write the policy's rules to ``<config>/homebound/`` and tell the user when they changed."""
    directory = rules_directory(hass)
    files = rule_files(policy)
    lock = hass.data.setdefault(_LOCK, asyncio.Lock())
    async with lock:  # one writer at a time: the last policy's text is what stays
        try:
            changed = await hass.async_add_executor_job(_write, directory, files)
        except (OSError, HomeAssistantError) as err:
            LOGGER.warning("Could not write the firewall rules to %s: %s", directory, err)
            ir.async_create_issue(
                hass,
                DOMAIN,
                issue_id(EXPORT_FAILED, entry),
                is_fixable=False,
                severity=ir.IssueSeverity.ERROR,
                translation_key="rules_not_written",
                translation_placeholders={"path": str(directory), "error": str(err)},
            )
            return
    ir.async_delete_issue(hass, DOMAIN, issue_id(EXPORT_FAILED, entry))
    if not changed:
        return
    LOGGER.info("Firewall rules for %s cameras written to %s", len(policy.cameras), directory)
    exported = issue_id(RULES_EXPORTED, entry)
    ir.async_delete_issue(hass, DOMAIN, exported)  # shown again, even if it was ignored
    ir.async_create_issue(
        hass,
        DOMAIN,
        exported,
        is_fixable=True,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="rules_exported",
        translation_placeholders={
            "path": str(directory),
            "cameras": str(len(policy.cameras)),
            "nftables": NFTABLES_FILE,
            "iptables": IPTABLES_FILE,
            "ip6tables": IP6TABLES_FILE,
        },
        data={"entry_id": entry.entry_id},
    )


@callback
def async_report_unsafe(hass: HomeAssistant, entry: FirewallConfigEntry, error: str) -> None:
    """Say that the settings make no safe policy; the files keep the last safe rules.

    The repair is the one of a directory that cannot be written: the new rules are not there.
    """
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id(EXPORT_FAILED, entry),
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="rules_not_written",
        translation_placeholders={"path": str(rules_directory(hass)), "error": error},
    )


async def async_remove_rule_files(hass: HomeAssistant) -> None:
    """Delete the written rules (the export-only entry is removed: they are no one's now)."""

    def remove(directory: Path) -> None:
        for name in (NFTABLES_FILE, IPTABLES_FILE, IP6TABLES_FILE):
            (directory / name).unlink(missing_ok=True)
        try:
            directory.rmdir()
        except OSError:  # the user keeps something of their own there
            return

    await hass.async_add_executor_job(remove, rules_directory(hass))
