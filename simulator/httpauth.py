"""Server side of HTTP Digest (RFC 7616, MD5, qop=auth) and HTTP Basic.

One authenticator per camera: the snapshot URL, the vendor APIs and, with the SOAP_HTTP_DIGEST
quirk, every SOAP endpoint share its nonces, as they share one web server on a real camera.
Makers' challenges differ in shape (which parameters, in which order, what a nonce looks
like); a persona picks the subclass that writes its maker's.
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

    def new_nonce(self) -> str:
        """Return a fresh nonce (random hex; makers override the shape)."""
        return secrets.token_hex(16)

    def challenge_params(self, nonce: str) -> str:
        """Return the parameters of a Digest challenge with ``nonce``."""
        return (
            f'realm="{self.realm}", qop="auth", nonce="{nonce}", '
            f'opaque="{self._opaque}", algorithm=MD5'
        )

    def digest_challenge(self) -> str:
        """Return a fresh WWW-Authenticate value for Digest."""
        nonce = self.new_nonce()
        self._nonces[nonce] = None
        while len(self._nonces) > _MAX_NONCES:
            self._nonces.popitem(last=False)
        return f"Digest {self.challenge_params(nonce)}"

    def forget_nonces(self) -> None:
        """Forget every nonce issued (a reboot): old Authorization headers are refused."""
        self._nonces.clear()

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


class HikvisionDigest(HttpAuthenticator):
    """Hikvision's challenge: ``qop`` first, no opaque, ``stale="FALSE"``.

    Its nonce is the hex of base64 of ``<8 hex digits>:<8 decimal digits>``, as captures of
    ISAPI ``401`` answers show (``4e5468694e7a…3d``).
    """

    def new_nonce(self) -> str:
        """``hex(base64("58b70b73:82939914"))``-shaped."""
        inner = f"{secrets.token_hex(4)}:{secrets.randbelow(10**8):08d}"
        return base64.b64encode(inner.encode()).hex()

    def challenge_params(self, nonce: str) -> str:
        """``qop="auth", realm="…", nonce="…", stale="FALSE"``."""
        return f'qop="auth", realm="{self.realm}", nonce="{nonce}", stale="FALSE"'


class DahuaDigest(HttpAuthenticator):
    """Dahua's challenge: realm ``Login to <serial>``, a decimal nonce, a 40-hex opaque."""

    def __init__(self, realm: str = REALM) -> None:
        """Start with no nonces and a SHA-1-sized opaque."""
        super().__init__(realm)
        self._opaque = secrets.token_hex(20)

    def new_nonce(self) -> str:
        """Return a decimal number, as Dahua CGI challenges carry."""
        return str(secrets.randbelow(2**31 - 1) + 1)

    def challenge_params(self, nonce: str) -> str:
        """``realm="…", qop="auth", nonce="…", opaque="…"``."""
        return f'realm="{self.realm}", qop="auth", nonce="{nonce}", opaque="{self._opaque}"'
