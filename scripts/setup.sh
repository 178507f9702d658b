#!/usr/bin/env bash
# Prepare this checkout: system packages, then a virtualenv with CloudViz.
#
#   scripts/setup.sh run    what `cloudviz` needs to run (extras: all)
#   scripts/setup.sh dev    plus everything the test suite needs (extras: dev)
#
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:-run}"
venv="${VENV:-.venv}"
python="${PYTHON:-python3}"

system_packages=(libcairo2 fonts-dejavu-core)
if [ "$profile" = "dev" ]; then
    system_packages+=(graphviz chromium)
fi

missing=()
for package in "${system_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
        || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "setup: installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "setup: please install these system packages: ${missing[*]}" >&2
    fi
fi

if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
extras="all"
[ "$profile" = "dev" ] && extras="dev"
stamp="$venv/.cloudviz-$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    "$venv/bin/pip" install -q --upgrade pip
    "$venv/bin/pip" install -q -e ".[$extras]"
    touch "$stamp"
fi

if [ "$profile" = "dev" ] && [ -f package.json ]; then
    if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
        PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
    fi
fi
