#!/usr/bin/env bash
# Set up and run the whole test suite against this machine's PostgreSQL and
# Redis (DATABASE_URL / REDIS_URL override the local defaults), then again on
# SQLite, the embedded default. Extra arguments go to both pytest runs.
set -euo pipefail
# (waits for another apt/dpkg run to release its lock rather than failing)
APT="apt-get -o DPkg::Lock::Timeout=600"
# The single sign-on tests (tests/sso): python-ldap of the [ldap] extra
# compiles against libldap and libsasl; slapd is their directory server and
# node runs their OpenID provider (oidc-provider, installed by npm ci).
dpkg -s libldap2-dev libsasl2-dev slapd >/dev/null 2>&1 \
  || { $APT update && DEBIAN_FRONTEND=noninteractive $APT install -y \
    libldap2-dev libsasl2-dev slapd; }
{ command -v node && command -v npm; } >/dev/null \
  || { $APT update && DEBIAN_FRONTEND=noninteractive $APT install -y nodejs npm; }
(cd "$(dirname "$0")/../tests/sso/oidc" \
  && { [ node_modules/.package-lock.json -nt package-lock.json ] \
    || npm ci --no-audit --no-fund --loglevel=error; })
. "$(dirname "$0")/_venv.sh" "[dev,eval,ldap]"
# The browser tests (tests/web) drive Debian's chromium through Playwright.
command -v chromium >/dev/null || { $APT update && $APT install -y chromium; }
# The deployment tests (tests/deploy, deploy/local/up) run nginx.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] \
  || { $APT update && DEBIAN_FRONTEND=noninteractive $APT install -y nginx; }
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/model_commons}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python manage.py check --fail-level WARNING
# Production mode must pass Django's deployment checklist without a warning.
HUB_DEBUG=false ALLOWED_HOSTS=hub.example.org \
  SECRET_KEY="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "Model changes without a migration: run manage.py makemigrations" >&2; exit 1; }
.venv/bin/mypy .
# The layers of docs/ARCHITECTURE.md (contracts in pyproject.toml).
.venv/bin/lint-imports
# The OpenAPI schema: drf-spectacular's own checks, then a validator of the
# OpenAPI specification itself, as client generators read it.
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
.venv/bin/python manage.py spectacular --validate --fail-on-warn --file "$SCRATCH/openapi.yaml"
.venv/bin/openapi-spec-validator "$SCRATCH/openapi.yaml"
# The generated Python client must be what this schema generates.
scripts/generate-client.sh --check

echo "== pytest on PostgreSQL ($DATABASE_URL)"
.venv/bin/pytest "$@" --ignore=tests/faults

# The quick subset of the fault suite (tests marked faults_quick) on the
# production topology of deploy/local/up, in one process: its topologies are
# started once for the session (scripts/run-faults.sh runs the whole suite).
echo "== fault suite, quick subset"
HUB_FAULTS=quick .venv/bin/pytest -n 0 -p no:randomly tests/faults

# SQLite, the embedded default (scripts/run-hub.sh): every test that needs no
# PostgreSQL feature (those are marked postgres and skipped) runs again,
# browser and end-to-end tests included (live servers and worker processes
# share the SQLite file: its locking is what they exercise). Left out: what
# does not touch the suite's database, so would only repeat itself, namely
# the production topology (its own PostgreSQL), the embedded hub started by
# run-hub.sh (always SQLite), manifests, nginx in front, benchmarks and the
# fault suite.
echo "== pytest on SQLite"
DATABASE_URL="sqlite:///$SCRATCH/hub.sqlite3" .venv/bin/pytest "$@" \
  --ignore=tests/deploy/test_topology.py --ignore=tests/deploy/test_run_hub.py \
  --ignore=tests/deploy/test_manifests.py --ignore=tests/deploy/nginx \
  --ignore=tests/bench --ignore=tests/faults
