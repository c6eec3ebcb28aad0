#!/usr/bin/env bash
# The end-to-end and differential suites against the older Gradio versions users still meet on Hugging Face.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for version in ${SPACEGEN_COMPAT_VERSIONS:-5.50.0 4.44.1}; do
  echo "== e2e and differential on gradio $version"
  SPACEGEN_GRADIO="$version" npx vitest run test/e2e test/differential --reporter=default --reporter=json \
    --outputFile=".cache/vitest-e2e-$version.json" || status=1
done
exit $status
