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

# pip, minus this machine's harmless "Location ... is ignored" index warnings; pip's status is kept.
pip_install() {
  python -m pip install -q "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }
  return "${PIPESTATUS[0]}"
}

stamp=.venv/.landscape_widgets_setup
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  pip_install --upgrade pip
  # torch first and pinned: an unpinned `torch` requirement pulls a CUDA build of several GB.
  pip_install "torch==2.13.0"
  # (torch stays pinned while the extras resolve: transformers and torch_geometric must not
  # replace it)
  pip_install -e ".[torch,knn,widgets,plot,examples,compare,trajectories,distributed,test,bench,hf,graphs]" \
    "torch==2.13.0"
  python -c "import torch, landscape_widgets"
  echo "$want" > "$stamp"
fi
