#!/usr/bin/env bash
# Start every test app on every given Gradio version and record what it serves with
# scripts/observe.mjs into test/goldens/<version>/<app>/ (what tests read) and test/evidence/<version>/<app>/.
#   scripts/observe-all.sh                       # all apps, 6.31.0 5.50.0 4.44.1
#   APPS="basic chat" scripts/observe-all.sh 6.31.0
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="${SPACEGEN_VENV_ROOT:-$HOME/.cache/spacegen/venvs}"
APPS="${APPS:-basic media chat stateful api errors_hidden}"
if [ "$#" -eq 0 ]; then set -- 6.31.0 5.50.0 4.44.1; fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
status=0
for v in "$@"; do
  py="$ROOT/gradio-$v/bin/python"
  [ -x "$py" ] || { echo "no venv for $v (run scripts/setup-gradio.sh $v)" >&2; status=1; continue; }
  for app in $APPS; do
    port=$(free_port); tmp=$(mktemp -d); log="$tmp/app.log"
    GRADIO_SERVER_NAME=127.0.0.1 GRADIO_SERVER_PORT=$port GRADIO_ANALYTICS_ENABLED=False \
      GRADIO_TEMP_DIR="$tmp/gradio" HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 PYTHONUNBUFFERED=1 \
      setsid "$py" "test/apps/$app.py" > "$log" 2>&1 &
    pid=$!
    ok=0
    for _ in $(seq 180); do
      if curl -sf "http://127.0.0.1:$port/config" > /dev/null; then ok=1; break; fi
      kill -0 $pid 2>/dev/null || break
      sleep 0.5
    done
    if [ $ok = 1 ]; then
      node scripts/observe.mjs "http://127.0.0.1:$port" "$app" || { echo "observe failed: $v $app" >&2; status=1; }
    else
      echo "app did not start: $v $app" >&2; tail -20 "$log" >&2; status=1
    fi
    kill -TERM -- -$pid 2>/dev/null; sleep 0.5; kill -KILL -- -$pid 2>/dev/null
    wait $pid 2>/dev/null
    rm -rf "$tmp"
  done
done
exit $status
