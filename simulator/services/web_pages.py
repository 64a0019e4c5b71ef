"""Web roots as maker firmwares serve them: what a browser (or a fingerprint) sees at ``/``.

Both stand in for the generic ``web/root`` plug-in in a persona's list. Their shapes follow
public descriptions, in our own words: Hikvision's root is a page whose script sends the
browser to ``/doc/page/login.asp?_<time>`` (the mark Metasploit's CVE-2021-36260 check looks
for); Xiongmai's is the ``NETSurveillance WEB`` page (title as in recog's html_title list and in
an nmap capture of a Besder XM530 camera, which answered HTTP/1.0 with ``Expires: 0``).
"""

from __future__ import annotations

from typing import ClassVar, Final

from aiohttp import web

from .base import Service

HIKVISION_ROOT: Final = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title></title>
<script type="text/javascript">
window.location.href = "/doc/page/login.asp?_" + (new Date()).getTime();
</script>
</head>
<body></body>
</html>
"""

NETSURVEILLANCE_ROOT: Final = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" \
"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<title>NETSurveillance WEB</title>
<script type="text/javascript">var needPlugin = true;</script>
</head>
<body><div id="login">Please use a browser with the plug-in installed.</div></body>
</html>
"""


class HikvisionWebRootService(Service):
    """``web/root`` of a Hikvision firmware: a script redirect to its login page."""

    name: ClassVar[str] = "web/root"

    def register(self, router: web.UrlDispatcher) -> None:
        """GET /."""
        router.add_get("/", self.handle)

    async def handle(self, _request: web.Request) -> web.StreamResponse:
        """Answer the redirect page."""
        return web.Response(text=HIKVISION_ROOT, content_type="text/html")


class NetSurveillanceWebRootService(Service):
    """``web/root`` of a Xiongmai firmware: the NETSurveillance WEB page."""

    name: ClassVar[str] = "web/root"

    def register(self, router: web.UrlDispatcher) -> None:
        """GET /."""
        router.add_get("/", self.handle)

    async def handle(self, _request: web.Request) -> web.StreamResponse:
        """Answer the page, never cached (``Expires: 0``)."""
        return web.Response(
            text=NETSURVEILLANCE_ROOT, content_type="text/html", headers={"Expires": "0"}
        )
