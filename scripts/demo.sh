#!/usr/bin/env bash
# The main job on the embedded default: a sample estate, inspected and drawn.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${VENV:-.venv}/bin"
mkdir -p out

"$bin/cloudviz" demo --resources 300 --seed 7 -o out/estate.json
"$bin/cloudviz" inspect out/estate.json
