#!/usr/bin/env bash
# Installs everything and starts the application on its embedded default: SQLite under var/,
# jaarschijf 2024 loaded, one demo account per role printed, server on 127.0.0.1:8000 (another
# port with PORT=8001 bash scripts/start.sh).
set -euo pipefail
EXTRAS="" source "$(dirname "$0")/_setup.sh"
export DEBUG=1 DEMO_ACCOUNTS=1
unset DATABASE_URL
.venv/bin/python manage.py migrate --no-input -v0
# The API's rate limit counts in a database cache table (settings.CACHES, api/throttling.py).
.venv/bin/python manage.py createcachetable
# loaddata plus a first history record per row, dated at the signing (load_jaarschijf.py).
.venv/bin/python manage.py load_jaarschijf -v0 jaarschijf-2024
.venv/bin/python manage.py create_demo_accounts
# Invented progress over 2024 (fixtures/demo-scenario-2024.json), marked as demo on every page.
.venv/bin/python manage.py load_demo_scenario
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
