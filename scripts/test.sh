#!/bin/sh
# `npm test`: unit and integration tests (Vitest), the training pipeline's tests (pytest, in the repository's .venv,
# created on the first run) and the end-to-end tests in Chromium (scripts/test-e2e.sh: skipped with one line where
# no Chromium is found, except in CI). Says at the end what it skipped.
set -e
cd "$(dirname "$0")/.."

echo "== unit and integration tests (vitest)"
npx vitest run

echo "== training pipeline tests (pytest)"
sh models/training/run.sh --pytest -q

echo "== end-to-end tests (playwright)"
status=0
VIGIE_SKIP_CODE=3 sh scripts/test-e2e.sh || status=$?
case "$status" in
  0) echo "npm test: passed; nothing skipped" ;;
  3) echo "npm test: passed; skipped: the end-to-end tests (no Chromium)" ;;
  *) exit "$status" ;;
esac
