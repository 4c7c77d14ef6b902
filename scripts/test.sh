#!/usr/bin/env bash
# Set up from nothing, then run every test: lint, the JS unit tests, the Python suite (compute,
# topology, widgets), the real-browser tests (Debian Chromium) and the executed notebooks.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate

# Real-browser widget tests need Chromium; no browser download is possible, so take Debian's.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; browser tests will fail under CI"
  else
    echo "warning: chromium missing and not root; browser tests will fail under CI"
  fi
fi

# The JS bundle is committed (pip and Binder need no Node); rebuild it and run vitest when npm exists,
# and fail if the committed bundle is stale.
if [ -f js/package.json ] && command -v npm >/dev/null 2>&1; then
  # `npm install` (not `npm ci`): npm 11 here rejects lock files without every platform's optional
  # packages; install still follows the committed lock file and leaves it unchanged.
  (cd js && npm install --no-audit --no-fund --loglevel=error && npm run --silent build && npm test --silent)
  if ! git diff --quiet -- landscape_widgets/static 2>/dev/null; then
    echo "error: landscape_widgets/static is stale: run 'cd js && npm run build' and commit" >&2
    exit 1
  fi
fi

ruff check landscape_widgets tests benchmarks scripts
# Checked contracts: the package type-checks (basic mode; the lazy exports typed by __init__.pyi).
pyright --pythonpath "$(command -v python)" landscape_widgets
# Two pytest workers on two cores: one BLAS/OpenMP thread each, else torch's thread pools fight
# and small tensor operations slow down by orders of magnitude.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
python -m pytest -n 2 "$@"
# Every docstring example runs as written.
python -m pytest -q --doctest-modules landscape_widgets
# The tutorials, executed at CI sizes (LW_CI=1 lowers the parameters cell's sizes). One at a time:
# two workers starting kernels at once can pick the same free TCP port (jupyter_client chooses
# ports before the kernel binds them), which once failed a clean CI run with "Address already
# in use" / "Kernel died before replying to kernel_info".
LW_CI=1 python -m pytest --nbmake --nbmake-timeout=900 notebooks/
