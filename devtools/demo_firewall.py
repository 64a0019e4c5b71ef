"""The demo's firewall: real nftables in a network namespace of its own, standing in for a router.

The integration's "nftables on this Home Assistant host" backend runs ``nft``; the demo starts
Home Assistant with a directory first on its ``PATH`` whose ``nft`` runs the real one inside a
network namespace the demo made (``ip netns exec NAME nft ...``). So the firewall entry, the
Cloud blocking switch, the counters and the "Cloud isolation" problem sensor all work as on a
real host, while the rules never touch this machine's own firewall. Deleting the namespace is
a router that vanished: every ``nft`` fails, and the problem sensor turns on; making it again
(empty) lets Homebound put its rules back.

Creating namespaces needs root. Without it the demo adds an "export only" firewall entry: the
switch works, there are no counters, and the problem sensor has nothing to report.
Namespace names carry the demo's PID; one left by a killed run is removed by the next.
"""

from __future__ import annotations

import os
from pathlib import Path
import re
import secrets
import shutil
import stat
import subprocess
from typing import Any

from devtools.demo_flow import DOMAIN
from devtools.harness import Deadline, DemoError, say
from devtools.hass_process import HassProcess

STEP_TIMEOUT = 20.0
NAME = re.compile(r"^hbdemo(\d+)x[0-9a-f]{4}(?:cam)?$")
"""The firewall's namespace, and the camera's LAN (``demo_lan``): both carry the PID."""
HA_HOST = "172.31.0.10"
"""The Home Assistant host's address in the allow-list when the camera has no LAN of its own
(``demo_lan``'s first subnet): a private range, as the allow-list wants, not this machine's."""
LAN_RANGE = "172.31.0.0/24"


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    ip = shutil.which("ip") or "/usr/sbin/ip"
    return subprocess.run(  # noqa: S603 - fixed argv, demo-made names
        [ip, *args], check=check, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )


def sweep_stale() -> None:
    """Remove demo namespaces whose demo process no longer runs."""
    for line in _ip("netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if (match := NAME.match(name)) is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            _ip("netns", "delete", name, check=False)
            if name.endswith("cam"):
                # The camera LAN's end on this host (demo_lan); the kernel removes it with the
                # namespace, but not always before this returns.
                _ip("link", "delete", f"hbd{match.group(1)}", check=False)


class NamespaceFirewall:
    """nftables in a namespace, reached by Home Assistant through an ``nft`` on its PATH."""

    def __init__(self, run_dir: Path) -> None:
        """Describe it; nothing exists before :meth:`start`."""
        self.name = f"hbdemo{os.getpid()}x{secrets.token_hex(2)}"
        self.bin_dir = run_dir / "firewall-bin"
        self.started = False

    @staticmethod
    def possible() -> bool:
        """Whether this process may make namespaces and has ``ip`` and ``nft``."""
        return os.geteuid() == 0 and shutil.which("ip") is not None and _nft() is not None

    def start(self) -> None:
        """Write the ``nft`` Home Assistant runs; make the namespace it runs in, when permitted.

        Without the namespace the ``nft`` fails closed: a demo configuration that has a local
        firewall entry from an earlier run must never reach this machine's own nftables.
        """
        self.bin_dir.mkdir(parents=True, exist_ok=True)
        wrapper = self.bin_dir / "nft"
        if self.possible():
            sweep_stale()
            _ip("netns", "add", self.name)
            self.started = True
            ip = shutil.which("ip") or "/usr/sbin/ip"
            wrapper.write_text(f'#!/bin/sh\nexec {ip} netns exec {self.name} {_nft()} "$@"\n')
        else:
            wrapper.write_text(
                "#!/bin/sh\necho 'Error: the demo firewall namespace is not running' >&2\nexit 1\n"
            )
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)

    def env(self) -> dict[str, str]:
        """Return the environment Home Assistant needs to use this firewall."""
        return {"PATH": f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}"}

    def lose(self) -> None:
        """Make the router vanish: every ``nft`` Home Assistant runs fails from now on."""
        _ip("netns", "delete", self.name, check=False)

    def restore(self) -> None:
        """Bring the router back, with an empty ruleset (a reboot without persistence)."""
        _ip("netns", "add", self.name, check=False)

    def ruleset(self) -> str:
        """Return what the namespace's nftables holds now."""
        nft = _nft() or "nft"
        return _ip("netns", "exec", self.name, nft, "list", "ruleset", check=False).stdout

    def stop(self) -> None:
        """Delete the namespace."""
        if self.started:
            _ip("netns", "delete", self.name, check=False)
            self.started = False


