# Shared by run-hub.sh and run-tests.sh: create .venv and install the project.
# Usage: . scripts/_venv.sh EXTRAS   (EXTRAS is "" or "[dev]")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Model Commons needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last install that
# brought these extras (or more: "[dev,eval]" serves "[eval]" and "").
STAMP=".venv/.installed$1"
installed() {
  local stamp have want
  for stamp in .venv/.installed*; do
    [ -f "$stamp" ] && [ ! pyproject.toml -nt "$stamp" ] || continue
    have=",${stamp#.venv/.installed}," have="${have//[\[\]]/}"
    for want in $(echo "$1" | tr -d '[]' | tr ',' ' '); do
      [[ "$have" == *",$want,"* ]] || continue 2
    done
    return 0
  done
  return 1
}
if ! installed "$1"; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".$1"
  # The tests use the generated /api/v1 client (clients/python) as users do.
  case "$1" in *dev*) .venv/bin/python -m pip install --quiet -e ./clients/python ;; esac
  touch "$STAMP"
fi
