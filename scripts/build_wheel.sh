#!/usr/bin/env bash
# Build fadian's wheel with Pagefind 1.6.0 inside it (the binary scripts/setup.sh installs from
# npm; a static musl build, so the wheel is tagged for any x86-64 Linux). Installed from this
# wheel, fadian indexes its site's search with 1.6.0 and nothing else to set up; elsewhere the
# pagefind-bin-extended dependency (1.5.2) is used.
# Usage: bash scripts/build_wheel.sh [OUT_DIR]   (default dist/)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$ROOT/dist}"
source "$ROOT/scripts/setup.sh"
VERSION="1.6.0"
BINARY="$ROOT/.tools/pagefind-$VERSION/node_modules/@pagefind/linux-x64/bin/pagefind_extended"
# The wheel is built from a copy of the sources: the checkout is never written, so builds that
# run from it meanwhile (the test suite's) never see a half-copied binary or lose their build/.
STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
tar -C "$ROOT" --exclude=./.venv --exclude=./.tools --exclude=./.git --exclude=./build \
  --exclude=./site --exclude=./dist --exclude='__pycache__' --exclude='*.egg-info' -cf - . \
  | tar -C "$STAGE" -xf -
VENDOR="$STAGE/fadian/_vendor/pagefind"
mkdir -p "$VENDOR"
cp "$BINARY" "$VENDOR/pagefind_extended"
echo "$VERSION" > "$VENDOR/VERSION"
mkdir -p "$OUT"
"$ROOT/.venv/bin/python" -m pip wheel "$STAGE" --no-deps -q -w "$OUT" \
  --config-settings="--build-option=--plat-name=manylinux_2_17_x86_64" >&2
ls "$OUT"/fadian-*.whl
