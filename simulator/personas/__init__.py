"""The personas a virtual camera can have, by name.

A persona is one module here defining a ``Persona``; listing it in ``PERSONAS`` makes it
available to ``CameraConfig(persona=...)`` and ``python -m simulator --persona``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .dahua import DAHUA
from .generic import GENERIC
from .hikvision import HIKVISION, HIKVISION_NVR

if TYPE_CHECKING:
    from ..persona import Persona

DEFAULT_PERSONA: Final = GENERIC.name
PERSONAS: Final[dict[str, Persona]] = {
    persona.name: persona for persona in (GENERIC, HIKVISION, HIKVISION_NVR, DAHUA)
}


def get_persona(name: str) -> Persona:
    """Return the persona called ``name``; ValueError names the known ones."""
    try:
        return PERSONAS[name]
    except KeyError:
        known = ", ".join(sorted(PERSONAS))
        raise ValueError(f"unknown persona {name!r}; known: {known}") from None


__all__ = ["DEFAULT_PERSONA", "PERSONAS", "get_persona"]
