"""A virtual ONVIF camera on 127.0.0.1 for Homebound's tests and demo.

``VirtualCamera`` serves the ONVIF device, media (ver10), media2 (ver20) and events services over
real SOAP 1.2 with WS-UsernameToken authentication, a JPEG snapshot behind HTTP Digest, an RTSP
server (GStreamer, in a child process) and an optional WS-Discovery responder. ``Quirk`` switches
on the deviations real cameras show. ``python -m simulator`` runs cameras for the demo.
"""

from __future__ import annotations

from .camera import VirtualCamera
from .config import CameraConfig, Quirk

__all__ = ["CameraConfig", "Quirk", "VirtualCamera"]
