"""A throw-away network of namespaces: camera, router, Home Assistant and "internet".

::

    cam (198.18.1.50, 2001:db8:1::50)    [peer (198.18.1.60, 2001:db8:1::60): add_lan_host()]
     |  lan                                  |  lan2, bridged with lan in the router (br0)
    rtr (198.18.1.1 | 198.18.0.1 | 203.0.113.1, and 2001:db8:1::1 | 2001:db8::1 | 2001:db8:ff::1)
     |  ha                      |  wan
    ha (198.18.0.10 Home Assistant,  inet (203.0.113.2 "cloud", 198.51.100.53 "public DNS",
        198.18.0.53 NTP and DNS)           192.0.2.80, 2001:db8:ff::2)

Only documentation ranges and 198.18.0.0/15; the veths are created directly inside the
namespaces, so nothing ever touches the machine's own network. Names carry the test
process's PID: a run that was killed leaves namespaces that the next run finds (their PID no
longer alive) and removes, with the processes inside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import time

from custom_components.homebound.firewall.runner import SubprocessRunner

HERE = Path(__file__).resolve().parent
CAMERA_MAC = "02:48:42:00:00:50"
CAMERA4, CAMERA6 = "198.18.1.50", "2001:db8:1::50"
HA4, HA6 = "198.18.0.10", "2001:db8::10"
LOCAL_SERVER = "198.18.0.53"
ROUTER_HA4 = "198.18.0.1"
CLOUD4, CLOUD6 = "203.0.113.2", "2001:db8:ff::2"
PUBLIC_DNS = "198.51.100.53"
OTHER_CLOUD = "192.0.2.80"
HONEST_MAC = "02:48:42:00:00:fe"
"""The honest LAN host's MAC: the one the simulator's hostile persona claims by default."""
HONEST4, HONEST6 = "198.18.1.60", "2001:db8:1::60"
HOSTS = ("cam", "rtr", "ha", "inet", "peer")
IP = shutil.which("ip") or "/usr/sbin/ip"
_NAME = re.compile(r"^hbt(\d+)x[0-9a-f]{4}-(cam|rtr|ha|inet|peer)$")
STEP_TIMEOUT = 20.0


def ip(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``ip ARGS`` (bounded in time)."""
    return subprocess.run(  # noqa: S603 - fixed argv, test-made names
        [IP, *args], check=check, capture_output=True, text=True, timeout=STEP_TIMEOUT
    )


def _kill_namespace(name: str) -> None:
    """Stop every process inside one of our namespaces (by PID), then delete it."""
    pids = ip("netns", "pids", name, check=False).stdout.split()
    for pid in pids:
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            continue
    ip("netns", "delete", name, check=False)


