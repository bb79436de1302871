#!/usr/bin/env bash
# Installs the pinned npm packages and copies the front-end assets the templates load into
# static/vendor/ (git-ignored). Idempotent: every run rebuilds static/vendor/ from scratch.
# Fails loudly: any missing tool, package or file stops the script with a non-zero exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() {
    echo "build-assets: $*" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || die "node is not installed"
command -v npm >/dev/null 2>&1 || die "npm is not installed"

if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --ignore-scripts
else
    npm install --no-audit --no-fund --ignore-scripts
fi

NM="$ROOT/node_modules"
VENDOR="$ROOT/static/vendor"
UTRECHT="$NM/@utrecht/component-library-css"
FONT="$NM/@fontsource/noto-sans"

require() {
    local path
    for path in "$@"; do
        [[ -f "$path" ]] || die "expected file is missing: ${path#"$ROOT"/}"
    done
}

require "$UTRECHT/dist/index.css" "$UTRECHT/LICENSE.md" "$FONT/LICENSE"

# Build into a temporary folder and swap it in, so a failed run never leaves half a vendor/.
TMP="$(mktemp -d "$ROOT/static/.vendor-build.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# NL Design System components (Utrecht white-label CSS, EUPL-1.2). Our own design tokens
# live in static/css/heerlen-tokens.css; no Utrecht tokens are copied.
mkdir -p "$TMP/utrecht"
cp "$UTRECHT/dist/index.css" "$TMP/utrecht/component-library.css"
cp "$UTRECHT/LICENSE.md" "$TMP/utrecht/LICENSE.md"

# Noto Sans (SIL OFL 1.1), self-hosted: Latin and Latin Extended, regular, italic and bold.
mkdir -p "$TMP/noto-sans/files"
cp "$FONT/LICENSE" "$TMP/noto-sans/LICENSE"
: >"$TMP/noto-sans/noto-sans.css"
for subset in latin latin-ext; do
    for variant in 400 400-italic 700; do
        css="$FONT/$subset-$variant.css"
        require "$css"
        cat "$css" >>"$TMP/noto-sans/noto-sans.css"
        echo >>"$TMP/noto-sans/noto-sans.css"
    done
done
# Copy exactly the font files the stylesheet refers to (the manifest storage of
# collectstatic rejects a stylesheet that points at a missing file).
grep -o 'url(\./files/[^)]*)' "$TMP/noto-sans/noto-sans.css" \
    | sed -e 's/^url(\.\/files\///' -e 's/)$//' | sort -u \
    | while read -r file; do
        require "$FONT/files/$file"
        cp "$FONT/files/$file" "$TMP/noto-sans/files/$file"
    done

rm -rf "$VENDOR"
mv "$TMP" "$VENDOR"
trap - EXIT
chmod -R u+rwX,go+rX "$VENDOR"

echo "build-assets: static/vendor/ is up to date:"
(cd "$VENDOR" && find . -type f | sort | sed 's/^\.\//  /')
