"""Which event sources a camera is tried with, best first.

The plan is the order the :class:`~.manager.EventManager` falls back along and probes back up:
the camera's vendor stream (it carries what ONVIF often does not: line crossing, intrusion,
person on many firmwares), then the ONVIF push to Home Assistant's webhook (no request at rest
but a renewal), then PullPoint (always works where events exist, one long poll a minute). A user
who chose one source gets that one alone when the camera offers it, else the whole plan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .manager import Candidate
from .model import SourceKind
from .onvif_sources import PullPointSource, WebhookSource
from .vendor_sources import DahuaSource, HikvisionSource

if TYPE_CHECKING:
    from ..device import OnvifClient
    from .capabilities import VendorHttp
    from .readers import Channels


def source_plan(
    vendor: SourceKind | None,
    http: VendorHttp,
    client: OnvifClient,
    channels: Channels,
    webhook_url: str | None,
    choice: str | None = None,
) -> list[Candidate]:
    """Return the candidates for one camera; ``choice`` is a source kind's value, or None."""
    args = (http.session, http.base_url, http.username, http.password, channels)
    auth = http.digest  # one Digest middleware for every stream (re)connection and probe
    plan: list[Candidate] = []
    if vendor is SourceKind.HIKVISION:
        plan.append(
            Candidate(SourceKind.HIKVISION, lambda sink: HikvisionSource(sink, *args, auth=auth))
        )
    elif vendor is SourceKind.DAHUA:
        plan.append(Candidate(SourceKind.DAHUA, lambda sink: DahuaSource(sink, *args, auth=auth)))
    if webhook_url is not None and client.has_events:
        plan.append(
            Candidate(
                SourceKind.WEBHOOK,
                lambda sink: WebhookSource(sink, client, channels, webhook_url),
            )
        )
    if client.has_events:
        plan.append(
            Candidate(SourceKind.PULLPOINT, lambda sink: PullPointSource(sink, client, channels))
        )
    if choice is not None:
        plan = [c for c in plan if c.kind.value == choice] or plan
    return plan
