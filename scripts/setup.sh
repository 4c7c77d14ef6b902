#!/usr/bin/env bash
# Idempotent set-up from nothing: a virtual environment in .venv with the CPU build of torch, the
# package (editable, so the notebooks and tests see the working tree) and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
stamp=.venv/.landscape_widgets_setup
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  # torch first and pinned: an unpinned `torch` requirement pulls a CUDA build of several GB.
  python -m pip install -q "torch==2.13.0" 2>&1 | grep -v "^WARNING: Location" || true
  python -m pip install -q -e ".[torch,knn,widgets,examples,compare,test,bench]" 2>&1 | grep -v "^WARNING: Location" || true
  python -c "import torch, landscape_widgets" # fail loudly if the install did not take
  echo "$want" > "$stamp"
fi
