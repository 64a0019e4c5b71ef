"""Constants of the Homebound integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "homebound"
LOGGER: Final = logging.getLogger(__package__)

DEFAULT_PORT: Final = 80

CONF_MAC: Final = "mac"
CONF_OBSERVED_MAC: Final = "observed_mac"
"""The MAC the network itself tied to the camera's address (DHCP saw it lease that address).

Unlike ``CONF_MAC`` (which may come from the camera's own report), this one the camera cannot
choose: the firewall and the maker identification may treat it as a fact.
"""
CONF_SERIAL: Final = "serial"
CONF_DEVICE: Final = "device"
CONF_RTSP_TRANSPORT: Final = "rtsp_transport"

RTSP_TRANSPORTS: Final = ("tcp", "udp", "udp_multicast", "http")
DEFAULT_RTSP_TRANSPORT: Final = "tcp"

MANUAL_ENTRY: Final = "manual"
SEARCH_AGAIN: Final = "search_again"
SEARCH_RESULTS: Final = "search_results"
"""The camera list's choice while a search runs: wait for it, then list what it found."""

HEALTH_CHECK_INTERVAL: Final = timedelta(seconds=60)
"""How often the camera is asked whether it is still there (one request a minute)."""

DISCOVERY_TIMEOUT: Final = 3.0
"""Seconds a WS-Discovery search listens for answers."""

SCAN_INTERVAL: Final = timedelta(hours=4)
"""How often the background search looks for new cameras on the enabled adapters."""

SCAN_FRESH: Final = timedelta(minutes=15)
"""How long the background search's findings are shown without searching again."""

CONF_AUTO_OFF: Final = "auto_off"
DEFAULT_AUTO_OFF: Final = 60
"""Seconds after which a detection sensor turns off by itself when no "off" arrives."""
CONF_EVENT_SOURCE: Final = "event_source"
CONF_NTP_SERVER: Final = "ntp_server"
"""A camera's time-server option: the server its clock is pointed at (and kept at, daily)."""
EVENT_SOURCE_AUTO: Final = "auto"
EVENT_SOURCES: Final = (
    EVENT_SOURCE_AUTO,
    "hikvision_alert_stream",
    "dahua_event_stream",
    "onvif_webhook",
    "onvif_pullpoint",
)
PULSE_SECONDS: Final = 5
"""Seconds a sensor stays on for a happening without duration (a line crossed)."""

CONF_KIND: Final = "kind"
"""Set to KIND_FIREWALL in the firewall entry's data (KIND_OVERVIEW in the overview's); camera
entries have no kind."""
KIND_FIREWALL: Final = "firewall"
FIREWALL_UNIQUE_ID: Final = "firewall"
KIND_OVERVIEW: Final = "overview"
OVERVIEW_UNIQUE_ID: Final = "overview"
"""The one overview entry (the "Homebound" service device), managed by Homebound itself."""
CONF_BACKEND: Final = "backend"
BACKEND_SSH: Final = "ssh"
BACKEND_LOCAL: Final = "local"
BACKEND_EXPORT: Final = "export"
BACKENDS: Final = (BACKEND_SSH, BACKEND_LOCAL, BACKEND_EXPORT)
CONF_CLIENT_KEY: Final = "client_key"
CONF_HOST_KEY: Final = "host_key"
CONF_PERSIST: Final = "persist"
CONF_HA_HOSTS: Final = "ha_hosts"
CONF_GATEWAYS: Final = "gateways"
CONF_LAN_RANGES: Final = "lan_ranges"
CONF_NTP_SERVERS: Final = "ntp_servers"
CONF_DNS_SERVERS: Final = "dns_servers"
CONF_NTP_REDIRECT: Final = "ntp_redirect"
CONF_ISOLATE_NEW: Final = "isolate_new"
FIREWALL_CHECK_INTERVAL: Final = timedelta(seconds=60)
"""How often the firewall is verified (isolation lost is restored within this) and read."""
CLOUD_RESOLVE_INTERVAL: Final = timedelta(hours=6)
"""How often the catalogue's cloud domains are resolved to name blocked destinations."""
FIREWALL_ENTITY_KEYS: Final = frozenset(
    {
        "cloud_blocking",
        "blocked_attempts",
        "blocked_destinations",
        "last_blocked",
        "cloud_isolation",
        "isolation_gaps",
    }
)
"""Translation keys of the firewall entities on camera devices (removed with the firewall)."""

SIGNAL_EVENT: Final = "homebound_event"
"""Bus event fired for every detection (device triggers listen to it)."""
