"""Credentials in camera URLs: inserting them for players, keeping them out of logs.

Cameras hand out stream and snapshot addresses in three shapes: without credentials, with them
in the user-info part (``rtsp://admin:pw@host/…``), and — many Dahua and Xiongmai firmwares —
in the query string (``…?channel=1&user=admin&password=pw``). Anything shown to a user or
written to a log or diagnostics goes through :func:`redact_url`.
"""

from __future__ import annotations

from typing import Final

from yarl import URL

REDACTED: Final = "**REDACTED**"
# Query keys under which firmwares put user names and passwords (compared in lower case).
SECRET_QUERY_KEYS: Final = frozenset(
    {"user", "username", "usr", "login", "password", "pass", "passwd", "pwd", "auth", "token"}
)


def with_credentials(uri: str, username: str, password: str) -> str:
    """Return ``uri`` with the credentials in its user-info part (for RTSP players)."""
    url = URL(uri)
    if not username:
        return str(url)
    return str(url.with_user(username).with_password(password or None))


def redact_url(uri: str) -> str:
    """Return ``uri`` with user-info and credential query values replaced, safe to show."""
    try:
        url = URL(uri)
    except ValueError:
        return REDACTED
    if url.user is not None or url.password is not None:
        url = url.with_user(REDACTED).with_password(None)
    if any(key.lower() in SECRET_QUERY_KEYS for key in url.query):
        url = url.with_query(
            [
                (key, REDACTED if key.lower() in SECRET_QUERY_KEYS else value)
                for key, value in url.query.items()
            ]
        )
    return str(url)
