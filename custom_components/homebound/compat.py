"""The few names whose home differs between the Home Assistant releases Homebound supports.

Homebound is tested on two legs: Home Assistant 2026.2 (Python 3.13) and the newest release a
test harness pins (2026.10, Python 3.14). Two things moved between them:

* Since 2026.9 Home Assistant validates with probatio and aliases ``voluptuous`` to it at run
  time, so ``import voluptuous`` keeps working everywhere, but its flow helpers are typed with
  probatio's ``Schema``.
* Repair fix flows return ``RepairsFlowResult`` (new in the repairs component; 2026.2 types
  them with the flow manager's ``FlowResult``).
* ``CameraEntityFeature`` and ``BinarySensorDeviceClass`` live in their platform's ``const``;
  the packages still import them but no longer re-export them for type checkers (they were
  defined in the packages themselves in 2026.2).

At run time the branch below is taken on every release; the type-checking branch follows the
leg being checked (Python 3.14 means the newer release).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    if sys.version_info >= (3, 14):
        from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
        from homeassistant.components.camera.const import CameraEntityFeature
        from homeassistant.components.repairs import RepairsFlowResult
        import probatio as vol
    else:
        from homeassistant.components.binary_sensor import BinarySensorDeviceClass
        from homeassistant.components.camera import CameraEntityFeature
        from homeassistant.data_entry_flow import FlowResult as RepairsFlowResult
        import voluptuous as vol
else:
    import voluptuous as vol  # probatio, by Home Assistant's alias, on 2026.9 and newer

    try:
        from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
        from homeassistant.components.camera.const import CameraEntityFeature
    except ImportError:  # older releases (2026.2 among them) define them in the packages
        from homeassistant.components.binary_sensor import BinarySensorDeviceClass
        from homeassistant.components.camera import CameraEntityFeature
    try:
        from homeassistant.components.repairs import RepairsFlowResult
    except ImportError:  # older releases (2026.2 among them)
        from homeassistant.data_entry_flow import FlowResult as RepairsFlowResult

__all__ = ["BinarySensorDeviceClass", "CameraEntityFeature", "RepairsFlowResult", "vol"]
