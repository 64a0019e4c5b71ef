"""Errors raised while talking to one camera.

Callers (the Home Assistant glue) map each class to one user-facing message; the classes say what
went wrong from the user's point of view, not which library raised it.
"""

from __future__ import annotations


class CameraError(Exception):
    """Talking to the camera failed."""


class CameraUnreachableError(CameraError):
    """Nothing answered at the address, or the connection broke or timed out."""


class CameraAuthError(CameraError):
    """The camera refused the username or password."""


class NotOnvifError(CameraError):
    """Something answered, but not as an ONVIF device service."""


class NoVideoProfilesError(CameraError):
    """The camera has no H.264 or H.265 media profile to stream."""


class SnapshotError(CameraError):
    """The camera could not deliver a JPEG snapshot."""
