#!/usr/bin/env bash
# manage.py with the production environment, as the systemd units have it:
#
#   deploy/manage.sh migrate
#   ECHO_ENV=/path/to/echo.env deploy/manage.sh shell
#
# The environment file has one NAME=value per line, unquoted (systemd's
# EnvironmentFile); it is read line by line, never run as shell code.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t environment < <(grep -Ev '^[[:space:]]*(#|$)' "${ECHO_ENV:-/etc/echo/echo.env}")
exec env "${environment[@]}" .venv/bin/python manage.py "$@"
