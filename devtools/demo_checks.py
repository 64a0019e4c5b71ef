"""What the demo proves before it says PASS, beyond the camera: a clean first screen, no DNS out.

- **No notification and no repair** waits on the newcomer: Home Assistant's bell and the badge
  on Settings stay empty. Home Assistant tells every venv ("Core") installation that the method
  is deprecated, in a repair; that is about how the demo runs Home Assistant, not about
  Homebound, so the demo ignores it (what the repair's own "Ignore" does) and says so.
- **Nothing Home Assistant resolves leaves the machine** (:func:`check_dns`): from inside the
  running ``hass``'s mount namespace, a vendor's cloud domain does not resolve and only a
  loopback responder answered (:mod:`devtools.loopback_dns`).
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Any, Final

from homeassistant.util.package import is_docker_env, is_virtual_env

from devtools.harness import Deadline, DemoError
from devtools.hass_process import INTEGRATION_DIR, HassProcess
from devtools.loopback_dns import CHECK_NAME, ResolverError, check_resolver

INSTALL_NOTICES = frozenset(
    {
        "deprecated_method",
        "deprecated_architecture",
        "deprecated_method_architecture",
        "deprecated_container",
        "unsupported_local_deps",
    }
)
"""Home Assistant's repairs about how it is installed (domain ``homeassistant``)."""


async def _issues(hass: HassProcess) -> list[dict[str, Any]]:
    result = await hass.ws_command({"type": "repairs/list_issues"})
    issues = (result or {}).get("issues") or []
    return [issue for issue in issues if isinstance(issue, dict)]


def _install_notices(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        issue
        for issue in issues
        if issue.get("domain") == "homeassistant" and issue.get("issue_id") in INSTALL_NOTICES
    ]


def core_installation() -> bool:
    """Tell whether Home Assistant counts this as a "Core" installation.

    It does in a virtual environment outside a container, and raises its deprecation repair
    for that after every start.
    """
    return is_virtual_env() and not is_docker_env()


async def ignore_install_notices(hass: HassProcess, deadline: Deadline) -> list[str]:
    """Ignore Home Assistant's installation-method repairs; return the ones ignored now.

    On a Core installation the repair is raised shortly after Home Assistant started, in the
    background: it is waited for, so the first screen never shows it a moment later.
    """
    while not (notices := _install_notices(await _issues(hass))) and core_installation():
        await deadline.pause("Home Assistant's repair about its installation method")
    ignored = []
    for issue in notices:
        if issue.get("ignored"):
            continue
        await hass.ws_command(
            {
                "type": "repairs/ignore_issue",
                "domain": issue["domain"],
                "issue_id": issue["issue_id"],
                "ignore": True,
            }
        )
        ignored.append(str(issue["issue_id"]))
    return ignored


FINDINGS: Final = ("cloud_features_",)
"""Repairs Homebound raises about the virtual camera as it would about a real one: a camera out
of the box takes its time from a public server (pool.ntp.org), and saying so is the product."""


EXPORT_NOTICES: Final = ("rules_exported_",)
"""Homebound's notice of an export-only firewall entry: where its rules were written for the
user to apply. Expected when the demo could not make its namespaces and exported instead."""


def _finding(issue: dict[str, Any], expected: tuple[str, ...] = ()) -> bool:
    return issue.get("domain") == "homebound" and str(issue.get("issue_id", "")).startswith(
        (*FINDINGS, *expected)
    )


async def first_screen_problems(hass: HassProcess, expected: tuple[str, ...] = ()) -> list[str]:
    """Notifications and repairs a newcomer would find waiting (none, when all is well).

    Homebound's own findings about the virtual camera (:data:`FINDINGS`) are not problems of
    the demo: :func:`homebound_findings` lists them. ``expected``: the issue id prefixes of
    Homebound's repairs this run expects too (:data:`EXPORT_NOTICES` on the export-only path).
    """
    problems = [
        f"notification {n.get('notification_id')!r}: {n.get('title') or ''} {n.get('message')}"
        for n in await hass.notifications()
    ]
    problems.extend(
        f"repair {issue.get('domain')}.{issue.get('issue_id')}"
        for issue in await _issues(hass)
        if not issue.get("ignored")
        and not issue.get("dismissed_version")
        and not _finding(issue, expected)
    )
    return problems


async def homebound_findings(hass: HassProcess) -> list[str]:
    """Return the repairs Homebound raised about the virtual camera (what it found on it)."""
    return [str(issue.get("issue_id")) for issue in await _issues(hass) if _finding(issue)]


def cloud_domains() -> list[str]:
    """Return one domain of each vendor cloud in Homebound's catalogue (a firewall resolves them).

    The catalogue's module is loaded from its file: importing it through the integration's
    package would import onvif-zeep-async too, which configures the root logger at import and
    fills the demo's output with every INFO line.
    """
    name = "homebound_demo_cloud_catalogue"
    spec = importlib.util.spec_from_file_location(name, INTEGRATION_DIR / "catalog" / "cloud.py")
    assert spec is not None
    assert spec.loader is not None
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [service.domains[0] for service in module.CLOUD_SERVICES if service.domains]


async def check_dns(hass: HassProcess) -> str:
    """Prove Home Assistant resolves on loopback only; return one line saying what was seen."""
    if hass.pid is None:
        msg = "Home Assistant is not running"
        raise DemoError(msg)
    names = cloud_domains()
    try:
        await check_resolver(hass.pid, names)
    except ResolverError as err:
        raise DemoError(str(err)) from err
    return (
        f"DNS inside Home Assistant: {len(names)} vendor cloud domains refused on 127.0.0.1, "
        f"{CHECK_NAME} answered there; no query left the machine"
    )
