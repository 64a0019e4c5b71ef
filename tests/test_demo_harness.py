"""The demo's harness on its own: ports after a restart, one configuration per release, the
first screen's dashboard, and the loopback resolver every real ``hass`` of the harness uses.

The demo end to end (a real Home Assistant, the camera on the first screen, no notification,
no name resolved off the machine) is ``script/demo --check``, run by ``script/test`` and by
``tests/test_screenshots.py``.
"""

from __future__ import annotations

import asyncio
from contextlib import closing
import os
from pathlib import Path
import socket
import struct
import time

from homeassistant.const import __version__ as ha_version
from hypothesis import given, settings, strategies as st
import pytest

from devtools.demo import check_config_release, default_config_dir
from devtools.demo_dashboard import DemoCamera, camera_cards, first_view_entities, overview
from devtools.harness import DemoError
from devtools.hass_process import port_is_free
from devtools.loopback_dns import (
    CHECK_ADDRESS,
    CHECK_NAME,
    REFUSED,
    LoopbackDns,
    ResolverError,
    answer,
    check_resolver,
    nameservers,
    wrap_command,
    write_resolv_conf,
)

TIME_WAIT = "06"
"""The state column of /proc/net/tcp for TIME_WAIT."""


def _in_time_wait(port: int) -> bool:
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == TIME_WAIT:
            return True
    return False


def _plain_bind(port: int) -> bool:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_a_port_whose_last_connection_lingers_is_free_again() -> None:
    """After Home Assistant stops, the connections it closed stay in TIME_WAIT for a minute:
    the port is free for a new Home Assistant (which binds with SO_REUSEADDR), and the check
    must say so. (It bound without SO_REUSEADDR and refused every restart within a minute.)"""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    served, _ = listener.accept()
    served.close()  # the server closes first: its side of the connection ends in TIME_WAIT
    client.close()
    listener.close()
    deadline = time.monotonic() + 10  # the kernel finishes the loopback close on its own
    while not _in_time_wait(port) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _in_time_wait(port)
    assert not _plain_bind(port), "the test made no TIME_WAIT that a plain bind trips over"
    assert port_is_free(port)


def test_a_port_something_listens_on_is_not_free() -> None:
    with closing(socket.create_server(("127.0.0.1", 0))) as listener:
        assert not port_is_free(listener.getsockname()[1])


def test_each_release_has_its_own_demo_configuration(tmp_path: Path) -> None:
    """A release migrates the configuration for itself; an older one cannot read it."""
    assert default_config_dir().parts[-3:] == (".demo", ha_version, "config")
    check_config_release(tmp_path)  # never used: fine
    (tmp_path / ".HA_VERSION").write_text("2026.10.4")
    check_config_release(tmp_path, running="2026.10.4")
    check_config_release(tmp_path, running="2026.11.0")
    with pytest.raises(DemoError, match=r"2026\.10\.4, which migrated it"):
        check_config_release(tmp_path, running="2026.2.3")
    (tmp_path / ".HA_VERSION").write_text("2026.11.0b3")
    with pytest.raises(DemoError):
        check_config_release(tmp_path, running="2026.10.4")


CAMERA = DemoCamera(
    name="Front",
    entry_id="e1",
    device_id="d1",
    camera="camera.front",
    entities=("binary_sensor.front_motion", "event.front_detections"),
)


def test_the_dashboard_shows_each_camera_first_and_takes_more_builders() -> None:
    """The extension point: a builder's cards follow the camera's, on the same first view."""

    def extra(cameras: object) -> list[dict[str, object]]:
        return [{"type": "custom:homebound-card", "entity": "camera.front"}]

    config = overview([CAMERA], [camera_cards, extra])
    cards = config["views"][0]["cards"]
    assert cards[0] == {
        "type": "picture-entity",
        "entity": "camera.front",
        "name": "Front",
        "camera_view": "auto",
    }
    assert cards[1]["entities"] == ["binary_sensor.front_motion", "event.front_detections"]
    assert cards[-1]["type"] == "custom:homebound-card"
    nested = {"views": [{"cards": [{"type": "grid", "cards": [{"entities": ["sensor.x"]}]}]}]}
    assert first_view_entities(nested) == {"sensor.x"}
    assert first_view_entities(config) == {"camera.front", *CAMERA.entities}
    assert first_view_entities(None) == set()


def _query(name: str, qtype: int = 1, ident: int = 0x1234) -> bytes:
    labels = b"".join(bytes([len(p)]) + p.encode() for p in name.split("."))
    return (
        struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0)
        + labels
        + b"\0"
        + struct.pack(">HH", qtype, 1)
    )


def test_the_responder_refuses_every_name_but_its_own() -> None:
    reply = answer(_query("www.easy4ipcloud.com"))
    assert reply is not None
    ident, flags, qd, an, _, _ = struct.unpack_from(">HHHHHH", reply)
    assert (ident, flags & 0x8000, flags & 0x000F, qd, an) == (0x1234, 0x8000, REFUSED, 1, 0)
    reply = answer(_query(CHECK_NAME.upper()))
    assert reply is not None
    assert struct.unpack_from(">HHHHHH", reply)[1] & 0x000F == 0
    assert struct.unpack_from(">HHHHHH", reply)[3] == 1
    assert socket.inet_ntoa(reply[-4:]) == CHECK_ADDRESS
    reply = answer(_query(CHECK_NAME, qtype=28))  # AAAA: the name exists, no such record
    assert reply is not None
    assert struct.unpack_from(">HHHHHH", reply)[3] == 0
    assert answer(b"\x00\x01") is None
    assert answer(_query("x")[:2] + b"\x81\x80" + _query("x")[4:]) is None  # a response


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_the_responder_answers_any_bytes_without_failing(data: bytes) -> None:
    reply = answer(data)
    assert reply is None or reply[:2] == data[:2]


async def test_a_process_of_the_harness_resolves_on_loopback_only(tmp_path: Path) -> None:
    """A command wrapped as ``hass`` is sees only 127.0.0.1 as its nameserver, and the check
    run inside its namespace finds a vendor's domain refused there by the responder; a
    process outside it (this one) is found out before anything is looked up."""
    dns = LoopbackDns()
    await dns.start()
    resolv = write_resolv_conf(tmp_path / "resolv.conf")
    # The wrapper mounts, then runs the command: "ready" means the mount stands.
    proc = await asyncio.create_subprocess_exec(
        *wrap_command(resolv, ["sh", "-c", "echo ready; exec sleep 60"]),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        async with asyncio.timeout(30):
            assert await proc.stdout.readline() == b"ready\n"
        assert nameservers(proc.pid) == ["127.0.0.1"]
        results = await check_resolver(proc.pid, ["www.easy4ipcloud.com"])
        assert "error" in results["www.easy4ipcloud.com"]
        assert results[CHECK_NAME] == {"addresses": [CHECK_ADDRESS]}
    finally:
        proc.terminate()
        await proc.wait()
        dns.stop()
    if nameservers(os.getpid()) != ["127.0.0.1"]:
        with pytest.raises(ResolverError, match=r"not 127\.0\.0\.1 only"):
            await check_resolver(os.getpid(), ["www.easy4ipcloud.com"])
