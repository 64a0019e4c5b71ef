"""Talking to one camera: ONVIF session, snapshots, discovery.

No Home Assistant imports here: the caller passes in its aiohttp session.
"""

from __future__ import annotations

from .client import OnvifClient
from .discovery import DiscoveredCamera, ProbePlan, async_discover, probe_plan
from .errors import (
    CameraAuthError,
    CameraError,
    CameraFaultError,
    CameraProtocolError,
    CameraUnreachableError,
    NotOnvifError,
    NoVideoProfilesError,
    SnapshotError,
)
from .models import CameraInfo, DeviceIdentity, MediaProfile, format_mac
from .urls import redact_url, with_credentials

__all__ = [
    "CameraAuthError",
    "CameraError",
    "CameraFaultError",
    "CameraInfo",
    "CameraProtocolError",
    "CameraUnreachableError",
    "DeviceIdentity",
    "DiscoveredCamera",
    "MediaProfile",
    "NoVideoProfilesError",
    "NotOnvifError",
    "OnvifClient",
    "ProbePlan",
    "SnapshotError",
    "async_discover",
    "format_mac",
    "probe_plan",
    "redact_url",
    "with_credentials",
]
