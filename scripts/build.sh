#!/usr/bin/env bash
# Command 1 of the README: set up, then build everything from the committed sources into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
fadian build "$@"
