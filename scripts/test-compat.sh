#!/usr/bin/env bash
# The end-to-end and differential suites against the older Gradio versions users still meet on Hugging Face,
# then the end-to-end suite once more on every version with each call forced through the /call transport (the
# runs before use each module's default, the queue transport, since e2e modules are generated from the live app).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for version in ${SPACEGEN_COMPAT_VERSIONS:-5.50.0 4.44.1}; do
  echo "== e2e and differential on gradio $version"
  SPACEGEN_GRADIO="$version" npx vitest run test/e2e test/differential --reporter=default --reporter=json \
    --outputFile=".cache/vitest-e2e-$version.json" || status=1
done
for version in ${SPACEGEN_CALL_VERSIONS:-6.31.0 5.50.0 4.44.1}; do
  echo "== e2e on gradio $version, transport call"
  SPACEGEN_GRADIO="$version" SPACEGEN_E2E_TRANSPORT=call npx vitest run test/e2e --reporter=default --reporter=json \
    --outputFile=".cache/vitest-e2e-call-$version.json" || status=1
done
exit $status
