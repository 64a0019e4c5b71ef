"""The order a camera's event sources are tried in, and a user's choice of one."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import aiohttp
import pytest

from custom_components.homebound.events import SourceKind
from custom_components.homebound.events.capabilities import VendorHttp
from custom_components.homebound.events.plan import source_plan
from custom_components.homebound.events.readers import Channels

HIK, DAHUA, PUSH, PULL = (
    SourceKind.HIKVISION,
    SourceKind.DAHUA,
    SourceKind.WEBHOOK,
    SourceKind.PULLPOINT,
)


@pytest.mark.parametrize(
    ("vendor", "webhook", "events", "choice", "expected"),
    [
        (HIK, "http://ha/api/webhook/x", True, None, [HIK, PUSH, PULL]),
        (DAHUA, "http://ha/api/webhook/x", True, None, [DAHUA, PUSH, PULL]),
        (None, "http://ha/api/webhook/x", True, None, [PUSH, PULL]),
        (None, None, True, None, [PULL]),  # no webhook Home Assistant can be reached at
        (HIK, "http://ha/api/webhook/x", False, None, [HIK]),  # no ONVIF event service
        (None, None, False, None, []),
        (HIK, "http://ha/api/webhook/x", True, PULL.value, [PULL]),
        (DAHUA, None, True, PUSH.value, [DAHUA, PULL]),  # the choice is not offered: all
    ],
)
async def test_plan(
    vendor: SourceKind | None,
    webhook: str | None,
    events: bool,
    choice: str | None,
    expected: list[SourceKind],
) -> None:
    async with aiohttp.ClientSession() as session:
        http = VendorHttp(session, "http://127.0.0.1:9", "admin", "pw")
        client = cast("Any", SimpleNamespace(has_events=events))
        plan = source_plan(vendor, http, client, Channels(), webhook, choice)
        assert [c.kind for c in plan] == expected
        sink = cast("Any", SimpleNamespace())
        for candidate in plan:  # each makes its own kind of source, nothing is sent
            assert candidate.make(sink) is not None
