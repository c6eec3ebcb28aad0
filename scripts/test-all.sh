#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what it needs (npm packages, the Gradio
# virtual environments, Chromium), runs the lint, format and dead-code checks, then every suite, and prints
# "checks: …" and "N passed, N failed".
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
# The static checks come first: each one's result and time go to the summary, and a failure fails CI.
: > .cache/checks.txt
for check in lint format:check knip; do
  echo "== npm run $check"
  t0=$(date +%s)
  if npm run --silent "$check"; then result=passed; else result=failed; status=1; fi
  echo "$check $result $(( $(date +%s) - t0 ))s" >> .cache/checks.txt
done

echo "== main suite (gradio ${SPACEGEN_GRADIO:-6.31.0})"
npx vitest run --reporter=default --reporter=json --outputFile=.cache/vitest-main.json || status=1
bash scripts/test-compat.sh || status=1

node scripts/summarize-tests.mjs --checks .cache/checks.txt .cache/vitest-*.json || status=1
echo "total time: $(( $(date +%s) - start ))s"
exit $status
