#!/bin/sh
# `npm test`: unit and integration tests (Vitest), the training pipeline's tests (pytest, in the repository's .venv,
# created on the first run) and the end-to-end tests in Chromium. Where no Chromium is found the end-to-end tests are
# skipped with one line saying how to get one, except in CI (CI=true), where they are required.
set -e
cd "$(dirname "$0")/.."
skipped=""

echo "== unit and integration tests (vitest)"
npx vitest run

echo "== training pipeline tests (pytest)"
sh models/training/run.sh --pytest -q

echo "== end-to-end tests (playwright)"
if chromium="$(node scripts/find-chromium.mjs)"; then
  VIGIE_CHROMIUM="$chromium" npx playwright test
else
  case "${CI:-}" in
    '' | false | 0)
      echo "end-to-end tests SKIPPED: no Chromium found; install one (Debian/Ubuntu: apt-get install chromium; elsewhere: npx playwright install chromium) or set VIGIE_CHROMIUM=/path/to/chromium"
      skipped="end-to-end tests (no Chromium)"
      ;;
    *)
      echo "end-to-end tests: no Chromium found and CI=${CI} requires them; install chromium or set VIGIE_CHROMIUM=/path/to/chromium" >&2
      exit 1
      ;;
  esac
fi

if [ -n "$skipped" ]; then
  echo "npm test: passed; skipped: $skipped"
else
  echo "npm test: passed; nothing skipped"
fi
