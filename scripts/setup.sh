#!/usr/bin/env bash
# Set up everything fadian needs on a fresh machine; safe to run again (it skips what is there).
# Sourced by scripts/build.sh and scripts/test.sh: the README's two commands.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

# Debian packages the project needs (one per line in scripts/apt-packages.txt; none yet for
# the AKN stage, fonts, Java and Chromium come with the site and edition stages).
if [ -s "$ROOT/scripts/apt-packages.txt" ]; then
  missing=()
  while read -r pkg; do
    [ -z "$pkg" ] || [[ "$pkg" == \#* ]] && continue
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done < "$ROOT/scripts/apt-packages.txt"
  if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
fi

# Pagefind, the site's search indexer: the pinned npm package 1.6.0 with its platform binary
# (the newest release; PyPI's 1.5.2, the pip fallback, missed phrases while fadian indexed the
# text as Chinese — it now indexes it as of no language, README). Installed into .tools/.
PAGEFIND_VERSION="1.6.0"
PAGEFIND_DIR="$ROOT/.tools/pagefind-$PAGEFIND_VERSION"
if [ ! -f "$PAGEFIND_DIR/node_modules/pagefind/lib/index.js" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
  fi
  echo "setup: installing pagefind $PAGEFIND_VERSION (npm) into .tools/" >&2
  npm install --prefix "$PAGEFIND_DIR" --no-audit --no-fund --silent "pagefind@$PAGEFIND_VERSION" >&2
fi

# Python packages in a project virtual environment; reinstalled only when pyproject.toml changes.
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.fadian-installed"
want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages into .venv" >&2
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -e "$ROOT[test]" >&2
  echo "$want" > "$stamp"
fi
# fadian's own modules byte-compiled, as `pip install` of the wheel leaves them (an editable
# install does not, and with PYTHONDONTWRITEBYTECODE set no run writes them: every command then
# compiled fadian's 18,000 lines again, ~0.1–0.2 s of each build); quick when they are current
"$VENV/bin/python" -m compileall -q "$ROOT/fadian" >&2 || true
export PATH="$VENV/bin:$PATH"
