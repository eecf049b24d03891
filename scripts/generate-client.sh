#!/usr/bin/env bash
# Regenerate the /api/v1 Python client (clients/python/model_commons_client)
# from the hub's OpenAPI schema with openapi-python-client.
#   scripts/generate-client.sh          rewrite the package in place
#   scripts/generate-client.sh --check  fail if the committed package is not
#                                       what the current schema generates
# (scripts/run-tests.sh runs --check, so a schema change without a
# regenerated client fails the suite, naming this script.)
set -euo pipefail
export RUFF_NO_CACHE=true
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv/bin"
CLIENT="$ROOT/clients/python"
PACKAGE="model_commons_client"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# The schema does not depend on the database; any settings that load will do.
DATABASE_URL="sqlite:///$WORK/schema.sqlite3" \
  "$VENV/python" manage.py spectacular --file "$WORK/openapi.yaml"
# The post hooks run ruff from PATH: the project's pinned one.
( cd "$WORK" && PATH="$VENV:$PATH" "$VENV/openapi-python-client" generate \
    --path openapi.yaml --meta none --output-path "$WORK/out" \
    --config "$CLIENT/openapi-python-client.yaml" >/dev/null )
# The hooks ran in the output folder without this folder's ruff settings:
# format again with them, so the committed package passes `ruff format --check`.
cp "$CLIENT/pyproject.toml" "$WORK/pyproject.toml"
( cd "$WORK" && "$VENV/ruff" check out --fix-only --quiet \
    && "$VENV/ruff" format out --quiet )
# Typed: mypy users get the generated annotations (PEP 561).
touch "$WORK/out/py.typed"
if [ "${1:-}" = "--check" ]; then
  if ! diff -r -q "$WORK/out" "$CLIENT/$PACKAGE" >/dev/null; then
    diff -r "$WORK/out" "$CLIENT/$PACKAGE" | head -40 >&2 || true
    echo "clients/python is stale: the /api/v1 schema changed. Run scripts/generate-client.sh and commit the result." >&2
    exit 1
  fi
  echo "clients/python matches the /api/v1 schema."
  exit 0
fi
rm -rf "${CLIENT:?}/$PACKAGE"
cp -r "$WORK/out" "$CLIENT/$PACKAGE"
echo "Regenerated $CLIENT/$PACKAGE"
