# Shared by start.sh and test.sh: a project-local virtualenv with everything pyproject.toml
# declares, and the front-end assets from the npm registry. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
# WeasyPrint (the evaluation report as PDF) needs Debian's Pango, HarfBuzz and a font.
if ! /sbin/ldconfig -p | grep -q libpangoft2-1.0 || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  echo "Pango en lettertypen installeren (Debian-pakketten, voor het PDF-rapport)…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
if [ -n "${EXTRAS:-}" ]; then TARGET=".[${EXTRAS}]"; else TARGET="."; fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$TARGET"
if [ -f scripts/build-assets.sh ]; then
  bash scripts/build-assets.sh
fi
