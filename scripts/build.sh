#!/usr/bin/env bash
# Command 1 of the README: set up, then build everything from the committed sources into build/
# and site/, and the documentation into site-docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
fadian build "$@"
properdocs build -q -f mkdocs.docs.yml --strict
