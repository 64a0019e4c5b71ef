"""Helpers for driving Homebound's config flow in tests."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
import socket
import time
from typing import Any

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    EVENT_STATE_CHANGED,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er

from custom_components.homebound.const import (
    CONF_DEVICE,
    DOMAIN,
    MANUAL_ENTRY,
    SEARCH_AGAIN,
    SEARCH_RESULTS,
)
from devtools.flow_walk import Result, WalkError, add_by_address
from simulator import VirtualCamera


def free_tcp_port() -> int:
    """A TCP port on 127.0.0.1 where nothing listens (a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def credentials(camera: VirtualCamera, **overrides: str) -> dict[str, str]:
    """The credentials form's input for ``camera``."""
    data = {CONF_USERNAME: camera.config.username, CONF_PASSWORD: camera.config.password}
    data.update(overrides)
    return data


def manual_input(camera: VirtualCamera) -> dict[str, Any]:
    """The address form's input for ``camera``."""
    return {CONF_HOST: camera.host, CONF_PORT: camera.onvif_port, **credentials(camera)}


def pick_options(result: Mapping[str, Any]) -> list[dict[str, str]]:
    """The choices of the "pick" form."""
    schema = result["data_schema"]
    assert schema is not None
    options: list[dict[str, str]] = schema.schema[CONF_DEVICE].config["options"]
    return options


def suggested(result: Mapping[str, Any], field: str) -> Any:
    """The value a form's field shows when it opens (its suggested value, else its default)."""
    schema = result["data_schema"]
    assert schema is not None
    for marker in schema.schema:
        if str(marker) == field:
            description = getattr(marker, "description", None) or {}
            if "suggested_value" in description:
                return description["suggested_value"]
            return marker.default() if callable(marker.default) else None
    raise KeyError(field)


def offered(result: Mapping[str, Any]) -> list[str]:
    """The values of the "pick" form's choices."""
    return [option["value"] for option in pick_options(result)]


async def start_user_flow(
    hass: HomeAssistant, *, manual: bool = False, found: bool = False
) -> ConfigFlowResult:
    """Start the user flow and choose "Camera": the camera list comes at once, never a search.

    With ``found``, choose the list's search choice and return the list once that search has
    listened (what a user does to see cameras found since the list opened). With ``manual``,
    go on to the address form.
    """
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["camera", "firewall"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "camera"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "pick"
    if found:
        search = SEARCH_RESULTS if SEARCH_RESULTS in offered(result) else SEARCH_AGAIN
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: search}
        )
        if result["type"] is FlowResultType.SHOW_PROGRESS:
            assert result["progress_action"] == "discovery"
            await hass.async_block_till_done()
            result = await hass.config_entries.flow.async_configure(result["flow_id"])
        assert result["step_id"] == "pick"
    if manual:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_DEVICE: MANUAL_ENTRY}
        )
        assert result["step_id"] == "manual"
    return result


class LocalFlows:
    """A :class:`devtools.flow_walk.FlowDriver` on the test's own Home Assistant."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Drive Homebound's user flow through ``hass``'s flow manager."""
        self.hass = hass

    async def start(self) -> Result:
        """Open the flow as "Add integration" does."""
        return await self.hass.config_entries.flow.async_init(
            DOMAIN, context={"source": SOURCE_USER}
        )

    async def submit(self, flow_id: str, data: Mapping[str, Any]) -> Result:
        """Submit a screen."""
        return await self.hass.config_entries.flow.async_configure(flow_id, dict(data))

    async def after_progress(self, flow_id: str) -> Result:
        """Let the work behind a progress step finish, then read the next screen."""
        await self.hass.async_block_till_done()
        return await self.hass.config_entries.flow.async_configure(flow_id)


@dataclass(frozen=True, slots=True)
class UserPath:
    """Seconds from the flow opened, on the path "menu → camera list → address form"."""

    first_form: float
    """Until the first form (the camera list) was on screen."""
    waited: float
    """Of it, in progress steps (a search waited for): 0 when none."""
    camera: float
    """Until the new entry's camera entity had a state."""
    entity_id: str


async def time_user_path(hass: HomeAssistant, camera: VirtualCamera) -> UserPath:
    """Add ``camera`` the way a user does by hand, and time it up to its camera entity.

    The walk is :func:`devtools.flow_walk.add_by_address`, the one the bench times over REST.
    Prints nothing and judges no time: the caller gets the figures.
    """
    appeared: list[tuple[float, str]] = []
    first = asyncio.Event()

    @callback
    def seen(event: Event[EventStateChangedData]) -> None:
        entity_id = event.data["entity_id"]
        if entity_id.startswith("camera.") and event.data["old_state"] is None:
            appeared.append((time.monotonic(), entity_id))
            first.set()

    unsubscribe = hass.bus.async_listen(EVENT_STATE_CHANGED, seen)
    try:
        walk = await add_by_address(LocalFlows(hass), manual_input(camera))
        if walk.result.get("type") is not FlowResultType.CREATE_ENTRY:
            msg = f"adding the camera failed: {walk.result.get('errors') or walk.result}"
            raise WalkError(msg)
        entry_id = walk.result["result"].entry_id
        registry = er.async_get(hass)

        def ours() -> tuple[float, str] | None:
            return next(
                (
                    (at, entity_id)
                    for at, entity_id in appeared
                    if (item := registry.async_get(entity_id)) and item.config_entry_id == entry_id
                ),
                None,
            )

        async with asyncio.timeout(30):
            while (found := ours()) is None:
                first.clear()
                await first.wait()
    finally:
        unsubscribe()
    at, entity_id = found
    return UserPath(
        first_form=walk.first_form - walk.opened,
        waited=walk.waited,
        camera=at - walk.opened,
        entity_id=entity_id,
    )
