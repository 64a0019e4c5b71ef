"""Each camera's repairs about its match keys: refused keys, isolated by address only, not at all.

Validation is per camera (issue 14): a key that would match somebody else - the Home Assistant
host, the router, an allowed server, another camera -, one the network ties to another MAC, a
MAC the network does not show at the camera, text that is no key at all, is left out of the
policy, and the rest is applied. The user sees each camera's refused keys in a repair of their
own kind (the kind says why, translated; the keys are named), a camera isolated without a MAC
("by address only": the router matches it by the addresses it was seen at, not by its MAC, so
an address it takes next is not covered) and a camera that is not isolated at all although the
user chose so. Only cameras the user wants isolated get repairs; a hint not taken (a reported
address nothing observed) is no repair.

Every key and name in a repair went through :mod:`.wording` (the keys are code spans: a hostile
camera's rule text shows as text).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir

from ..const import DOMAIN, LOGGER
from ..firewall import IsolationPlan, Refusal, RefusalReason, plain_address, shown
from .wording import codes, md

REFUSAL_ISSUES: Final = {
    RefusalReason.MALFORMED: "camera_key_malformed",
    RefusalReason.HA_HOST: "camera_key_ha_host",
    RefusalReason.GATEWAY: "camera_key_gateway",
    RefusalReason.ALLOWED_SERVER: "camera_key_allowed_server",
    RefusalReason.OTHER_CAMERA: "camera_key_other_camera",
    RefusalReason.NOT_ON_LAN: "camera_key_not_on_lan",
    RefusalReason.SEEN_ON_OTHER_MAC: "camera_key_seen_on_other_mac",
    RefusalReason.MAC_MISMATCH: "camera_key_mac_mismatch",
}
"""The repair of each kind of refused key (``unconfirmed`` is a hint not taken: none)."""
ISSUE_BY_ADDRESS: Final = "isolated_by_address"
ISSUE_NOT_ISOLATED: Final = "not_isolated"
CAMERA_ISSUES: Final = (*REFUSAL_ISSUES.values(), ISSUE_BY_ADDRESS, ISSUE_NOT_ISOLATED)
"""Every kind of camera repair (``<kind>_<camera id>``)."""

type _Issue = tuple[str, ir.IssueSeverity, dict[str, str]]


def camera_issue_id(kind: str, camera: str) -> str:
    """Return the id of one camera's repair of one kind."""
    return f"{kind}_{camera}"


def _refused(refusals: list[Refusal]) -> dict[str, list[Refusal]]:
    found: dict[str, list[Refusal]] = {}
    for refusal in refusals:
        if (kind := REFUSAL_ISSUES.get(refusal.reason)) is not None:
            found.setdefault(kind, []).append(refusal)
    return found


class CameraIssues:
    """Keeps each camera's repairs in step with the latest plan."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing raised yet."""
        self._hass = hass
        self._raised: dict[str, str] = {}
        """Issue id -> the camera it is about."""
        self._told: set[tuple[str, str, str]] = set()
        """(camera, key, reason) already logged (each refusal is logged once per run)."""

    def wanted(
        self,
        plan: IsolationPlan,
        chosen: Callable[[str], bool],
        names: Mapping[str, str],
    ) -> dict[str, tuple[str, _Issue]]:
        """Issue id -> (camera, its issue) for the plan's cameras the user wants isolated."""
        found: dict[str, tuple[str, _Issue]] = {}
        for camera, match in plan.cameras.items():
            if not chosen(camera):
                continue
            name = md(names.get(camera, camera))
            for kind, refusals in _refused(list(match.refusals)).items():
                others = sorted({names.get(r.other, "?") for r in refusals if r.other})
                placeholders = {
                    "camera": name,
                    "keys": codes(list(dict.fromkeys(r.key for r in refusals))),
                    "others": ", ".join(md(o) for o in others) or "-",
                }
                issue = (kind, ir.IssueSeverity.WARNING, placeholders)
                found[camera_issue_id(kind, camera)] = (camera, issue)
            if not match.isolated:
                refused = [r.key for r in match.refusals if r.key]
                placeholders = {"camera": name, "keys": codes(refused) if refused else "-"}
                issue = (ISSUE_NOT_ISOLATED, ir.IssueSeverity.ERROR, placeholders)
                found[camera_issue_id(ISSUE_NOT_ISOLATED, camera)] = (camera, issue)
            elif match.by_address_only:
                addresses = [plain_address(a) for a in match.addresses]
                placeholders = {"camera": name, "addresses": codes(addresses)}
                issue = (ISSUE_BY_ADDRESS, ir.IssueSeverity.WARNING, placeholders)
                found[camera_issue_id(ISSUE_BY_ADDRESS, camera)] = (camera, issue)
        return found

    def sync(
        self,
        plan: IsolationPlan,
        chosen: Callable[[str], bool],
        names: Mapping[str, str],
        waiting: set[str],
    ) -> None:
        """Raise the plan's issues, withdraw the others; cameras ``waiting`` keep theirs."""
        self._log(plan, chosen, names)
        wanted = self.wanted(plan, chosen, names)
        for issue_id, (camera, (kind, severity, placeholders)) in wanted.items():
            if camera in waiting:
                continue
            ir.async_create_issue(
                self._hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=severity,
                translation_key=kind,
                translation_placeholders=placeholders,
            )
            self._raised[issue_id] = camera
        for issue_id, camera in list(self._raised.items()):
            if issue_id not in wanted and camera not in waiting:
                ir.async_delete_issue(self._hass, DOMAIN, issue_id)
                del self._raised[issue_id]

    def _log(
        self, plan: IsolationPlan, chosen: Callable[[str], bool], names: Mapping[str, str]
    ) -> None:
        """Log each refusal of a chosen camera once (the detail is English and safe to log)."""
        for camera, match in plan.cameras.items():
            for refusal in match.refusals if chosen(camera) else ():
                told = (camera, refusal.key, refusal.reason.value)
                if refusal.reason in REFUSAL_ISSUES and told not in self._told:
                    self._told.add(told)
                    LOGGER.warning(
                        "Camera %s: %s is not used to isolate it (%s): %s",
                        shown(names.get(camera, camera)),
                        refusal.key,
                        refusal.reason.value,
                        refusal.detail,
                    )

    def clear(self) -> None:
        """Withdraw every camera issue (the firewall entry unloads)."""
        for issue_id in self._raised:
            ir.async_delete_issue(self._hass, DOMAIN, issue_id)
        self._raised.clear()
