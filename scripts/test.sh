#!/usr/bin/env bash
# Command 2 of the README: set up, then lint and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ruff check fadian tests benchmarks
python -m pytest -q -n auto --dist loadfile "$@"
