"""A virtual camera on 127.0.0.1 for Homebound's tests and demo.

``VirtualCamera`` runs a ``Persona``: service plug-ins (``services/``: the ONVIF device, media
ver10, media2 and events services over real SOAP 1.2 with WS-UsernameToken, a JPEG snapshot
behind HTTP Digest), an RTSP server (GStreamer, in a child process) and an optional
WS-Discovery responder, all around one ``CameraState``. ``Quirk`` switches on the deviations
real cameras show; delays, hangs and reboots are controls of the camera. ``python -m simulator``
runs cameras for the demo, with a JSON control API.
"""

from __future__ import annotations

from .camera import VirtualCamera
from .config import CameraConfig
from .persona import Behaviour, Identity, Persona
from .personas import PERSONAS, get_persona
from .quirks import Quirk
from .state import CameraState

__all__ = [
    "PERSONAS",
    "Behaviour",
    "CameraConfig",
    "CameraState",
    "Identity",
    "Persona",
    "Quirk",
    "VirtualCamera",
    "get_persona",
]
