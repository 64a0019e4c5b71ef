"""Server side of HTTP Digest (RFC 7616, MD5, qop=auth) and HTTP Basic.

One authenticator per camera: the snapshot URL and, with the SOAP_HTTP_DIGEST quirk, every SOAP
endpoint share its nonces, as they share one web server on a real camera.
"""

from __future__ import annotations

import base64
from collections import OrderedDict
import hashlib
import hmac
import re
import secrets
from typing import Final

REALM: Final = "Homebound Virtual Camera"
_MAX_NONCES: Final = 256

_AUTH_PARAM: Final = re.compile(r'(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def parse_auth_params(text: str) -> dict[str, str]:
    """Parse ``key="value", key=token`` pairs of an Authorization header."""
    return {
        match.group(1).lower(): (
            match.group(2).replace('\\"', '"') if match.group(2) is not None else match.group(3)
        )
        for match in _AUTH_PARAM.finditer(text)
    }


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - HTTP Digest MD5 is the protocol


class HttpAuthenticator:
    """Server side of HTTP Digest (RFC 7616, MD5, qop=auth) and HTTP Basic."""

    def __init__(self, realm: str = REALM) -> None:
        """Start with no issued nonces; ``realm`` is what the challenges name."""
        self.realm = realm
        self._nonces: OrderedDict[str, None] = OrderedDict()
        self._opaque = secrets.token_hex(16)

    def digest_challenge(self) -> str:
        """Return a fresh WWW-Authenticate value for Digest."""
        nonce = secrets.token_hex(16)
        self._nonces[nonce] = None
        while len(self._nonces) > _MAX_NONCES:
            self._nonces.popitem(last=False)
        return (
            f'Digest realm="{self.realm}", qop="auth", nonce="{nonce}", '
            f'opaque="{self._opaque}", algorithm=MD5'
        )

    def basic_challenge(self) -> str:
        """Return the WWW-Authenticate value for Basic."""
        return f'Basic realm="{self.realm}"'

    def check_digest(
        self, header: str, method: str, uri: str, username: str, password: str
    ) -> bool:
        """Check a Digest Authorization header."""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "digest":
            return False
        params = parse_auth_params(rest)
        nonce = params.get("nonce", "")
        if nonce not in self._nonces:
            return False
        if params.get("username") != username or params.get("realm") != self.realm:
            return False
        if params.get("algorithm", "MD5").upper() != "MD5":
            return False
        if params.get("uri") != uri:
            return False
        ha1 = _md5(f"{username}:{self.realm}:{password}")
        ha2 = _md5(f"{method}:{uri}")
        qop = params.get("qop")
        if qop == "auth":
            expected = _md5(
                f"{ha1}:{nonce}:{params.get('nc', '')}:{params.get('cnonce', '')}:auth:{ha2}"
            )
        elif qop is None:
            expected = _md5(f"{ha1}:{nonce}:{ha2}")
        else:
            return False
        return hmac.compare_digest(expected, params.get("response", ""))

    @staticmethod
    def check_basic(header: str, username: str, password: str) -> bool:
        """Check a Basic Authorization header."""
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(rest.strip(), validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            return False
        given_user, _, given_password = decoded.partition(":")
        return hmac.compare_digest(given_user.encode(), username.encode()) and hmac.compare_digest(
            given_password.encode(), password.encode()
        )
