#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what it needs (npm packages, the Gradio
# virtual environments, Chromium), then runs every suite and prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .cache
rm -f .cache/vitest-*.json
start=$(date +%s)

set -e
if [ ! -d node_modules ] || [ "${CI:-}" = "true" ]; then npm ci --no-audit --no-fund; fi
bash scripts/setup-gradio.sh 6.31.0 5.50.0 4.44.1
bash scripts/setup-browsers.sh
npm run build
set +e

status=0
echo "== main suite (gradio ${SPACEGEN_GRADIO:-6.31.0})"
npx vitest run --reporter=default --reporter=json --outputFile=.cache/vitest-main.json || status=1
bash scripts/test-compat.sh || status=1

node scripts/summarize-tests.mjs .cache/vitest-*.json || status=1
echo "total time: $(( $(date +%s) - start ))s"
exit $status
