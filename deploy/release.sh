#!/usr/bin/env bash
# Put the code checked out in /srv/echo into service on this machine (as root).
#
#   deploy/release.sh            the machine that migrates (one, when there are several)
#   deploy/release.sh --no-migrate   every other machine, after the first
set -euo pipefail
cd "$(dirname "$0")/.."
as_echo() { runuser -u echo -- "$@"; }

as_echo .venv/bin/pip install --quiet -e .
as_echo deploy/manage.sh check --deploy --fail-level WARNING
if [[ "${1:-}" != "--no-migrate" ]]; then
  as_echo deploy/manage.sh migrate --no-input
fi
as_echo deploy/manage.sh collectstatic --no-input -v0
as_echo deploy/manage.sh compilemessages --ignore=.venv -v0
# gunicorn replaces its workers one by one; Celery finishes running tasks first.
systemctl reload echo-web
systemctl restart echo-worker
systemctl try-restart echo-beat