def sweep_stale() -> None:
    """Remove lab namespaces left by test processes that no longer exist."""
    for line in ip("netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        match = _NAME.match(name)
        if match is None:
            continue
        owner = int(match.group(1))
        try:
            os.kill(owner, 0)
        except ProcessLookupError:
            _kill_namespace(name)
        except PermissionError:
            continue


@dataclass
class Lab:
    """The four namespaces and the processes the test started inside them."""

    tag: str = field(default_factory=lambda: f"hbt{os.getpid()}x{secrets.token_hex(2)}")
    processes: list[subprocess.Popen[str]] = field(default_factory=list)

    def ns(self, host: str) -> str:
        """The namespace name of a host: cam, rtr, ha or inet."""
        return f"{self.tag}-{host}"

    def exec(self, host: str, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command inside a host's namespace (bounded in time)."""
        return ip("netns", "exec", self.ns(host), *argv, check=check)

    def runner(self, host: str = "rtr") -> SubprocessRunner:
        """A command runner that runs inside a host's namespace."""
        return SubprocessRunner(prefix=("ip", "netns", "exec", self.ns(host)))

    def create(self) -> None:
        """Make the namespaces, links, addresses and routes (raises when not permitted)."""
        sweep_stale()
        for host in ("cam", "rtr", "ha", "inet"):
            ip("netns", "add", self.ns(host))
            self.exec(host, "ip", "link", "set", "lo", "up")
            # No duplicate address detection: addresses are usable at once, not seconds later.
            self.exec(host, "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
                      "net.ipv6.conf.default.accept_dad=0")  # fmt: skip
        links = (("cam", "rtr", "lan"), ("ha", "rtr", "ha"), ("inet", "rtr", "wan"))
        for host, router, link in links:
            ip("-n", self.ns(host), "link", "add", "eth0", "type", "veth", "peer", "name",
               link, "netns", self.ns(router))  # fmt: skip
        ip("-n", self.ns("cam"), "link", "set", "eth0", "address", CAMERA_MAC)
        addrs = {
            "cam": [("eth0", f"{CAMERA4}/24"), ("eth0", f"{CAMERA6}/64")],
            "rtr": [("lan", "198.18.1.1/24"), ("lan", "2001:db8:1::1/64"),
                    ("ha", f"{ROUTER_HA4}/24"), ("ha", "2001:db8::1/64"),
                    ("wan", "203.0.113.1/24"), ("wan", "2001:db8:ff::1/64")],
            "ha": [("eth0", f"{HA4}/24"), ("eth0", f"{LOCAL_SERVER}/24"), ("eth0", f"{HA6}/64")],
            "inet": [("eth0", f"{CLOUD4}/24"), ("eth0", f"{PUBLIC_DNS}/32"),
                     ("eth0", f"{OTHER_CLOUD}/32"), ("eth0", f"{CLOUD6}/64")],
        }  # fmt: skip
        for host, items in addrs.items():
            for dev, addr in items:
                extra = ["nodad"] if ":" in addr else []
                ip("-n", self.ns(host), "addr", "add", addr, "dev", dev, *extra)
            for dev in {dev for dev, _ in items}:
                ip("-n", self.ns(host), "link", "set", dev, "up")
        gateways = {"cam": ("198.18.1.1", "2001:db8:1::1"), "ha": (ROUTER_HA4, "2001:db8::1"),
                    "inet": ("203.0.113.1", "2001:db8:ff::1")}  # fmt: skip
        for host, (gw4, gw6) in gateways.items():
            ip("-n", self.ns(host), "route", "add", "default", "via", gw4)
            ip("-n", self.ns(host), "-6", "route", "add", "default", "via", gw6)
        for dest in (f"{PUBLIC_DNS}/32", f"{OTHER_CLOUD}/32"):
            ip("-n", self.ns("rtr"), "route", "add", dest, "via", CLOUD4)
        self.exec("rtr", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1",
                  "net.ipv6.conf.all.forwarding=1")  # fmt: skip
        self._wait_settled()

    def _wait_settled(self, gateways: dict[str, tuple[str, str]] | None = None) -> None:
        """Wait (bounded) until no IPv6 address of the lab is still tentative."""
        start = time.monotonic()
        hosts = ("cam", "rtr", "ha", "inet") if gateways is None else (*gateways, "rtr")
        while elapsed_ok(start, STEP_TIMEOUT):
            busy = [
                host
                for host in hosts
                if self.exec(host, "ip", "-6", "addr", "show", "tentative").stdout.strip()
            ]
            if not busy:
                break
            time.sleep(0.05)
        else:
            raise TimeoutError("IPv6 addresses of the lab stayed tentative")
        # The first neighbour solicitation on a fresh veth can go unanswered for a second:
        # ping every gateway until it answers, so that the tests' single packets are not lost.
        gateways = gateways or {"cam": ("198.18.1.1", "2001:db8:1::1"),
                                "ha": (ROUTER_HA4, "2001:db8::1"),
                                "inet": ("203.0.113.1", "2001:db8:ff::1")}  # fmt: skip
        for host, addresses in gateways.items():
            tries = json.dumps([("icmp", address, 0) for address in addresses])
            for _ in range(20):
                out = self.exec(host, sys.executable, str(HERE / "probe.py"), tries).stdout
                if all(json.loads(out)):
                    break
            else:
                raise TimeoutError(f"the {host} host cannot reach its gateway")

    def add_lan_host(self) -> None:
        """Put a second, honest host on the camera LAN: the router bridges both links.

        The router's LAN addresses move from ``lan`` to the bridge ``br0``; the camera's
        gateway stays what it was. The host talks to its gateway at once, so that the router's
        neighbour table shows it (an idle honest host is what a lying camera would claim).
        """
        ip("netns", "add", self.ns("peer"))
        self.exec("peer", "ip", "link", "set", "lo", "up")
        self.exec("peer", "sysctl", "-q", "-w", "net.ipv6.conf.all.accept_dad=0",
                  "net.ipv6.conf.default.accept_dad=0")  # fmt: skip
        rtr = ("-n", self.ns("rtr"))
        ip(*rtr, "link", "add", "br0", "type", "bridge", "forward_delay", "0")
        ip(*rtr, "addr", "flush", "dev", "lan")
        ip(*rtr, "link", "set", "lan", "master", "br0")
        ip("-n", self.ns("peer"), "link", "add", "eth0", "type", "veth", "peer", "name", "lan2",
           "netns", self.ns("rtr"))  # fmt: skip
        ip("-n", self.ns("peer"), "link", "set", "eth0", "address", HONEST_MAC)
        ip(*rtr, "link", "set", "lan2", "master", "br0")
        ip(*rtr, "addr", "add", "198.18.1.1/24", "dev", "br0")
        ip(*rtr, "addr", "add", "2001:db8:1::1/64", "dev", "br0", "nodad")
        for dev in ("br0", "lan2"):
            ip(*rtr, "link", "set", dev, "up")
        peer = ("-n", self.ns("peer"))
        ip(*peer, "addr", "add", f"{HONEST4}/24", "dev", "eth0")
        ip(*peer, "addr", "add", f"{HONEST6}/64", "dev", "eth0", "nodad")
        ip(*peer, "link", "set", "eth0", "up")
        ip(*peer, "route", "add", "default", "via", "198.18.1.1")
        ip(*peer, "-6", "route", "add", "default", "via", "2001:db8:1::1")
        self._wait_settled({"cam": ("198.18.1.1", "2001:db8:1::1"),
                            "peer": ("198.18.1.1", "2001:db8:1::1")})  # fmt: skip

    def probe_from(self, host: str, tries: Sequence[tuple[str, str, int]]) -> list[bool]:
        """From any lab host, try each (kind, address, port) once; which answered."""
        out = self.exec(host, sys.executable, str(HERE / "probe.py"), json.dumps(tries))
        result: list[bool] = json.loads(out.stdout)
        return result

    def start(self, host: str, *argv: str, ready: str = "ready") -> subprocess.Popen[str]:
        """Start a helper inside a host's namespace; wait (bounded) for its first line."""
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, test-made names
            [IP, "netns", "exec", self.ns(host), *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.processes.append(proc)
        line = self.readline(proc)
        if line != ready:
            raise RuntimeError(f"{argv[0]} in {host} said {line!r}, not {ready!r}")
        return proc

    @staticmethod
    def readline(proc: subprocess.Popen[str], timeout: float = STEP_TIMEOUT) -> str:
        """The next line a helper prints, waiting at most ``timeout`` seconds."""
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            raise TimeoutError(f"no answer from {proc.args!r} in {timeout} s")
        return proc.stdout.readline().strip()

    @staticmethod
    def python(script: str, *args: str) -> tuple[str, ...]:
        """The argv that runs one of this directory's helper scripts."""
        return (sys.executable, str(HERE / script), *args)

    def start_echo(self, host: str, *specs: str) -> subprocess.Popen[str]:
        """An echo server on ``PORT/PROTO`` specs inside a host."""
        return self.start(host, sys.executable, str(HERE / "echo_server.py"), *specs)

    def probe(self, tries: Sequence[tuple[str, str, int]]) -> list[bool]:
        """From the camera, try each (kind, address, port) once; which answered."""
        out = self.exec("cam", sys.executable, str(HERE / "probe.py"), json.dumps(tries))
        result: list[bool] = json.loads(out.stdout)
        return result

    def nft(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run nft inside the router."""
        return self.exec("rtr", "nft", *args, check=check)

    def close(self) -> None:
        """Stop the helpers (by PID) and remove the namespaces, whatever state they are in."""
        for proc in self.processes:
            if proc.poll() is None:
                proc.kill()
            try:
                proc.communicate(timeout=STEP_TIMEOUT)
            except subprocess.TimeoutExpired:
                continue
        for host in HOSTS:
            _kill_namespace(self.ns(host))

    def leftovers(self) -> list[str]:
        """Namespaces of this lab that still exist."""
        names = {line.split()[0] for line in ip("netns", "list").stdout.splitlines() if line}
        return sorted(names & {self.ns(h) for h in HOSTS})


def wait_until(condition: Callable[[], bool], limit: float, step: float = 0.2) -> bool:
    """Poll ``condition`` until it holds or ``limit`` seconds pass; whether it held."""
    start = time.monotonic()
    while elapsed_ok(start, limit):
        if condition():
            return True
        time.sleep(step)
    return condition()


def elapsed_ok(start: float, limit: float) -> bool:
    """Whether less than ``limit`` seconds passed since ``start`` (for bounded loops)."""
    return time.monotonic() - start < limit


def connect_from(lab: Lab, host: str, address: str, port: int) -> socket.socket:
    """A TCP socket connected from inside a lab host to ``address:port`` (blocking)."""
    parent, child = socket.socketpair()
    with parent, child:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, test-made names
            [IP, "netns", "exec", lab.ns(host), sys.executable, str(HERE / "fdconnect.py"),
             str(child.fileno()), address, str(port)],
            pass_fds=[child.fileno()],
        )  # fmt: skip
        child.close()
        try:
            parent.settimeout(STEP_TIMEOUT)
            message, fds, _, _ = socket.recv_fds(parent, 64, 1)
        finally:
            proc.wait(timeout=STEP_TIMEOUT)
    if not fds:
        raise ConnectionRefusedError(f"cannot connect to {address}:{port}: {message.decode()}")
    return socket.socket(fileno=fds[0])


@dataclass
class Sshd:
    """An OpenSSH server in the router's namespace, with a config and host key of its own."""

    lab: Lab
    directory: Path
    address: str = ROUTER_HA4
    proc: subprocess.Popen[str] | None = None
    host_key_path: Path | None = None
    """The private host key it was last started with."""

    @property
    def host_key(self) -> str:
        """The public host key it offers (OpenSSH one-line form): what a user pins."""
        assert self.host_key_path is not None, "sshd was never started"
        return self.host_key_path.with_suffix(".pub").read_text().strip()

    def keygen(self, name: str) -> Path:
        """Make an ed25519 key pair in the server's directory; the private key's path."""
        path = self.directory / name
        path.unlink(missing_ok=True)
        subprocess.run(  # noqa: S603 - fixed argv
            [shutil.which("ssh-keygen") or "ssh-keygen", "-q", "-t", "ed25519", "-N", "",
             "-f", str(path)],
            check=True, timeout=STEP_TIMEOUT,
        )  # fmt: skip
        return path

    def start(self, host_key: Path, authorized: Path) -> None:
        """Start sshd (in the foreground, logging to stderr) and wait until it listens."""
        self.host_key_path = host_key
        config = self.directory / "sshd_config"
        config.write_text(
            f"ListenAddress {self.address}\nPort 22\nHostKey {host_key}\n"
            f"AuthorizedKeysFile {authorized}\nPidFile none\nUsePAM no\nStrictModes no\n"
            "PermitRootLogin yes\nPasswordAuthentication yes\nKbdInteractiveAuthentication no\n"
            "MaxAuthTries 3\nLoginGraceTime 20\n"
            # Root's shell on a developer machine may run `pyenv init` from ~/.bashrc for every
            # command (bash reads it when started by sshd at shell level 1); a rehash lock left
            # by a killed session then holds each command. SHLVL=1 makes the session's bash
            # start at level 2, which reads no ~/.bashrc: the commands run as on a router.
            "SetEnv SHLVL=1 PYENV_REHASH_TIMEOUT=1\n"
        )
        # sshd insists on its privilege-separation directory (compiled in).
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        sshd = shutil.which("sshd") or "/usr/sbin/sshd"
        self.proc = subprocess.Popen(  # noqa: S603 - fixed argv, test-made names
            [IP, "netns", "exec", self.lab.ns("rtr"), sshd, "-D", "-e", "-f", str(config)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        self.lab.processes.append(self.proc)
        start = time.monotonic()
        while elapsed_ok(start, STEP_TIMEOUT):
            if self.proc.poll() is not None:
                raise RuntimeError(f"sshd exited: {self.proc.communicate()[1]}")
            listening = self.lab.exec("rtr", "ss", "-Htln", "sport = :22").stdout
            if self.address in listening:
                return
            time.sleep(0.05)
        raise TimeoutError("sshd did not start listening")

    def stop(self) -> None:
        """Stop sshd by its PID."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=STEP_TIMEOUT)
