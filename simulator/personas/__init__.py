"""The personas a virtual camera can have, by name.

A persona is one module here defining a ``Persona``; registering it below makes it available
to ``CameraConfig(persona=...)`` and ``python -m simulator --persona``. The registry itself is
``simulator.registry`` (a leaf, so that ``CameraConfig`` can read it without importing the
personas and, through them, every service plug-in).
"""

from __future__ import annotations

from ..persona import Persona
from ..registry import DEFAULT_PERSONA, PERSONAS, lookup, register
from .amcrest import AMCREST
from .annke import ANNKE
from .dahua import DAHUA
from .generic import GENERIC
from .hikvision import HIKVISION, HIKVISION_NVR
from .hikvision_exploited import HIKVISION_EXPLOITED
from .hostile import HOSTILE
from .lts import LTS
from .reolink import REOLINK
from .xiongmai import XIONGMAI

register(GENERIC)
register(HIKVISION)
register(HIKVISION_NVR)
register(DAHUA)
register(LTS)
register(ANNKE)
register(AMCREST)
register(XIONGMAI)
register(REOLINK)
register(HIKVISION_EXPLOITED)
register(HOSTILE)


def get_persona(name: str) -> Persona:
    """Return the persona called ``name``; ValueError names the known ones."""
    persona = lookup(name)
    if not isinstance(persona, Persona):
        raise TypeError(f"persona {name!r} is registered but is not a Persona: {persona!r}")
    return persona


__all__ = ["DEFAULT_PERSONA", "PERSONAS", "get_persona"]
