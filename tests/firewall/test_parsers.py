"""Hostile router output: the parsers raise their typed error and nothing else."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.homebound.firewall import RouterOutputError, fingerprint
from custom_components.homebound.firewall.nft_driver import neighbour_addresses
from custom_components.homebound.firewall.nft_state import MAX_TEXT, parse_table

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=40,
)
FIELDS = st.sampled_from(["table", "counter", "set", "map", "chain", "rule", "metainfo"])
NAMES = st.sampled_from(["homebound", "cams", "att_mac4", "att4", "ctr_mac", "forward", "x"])


@st.composite
def nftish(draw: st.DrawFn) -> str:
    """JSON shaped like nft's, with wrong types and values in every place."""
    items: list[Any] = []
    for _ in range(draw(st.integers(0, 8))):
        body: dict[str, Any] = {
            "family": draw(st.sampled_from(["inet", "ip", 3, None])),
            "table": draw(NAMES),
            "name": draw(NAMES),
        }
        body.update(
            draw(
                st.dictionaries(
                    st.sampled_from(
                        ["packets", "elem", "timeout", "hook", "prio", "chain", "expires"]
                    ),
                    JSON,
                    max_size=4,
                )
            )
        )
        if draw(st.booleans()):
            body["elem"] = [
                {
                    "elem": {
                        "val": {"concat": draw(st.lists(JSON, max_size=5))},
                        "expires": draw(JSON),
                    }
                }
            ]
        items.append({draw(FIELDS): body})
    return json.dumps({"nftables": items})


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(st.text(max_size=200), JSON.map(json.dumps), nftish()))
def test_parse_table_raises_only_its_error(text: str) -> None:
    try:
        state = parse_table(text)
    except RouterOutputError:
        return
    assert len(state.attempts) <= 4 * 65535


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), JSON.map(json.dumps)))
def test_neighbour_parser_never_raises(text: str) -> None:
    assert isinstance(neighbour_addresses(text, {"02:00:00:00:00:01"}), dict)


def test_oversized_and_deep_output_is_refused() -> None:
    with pytest.raises(RouterOutputError):
        parse_table(" " * (MAX_TEXT + 1))
    with pytest.raises(RouterOutputError):
        parse_table("[" * 100_000 + "]" * 100_000)
    assert neighbour_addresses("[" * 100_000, set()) == {}


def test_real_shapes_are_understood() -> None:
    text = json.dumps(
        {
            "nftables": [
                {"metainfo": {"json_schema_version": 1}},
                {"table": {"family": "inet", "name": "homebound", "handle": 1}},
                {
                    "counter": {
                        "family": "inet",
                        "name": "cam_020000000001",
                        "table": "homebound",
                        "packets": 7,
                        "bytes": 400,
                    }
                },
                {
                    "set": {
                        "family": "inet",
                        "name": "cams",
                        "table": "homebound",
                        "elem": ["02:00:00:00:00:01"],
                    }
                },
                {
                    "set": {
                        "family": "inet",
                        "name": "allow4",
                        "table": "homebound",
                        "elem": [{"prefix": {"addr": "198.18.1.0", "len": 24}}],
                    }
                },
                {
                    "set": {
                        "family": "inet",
                        "name": "att_mac4",
                        "table": "homebound",
                        "timeout": 86400,
                        "elem": [
                            {
                                "elem": {
                                    "val": {
                                        "concat": ["02:00:00:00:00:01", "203.0.113.2", "udp", 8800]
                                    },
                                    "expires": 86000,
                                }
                            },
                            {
                                "elem": {
                                    "val": {"concat": ["02:00:00:00:00:01", "203.0.113.2", 1, 0]}
                                }
                            },
                            {"elem": {"val": {"concat": ["x", "not-an-ip", "udp", 1]}}},
                        ],
                    }
                },
                {
                    "chain": {
                        "family": "inet",
                        "table": "homebound",
                        "name": "forward",
                        "hook": "forward",
                        "prio": -10,
                    }
                },
                {"rule": {"family": "inet", "table": "homebound", "chain": "forward"}},
                {"table": {"family": "inet", "name": "fw4"}},
            ]
        }
    )
    state = parse_table(text)
    assert state.present
    assert state.counters == {"cam_020000000001": 7}
    assert state.elements["allow4"] == frozenset({"198.18.1.0/24"})
    assert [(a.protocol, a.port) for a in state.attempts] == [("udp", 8800), ("icmp", None)]
    assert state.chains["forward"].rules == 1
    assert state.timeouts == {"att_mac4": 86400}
    assert not parse_table('{"nftables": []}').present


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=300), st.binary(max_size=200).map(lambda b: "ssh-ed25519 " + b.hex())
    )
)
def test_host_key_parser_raises_only_its_error(text: str) -> None:
    with contextlib.suppress(RouterOutputError):
        assert fingerprint(text).startswith("SHA256:")
