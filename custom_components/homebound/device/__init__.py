"""Talking to one camera: ONVIF session, snapshots, discovery.

No Home Assistant imports here: the caller passes in its aiohttp session.
"""

from __future__ import annotations

from .client import OnvifClient, format_mac, redact_url, with_credentials
from .discovery import DiscoveredCamera, async_discover
from .errors import (
    CameraAuthError,
    CameraError,
    CameraUnreachableError,
    NotOnvifError,
    NoVideoProfilesError,
    SnapshotError,
)
from .models import CameraInfo, DeviceIdentity, MediaProfile

__all__ = [
    "CameraAuthError",
    "CameraError",
    "CameraInfo",
    "CameraUnreachableError",
    "DeviceIdentity",
    "DiscoveredCamera",
    "MediaProfile",
    "NoVideoProfilesError",
    "NotOnvifError",
    "OnvifClient",
    "SnapshotError",
    "async_discover",
    "format_mac",
    "redact_url",
    "with_credentials",
]
