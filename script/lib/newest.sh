# shellcheck shell=bash
# The "newest" test leg: Home Assistant on Python 3.14 in a Debian sid root (sourced, not run).
#
# Debian 12 has no Python 3.14 and none can be built here, but sid's binary packages are served:
# debootstrap makes a minimal sid root in the cache, outside the repository, and everything of
# this leg runs inside it with chroot (facts: ../shared/reference/BOOTSTRAP.md).
#
# Every command runs in a private mount namespace (unshare --mount): the mounts the root needs
# (itself, proc, sys, dev, a fresh /run and /tmp, the repository at its own path) exist only in
# that namespace and vanish with its last process, on every exit path, Ctrl-C and kill included.
# Nothing is mounted on the host, so nothing can be left mounted there.

: "${repo:?}" "${cache:?}"  # set by common.sh, sourced first

newest_root="$cache/newest-root"
# The root is shared by every checkout on the machine (worktrees, CI's fresh clone), whose
# requirement files may differ: each set of requirements gets its own environment in the root,
# named by their hash, so checkouts never rebuild each other's (script/setup keeps the newest few).
# shellcheck disable=SC2034 # this and the next two are read by the scripts that source this
newest_venv="/opt/homebound/venv-$(stamp_of "$repo/requirements_test.txt" "$repo/requirements_newest.txt")"
# shellcheck disable=SC2034
newest_peer_venv="/opt/homebound/ipycam-$(stamp_of "$repo/requirements_ipycam.txt")"
# shellcheck disable=SC2034
newest_keep=3
newest_suite=sid
# Packages inside the root: the interpreter, and what the tests need (as on the host).
newest_debs=(
  python3.14 python3.14-venv ca-certificates git
  ffmpeg libturbojpeg0
  python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0
  gstreamer1.0-rtsp gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad gstreamer1.0-x
  nftables iproute2 conntrack openssh-server openssh-client
)
newest_root_stamp=$(printf '%s\n' "$newest_suite" "${newest_debs[@]}" | sha256sum | cut -c1-16)
# Packages added to a made root, each installed when missing, without a rebuild: the root is
# shared by every checkout on the machine, and a change of newest_debs (the stamp above) would
# make checkouts with the old and the new list rebuild it in turn. A checkout that lacks this
# list leaves them installed. The demo's screenshots: Debian's Chromium, Node.js for
# playwright-core (installed by script/setup into /opt/homebound in the root); a compiler and
# Python's headers for the packages of Home Assistant's own that have no wheel for 3.14;
# iptables, whose -restore --test checks the exported rules.
newest_added_debs=(chromium nodejs g++ python3.14-dev iptables)

newest_missing_added() {  # the packages of newest_added_debs the root lacks, one a line
  local p
  for p in "${newest_added_debs[@]}"; do
    # shellcheck disable=SC2016 # dpkg-query's own format, not a shell expansion
    chroot "$newest_root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null \
      | grep -q "install ok installed" || printf '%s\n' "$p"
  done
}

