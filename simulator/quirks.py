"""The deviations from the standards that real cameras show, switchable at runtime.

Each quirk is handled in exactly one place, named in its description, so that a persona's
behaviour can be read off the module that implements it.
"""

from __future__ import annotations

import enum


class Quirk(enum.StrEnum):
    """Deviations from the ONVIF standard that real cameras show, switchable at runtime."""

    NO_NETWORK_INTERFACES = "no_network_interfaces"
    """GetNetworkInterfaces answers a SOAP fault (ter:ActionNotSupported). services/onvif/device."""

    BASIC_AUTH_SNAPSHOT = "basic_auth_snapshot"
    """The snapshot URL wants HTTP Basic instead of Digest. services/snapshot."""

    NON_SOAP_FAULTS = "non_soap_faults"
    """Every fault is a plain-text HTTP 500; GetServices is unsupported (answered that way).

    behaviour (the fault's shape) and services/onvif/device (GetServices).
    """

    AUTH_ON_DATE_TIME = "auth_on_date_time"
    """GetSystemDateAndTime requires authentication too (not compliant). services/onvif/device."""

    SETTINGS_IGNORED = "settings_ignored"
    """Every settings write (ONVIF ``Set…``, ISAPI ``PUT``, Dahua ``setConfig``) is answered
    as done and changes nothing. setting_faults."""

    SETTINGS_READ_ONLY = "settings_read_only"
    """The user may read settings but not change them: writes get HTTP 403 (ONVIF
    ``ter:NotAuthorized``), as for an operator account. setting_faults."""

    NO_MEDIA2 = "no_media2"
    """No ver20 media service is advertised or served. services/onvif/media2."""

    SOAP_401_NO_BODY = "soap_401_no_body"
    """A refused WS-UsernameToken is answered HTTP 401 with an empty body. behaviour."""

    SOAP_HTTP_DIGEST = "soap_http_digest"
    """Every SOAP endpoint wants HTTP Digest first; with it, no WS-UsernameToken is needed.

    Without valid Digest: HTTP 401, ``WWW-Authenticate: Digest ...``, no body (Hikvision).
    GetSystemDateAndTime stays open unless AUTH_ON_DATE_TIME is on. services/onvif/endpoint.
    """

    STREAM_URI_FAULT = "stream_uri_fault"
    """GetStreamUri (Media and Media2) answers env:Receiver/ter:Action "stream not available".

    services/onvif/common.
    """

    CREDENTIALS_IN_URIS = "credentials_in_uris"
    """Stream and snapshot URIs carry ``?user=...&password=...`` and the snapshot accepts them.

    state (the URIs) and services/snapshot (the check), as some Dahua/Xiongmai firmwares do.
    """

    DROPS_OFF_MESSAGES = "drops_off_messages"
    """The end of a detection is never sent, on any source: no ONVIF "false", no Hikvision
    ``inactive``, no Dahua ``Stop`` (the camera still knows the state). event_hub."""

    IGNORES_PULL_TIMEOUT = "ignores_pull_timeout"
    """PullMessages answers at once, with nothing to say, instead of waiting out its Timeout.

    services/onvif/subscriptions.
    """

    NEVER_PUSHES = "never_pushes"
    """Subscribe is accepted (and renewed) but no Notify is ever POSTed.

    services/onvif/subscriptions.
    """

    NO_INACTIVE = "no_inactive"
    """The Hikvision alert stream never says ``inactive``: an event ends when its ``active``
    repeats stop, as on many NVRs. services/isapi_stream."""

    STREAM_LF_ONLY = "stream_lf_only"
    """Vendor event streams end their lines with LF instead of CRLF. services/multipart."""

    STREAM_NO_CONTENT_LENGTH = "stream_no_content_length"
    """Vendor event stream parts carry no Content-Length: each runs to the next boundary.

    services/multipart.
    """

    STREAM_SPACED_BOUNDARY = "stream_spaced_boundary"
    """Vendor event streams write the delimiter ``-- myboundary`` (with a space).

    services/multipart.
    """

    STREAM_UNNAMED_BOUNDARY = "stream_unnamed_boundary"
    """The stream's Content-Type names no boundary (``multipart/x-mixed-replace`` alone): the
    reader must learn it from the first delimiter line. services/multipart."""

    STREAM_WRONG_LENGTH = "stream_wrong_length"
    """Vendor event stream parts say ``Content-Length: 999`` whatever their size, as a public
    test fixture of a Dahua stream does: the length runs past the next boundary (or stops
    short of a long part's end). services/multipart."""

    BODIES_IN_PIECES = "bodies_in_pieces"
    """Every body the camera writes goes out in small pieces with pauses between them, as a
    slow or busy camera's TCP stack hands them over: its HTTP answers (snapshot, ISAPI/CGI,
    SOAP), each vendor event stream part, and the Notify POSTs it sends. A reader that takes
    one ``read(n)`` for the whole body gets the first piece. services/pieces (answers, via the
    camera's middleware), services/vendor (stream parts), services/onvif/subscriptions
    (Notify)."""
