"""The camera steps of Homebound's config flow, joined into one mixin.

What they do is split by purpose: adding a camera (``flow_add.py``: the list of cameras found,
the address form, sign-in, discovery and DHCP) and keeping an entry current (``flow_keep.py``:
reauthentication and reconfiguration). The forms and the checks of what is typed are in
``flow_forms.py``, the probe and its form errors in ``flow_probe.py``. The flow class itself,
which joins these steps with the firewall's, is in ``config_flow.py``.
"""

from __future__ import annotations

from .flow_add import CameraAddSteps
from .flow_keep import CameraKeepSteps


class CameraFlowMixin(CameraAddSteps, CameraKeepSteps):
    """The camera steps of :class:`~..config_flow.HomeboundConfigFlow`."""
