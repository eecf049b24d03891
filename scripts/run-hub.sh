#!/usr/bin/env bash
# Set up and run Model Commons on this machine: virtualenv, install, migrate,
# a demo account with a fresh write token, the web server on 127.0.0.1:8000
# and a Celery worker. With no DATABASE_URL / REDIS_URL / HUB_BLOB_ROOT set it
# runs embedded: SQLite and blobs under var/, and a broker on the filesystem.
#
# Served the way a hub is kept running: gunicorn (deploy/gunicorn.conf.py),
# DEBUG off, static files from whitenoise, the hub's own error pages.
# HUB_DEBUG=true gives Django's debug pages instead (development only).
. "$(dirname "$0")/_venv.sh" "[eval]"
PY=.venv/bin/python
HOST="${HUB_HOST:-127.0.0.1}"
PORT="${HUB_PORT:-8000}"
VAR="${HUB_VAR_DIR:-$PWD/var}"
mkdir -p "$VAR"
export HUB_DEBUG="${HUB_DEBUG:-false}"
# Plain HTTP on this machine; behind a TLS proxy set HUB_HTTPS=true.
export HUB_HTTPS="${HUB_HTTPS:-false}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$HOST,127.0.0.1,localhost,[::1]}"
export HUB_PUBLIC_URL="${HUB_PUBLIC_URL:-http://$HOST:$PORT}"
export HUB_LOG_FORMAT="${HUB_LOG_FORMAT:-text}"
if [ -z "${SECRET_KEY:-}${SECRET_KEY_FILE:-}" ]; then
  # One key per installation, kept with its data: sign-ins survive restarts.
  if [ ! -s "$VAR/secret-key" ]; then
    (umask 077 && $PY -c 'import secrets; print(secrets.token_urlsafe(50))' \
      >"$VAR/secret-key")
  fi
  export SECRET_KEY_FILE="$VAR/secret-key"
fi
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py hub_demo
.venv/bin/celery -A workers worker --loglevel INFO --concurrency 2 \
  --queues default,validation --beat --schedule "$VAR/celerybeat-schedule" &
WORKER=$!
# Evaluations: one sandboxed run at a time (README, "Evaluations and leaderboard").
.venv/bin/celery -A workers worker --loglevel INFO --concurrency 1 \
  --prefetch-multiplier 1 --queues eval --hostname "eval@%h" &
EVAL_WORKER=$!
echo "Model Commons: http://$HOST:$PORT/  (Ctrl-C stops the hub and its worker)"
# No control socket: its default path is shared by every gunicorn of the user.
HUB_BIND="$HOST:$PORT" .venv/bin/gunicorn -c deploy/gunicorn.conf.py \
  --no-control-socket hub.wsgi:application &
WEB=$!
# Ctrl-C or a TERM to this script stops all three.
trap 'kill $WEB $WORKER $EVAL_WORKER 2>/dev/null || true
      wait $WEB $WORKER $EVAL_WORKER 2>/dev/null || true' EXIT INT TERM
wait $WEB
