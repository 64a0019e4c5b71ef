"""The autouse guard in conftest fails a test on Home Assistant's report of Homebound's use of a
deprecated API (moved here from the old conformance module)."""

from __future__ import annotations

import logging

from .conftest import deprecations_about_homebound


def record(name: str, message: str, level: int = logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_deprecation_guard_catches_reports_about_homebound() -> None:
    reported = record(
        "homeassistant.helpers.frame",
        "Detected that custom integration 'homebound' calls async_get_device at "
        "custom_components/homebound/__init__.py, line 3: ... This will stop working in 2027.8",
    )
    assert deprecations_about_homebound(
        [
            reported,
            record("homeassistant.helpers.frame", "Detected that custom integration 'other' ..."),
            record("homeassistant.helpers.frame", "homebound", logging.DEBUG),
            record("custom_components.homebound", "Camera 127.0.0.1 is unavailable"),
        ]
    ) == [reported.getMessage()]
