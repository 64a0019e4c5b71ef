"""Every firewall error reaches the user as its own translated message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from custom_components.homebound.firewall import (
    ApplyFailedError,
    AuthRefusedError,
    FirewallError,
    HostKeyChangedError,
    NftMissingError,
    NftMissingWithNetlinkError,
    NoNftNoNetlinkError,
    NoPersistenceError,
    NotPermittedError,
    PolicyError,
    RouterOutputError,
    RouterUnreachableError,
)
from custom_components.homebound.isolation.coordinator import error_key

STRINGS = json.loads(
    (
        Path(__file__).parents[2] / "custom_components" / "homebound" / "translations" / "en.json"
    ).read_text()
)


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (HostKeyChangedError("router", "SHA256:a", "SHA256:b"), "host_key_changed"),
        (AuthRefusedError("no"), "ssh_auth"),
        (RouterUnreachableError("away"), "ssh_unreachable"),
        (NoPersistenceError("nowhere"), "no_persistence"),
        (NftMissingWithNetlinkError("HA OS"), "local_haos"),
        (NftMissingError("no nft"), "nft_missing"),
        (NoNftNoNetlinkError("neither"), "local_impossible"),
        (NotPermittedError("refused"), "nft_not_permitted"),
        (PolicyError("unsafe"), "invalid_policy"),
        (ApplyFailedError("rejected", "syntax"), "apply_rejected"),
        (RouterOutputError("garbled"), "router_output"),
        (FirewallError("else"), "firewall_error"),
    ],
)
def test_each_error_has_its_message(error: FirewallError, key: str) -> None:
    """The most specific key wins, and it is translated as a flow error and an exception."""
    assert error_key(error) == key
    assert key in STRINGS["exceptions"]
    assert key in STRINGS["config"]["error"]
