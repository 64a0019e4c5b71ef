"""Camera events: sources that listen to a camera, parsers, one normalized event model.

No Home Assistant imports here: sources take the caller's aiohttp session and report
:class:`~.model.Event` objects to a callback; the glue turns them into entity states.
"""

from __future__ import annotations

from .model import Capability, Event, EventKind, SourceKind

__all__ = ["Capability", "Event", "EventKind", "SourceKind"]
