#!/usr/bin/env bash
# Set up and run the whole test suite against this machine's PostgreSQL and
# Redis (DATABASE_URL / REDIS_URL override the local defaults). Extra
# arguments go to pytest.
. "$(dirname "$0")/_venv.sh" "[dev,eval]"
# The browser tests (tests/web) drive Debian's chromium through Playwright.
# (waits for another apt/dpkg run to release its lock rather than failing)
APT="apt-get -o DPkg::Lock::Timeout=600"
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
.venv/bin/python manage.py spectacular --validate --fail-on-warn --file /dev/null
.venv/bin/pytest "$@"
