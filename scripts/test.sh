#!/usr/bin/env bash
# The whole test suite: lint, types, then pytest against the local services.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
venv="${VENV:-.venv}"

"$venv/bin/ruff" check src tests benchmarks scripts
"$venv/bin/ruff" format --check src tests benchmarks scripts
"$venv/bin/mypy"

# pytest exits 5 when it collects nothing; that must fail, and it does here.
"$venv/bin/pytest" -n 2 -q "$@"
