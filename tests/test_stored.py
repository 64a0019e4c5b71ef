"""A probe's findings as stored data: round trip, and refusal of what does not fit."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.homebound.device import CameraInfo, DeviceIdentity, MediaProfile
from custom_components.homebound.device.stored import info_from_data, info_to_data

INFO = CameraInfo(
    identity=DeviceIdentity(
        manufacturer="Hikvision",
        model="DS-2CD2043G2-I",
        firmware="V5.7.3",
        serial="DS-2CD2043G2-I20200101AAWRE12345678",
        hardware_id="88",
        mac="44:19:b6:00:00:01",
    ),
    profiles=(
        MediaProfile("Profile_1", "mainStream", "H265", 2688, 1520, 25.0, 2, "VideoSource_1", "V1"),
        MediaProfile("Profile_2", "subStream", "H264", 640, 360, None, 2, "VideoSource_1", "V1"),
    ),
    services={"http://www.onvif.org/ver10/device/wsdl": "http://192.0.2.10/onvif/device_service"},
    clock_skew=-3.5,
)


def _data() -> dict[str, Any]:
    # Through JSON, as storage keeps it: tuples come back as lists.
    data: dict[str, Any] = json.loads(json.dumps(info_to_data(INFO)))
    return data


def test_round_trip_through_json() -> None:
    """What is stored reads back as the same CameraInfo."""
    assert info_from_data(_data()) == INFO


def test_missing_field_takes_its_default() -> None:
    """A record written before a field existed still reads (the field takes its default)."""
    data = _data()
    del data["clock_skew"]
    info = info_from_data(data)
    assert info is not None
    assert info.clock_skew == 0.0


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d.update(colour="red"), "unknown field"),
        (lambda d: d["identity"].update(mac=7), "wrong type"),
        (lambda d: d["profiles"][0].update(width="wide"), "wrong type in a profile"),
        (lambda d: d["profiles"][0].update(width=True), "a bool is no number"),
        (lambda d: d.update(profiles=[]), "no profile"),
        (lambda d: d.update(identity=None), "no identity"),
        (lambda d: d["services"].update({"x": 1}), "wrong type in a mapping"),
        (lambda d: d["profiles"][0].pop("token"), "required field missing"),
    ],
)
def test_unfit_records_read_as_none(change: Any, why: str) -> None:
    """Data that does not fit this version is refused, never half-used."""
    data = _data()
    change(data)
    assert info_from_data(data) is None, why


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=20,
    )
)
def test_any_json_is_read_or_refused(data: Any) -> None:
    """Whatever a damaged file holds, reading it returns a CameraInfo or None."""
    result = info_from_data(data)
    assert result is None or isinstance(result, CameraInfo)
