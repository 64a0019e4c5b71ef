"""The one boundary where library errors become Homebound's (device/soap.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import aiohttp
from aiohttp import web
from lxml import etree
from onvif.exceptions import ONVIFAuthError, ONVIFError
import pytest
from zeep.exceptions import Fault, TransportError, XMLParseError

from custom_components.homebound.device import (
    CameraAuthError,
    CameraFaultError,
    CameraProtocolError,
    CameraUnreachableError,
)
from custom_components.homebound.device.soap import (
    CameraSession,
    is_auth_fault,
    soap_call,
    translate,
)

NS_TER = "http://www.onvif.org/ver10/error"
# zeep's exception constructors are untyped.
transport_error: Callable[..., Exception] = TransportError
xml_parse_error: Callable[..., Exception] = XMLParseError


def _fault(message: str, *subcodes: str) -> Fault:
    make: Callable[..., Fault] = Fault
    return make(
        message, code="env:Sender", subcodes=[etree.QName(NS_TER, code) for code in subcodes]
    )


@pytest.mark.parametrize(
    ("fault", "auth"),
    [
        (_fault("Sender not authorized", "NotAuthorized"), True),
        (_fault("whatever", "NotAuthorized"), True),
        (_fault("Sender not authorized."), True),
        (_fault("The action requested requires authorization", "ActionNotSupported"), False),
        (_fault("Authentication method not supported", "InvalidArgVal"), False),
        (_fault("Optional Action Not Implemented", "ActionNotSupported"), False),
    ],
)
def test_auth_faults_are_recognised_exactly(fault: Fault, auth: bool) -> None:
    """A fault that merely mentions "auth" is not a refused password."""
    assert is_auth_fault(fault) is auth


def _raised_by_zeep() -> AttributeError:
    """An AttributeError raised inside zeep, as its loader does on a non-XML body."""
    from zeep.loader import parse_xml
    from zeep.settings import Settings

    try:
        # How zeep reads responses: recovering, so a plain-text body parses to nothing.
        parse_xml(b"Internal Server Error", None, settings=Settings(strict=False))  # type: ignore[arg-type]
    except AttributeError as err:
        return err
    raise AssertionError("zeep read a plain-text body")


def _raised_here() -> AttributeError:
    try:
        _ = object().missing  # type: ignore[attr-defined]
    except AttributeError as err:
        return err
    raise AssertionError


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (TimeoutError(), CameraUnreachableError),
        (aiohttp.ClientConnectionError(), CameraUnreachableError),
        (ConnectionRefusedError(), CameraUnreachableError),
        (ONVIFAuthError("401"), CameraAuthError),
        (_fault("Sender not authorized", "NotAuthorized"), CameraAuthError),
        (_fault("No such profile", "InvalidArgVal", "NoProfile"), CameraFaultError),
        (transport_error(status_code=401), CameraAuthError),
        (transport_error(status_code=403), CameraAuthError),
        (transport_error(status_code=500), CameraProtocolError),
        (xml_parse_error("bad"), CameraProtocolError),
        (etree.XMLSyntaxError("bad", 1, 1, 1, "x"), CameraProtocolError),
        (ONVIFError("no such service"), CameraFaultError),
    ],
)
def test_every_library_error_has_a_meaning(error: Exception, kind: type[Exception]) -> None:
    assert isinstance(translate(error, "cam"), kind)


def test_generic_errors_are_ours_unless_raised_in_a_library() -> None:
    assert isinstance(translate(_raised_by_zeep(), "cam"), CameraProtocolError)
    assert translate(_raised_here(), "cam") is None
    assert translate(KeyError("x"), "cam") is None


async def test_soap_call_translates_and_bounds_time() -> None:
    async def refuse() -> None:
        raise _fault("Sender not authorized", "NotAuthorized")

    with pytest.raises(CameraAuthError) as caught:
        await soap_call(refuse(), timeout=1, where="cam")
    assert isinstance(caught.value.__cause__, Fault)

    with pytest.raises(CameraUnreachableError):
        await soap_call(asyncio.Event().wait(), timeout=0.01, where="cam")

    async def bug() -> None:
        raise _raised_here()

    with pytest.raises(AttributeError):
        await soap_call(bug(), timeout=1, where="cam")


def test_fault_codes_keep_local_names() -> None:
    with pytest.raises(CameraFaultError) as caught:
        raise translate(_fault("No such profile", "InvalidArgVal", "NoProfile"), "cam")  # type: ignore[misc]
    assert caught.value.codes == ("sender", "invalidargval", "noprofile")


async def test_camera_session_is_the_shared_session_with_digest() -> None:
    """What onvif-zeep-async's transport uses of its session: get, post, closed and timeout.

    A loopback server that demands Digest answers only the camera's own credentials.
    """

    async def handler(request: web.Request) -> web.Response:
        if "Digest " not in request.headers.get("Authorization", ""):
            challenge = 'Digest realm="cam", nonce="n1", qop="auth", algorithm=MD5'
            return web.Response(status=401, headers={"WWW-Authenticate": challenge})
        return web.Response(text=request.method)

    app = web.Application()
    app.router.add_route("*", "/", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=7)) as shared:
            camera = CameraSession(shared, "admin", "secret")
            assert (camera.closed, camera.timeout.total) == (False, 7)
            for call in (camera.get, camera.post):
                async with call(f"http://127.0.0.1:{port}/") as answer:
                    assert (answer.status, await answer.text()) == (200, answer.method)
            async with CameraSession(shared, "", "").get(f"http://127.0.0.1:{port}/") as answer:
                assert answer.status == 401  # no credentials: no Digest middleware
        assert camera.closed
    finally:
        await runner.cleanup()
