#!/bin/sh
# Runs the training pipeline (or pytest with "--pytest") in the repository's Python environment, creating it on the
# first run: `.venv` (or VIGIE_VENV) with models/training/requirements.txt installed; reinstalled when that file
# changes. "--setup" only prepares the environment.
set -e
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${VIGIE_VENV:-$ROOT/.venv}"
REQUIREMENTS="$ROOT/models/training/requirements.txt"
STAMP="$VENV/.vigie-requirements"

ensure_venv() {
  want="$(cksum <"$REQUIREMENTS")"
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then return 0; fi
  if [ ! -x "$VENV/bin/python" ]; then
    echo "Python environment: creating $VENV (first run only)" >&2
    if ! python3 -m venv "$VENV"; then
      echo "cannot create the Python environment: install Python 3.11 or later with venv (Debian/Ubuntu: apt-get install python3-venv)" >&2
      exit 1
    fi
  fi
  echo "Python environment: installing models/training/requirements.txt into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$want" >"$STAMP"
}

ensure_venv
export PYTHONPATH="$ROOT/models/training${PYTHONPATH:+:$PYTHONPATH}"
case "$1" in
  --setup) exit 0 ;;
  --pytest)
    shift
    exec "$VENV/bin/python" -m pytest "$ROOT/models/training/tests" "$@"
    ;;
esac
exec "$VENV/bin/python" -m vigie_training "$@"