def _nft() -> str | None:
    return shutil.which("nft") or next(
        (p for p in ("/usr/sbin/nft", "/sbin/nft") if Path(p).is_file()), None
    )


async def _progress(hass: HassProcess, flow: dict[str, Any], deadline: Deadline) -> dict[str, Any]:
    while flow.get("type") in ("progress", "progress_done"):
        await deadline.pause("the firewall connection test")
        flow = await hass.flow_get(flow["flow_id"])
    return flow


async def _network_step(
    hass: HassProcess, flow: dict[str, Any], deadline: Deadline
) -> dict[str, Any]:
    """Wait out the connection test; the flow must then ask for the allow-list."""
    flow = await _progress(hass, flow, deadline)
    if flow.get("step_id") != "firewall_network":
        msg = f"the firewall flow stopped at {flow.get('step_id')}: {flow.get('errors')}"
        raise DemoError(msg)
    return flow


async def add_firewall_entry(
    hass: HassProcess,
    deadline: Deadline,
    *,
    local: bool,
    ha_host: str = HA_HOST,
    lan_range: str = LAN_RANGE,
    isolate_new: bool = True,
) -> str:
    """Add Homebound's firewall entry over REST (this host's nftables, or export only).

    ``ha_host`` and ``lan_range`` are the allow-list: this host's address on the camera's LAN
    and that LAN (``demo_lan``), or the fixed ones when the camera is on 127.0.0.1.
    """
    existing = [
        e for e in await hass.config_entries(DOMAIN) if e.get("title", "").startswith("Firewall")
    ]
    if existing:
        return str(existing[0]["entry_id"])
    say(f"-> adding the firewall entry ({'nftables in a namespace' if local else 'export only'})")
    flow = await hass.flow_start(DOMAIN)
    try:
        if flow.get("type") == "menu":
            flow = await hass.flow_step(flow["flow_id"], {"next_step_id": "firewall"})
        flow = await hass.flow_step(flow["flow_id"], {"backend": "local" if local else "export"})
        flow = await _network_step(hass, flow, deadline)
        flow = await hass.flow_step(
            flow["flow_id"],
            {"ha_hosts": [ha_host], "lan_ranges": [lan_range], "isolate_new": isolate_new},
        )
    except BaseException:
        await hass.flow_abort(flow["flow_id"])
        raise
    if flow.get("type") != "create_entry":
        msg = f"adding the firewall failed: {flow.get('errors') or flow.get('reason')}"
        raise DemoError(msg)
    return str(flow["result"]["entry_id"])


async def cloud_blocking_states(hass: HassProcess) -> dict[str, str]:
    """Return each camera's Cloud blocking switch and its state (none: no switch shown)."""
    switches = {
        str(item["entity_id"])
        for item in await hass.entity_registry()
        if item.get("platform") == DOMAIN and item.get("translation_key") == "cloud_blocking"
    }
    return {
        str(state["entity_id"]): str(state.get("state"))
        for state in await hass.states()
        if state.get("entity_id") in switches
    }


async def block_clouds(hass: HassProcess, deadline: Deadline) -> list[str]:
    """Turn every camera's Cloud blocking on, as a user would; return the switches."""
    while True:
        switches = [
            str(item["entity_id"])
            for item in await hass.entity_registry()
            if item.get("platform") == DOMAIN and item.get("translation_key") == "cloud_blocking"
        ]
        if switches:
            break
        await deadline.pause("the cameras' Cloud blocking switches")
    await hass.rest("POST", "/api/services/switch/turn_on", {"entity_id": switches})
    return switches


async def wait_confirmed(hass: HassProcess, switches: list[str], deadline: Deadline) -> None:
    """Wait until every switch is on: the switch shows what the firewall confirmed in force.

    Only a camera the network shows (the demo's LAN camera) can be matched; the firewall's own
    check then confirms the rules by content before the switch turns on.
    """
    while True:
        states = {str(s["entity_id"]): s.get("state") for s in await hass.states()}
        if all(states.get(switch) == "on" for switch in switches):
            return
        waiting = [switch for switch in switches if states.get(switch) != "on"]
        await deadline.pause(f"the firewall to confirm {', '.join(waiting)} (still off)")
