#!/usr/bin/env bash
# `npm test`: typecheck, lint, build the web app, run the React component tests (vitest), then every
# server, integration, emulator and browser test (node:test). node:test runs last so its closing
# summary is the last thing printed. Needs PostgreSQL and Redis (see README) and /usr/bin/chromium.
set -euo pipefail
export NO_COLOR=1
cd "$(dirname "$0")/.."

echo "== typecheck"; npm run -s typecheck
echo "== lint";      npx biome check .
echo "== build";     npm run -s build

echo "== web components (vitest)"
report=$(mktemp)
set +e
npx vitest run --project web --reporter=default --reporter=json --outputFile="$report"
vitest_status=$?
set -e
node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log("vitest: "+r.numPassedTests+" passed, "+r.numFailedTests+" failed")' "$report"
rm -f "$report"
[ "$vitest_status" -eq 0 ] || { echo "vitest failed"; exit "$vitest_status"; }

echo "== server, emulator, integration and browser tests (node:test)"
bash scripts/test-server.sh
