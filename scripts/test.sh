#!/usr/bin/env bash
# Command 2 of the README: set up, then lint, check for dead code, build the documentation with
# strict link checking, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ruff check fadian tests benchmarks scripts
vulture fadian scripts/vulture_allowlist.py --min-confidence 60
docs="$(mktemp -d)"
properdocs build -q -f mkdocs.docs.yml --strict --site-dir "$docs"
rm -rf "$docs"
python -m pytest -q -n auto --dist loadfile "$@"
