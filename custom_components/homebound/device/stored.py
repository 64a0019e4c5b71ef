"""What a probe learnt, and a camera's settings as last read, as JSON-safe data for a restart.

The conversion follows the dataclasses' own fields and annotations, so a field added to
:class:`CameraInfo` later is stored without a change here; data that does not fit this
version (an unknown field, a value of the wrong type, no profile) reads as None, and the
caller probes afresh. A field missing from old data takes its default.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields, is_dataclass, replace
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from .models import CameraInfo, DeviceIdentity, MediaProfile
from .settings_model import UNSHOWABLE, SettingId, SettingRead, State, clean_host


def info_to_data(info: CameraInfo) -> dict[str, Any]:
    """Return ``info`` as plain JSON-safe data."""
    return asdict(info)


def _fits(value: Any, hint: Any) -> bool:
    """Whether ``value`` is of the (simple) annotated type ``hint``."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return any(_fits(value, option) for option in get_args(hint))
    if hint is type(None):
        return value is None
    if origin is tuple:
        item = get_args(hint)[0]
        return isinstance(value, tuple) and all(_fits(v, item) for v in value)
    if origin is dict:
        key, item = get_args(hint)
        return isinstance(value, dict) and all(
            _fits(k, key) and _fits(v, item) for k, v in value.items()
        )
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _build[T](cls: type[T], data: Any) -> T:
    """Make ``cls`` from its fields in ``data``, refusing unknown fields and wrong types."""
    if not isinstance(data, dict):
        msg = f"{cls.__name__} is not a mapping"
        raise TypeError(msg)
    assert is_dataclass(cls)
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for item in fields(cls):
        if item.name not in data:
            continue
        value = data[item.name]
        value = tuple(value) if isinstance(value, list) else value
        if not _fits(value, hints[item.name]):
            msg = f"{cls.__name__}.{item.name} is not {hints[item.name]}"
            raise TypeError(msg)
        values[item.name] = value
    if unknown := set(data) - set(values):
        msg = f"unknown fields {sorted(unknown)}"
        raise TypeError(msg)
    return cls(**values)


def info_from_data(data: Any) -> CameraInfo | None:
    """Return the CameraInfo stored as ``data``; None when it does not fit this version."""
    try:
        if not isinstance(data, dict):
            return None
        values = dict(data)
        values["identity"] = _build(DeviceIdentity, values.get("identity"))
        values["profiles"] = tuple(
            _build(MediaProfile, profile) for profile in values.get("profiles") or ()
        )
        info = _build(CameraInfo, values)
    except (TypeError, ValueError, NameError):
        return None
    return info if info.profiles else None


def reads_to_data(reads: Iterable[SettingRead]) -> list[dict[str, Any]]:
    """Return settings as read, as plain JSON-safe data."""
    return [
        {**asdict(read), "setting": read.setting.value, "state": read.state.value} for read in reads
    ]


def reads_from_data(data: Any) -> tuple[SettingRead, ...] | None:
    """Return the settings stored as ``data``; None when they do not fit this version.

    The servers are cleaned again (:func:`clean_host`): the file is ours, but what it holds
    came from a camera.
    """
    if not isinstance(data, list):
        return None
    reads = []
    try:
        for item in data:
            if not isinstance(item, dict):
                return None
            values = {**item, "setting": SettingId(str(item.get("setting")))}
            read = _build(SettingRead, values | {"state": State(str(item.get("state")))})
            servers = tuple(clean_host(server) or UNSHOWABLE for server in read.servers)
            reads.append(replace(read, servers=servers))
    except (TypeError, ValueError):
        return None
    return tuple(reads)
