"""How a camera answers a change of one of its settings when it does not simply make it.

Three ways real cameras fail a settings write, each a test's choice per setting (by its name:
an ISAPI resource such as ``System/Network/EZVIZ``, a Dahua table such as ``T2UServer``, an
ONVIF setting such as ``NTP``) or for every setting at once (the quirks SETTINGS_IGNORED and
SETTINGS_READ_ONLY):

* ``IGNORED``: the write is answered as done and nothing changes (read-back shows the old
  value), as firmwares that keep a cloud switch "locked" do;
* ``REFUSED``: the user may read but not write (HTTP 403; ONVIF ``ter:NotAuthorized``);
* ``UNSUPPORTED``: this model has no such setting (Hikvision HTTP 404 ``notSupport``, Dahua
  ``Error``, ONVIF ``ter:ActionNotSupported``), for reads and writes alike.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from .quirks import Quirk

if TYPE_CHECKING:
    from collections.abc import Mapping


class SettingFault(enum.StrEnum):
    """How a settings write (or, for UNSUPPORTED, any access) fails."""

    IGNORED = "ignored"
    REFUSED = "refused"
    UNSUPPORTED = "unsupported"


def fault_of(
    faults: Mapping[str, SettingFault], quirks: frozenset[Quirk], name: str, *, write: bool
) -> SettingFault | None:
    """Return how an access to setting ``name`` fails (None: it works).

    A per-setting fault wins over the camera-wide quirks; reads fail only when unsupported.
    """
    fault = faults.get(name)
    if fault is None:
        if Quirk.SETTINGS_READ_ONLY in quirks:
            fault = SettingFault.REFUSED
        elif Quirk.SETTINGS_IGNORED in quirks:
            fault = SettingFault.IGNORED
    if not write and fault is not SettingFault.UNSUPPORTED:
        return None
    return fault
