"""Constants of the Homebound integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "homebound"
LOGGER: Final = logging.getLogger(__package__)

DEFAULT_PORT: Final = 80

CONF_MAC: Final = "mac"
CONF_DEVICE: Final = "device"
CONF_RTSP_TRANSPORT: Final = "rtsp_transport"

RTSP_TRANSPORTS: Final = ("tcp", "udp", "udp_multicast", "http")
DEFAULT_RTSP_TRANSPORT: Final = "tcp"

MANUAL_ENTRY: Final = "manual"

HEALTH_CHECK_INTERVAL: Final = timedelta(seconds=30)
"""How often the camera is asked whether it is still there."""

DISCOVERY_TIMEOUT: Final = 3.0
"""Seconds the config flow listens for WS-Discovery answers."""

ENV_DISCOVERY_TARGETS: Final = "HOMEBOUND_DISCOVERY_TARGETS"
"""Comma-separated host:port list that replaces the WS-Discovery multicast group.

For test rigs and the demo, whose simulated cameras answer on loopback; unset in real use.
"""
