"""Errors raised while talking to one camera.

Callers (the Home Assistant glue) map each class to one user-facing message; the classes say what
went wrong from the user's point of view, not which library raised it. Every exception the
libraries raise is turned into one of these at a single boundary (``device/soap.py``), so that
anything else escaping ``device/`` is a bug of ours, not a camera's.
"""

from __future__ import annotations


class CameraError(Exception):
    """Talking to the camera failed."""


class CameraUnreachableError(CameraError):
    """Nothing answered at the address, or the connection broke or timed out."""


class CameraAuthError(CameraError):
    """The camera refused the username or password."""


class CameraProtocolError(CameraError):
    """The camera answered, but not with anything SOAP: an HTTP error page, an empty body."""


class CameraFaultError(CameraError):
    """The camera answered with a SOAP fault other than a refused sign-in."""

    def __init__(self, message: str, codes: tuple[str, ...] = ()) -> None:
        """Keep the fault's code and subcodes (local names, e.g. ``ActionNotSupported``)."""
        super().__init__(message)
        self.codes = codes


class NotOnvifError(CameraError):
    """Something answered, but not as an ONVIF device service."""


class NoVideoProfilesError(CameraError):
    """The camera has no H.264 or H.265 media profile to stream."""


class SnapshotError(CameraError):
    """The camera could not deliver a JPEG snapshot."""
