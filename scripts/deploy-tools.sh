#!/bin/sh
# Creates or reuses .venv-deploy (VIGIE_DEPLOY_VENV) with deploy/requirements.txt; prints its bin folder.
set -e
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${VIGIE_DEPLOY_VENV:-$ROOT/.venv-deploy}"
REQUIREMENTS="$ROOT/deploy/requirements.txt"
want="$(cksum <"$REQUIREMENTS")"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.vigie-requirements" 2>/dev/null)" != "$want" ]; then
  echo "deploy tools: installing deploy/requirements.txt into $VENV" >&2
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" >&2 || {
    echo "cannot create $VENV: install Python 3 with venv (Debian/Ubuntu: apt-get install python3-venv)" >&2
    exit 1
  }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS" >&2
  echo "$want" >"$VENV/.vigie-requirements"
fi
echo "$VENV/bin"
