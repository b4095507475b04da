#!/bin/sh
# `npm run test:e2e`: the end-to-end tests in the Chromium scripts/find-chromium.mjs finds. Without one, prints one
# line saying how to get one and exits 0 (skipped), except in CI (CI=true), where the browser tests are required.
# Exit code 3 tells scripts/test.sh that they were skipped.
cd "$(dirname "$0")/.."
if chromium="$(node scripts/find-chromium.mjs)"; then
  VIGIE_CHROMIUM="$chromium" exec npx playwright test "$@"
fi
case "${CI:-}" in
  '' | false | 0)
    echo "end-to-end tests SKIPPED: no Chromium found; install one (Debian/Ubuntu: apt-get install chromium; elsewhere: npx playwright install chromium) or set VIGIE_CHROMIUM=/path/to/chromium"
    exit "${VIGIE_SKIP_CODE:-0}"
    ;;
  *)
    echo "end-to-end tests: no Chromium found, and CI=${CI} requires them; install chromium or set VIGIE_CHROMIUM=/path/to/chromium" >&2
    exit 1
    ;;
esac
