"""What a Home Assistant started by :mod:`devtools.hass_process` finds in its directory.

The configuration it is started with (HTTP on loopback only, from 2026.10 through
``.storage/http``; no ``default_config``, so zeroconf, ssdp, cloud and friends stay off), the
onboarding steps marked done before it starts, the link to the repository's integration, and
the ports. Kept apart from the process and its API client because tests and the demo's
network set-up read these without starting anything.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
import shutil
import socket
from typing import Any

from devtools import ha_requirements

REPO_ROOT = Path(__file__).resolve().parent.parent
INTEGRATION_DIR = REPO_ROOT / "custom_components" / "homebound"
LOOPBACK = "127.0.0.1"

DEFAULT_USER = "demo"
DEFAULT_PASSWORD = "homebound-demo"  # noqa: S105 - the documented login of a local demo
DEFAULT_NAME = "Homebound Demo"

ONBOARDING_STEPS = ("user", "core_config", "analytics", "integration")
# Steps the harness marks as done in a fresh configuration directory before the first start.
# Finishing "core_config" over the API starts onboarding flows for met, radio_browser,
# google_translate and shopping_list, which reach for the internet (and whose packages are
# not installed); the location and units already come from configuration.yaml.
PRESEEDED_STEPS = ("core_config", "analytics", "integration")
ONBOARDING_STORAGE_VERSION = 4


def missing_packages() -> list[str]:
    """Return the packages Home Assistant would install for this configuration but lacks."""
    return ha_requirements.missing(ha_requirements.DEMO_DOMAINS)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Whether Home Assistant could listen on ``port`` of 127.0.0.1 now.

    Bound as its HTTP server binds (with ``SO_REUSEADDR``, asyncio's default): a port whose
    last connections linger in TIME_WAIT after a stop is free for it, a port something
    listens on is not.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def http_store(port: int, lan_address: str | None = None) -> dict[str, Any] | None:
    """Return the ``.storage/http`` that binds Home Assistant to loopback, or None before 2026.10.

    From 2026.10 Home Assistant keeps its HTTP settings in storage. It migrates an ``http:``
    YAML block once, as a *pending trial* that reverts to the defaults (every interface, port
    8123) five minutes later unless someone confirms it in the UI, and ignores the YAML on
    every later start. The harness therefore writes the confirmed ("stable") settings itself,
    on every start, so a new port takes effect and nothing is ever served beyond loopback.
    """
    try:
        # Imported by name: the module does not exist on the oldest leg (mypy runs on both).
        http_config: Any = importlib.import_module("homeassistant.components.http.config")
    except ImportError:
        return None
    stable = dict(
        http_config.HTTP_STORAGE_SCHEMA(
            {
                http_config.CONF_SERVER_HOST: server_hosts(lan_address),
                http_config.CONF_SERVER_PORT: port,
            }
        )
    )
    stable.update(
        {
            http_config.HTTP_CONFIG_CREATED_AT: "2026-01-01T00:00:00+00:00",
            http_config.HTTP_CONFIG_ERROR: None,
            http_config.HTTP_CONFIG_ERROR_MESSAGE: None,
        }
    )
    return {
        "version": http_config.STORAGE_VERSION,
        "minor_version": http_config.STORAGE_MINOR_VERSION,
        "key": http_config.STORAGE_KEY,
        "data": {
            http_config.KEY_STABLE: stable,
            http_config.KEY_PENDING: None,
            http_config.KEY_YAML_MIGRATION_DONE: True,
        },
    }


def server_hosts(lan_address: str | None) -> list[str]:
    """Return where Home Assistant listens: loopback, and the demo camera's LAN if it has one.

    The LAN address is this host's end of a veth pair whose other end is a namespace the demo
    made (``devtools.demo_lan``): only the demo camera can reach it. A camera pushes its events
    to Home Assistant's LAN address, from its own, as on a real network.
    """
    return [LOOPBACK] if lan_address is None else [LOOPBACK, lan_address]


def configuration_yaml(
    port: int,
    name: str = DEFAULT_NAME,
    log_level: str = "debug",
    *,
    http_yaml: bool = True,
    lan_address: str | None = None,
) -> str:
    """Return the configuration.yaml the harness writes.

    The internal URL is the loopback address Home Assistant listens on (or, with
    ``lan_address``, its address on the demo camera's LAN): cameras are told to push their
    events there (without it Home Assistant would offer the machine's LAN address). With
    ``http_yaml=False`` the HTTP settings live in storage instead (see :func:`http_store`).
    """
    hosts = "".join(f"\n    - {host}" for host in server_hosts(lan_address))
    http = f"http:\n  server_host:{hosts}\n  server_port: {port}\n\n" if http_yaml else ""
    internal = lan_address or LOOPBACK
    return f"""\
# Written by devtools/hass_config.py on every start; edits here are overwritten.
# No default_config: zeroconf, ssdp, dhcp, cloud and the like stay off. The webhook
# integration is on, as default_config has it: Home Assistant's own onvif integration only
# receives pushed events through it (it does not depend on it, and answers 404 without it).
homeassistant:
  name: {json.dumps(name)}
  internal_url: "http://{internal}:{port}"
  latitude: 52.3731
  longitude: 4.8922
  elevation: 0
  unit_system: metric
  time_zone: UTC
  country: NL
  currency: EUR

{http}frontend:

stream:

webhook:

logger:
  default: {"info" if log_level == "debug" else log_level}
  logs:
    custom_components.homebound: {log_level}
"""


def link_integration(config_dir: Path) -> None:
    """Make ``<config_dir>/custom_components/homebound`` point at the repository's code."""
    if not (INTEGRATION_DIR / "manifest.json").is_file():
        msg = "custom_components/homebound/manifest.json is missing"
        raise FileNotFoundError(msg)
    target = config_dir / "custom_components" / "homebound"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink():
        if target.resolve() == INTEGRATION_DIR.resolve():
            return
        target.unlink()
    elif target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    try:
        target.symlink_to(INTEGRATION_DIR, target_is_directory=True)
    except OSError:
        shutil.copytree(INTEGRATION_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))


def preseed_onboarding(config_dir: Path) -> None:
    """In a fresh directory, mark every onboarding step but "user" as done."""
    storage = config_dir / ".storage"
    onboarding = storage / "onboarding"
    if onboarding.exists():
        return
    storage.mkdir(exist_ok=True)
    onboarding.write_text(
        json.dumps(
            {
                "version": ONBOARDING_STORAGE_VERSION,
                "minor_version": 1,
                "key": "onboarding",
                "data": {"done": list(PRESEEDED_STEPS)},
            },
            indent=2,
        )
    )
