"""The plain state of one virtual camera, which every service handler receives.

Identity, credentials and quirks are the camera's ``CameraConfig``; the rest is what changes
while it runs: its clock, whether it is online, its ports, what it was asked, and its delays.
Waiting in handlers (long polls, delays) goes through ``watch`` and ``generation`` so that going
offline, a reboot or a stop releases every waiter at once, without polling.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable, Iterator
import contextlib
import datetime as dt
import math
from typing import TYPE_CHECKING, Final, NamedTuple
from urllib.parse import urlencode

from .httpauth import HttpAuthenticator
from .lies import TRUTH
from .network import GENERIC_NTP, NetworkSettings
from .quirks import Quirk
from .setting_faults import fault_of

if TYPE_CHECKING:
    import aiohttp

    from .config import CameraConfig
    from .lies import Lies
    from .profiles import StreamProfile
    from .setting_faults import SettingFault
    from .soap import Fault

HOST: Final = "127.0.0.1"
SOAP_DELAY: Final = "soap"
"""Delay target that applies to every SOAP operation without a delay of its own."""
SNAPSHOT: Final = "snapshot"
"""Name under which snapshot GETs are counted and delayed."""
LOST_CLOCK: Final = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""Where the clock of a camera without NTP or battery restarts after a power cycle."""


class Clock:
    """The camera's clock: the host clock moved by an offset."""

    def __init__(self) -> None:
        """Start in step with the host."""
        self._offset = dt.timedelta(0)

    def now(self) -> dt.datetime:
        """Return the camera's time (UTC)."""
        return dt.datetime.now(dt.UTC) + self._offset

    @property
    def skew(self) -> float:
        """Seconds the camera clock is ahead of the host clock."""
        return self._offset.total_seconds()

    def set_skew(self, seconds: float) -> None:
        """Run ``seconds`` ahead of the host clock (negative: behind)."""
        self._offset = dt.timedelta(seconds=seconds)

    def set(self, moment: dt.datetime) -> None:
        """Read ``moment`` now and run on from there."""
        self._offset = moment - dt.datetime.now(dt.UTC)


def check_delay(seconds: float | None) -> float | None:
    """Return a valid delay (None, a non-negative number or infinity) or raise ValueError."""
    if seconds is None:
        return None
    value = float(seconds)
    if math.isnan(value) or value < 0:
        raise ValueError(f"a delay must be zero or more seconds, not {seconds!r}")
    return value


class HttpRequest(NamedTuple):
    """One HTTP request the camera's web port received, as a test counts it."""

    method: str
    path: str
    authorized: bool
    """Whether it carried an ``Authorization`` header (credentials of some kind)."""


