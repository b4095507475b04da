#!/bin/sh
# Runs the training pipeline (or pytest with "--pytest") with the repository's .venv when there is one.
set -e
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="$ROOT/.venv/bin/python"
[ -x "$PYTHON" ] || PYTHON=python3
export PYTHONPATH="$ROOT/models/training${PYTHONPATH:+:$PYTHONPATH}"
if [ "$1" = "--pytest" ]; then
  shift
  exec "$PYTHON" -m pytest "$ROOT/models/training/tests" "$@"
fi
exec "$PYTHON" -m vigie_training "$@"
