"""Untrusted text made fit for what the user reads: repairs (Markdown), attributes, the logbook.

A camera names itself (the entry's title often comes from its own report), and what it says of
its MAC and addresses reaches the repairs that refuse it. Repairs are rendered as Markdown, so
such text could turn into a link or a heading there: it is cut short, stripped of what is not
printable (:func:`~..firewall.safe_name`), and every character Markdown or HTML gives a meaning
is escaped. Keys go in code spans (they may hold escaped rule text from a hostile camera).
"""

from __future__ import annotations

from datetime import timedelta
import re
from typing import Final

from ..firewall import safe_name

_MARKDOWN: Final = re.compile(r"([\\`*_\[\]()<>#|~&])")
"""What Markdown (or HTML in it) could read as markup within one line (no line ever starts
in a placeholder: :func:`~..firewall.safe_name` folds every line break)."""


def md(text: object, limit: int = 64) -> str:
    """Return ``text`` as plain words in Markdown: printable, short, nothing interpreted."""
    words = safe_name(text if isinstance(text, str) else str(text), limit)
    return _MARKDOWN.sub(r"\\\1", words)


def code(text: str) -> str:
    """Return a key (already escaped by the firewall package) as a Markdown code span."""
    return "`" + safe_name(text, 100).replace("`", "'") + "`"


def codes(texts: list[str], limit: int = 12) -> str:
    """Return keys as code spans, comma-separated; the rest counted when there are many."""
    shown = ", ".join(code(t) for t in texts[:limit])
    return shown + (f" (+{len(texts) - limit})" if len(texts) > limit else "")


def seconds(duration: timedelta | None) -> str:
    """Return a duration in seconds with one decimal (``"0.3 s"``); ``"?"`` when unknown."""
    if duration is None:
        return "?"
    return f"{max(duration.total_seconds(), 0.0):.1f} s"
