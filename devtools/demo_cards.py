"""What the demo needs for Homebound's dashboard cards.

:func:`hass_options` is what a demo's :class:`~devtools.hass_process.HassProcess` needs for the
cards: the recorder and history (the cards count today's blocked attempts from the history, and
their "last detection" opens it); the integration serves and registers the cards itself. The
cards go on the demo's own dashboard (:mod:`devtools.demo_dashboard`), the first screen.
"""

from __future__ import annotations

from typing import Any

CAMERA_CARD = "custom:homebound-camera"
OVERVIEW_CARD = "custom:homebound-overview"

RECORDER_YAML = """
# The cards read the history (today's blocked attempts, the detection history).
recorder:
  commit_interval: 1

history:
"""


def hass_options() -> dict[str, Any]:
    """Keyword arguments for HassProcess: the recorder and history the cards read."""
    return {"extra_yaml": RECORDER_YAML}
