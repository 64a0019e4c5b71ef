"""An Amcrest camera: a Dahua inside (Amcrest sells rebranded Dahua cameras, per rroller/dahua).

The Dahua persona's services (ONVIF, CGI, event stream) behind Dahua-shaped Digest (realm
``Login to <serial>``), the RTSP server naming itself ``Dahua Rtsp Server`` (recog's RTSP list),
a MAC prefix registered to Amcrest Technologies, and ONVIF saying "Amcrest". Model, serial and
firmware strings are made up in the makers' formats.
"""

from __future__ import annotations

import dataclasses
from typing import Final

from ..persona import Identity
from .dahua import DAHUA

AMCREST: Final = dataclasses.replace(
    DAHUA,
    name="amcrest",
    description="an Amcrest camera that is a Dahua inside",
    identity=Identity(
        name="Amcrest Camera",
        manufacturer="Amcrest",
        model="IP4M-1041B",
        firmware="2.800.00AC006.0.R, Build Date 2022-01-10",
        serial="AMC0ABCDEF12345678",
        mac="9c:8e:cd:00:00:01",
        hardware_id="1.00",
        location="United States",
    ),
    rtsp_server="Dahua Rtsp Server",
)
