"""The outside tools a build runs, found once: Pagefind (the site's search indexer)."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PAGEFIND_VERSION = "1.6.0"  # the npm package scripts/setup.sh installs into .tools/


@dataclass(frozen=True)
class PagefindTool:
    """The Pagefind binary a build indexes with, and where it came from."""

    binary: Path
    version: str
    origin: str  # wheel (vendored), npm (.tools/), pip (pagefind-bin-extended), or FADIAN_PAGEFIND

    def describe(self) -> dict[str, str]:
        return {"pagefind": self.version, "origin": self.origin}


@cache
def pagefind_tool() -> PagefindTool | None:
    """The Pagefind to index with: FADIAN_PAGEFIND, else the 1.6.0 binary a wheel of fadian ships
    (scripts/build_wheel.sh), else npm 1.6.0 in .tools/ beside a checkout, else the binary of the
    pagefind-bin-extended wheel (1.5.2: it missed Chinese phrases 1.6.0 found while the text was
    indexed as Chinese; as of no language it finds the same, docs/dependencies.md);
    None when there is none."""
    explicit = os.environ.get("FADIAN_PAGEFIND")
    if explicit:
        path = Path(explicit)
        return PagefindTool(path, _binary_version(path), "FADIAN_PAGEFIND") if path.is_file() else None
    vendored = Path(__file__).resolve().parents[1] / "_vendor" / "pagefind"  # scripts/build_wheel.sh
    if (vendored / "pagefind_extended").is_file():
        version = (vendored / "VERSION").read_text("utf-8").strip()
        return PagefindTool(vendored / "pagefind_extended", version, "wheel")
    tools = Path(__file__).resolve().parents[2] / ".tools" / f"pagefind-{PAGEFIND_VERSION}" / "node_modules"
    for binary in sorted(tools.glob("@pagefind/*/bin/pagefind_extended")):
        return PagefindTool(binary, PAGEFIND_VERSION, "npm")
    try:
        from importlib import metadata

        import pagefind_bin_extended

        return PagefindTool(
            pagefind_bin_extended.get_executable(), metadata.version("pagefind-bin-extended"), "pip"
        )
    except (ImportError, FileNotFoundError):
        return None


def _binary_version(path: Path) -> str:
    try:
        out = subprocess.run([str(path), "--version"], capture_output=True, timeout=30, check=False)
    except OSError:
        return "unknown"
    return out.stdout.decode("utf-8", "replace").strip().rsplit(" ", 1)[-1] or "unknown"
