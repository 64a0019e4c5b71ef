"""How a camera's refusals and faults look on the wire, per maker.

Below the service plug-ins (they answer through it) and above the camera state (it reads the
quirks): a persona holds one ``Behaviour``, a plug-in reaches it through its ``ServiceContext``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from aiohttp import web

from .quirks import Quirk
from .soap import SOAP_CONTENT_TYPE

if TYPE_CHECKING:
    from .soap import Fault
    from .state import CameraState


class Behaviour:
    """How a camera's refusals and faults look on the wire.

    The quirks that change a shape are read here, so a persona whose firmware answers in its
    own way (an HTML error page, a different status) overrides one method.
    """

    def soap_fault(self, state: CameraState, fault: Fault) -> web.Response:
        """Answer a SOAP request with a fault (plain text with NON_SOAP_FAULTS)."""
        if Quirk.NON_SOAP_FAULTS in state.quirks:
            return web.Response(status=500, text="Internal Server Error", content_type="text/plain")
        return web.Response(
            status=fault.http_status,
            body=fault.to_xml(),
            content_type=SOAP_CONTENT_TYPE,
            charset="utf-8",
        )

    def soap_unauthorized(self, state: CameraState, fault: Fault) -> web.Response:
        """Refuse a WS-UsernameToken: the ``fault``, or a bare 401 with SOAP_401_NO_BODY."""
        if Quirk.SOAP_401_NO_BODY in state.quirks:
            return web.Response(status=401)
        return self.soap_fault(state, fault)

    def soap_digest_challenge(self, state: CameraState) -> web.Response:
        """Refuse a SOAP request without valid HTTP Digest (SOAP_HTTP_DIGEST): 401, no body."""
        return web.Response(
            status=401, headers={"WWW-Authenticate": state.http_auth.digest_challenge()}
        )

    def http_challenge(self, state: CameraState, *, basic: bool) -> web.Response:
        """Refuse a plain HTTP request (a snapshot) with a Digest or Basic challenge."""
        auth = state.http_auth
        challenge = auth.basic_challenge() if basic else auth.digest_challenge()
        return web.Response(
            status=401, text="Unauthorized", headers={"WWW-Authenticate": challenge}
        )


GENERIC_BEHAVIOUR: Final = Behaviour()
