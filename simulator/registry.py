"""Which personas exist, by name: the registry ``CameraConfig`` and the camera both read.

Personas sit at the top of the simulator (each lists the service plug-ins it serves, and the
plug-ins work on the camera state, which holds the ``CameraConfig``), yet a ``CameraConfig`` must
check its persona's name and take that persona's identity as soon as it is made. Importing the
personas from ``config`` closed a circle through every layer; this leaf breaks it. It knows a
persona only as a name, a description and an identity; ``simulator.personas`` registers the
real ones when it is imported, which ``import simulator`` (and so any import of a submodule)
does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

if TYPE_CHECKING:
    from .identity import Identity

DEFAULT_PERSONA: Final = "generic"
"""The persona of a ``CameraConfig`` that names none (``personas/generic.py``)."""


class Registered(Protocol):
    """What the registry needs of a persona: its name, a line about it, the identity it gives."""

    @property
    def name(self) -> str:
        """What ``CameraConfig.persona`` and ``--persona`` call it."""
        ...

    @property
    def description(self) -> str:
        """One line for ``--help``."""
        ...

    @property
    def identity(self) -> Identity:
        """The defaults of ``CameraConfig``'s identity fields."""
        ...


PERSONAS: Final[dict[str, Registered]] = {}
"""Every persona by name (tests add their own for the length of a test)."""


def register(*personas: Registered) -> None:
    """Make ``personas`` known by their names; a name already taken is a ValueError."""
    for persona in personas:
        if persona.name in PERSONAS and PERSONAS[persona.name] is not persona:
            raise ValueError(f"two personas are called {persona.name!r}")
        PERSONAS[persona.name] = persona


def lookup(name: str) -> Registered:
    """Return the persona called ``name``; ValueError names the known ones."""
    try:
        return PERSONAS[name]
    except KeyError:
        known = ", ".join(sorted(PERSONAS))
        raise ValueError(f"unknown persona {name!r}; known: {known}") from None
