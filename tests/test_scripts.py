"""The shell scripts a fresh machine runs first: their functions, called one by one in bash.

CI's machine is never fresh (its cache holds the built Python and the newest leg's root), so
the paths only a fresh machine takes — building CPython, a first cache, an unset ``HOME`` —
are exercised here, with the expensive step replaced by a stand-in. ``script/setup`` defines
its functions and returns when it is sourced; nothing is installed or built by these tests.
"""

from __future__ import annotations

import os
from pathlib import Path
import shutil
import subprocess

from devtools.demo import build_parser

REPO = Path(__file__).resolve().parent.parent
BASH = shutil.which("bash") or "/bin/bash"


def _bash(
    script: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a fresh bash, with ``REPO`` set; output captured."""
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd), "REPO": str(REPO)}
    return subprocess.run(  # noqa: S603 - bash with our own script text
        [BASH, "-c", script],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_failed_build_step_stops_the_build_and_removes_its_work(tmp_path: Path) -> None:
    """Every step of building CPython runs under ``set -e``: the first failure ends the run,
    the work directory is gone, and nothing after the failed step ran. (Tested with ``||``
    after its subshell, bash switched ``set -e`` off inside, and the build ran on.)"""
    work_file, ran_on = tmp_path / "work", tmp_path / "ran-on"
    result = _bash(
        f"""
        set --
        source "$REPO/script/setup"
        build_python_in() {{ printf '%s' "$1" > {work_file}; false; : > {ran_on}; }}
        build_python
        echo "build_python returned"
        """,
        tmp_path,
        {"HOMEBOUND_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode != 0, result.stdout + result.stderr
    assert "build_python returned" not in result.stdout
    assert not ran_on.exists(), "a step ran after the one that failed"
    work = Path(work_file.read_text())
    assert work.is_absolute()
    assert not work.exists(), "the work directory outlived the failed build"


def test_a_build_leaves_no_trap_behind(tmp_path: Path) -> None:
    """After a successful build, returning from the function that called it must not run the
    build's clean-up again (a RETURN trap did, with ``work`` out of scope, and ``set -u``
    ended the first setup on every machine that had no Python 3.13)."""
    work_file = tmp_path / "work"
    result = _bash(
        f"""
        set --
        source "$REPO/script/setup"
        build_python_in() {{ printf '%s' "$1" > {work_file}; }}
        py_ok() {{ return 0; }}
        prepare() {{ build_python; echo "built"; }}
        prepare
        echo "setup went on"
        """,
        tmp_path,
        {"HOMEBOUND_CACHE": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "setup went on" in result.stdout
    assert not Path(work_file.read_text()).exists()


def test_the_cache_is_an_absolute_path_from_where_the_command_was_typed(tmp_path: Path) -> None:
    """``HOMEBOUND_CACHE=relative script/setup`` means relative to the caller's directory,
    though every script changes to the repository; an unset ``HOME`` is no error."""
    (tmp_path / "here").mkdir()
    result = _bash(
        'source "$REPO/script/lib/common.sh"; cd "$repo"; printf "%s" "$cache"',
        tmp_path / "here",
        {"HOMEBOUND_CACHE": "fresh-cache"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == str(tmp_path / "here" / "fresh-cache")
    result = _bash(
        'set -u; unset HOME XDG_CACHE_HOME; source "$REPO/script/lib/common.sh"; '
        'printf "%s" "$cache"',
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("/.cache/homebound")
    assert result.stdout.startswith("/")


def _run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [str(REPO / "script" / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_demo_help_lists_every_option_without_preparing_anything(tmp_path: Path) -> None:
    """``script/demo --help`` names ``--ha`` (which the script itself reads) and every option
    the demo program takes, and answers at once: setup does not run first."""
    result = _run("demo", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "==>" not in result.stdout
    options = {
        option
        for action in build_parser()._actions
        for option in action.option_strings
        if option.startswith("--") and option != "--help"
    }
    assert {"--check", "--port", "--screenshots"} <= options
    missing = sorted(option for option in {*options, "--ha"} if option not in result.stdout)
    assert not missing, result.stdout


def test_bench_help_lists_its_options(tmp_path: Path) -> None:
    result = _run("bench", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for word in ("--leg", "--json", "--compare", "--quick", "cameras", "events", "firewall"):
        assert word in result.stdout


BENCH_RUNNER = """
set -- {args}
source "$REPO/script/bench"
start_leg() {{ :; }}
# The newest leg's Python sees only the repository: every path it gets must be inside it.
run_bench() {{
  printf '%s\\n' "$@" > {record}
  local arg next=""
  for arg in "$@"; do
    case "$arg" in
      "$repo"/*) ;;
      /*) echo "outside: $arg" >&2; exit 3 ;;
    esac
    if [ "$next" = json ]; then printf '{{"figures": 1}}\\n' > "$arg"; fi
    if [ "$next" = compare ] && [ -f "$arg" ]; then cat "$arg"; fi
    case "$arg" in
      --json) next=json ;;
      --compare) next=compare ;;
      *) [ "$next" = json ] && next="" ;;
    esac
  done
  return 0
}}
main
"""


def test_bench_files_outside_the_repository_reach_the_newest_leg(tmp_path: Path) -> None:
    """``script/bench --json FILE`` and ``--compare OLD NEW`` with files anywhere: the newest
    leg's root sees only the repository, so they are handed over through it, and the figures
    land where the user asked, relative to where the command was typed. (The figures file used
    to fail with FileNotFoundError after every table had run.)"""
    record = tmp_path / "args"
    result = _bash(
        BENCH_RUNNER.format(args="--leg newest --quick --json figures.json", record=record),
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "figures.json").read_text() == '{"figures": 1}\n'
    passed = record.read_text().splitlines()
    assert passed[:2] == ["--quick", "--json"]
    assert passed[2].startswith(str(REPO / ".bench-files"))
    assert not Path(passed[2]).parent.exists(), "the hand-over directory was left behind"

    for index, name in enumerate(("old", "new")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "figures.json").write_text(f"{index}\n")
    result = _bash(
        BENCH_RUNNER.format(
            args="--leg newest --compare old/figures.json new/figures.json", record=record
        ),
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "0\n1\n"
    passed = record.read_text().splitlines()
    assert [Path(p).name for p in passed[1:]] == ["figures.json", "figures.json"]

    result = _bash(
        BENCH_RUNNER.format(args="--leg newest --json missing/figures.json", record=record),
        tmp_path,
    )
    assert result.returncode != 0
    assert "no directory" in result.stderr


def test_bench_files_on_the_oldest_leg_are_passed_as_they_are(tmp_path: Path) -> None:
    record = tmp_path / "args"
    result = _bash(
        BENCH_RUNNER.format(args="--leg oldest --json figures.json", record=record).replace(
            "exit 3", ":"
        ),
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert record.read_text().splitlines() == ["--json", str(tmp_path / "figures.json")]
    assert (tmp_path / "figures.json").is_file()


def test_files_given_to_the_newest_leg_are_replaced_in_one_rename(tmp_path: Path) -> None:
    """The CA bundle and resolv.conf are copied into the root on every entry, while other runs
    read them: the copy goes beside the file and is renamed over it, so a reader sees the old
    file or the new one, never half of one (a half-copied bundle failed Home Assistant's start
    with "ssl.SSLError: PEM lib"); a failed copy leaves nothing behind."""
    target = tmp_path / "ca.crt"
    target.write_text("old\n")
    inode = target.stat().st_ino
    (tmp_path / "new.crt").write_text("new\n")
    script = (
        'source "$REPO/script/lib/common.sh"; source "$REPO/script/lib/newest.sh"; '
        'install_file "$1" "$2"'
    )
    result = _bash(f"set -- {tmp_path}/new.crt {target}; {script}", tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_text() == "new\n"
    assert target.stat().st_ino != inode, "rewritten in place, not replaced"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca.crt", "new.crt"]
    result = _bash(f"set -- {tmp_path}/missing.crt {target}; {script}", tmp_path)
    assert result.returncode != 0
    assert "cannot copy" in result.stderr
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ca.crt", "new.crt"]