newest_add_debs() {  # install what newest_missing_added names
  local -a missing
  mapfile -t missing < <(newest_missing_added)
  ((${#missing[@]})) || return 0
  say "installing into the newest leg's root: ${missing[*]}"
  newest_run sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${missing[*]}" \
    >"$cache/root-apt-added.log" 2>&1 \
    || { tail -20 "$cache/root-apt-added.log" >&2; die "apt-get inside the root failed (log: $cache/root-apt-added.log)"; }
  newest_run apt-get clean >/dev/null 2>&1 || true
}

archive_address() {  # the Debian archive this machine's apt already uses
  local src
  src=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$src" ] || src=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$src" ] || die "cannot find the Debian archive address in the apt configuration"
  printf '%s\n' "$src"
}

install_file() {  # install_file SOURCE TARGET: TARGET replaced atomically by a copy of SOURCE
  local temp
  temp=$(mktemp "$2.XXXXXX") || die "cannot write beside $2"
  if cp -- "$1" "$temp" && chmod 0644 "$temp" && mv -f -- "$temp" "$2"; then
    return 0
  fi
  rm -f -- "$temp"
  die "cannot copy $1 to $2"
}

# Run a command inside a root: newest_exec ROOT COMMAND...
# The working directory is the repository (bind-mounted at its own path, so paths read alike
# inside and out); HOMEBOUND_* variables and a few more pass through, nothing else of the host's
# environment does (its pip settings name files that exist only on the host).
newest_exec() {
  local root=$1
  shift
  local -a pass=(LANG=C.UTF-8 HOME=/root TERM="${TERM:-dumb}"
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
    DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1
    PIP_CERT=/etc/ssl/homebound-host-ca.crt SSL_CERT_FILE=/etc/ssl/homebound-host-ca.crt
    REQUESTS_CA_BUNDLE=/etc/ssl/homebound-host-ca.crt)
  local name
  while IFS= read -r name; do
    pass+=("$name=${!name}")
  done < <(compgen -e | grep -E '^(HOMEBOUND_|PYTEST_ADDOPTS$|FORCE_COLOR$|NO_COLOR$)' || true)
  # The registries are reached through a proxy with its own CA, which can differ per machine:
  # give the root the host's bundle on every entry. Replaced in one rename, never rewritten in
  # place: a run already inside the root reads these files while another enters (a half-copied
  # bundle failed Home Assistant's start with "ssl.SSLError: PEM lib").
  install_file /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/homebound-host-ca.crt"
  [ ! -e /etc/resolv.conf ] || install_file /etc/resolv.conf "$root/etc/resolv.conf"
  # A git worktree keeps its repository elsewhere: make that visible inside too (read-only).
  local gitdir
  gitdir=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
  case "$gitdir" in "$repo"/*|"") gitdir=- ;; esac
  unshare --mount --propagation private -- \
    bash "$repo/script/lib/enter-root" "$root" "$repo" "$gitdir" env -i "${pass[@]}" "$@"
}

newest_run() { newest_exec "$newest_root" "$@"; }

newest_root_ok() {  # the root exists, was made from today's package list, and its Python works
  [ "$(cat "$newest_root/.homebound-stamp" 2>/dev/null)" = "$newest_root_stamp" ] || return 1
  chroot "$newest_root" /usr/bin/python3.14 -c 'import ssl, sqlite3, lzma, bz2, ctypes, zlib' \
    >/dev/null 2>&1
}

remove_root() {  # remove_root DIR: delete a root, refusing while anything is mounted below it
  local dir=$1
  [ -e "$dir" ] || return 0
  if awk -v d="$dir" '$5 == d || index($5, d "/") == 1 {found=1} END {exit !found}' \
      /proc/self/mountinfo; then
    die "$dir has mounts below it (from another tool?); unmount them first"
  fi
  rm -rf --one-file-system "$dir"
}

newest_build_root() {
  local new="$newest_root.new" archive
  archive=$(archive_address)
  command -v debootstrap >/dev/null 2>&1 || {
    say "installing debootstrap"
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null \
      || die "apt-get install debootstrap failed"
  }
  remove_root "$new"
  say "making a Debian $newest_suite root for the newest leg (about 2 minutes): $newest_root"
  debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates \
    "$newest_suite" "$new" "$archive" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; die "debootstrap failed (log: $cache/debootstrap.log)"; }
  # The archive is a frozen snapshot: its Release files are past their Valid-Until date.
  printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n' \
    > "$new/etc/apt/apt.conf.d/99homebound"
  cp /etc/hosts "$new/etc/hosts"
  say "installing the Debian packages the tests need into the root"
  newest_exec "$new" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${newest_debs[*]}" \
    >"$cache/root-apt.log" 2>&1 \
    || { tail -20 "$cache/root-apt.log" >&2; die "apt-get inside the root failed (log: $cache/root-apt.log)"; }
  newest_exec "$new" apt-get clean >/dev/null 2>&1 || true
  printf '%s' "$newest_root_stamp" > "$new/.homebound-stamp"
  remove_root "$newest_root"
  mv "$new" "$newest_root"
}
