#!/usr/bin/env bash
# Set up and run Model Commons on this machine: virtualenv, install, migrate,
# a demo account with a fresh write token, the web server on 127.0.0.1:8000
# and a Celery worker. With no DATABASE_URL / REDIS_URL / HUB_BLOB_ROOT set it
# runs embedded: SQLite and blobs under var/, and a broker on the filesystem.
. "$(dirname "$0")/_venv.sh" "[eval]"
PY=.venv/bin/python
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py hub_demo
HOST="${HUB_HOST:-127.0.0.1}"
PORT="${HUB_PORT:-8000}"
.venv/bin/celery -A workers worker --loglevel INFO --concurrency 2 \
  --queues default,validation --beat --schedule var/celerybeat-schedule &
WORKER=$!
# Evaluations: one sandboxed run at a time (README, "Evaluations and leaderboard").
.venv/bin/celery -A workers worker --loglevel INFO --concurrency 1 \
  --prefetch-multiplier 1 --queues eval --hostname "eval@%h" &
EVAL_WORKER=$!
trap 'kill $WORKER $EVAL_WORKER 2>/dev/null; wait $WORKER $EVAL_WORKER 2>/dev/null' EXIT INT TERM
echo "Model Commons: http://$HOST:$PORT/  (Ctrl-C stops the hub and its worker)"
$PY manage.py runserver "$HOST:$PORT" --noreload
