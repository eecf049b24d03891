#!/usr/bin/env bash
# The whole fault suite (tests/faults) on the deployed topology of
# deploy/local/up: nginx, gunicorn, Celery workers, PostgreSQL, Redis and an
# S3 server of its own, each fault followed by hub_fsck --invariants.
# HUB_FAULTS=full runs every fault test (CI runs the quick subset only,
# those marked faults_quick). Extra arguments go to pytest, e.g.
#   scripts/run-faults.sh -k redis        scripts/run-faults.sh -x -v
#   scripts/run-faults.sh tests/faults/test_data_outages.py   (those files only)
# HUB_TOPOLOGY_LOGS=DIR keeps each topology's service logs in DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
APT="apt-get -o DPkg::Lock::Timeout=600"
need() { # need COMMAND PACKAGE [PATH]: install PACKAGE when COMMAND is missing
  command -v "$1" >/dev/null || { [ -n "${3:-}" ] && [ -x "$3" ]; } \
    || { $APT update && DEBIAN_FRONTEND=noninteractive $APT install -y "$2"; }
}
need nginx nginx /usr/sbin/nginx
need redis-server redis-server
# The clock-skew tests run a worker under libfaketime (skipped without it).
need faketime faketime
need pg_ctl postgresql "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)"
# deploy/local/topology.py finds initdb and pg_ctl on the PATH.
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
[ -n "$PGBIN" ] && export PATH="$PATH:$PGBIN"
. scripts/_venv.sh "[dev,eval]"
PATHS=(tests/faults)
for arg in "$@"; do case "$arg" in tests/*) PATHS=() ;; esac; done
echo "== fault suite (HUB_FAULTS=full)"
HUB_FAULTS=full exec .venv/bin/pytest -n 0 -p no:randomly "${PATHS[@]}" "$@"
