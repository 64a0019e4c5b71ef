"""The demo camera's LAN: a network namespace joined to this host by a veth pair.

The firewall matches a camera only by what the network shows (the neighbour table, DHCP), never
by the MAC the camera reports. A camera on 127.0.0.1 shows nothing: loopback traffic never
crosses a firewall, and Homebound rightly isolates nothing. So the demo puts its camera where
a firewall can see it:

* a namespace ``hbdemo<PID>x<hex>cam`` (swept with the firewall's when its demo is gone);
* a veth pair: this host's side ``hbd<PID>`` at ``172.31.N.10/24`` (the Home Assistant host in
  the allow-list; Home Assistant also listens there, see ``HassProcess(lan_address=...)``),
  the namespace's side ``eth0`` at ``172.31.N.50/24`` carrying the camera's own MAC, brought
  up only once the simulator said which MAC that is;
* the simulator serves the camera's ONVIF/HTTP port on ``172.31.N.50`` inside the namespace,
  and sends its ONVIF Notify from there (``python -m simulator --netns NAME --address ...``;
  see ``simulator/netns.py``).

When Home Assistant talks to the camera, the kernel resolves ``172.31.N.50`` over the veth and
its neighbour table holds the camera's MAC there, which is what the "nftables on this host"
backend reads (``ip -j neigh show``).

Why a private (RFC 1918) range and not the benchmarking range 198.18.0.0/15: a home camera
LAN is private, and Home Assistant's local-only webhooks (the camera's ONVIF pushes) refuse a
sender outside its private networks, so a 198.18 camera could not push its events. ``N`` is
the first /24 of 172.31.0.0/16 that no interface of this host routes yet (chosen under a
lock), so parallel demos do not share one and a LAN the machine really uses is never shadowed.
IPv6 is off on both ends: nothing but the one IPv4 subnet exists on the link. Deleting the
namespace deletes the pair, and with it this host's address. Traffic stays between this host
and the namespace: nothing routes the subnet anywhere else.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import json
import os
from pathlib import Path
import secrets
import shutil
import subprocess

from devtools.demo_firewall import HA_HOST, LAN_RANGE, STEP_TIMEOUT, sweep_stale
from devtools.harness import DemoError

HOST_SUFFIX = 10
CAMERA_SUFFIX = 50
PREFIX = 24
LOCK = Path("/run/homebound-demo-lan.lock")
"""Held while a demo looks for a free subnet (``/run`` is root's and emptied at boot)."""
SUBNETS = 256
"""172.31.0.0/24 to 172.31.255.0/24."""


def _ip_path() -> str:
    return shutil.which("ip") or "/usr/sbin/ip"


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(  # noqa: S603 - fixed argv, demo-made names
            [_ip_path(), *args], check=check, capture_output=True, text=True, timeout=STEP_TIMEOUT
        )
    except subprocess.CalledProcessError as err:
        msg = f"ip {' '.join(args)} failed: {err.stderr.strip()}"
        raise DemoError(msg) from err


def _routed(subnet: ipaddress.IPv4Network) -> set[str]:
    """Return the interfaces of this host with a route into ``subnet``."""
    out = _ip("-j", "route", "show", "match", str(subnet), check=False).stdout
    try:
        routes = json.loads(out or "[]")
    except json.JSONDecodeError:
        return set()
    return {
        str(route.get("dev"))
        for route in routes
        if isinstance(route, dict)
        and route.get("dst") != "default"
        and ipaddress.ip_network(str(route.get("dst")), strict=False).overlaps(subnet)
    }


class CameraLan:
    """One namespace with the camera's end of a veth pair; this host holds the other end."""

    def __init__(self) -> None:
        """Describe it; nothing exists before :meth:`start`."""
        self.name = f"hbdemo{os.getpid()}x{secrets.token_hex(2)}cam"
        self.host_link = f"hbd{os.getpid()}"
        self.subnet: ipaddress.IPv4Network | None = None
        self.started = False

    @staticmethod
    def possible() -> bool:
        """Whether this process may make namespaces and has ``ip``."""
        return os.geteuid() == 0 and shutil.which("ip") is not None

    @property
    def host_address(self) -> str:
        """Return the address of this host on the camera's LAN (the Home Assistant host)."""
        assert self.subnet is not None
        return str(self.subnet[HOST_SUFFIX])

    @property
    def camera_address(self) -> str:
        """The camera's address, inside the namespace."""
        assert self.subnet is not None
        return str(self.subnet[CAMERA_SUFFIX])

    def allow_list(self) -> tuple[str, str]:
        """Return the firewall's Home Assistant host and LAN range for this camera."""
        if self.subnet is None:
            return HA_HOST, LAN_RANGE
        return self.host_address, str(self.subnet)

    def simulator_args(self) -> list[str]:
        """Return the simulator's options that put its camera's web port on this LAN."""
        return ["--netns", self.name, "--address", self.camera_address]

    def start(self) -> None:
        """Make the namespace and the pair; the camera's end stays down until :meth:`attach`."""
        sweep_stale()
        _ip("netns", "add", self.name)
        self.started = True
        peer = ("peer", "name", "eth0", "netns", self.name)
        _ip("link", "add", self.host_link, "type", "veth", *peer)
        _disable_ipv6(Path("/proc/sys/net/ipv6/conf") / self.host_link)
        off = "echo 1 > /proc/sys/net/ipv6/conf/eth0/disable_ipv6"
        _ip("netns", "exec", self.name, "sh", "-c", off, check=False)
        self.subnet = self._claim_subnet()
        _ip("-n", self.name, "addr", "add", f"{self.camera_address}/{PREFIX}", "dev", "eth0")
        _ip("-n", self.name, "link", "set", "lo", "up")

    def _claim_subnet(self) -> ipaddress.IPv4Network:
        """Put this host's address on the first /24 nobody else here routes.

        172.31.0.0/24 first, so that a kept demo configuration finds its allow-list again; the
        claim is made under a lock, as parallel demos look for a free subnet at the same time.
        """
        with LOCK.open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            for index in range(SUBNETS):
                subnet = ipaddress.IPv4Network(f"172.31.{index}.0/{PREFIX}")
                if _routed(subnet):
                    continue
                _ip("addr", "add", f"{subnet[HOST_SUFFIX]}/{PREFIX}", "dev", self.host_link)
                _ip("link", "set", self.host_link, "up")
                return subnet
        msg = "no free /24 in 172.31.0.0/16 for the demo camera's LAN"
        raise DemoError(msg)

    def attach(self, mac: str) -> None:
        """Give the camera's end the camera's MAC and bring it up."""
        _ip("-n", self.name, "link", "set", "eth0", "address", mac)
        _ip("-n", self.name, "link", "set", "eth0", "up")

    def stop(self) -> None:
        """Delete the namespace; the pair and this host's address on it go with it."""
        if not self.started:
            return
        _ip("netns", "delete", self.name, check=False)
        if _ip("link", "show", self.host_link, check=False).returncode == 0:
            _ip("link", "delete", self.host_link, check=False)
        self.started = False


def _disable_ipv6(conf: Path) -> None:
    with contextlib.suppress(OSError):
        (conf / "disable_ipv6").write_text("1\n")
