"""The exception service handlers raise to answer with a SOAP fault."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .soap import Fault


class FaultError(Exception):
    """Raised by a handler: the camera answers the request with this fault."""

    def __init__(self, fault: Fault) -> None:
        """Wrap the fault to send."""
        super().__init__(fault.reason)
        self.fault = fault
