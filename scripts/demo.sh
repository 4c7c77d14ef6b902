#!/usr/bin/env bash
# Set up from nothing, then run the demo: a real model's landscape, its topology summary, and the
# linked explorer as a standalone HTML file (pass --lab to open it in JupyterLab instead).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
python -m landscape_widgets demo "$@"
