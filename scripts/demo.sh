#!/usr/bin/env bash
# The main job on the embedded default: a sample estate, inspected and drawn.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${VENV:-.venv}/bin"
mkdir -p out

"$bin/cloudviz" demo --resources 300 --seed 7 -o out/estate.json
"$bin/cloudviz" inspect out/estate.json

# Draw it: a self-contained SVG, an interactive page and a picture.
"$bin/cloudviz" render out/estate.json --format svg -o out/estate.svg
"$bin/cloudviz" render out/estate.json --format html -o out/estate.html
"$bin/cloudviz" render out/estate.json --format png -o out/estate.png
