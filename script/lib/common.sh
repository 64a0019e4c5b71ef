# shellcheck shell=bash
# Shared by script/setup, script/test, script/demo and script/bench (sourced, not run).
#
# The two test legs:
#   oldest  Home Assistant 2026.2.3 on Python 3.13, in .venv (Python built once into the cache
#           when the machine has none)
#   newest  Home Assistant 2026.10.4 on Python 3.14, in a Debian sid root kept in the cache and
#           entered with chroot inside a private mount namespace (script/lib/newest.sh)
# The pins of each leg are in requirements_<leg>.txt; what both share is in requirements_test.txt.

# shellcheck disable=SC2034 # repo and legs_all are read by the scripts that source this file
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# HOME can be unset (cron, `env -i`): `set -u` would end the script at the first use.
: "${HOME:=$(cd ~ && pwd)}"
cache="${HOMEBOUND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/homebound}"
# Absolute, from where the command was typed: every script changes to the repository next.
cache=$(realpath -m -- "$cache")
# shellcheck disable=SC2034
legs_all=(oldest newest)

say() { printf '==> %s\n' "$*"; }
die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# pip, without the warnings this machine's pip configuration prints for every package.
pipq() { "$@" 2>&1 | { grep -v -e 'is ignored: it is neither a file nor a directory' || true; }; return "${PIPESTATUS[0]}"; }

stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

check_leg() {  # check_leg NAME: dies unless NAME is a test leg
  case "$1" in oldest|newest) ;; *) die "unknown test leg '$1' (oldest or newest)";; esac
}

# --- one run at a time ----------------------------------------------------------------------
# script/setup rebuilds virtual environments and the newest leg's root; a test run started
# meanwhile would find them half-made (or deleted under it). Setup holds the lock exclusively,
# a test, demo or benchmark run holds it shared for as long as it uses them.
lock_file="$cache/.lock"

take_lock() {  # take_lock exclusive|shared
  mkdir -p "$cache"
  exec 9>>"$lock_file"
  local mode=-x
  [ "$1" = shared ] && mode=-s
  if ! flock -n "$mode" 9; then
    say "waiting for another Homebound setup or test run to finish (lock: $lock_file)"
    flock "$mode" 9
  fi
}

drop_lock() { flock -u 9 2>/dev/null || true; }
