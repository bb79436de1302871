#!/usr/bin/env bash
# Installs what the tests need, starts a throwaway PostgreSQL 15 and runs the whole suite:
# ruff (lint + format), the layer contracts (lint-imports), makemigrations --check, the deploy check, pytest including the
# Playwright browser tests in Debian's Chromium. Extra arguments go to pytest.
#
# --fast (first argument): the local loop while working. Skips the slow groups (pytest
# markers browser, fuzz and libreoffice), pip-audit and the deploy check; ruff, the layer
# contracts and the migration check still run. CI always runs the whole suite.
set -euo pipefail
FAST=0
if [ "${1:-}" = "--fast" ]; then
  FAST=1
  shift
fi
EXTRAS="dev" source "$(dirname "$0")/_setup.sh"

if [ ! -x /usr/bin/chromium ]; then
  echo "Chromium installeren (Debian-pakket)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v soffice >/dev/null; then
  echo "LibreOffice installeren (Debian-pakket, voor de Excel-controle)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-calc >/dev/null
fi
if [ ! -x /usr/sbin/nginx ]; then
  echo "nginx installeren (Debian-pakket, voor de tests achter de echte proxy)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
fi

# shellcheck source=scripts/pg.sh
source scripts/pg.sh
pg_start
trap pg_stop EXIT

export DATABASE_URL="postgresql://postgres@/prestatieafspraken?host=${PGSOCKETDIR}&port=${PGPORT}"
export DEBUG=1
# The test database gets the API's rate-limit cache table (settings.CACHES) from Django's test
# set-up, which runs createcachetable; a server started on this database needs it too:
# manage.py migrate && manage.py createcachetable.

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== lagen (import-linter)"
.venv/bin/lint-imports --no-cache
echo "== migraties"
.venv/bin/python manage.py makemigrations --check --dry-run
if [ "$FAST" = "1" ]; then
  echo "== pytest (snel: zonder browser-, fuzz- en LibreOffice-tests)"
  set +e
  .venv/bin/python -m pytest -m "not browser and not fuzz and not libreoffice" "$@"
  status=$?
  set -e
  exit "$status"  # the EXIT trap stops the throwaway PostgreSQL
fi
echo "== productie-instellingen"
DEBUG=0 SECRET_KEY="$(head -c 48 /dev/urandom | base64)" ALLOWED_HOSTS=prestatieafspraken.example \
  .venv/bin/python manage.py check --deploy --fail-level WARNING
echo "== pip-audit"
audit_report="$(mktemp)"
.venv/bin/pip-audit --skip-editable --progress-spinner off --format json --output "$audit_report" || true
.venv/bin/python scripts/audit_summary.py "$audit_report"
rm -f "$audit_report"
echo "== pytest"
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest heeft geen tests uitgevoerd" >&2
fi
exit "$status"
