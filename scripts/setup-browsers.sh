#!/usr/bin/env bash
# Idempotent setup for the browser/runtime part of the e2e suite.
#  - Chromium from Debian (apt-get update + install only when /usr/bin/chromium is missing).
#  - Checks that the npm install provided node_modules/.bin/bun and node_modules/.bin/deno
#    (they come from the registry packages in package.json; nothing is downloaded here).
# Run after `npm ci`. Exit status 1 if something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0

if [ -x /usr/bin/chromium ]; then
  echo "chromium: present ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
else
  echo "chromium: installing from Debian"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium > /dev/null
  [ -x /usr/bin/chromium ] && echo "chromium: ok" || { echo "chromium: install failed" >&2; status=1; }
fi

for tool in bun deno; do
  if [ -x "node_modules/.bin/$tool" ]; then
    echo "$tool: $("node_modules/.bin/$tool" --version 2>/dev/null | head -1)"
  else
    echo "$tool: missing (node_modules/.bin/$tool); add the npm package to package.json and run npm ci" >&2
    status=1
  fi
done
exit $status
