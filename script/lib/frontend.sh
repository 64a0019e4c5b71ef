# shellcheck shell=bash
# The dashboard cards' toolchain and build (sourced by script/setup after common.sh and newest.sh).
#
# frontend/ holds the cards' TypeScript/Lit sources, package.json and the lockfile, which pins
# every package exactly. The toolchain is installed with `npm ci` from the npm registry into
# the cache, outside the repository, in a directory named by the lockfile's hash, and linked
# as frontend/node_modules (gitignored); the newest leg's root gets a copy, for the test that
# rebuilds the cards and compares. The built file, custom_components/homebound/frontend/
# homebound-card.js, is committed: setup type-checks and rebuilds it only when its sources
# changed (the digest on its first line is not theirs), so a current checkout is left as it is.

: "${repo:?}" "${cache:?}" "${newest_root:?}"  # set by common.sh and newest.sh, sourced first
frontend_dir="$repo/frontend"
frontend_stamp=$(stamp_of "$frontend_dir/package.json" "$frontend_dir/package-lock.json")
frontend_host="$cache/frontend-$frontend_stamp"
frontend_root="$newest_root/opt/homebound/frontend-$frontend_stamp"

frontend_toolchain_ok() {  # frontend_toolchain_ok DIR: DIR holds this lockfile's toolchain
  [ "$(cat "$1/.homebound-stamp" 2>/dev/null)" = "$frontend_stamp" ] \
    && [ -f "$1/node_modules/esbuild/package.json" ] && [ -f "$1/node_modules/lit/package.json" ]
}

frontend_link_ok() { [ "$(readlink "$frontend_dir/node_modules" 2>/dev/null)" = "$frontend_host/node_modules" ]; }

frontend_build_ok() { node "$frontend_dir/build.mjs" --check >/dev/null 2>&1; }

frontend_install() {
  local new="$frontend_host.new"
  say "installing the dashboard cards' toolchain (frontend/package-lock.json) into $frontend_host"
  rm -rf "$new"
  mkdir -p "$new"
  cp "$frontend_dir/package.json" "$frontend_dir/package-lock.json" "$frontend_dir/.npmrc" "$new/"
  # --ignore-scripts: no package runs code at install; esbuild's and TypeScript's binaries come
  # in their platform packages, which the lockfile pins like the rest.
  (cd "$new" && npm ci --no-audit --no-fund --ignore-scripts) >"$cache/npm-frontend.log" 2>&1 \
    || { tail -20 "$cache/npm-frontend.log" >&2; die "npm ci for the cards failed (log: $cache/npm-frontend.log)"; }
  printf '%s' "$frontend_stamp" > "$new/.homebound-stamp"
  rm -rf "$frontend_host"
  mv "$new" "$frontend_host"
}

frontend_link() {
  if [ -e "$frontend_dir/node_modules" ] && [ ! -L "$frontend_dir/node_modules" ]; then
    die "frontend/node_modules is a directory of its own (an npm install there?): move it away, the toolchain lives in $frontend_host"
  fi
  ln -sfn "$frontend_host/node_modules" "$frontend_dir/node_modules"
}

frontend_build() {
  say "building the dashboard cards: frontend/src -> custom_components/homebound/frontend/homebound-card.js"
  "$frontend_host/node_modules/.bin/tsc" --noEmit -p "$frontend_dir/tsconfig.json" \
    || die "the cards' TypeScript does not type-check (errors above)"
  node "$frontend_dir/build.mjs" --toolchain "$frontend_host" || die "building the dashboard cards failed"
}

frontend_copy_to_root() {
  say "copying the cards' toolchain into the newest leg's root"
  rm -rf "$frontend_root.new"
  mkdir -p "$(dirname "$frontend_root")"
  cp -a "$frontend_host" "$frontend_root.new"
  rm -rf "$frontend_root"
  mv "$frontend_root.new" "$frontend_root"
}

frontend_toolchains_ok() {  # frontend_toolchains_ok LEG...: the toolchains these legs need exist
  frontend_toolchain_ok "$frontend_host" || return 1
  local leg
  for leg; do
    if [ "$leg" = newest ]; then frontend_toolchain_ok "$frontend_root" || return 1; fi
  done
}

# frontend_setup LEG...: make what the legs need of the cards. The toolchains are shared by every
# checkout on the machine, so they are made under the exclusive lock; the link and the build
# belong to this checkout alone and need no lock (a test run elsewhere must not hold them up).
frontend_setup() {
  if ! frontend_toolchains_ok "$@"; then
    take_lock exclusive
    frontend_toolchain_ok "$frontend_host" || frontend_install
    local leg
    for leg; do
      if [ "$leg" = newest ] && ! frontend_toolchain_ok "$frontend_root"; then frontend_copy_to_root; fi
    done
    drop_lock
  fi
  frontend_link_ok || frontend_link
  frontend_build_ok || frontend_build
}