class CameraState:
    """Identity, clock, profiles, online state, URLs and credentials of one camera."""

    def __init__(
        self,
        config: CameraConfig,
        profiles: tuple[StreamProfile, ...],
        realm: str,
        authenticator: type[HttpAuthenticator] = HttpAuthenticator,
    ) -> None:
        """Hold ``config`` (shared with the camera, not copied) and the camera's profiles."""
        self.config = config
        self.host = config.host
        """The address the camera serves ONVIF/HTTP on and hands out in its URLs."""
        self.profiles = profiles
        self.clock = Clock()
        self.http_auth = authenticator(realm)
        self.onvif_port = config.onvif_port
        self.rtsp_port: int | None = None
        self.online = False
        self.network = NetworkSettings(
            dhcp=config.dhcp,
            ntp=list(config.ntp_servers if config.ntp_servers is not None else [GENERIC_NTP]),
        )
        """Address, gateway, DNS and NTP settings, shared by ONVIF and the vendor APIs."""
        self.http_session: aiohttp.ClientSession | None = None
        """Client session for what the camera sends itself (ONVIF Notify)."""
        self.snapshot_path = "/snapshot/{token}.jpg"
        """Path of a profile's snapshot, formatted with ``token``; set by the snapshot service."""
        self.requests: list[str] = []
        """SOAP operation names received, in order (including refused ones)."""
        self.request_counts: Counter[str] = Counter()
        """SOAP operations by name, plus "snapshot" for snapshot GETs, since the last reset."""
        self.snapshot_requests = 0
        """Snapshots served (authenticated GETs answered with a JPEG)."""
        self.http_log: list[HttpRequest] = []
        """Every HTTP request the web port received, of any kind, in order (never reset)."""
        self.generation = 0
        """Increases whenever open connections are dropped (offline, reboot, stop)."""
        self.event_stream = True
        """Whether the vendor event stream is served (off: open ones end, new ones get 503)."""
        self.stream_stalled = False
        """Whether the vendor event stream hangs (open and answered, nothing written)."""
        self.stream_parts: Counter[str] = Counter()
        """Parts written on vendor event streams, by what they said (``active``, ``inactive``,
        ``heartbeat``, ``Start``, ``Stop``, ``Pulse``)."""
        self._other_requests: Counter[str] = Counter()
        self._delays: dict[str, float] = {}
        self._faults: dict[str, Fault] = {}
        self._watchers: set[asyncio.Event] = set()

    # --- facts handlers use ---------------------------------------------------------------

    @property
    def quirks(self) -> frozenset[Quirk]:
        """The quirks switched on right now."""
        return self.config.quirks

    @property
    def username(self) -> str:
        """The user every interface accepts."""
        return self.config.username

    @property
    def password(self) -> str:
        """That user's password."""
        return self.config.password

    def now(self) -> dt.datetime:
        """Return the camera's clock (UTC)."""
        return self.clock.now()

    @property
    def lies(self) -> Lies:
        """What the camera reports about itself instead of the truth."""
        return self.config.lies or TRUTH

    def setting_fault(self, name: str, *, write: bool) -> SettingFault | None:
        """How an access to the setting ``name`` fails (``setting_faults``); None: it works."""
        return fault_of(self.config.setting_faults, self.quirks, name, write=write)

    def url(self, path: str) -> str:
        """Return an http URL on the camera's web (ONVIF) port."""
        return f"http://{self.host}:{self.onvif_port}{path}"

    def _with_credentials(self, uri: str) -> str:
        if Quirk.CREDENTIALS_IN_URIS not in self.quirks:
            return uri
        query = urlencode({"user": self.username, "password": self.password})
        return f"{uri}{'&' if '?' in uri else '?'}{query}"

    def stream_uri(self, profile: StreamProfile) -> str:
        """Return the RTSP URI of a profile (port 554 is reported when RTSP is off).

        RTSP is served on 127.0.0.1 even for a camera whose web port is in a namespace
        (``CameraConfig.netns``): the URI says where the stream really is.
        """
        return self._with_credentials(f"rtsp://{HOST}:{self.rtsp_port or 554}{profile.mount}")

    def snapshot_uri(self, profile: StreamProfile) -> str:
        """Return the snapshot URL of a profile."""
        return self._with_credentials(self.url(self.snapshot_path.format(token=profile.token)))

    # --- what the camera was asked --------------------------------------------------------

    def record(self, name: str, *, soap: bool = True) -> None:
        """Count one request: a SOAP operation by name, or another kind ("snapshot") by kind."""
        if soap:
            self.requests.append(name)
        else:
            self._other_requests[name] += 1
        self.request_counts[name] += 1
        self.wake()

    def reset_counts(self) -> None:
        """Start ``request_counts`` from zero (``requests`` keeps everything)."""
        self.request_counts.clear()

    def _received(self, name: str) -> int:
        return self.requests.count(name) + self._other_requests[name]

    async def wait_for_request(self, name: str, count: int, timeout: float) -> None:
        """Wait until ``name`` has been received ``count`` times in all (``requests``)."""
        event = asyncio.Event()
        async with asyncio.timeout(timeout):
            with self.watch(event):
                while self._received(name) < count:
                    event.clear()
                    await event.wait()

    def sent_part(self, what: str) -> None:
        """Count one part written on a vendor event stream."""
        self.stream_parts[what] += 1
        self.wake()

    async def wait_until(self, condition: Callable[[], bool], timeout: float) -> None:
        """Wait until ``condition()`` holds, checked whenever the camera's state changes.

        Raises TimeoutError after ``timeout`` seconds.
        """
        event = asyncio.Event()
        async with asyncio.timeout(timeout):
            with self.watch(event):
                while not condition():
                    event.clear()
                    await event.wait()

    # --- waiting --------------------------------------------------------------------------

    @contextlib.contextmanager
    def watch(self, event: asyncio.Event) -> Iterator[None]:
        """Set ``event`` whenever something a waiter may care about changes, while inside."""
        self._watchers.add(event)
        try:
            yield
        finally:
            self._watchers.discard(event)

    def wake(self) -> None:
        """Set every watched event; waiters check their own conditions again."""
        for event in self._watchers:
            event.set()

    def interrupt(self) -> None:
        """Mark every request in flight as belonging to a dropped connection, and wake it."""
        self.generation += 1
        self.wake()

    # --- delays ---------------------------------------------------------------------------

    @property
    def delays(self) -> dict[str, float]:
        """The delays set, by target (a copy)."""
        return dict(self._delays)

    def set_delay(self, target: str, seconds: float | None) -> None:
        """Delay ``target`` by ``seconds`` (infinity: hang); None removes the delay."""
        if not target:
            raise ValueError("the delay target must be an operation name, 'soap' or 'snapshot'")
        value = check_delay(seconds)
        if value is None:
            self._delays.pop(target, None)
        else:
            self._delays[target] = value
        self.wake()

    # --- injected faults ------------------------------------------------------------------

    def fault_of(self, operation: str) -> Fault | None:
        """Return the fault ``operation`` is answered with instead of its answer (None: none)."""
        return self._faults.get(operation)

    def set_fault(self, operation: str, fault: Fault | None) -> None:
        """Answer ``operation`` with ``fault`` from now on; None answers it normally again."""
        if not operation:
            raise ValueError("the fault target must be a SOAP operation name")
        if fault is None:
            self._faults.pop(operation, None)
        else:
            self._faults[operation] = fault

    def _delay_of(self, name: str, soap: bool) -> float | None:
        delay = self._delays.get(name)
        if delay is None and soap:
            delay = self._delays.get(SOAP_DELAY)
        return delay

    async def hold(self, name: str, *, soap: bool = True) -> bool:
        """Keep a request for its delay; False when its connection is to be dropped meanwhile.

        A SOAP operation's own delay wins over the "soap" one. Changing the delay while a
        request waits applies to it at once (removing it releases the request).
        """
        generation = self.generation
        loop = asyncio.get_running_loop()
        started = loop.time()
        event = asyncio.Event()
        with self.watch(event):
            while self.generation == generation:
                delay = self._delay_of(name, soap)
                remaining = None if delay is None else delay - (loop.time() - started)
                if remaining is None or remaining <= 0:
                    return True
                event.clear()
                try:
                    async with asyncio.timeout(None if math.isinf(remaining) else remaining):
                        await event.wait()
                except TimeoutError:
                    return self.generation == generation
        return False
