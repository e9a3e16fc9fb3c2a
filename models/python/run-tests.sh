#!/usr/bin/env bash
# Runs the Python model-zoo tests in models/python/.venv, creating the venv from requirements.txt if missing.
# Usage: models/python/run-tests.sh [pytest args...]
# Environment: VENV_DIR (default models/python/.venv), PIP_INDEX_FLAGS (default: the local wheel store).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${VENV_DIR:-$here/.venv}"
index_flags="${PIP_INDEX_FLAGS:---index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple --find-links /opt/wheels}"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "creating $venv" >&2
  python3 -m venv "$venv"
  # shellcheck disable=SC2086  # the flags are meant to split into words
  "$venv/bin/pip" install --quiet $index_flags -r "$here/requirements.txt"
fi

cd "$here"
exec "$venv/bin/python" -m pytest "$@"
