#!/usr/bin/env bash
# Create one Python venv per Gradio version under ~/.cache/spacegen/venvs/gradio-<version>.
# Idempotent: a venv holding the marker file .spacegen-ok (written only after a
# successful install + import check) is skipped, so CI can reuse a cached directory.
#
#   scripts/setup-gradio.sh                 # default versions
#   scripts/setup-gradio.sh 5.50.0 4.44.1   # only these
#   SPACEGEN_VENV_ROOT=/somewhere scripts/setup-gradio.sh
set -euo pipefail

ROOT="${SPACEGEN_VENV_ROOT:-$HOME/.cache/spacegen/venvs}"
PYTHON="${SPACEGEN_PYTHON:-python3}"
if [ "$#" -eq 0 ]; then set -- 6.31.0 5.50.0 4.44.1; fi

# Extra requirements some versions need to import and run on current Python / deps.
pins_for() {
  case "$1" in
    4.*)
      # gradio 4.44.1 (checked on Python 3.11):
      #   huggingface_hub<0.26  else ImportError: cannot import name 'HfFolder'
      #   pydantic<2.11         else GET /info is a 500 (TypeError in gradio_client.utils.get_type)
      #   fastapi<0.113 starlette<0.39  else the HTML page / is a 500 (template response API change)
      #   numpy<2.1             precaution only (not shown to be needed)
      echo "huggingface_hub<0.26 pydantic<2.11 fastapi<0.113 starlette<0.39 numpy<2.1"
      ;;
    *) echo "" ;;
  esac
}

mkdir -p "$ROOT"
status=0
for v in "$@"; do
  dir="$ROOT/gradio-$v"
  marker="$dir/.spacegen-ok"
  if [ -f "$marker" ]; then
    echo "gradio $v: cached ($dir)"
    continue
  fi
  echo "gradio $v: installing into $dir"
  (
    set -e
    # Reuse a half-made or hand-made venv (pip install is idempotent); make one if missing.
    [ -x "$dir/bin/python" ] || "$PYTHON" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --upgrade pip
    # shellcheck disable=SC2046
    "$dir/bin/python" -m pip install --quiet "gradio==$v" $(pins_for "$v")
    got="$("$dir/bin/python" -c 'import gradio, sys; sys.stdout.write(gradio.__version__)')"
    if [ "$got" != "$v" ]; then echo "expected gradio $v, imported $got" >&2; exit 1; fi
    {
      echo "gradio=$v"
      echo "pins=$(pins_for "$v")"
      echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } > "$marker"
    "$dir/bin/python" -m pip freeze > "$dir/.spacegen-freeze.txt"
  ) || { echo "gradio $v: FAILED" >&2; status=1; continue; }
  echo "gradio $v: ok"
done
exit $status
