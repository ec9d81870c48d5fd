"""The command for programs: ``fadian mcp``, a Model Context Protocol server over a built site
(access/mcp_server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fadian.cli_common import ROOT_OPTION, finish
from fadian.diagnostics import diag


@click.command()
@ROOT_OPTION
@click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A built site folder (default: the project's site/).",
)
def mcp(root: Path, site_dir: Path | None) -> None:
    """Model Context Protocol server (stdio) over a built site, read-only: an AI assistant asks
    for an article at a date, a law's versions, its changes since a date, a search, or a check
    of the citations of a passage; every answer carries the address to cite."""
    site = site_dir if site_dir is not None else root / "site"
    if not (site / "akn" / "index.json").is_file():
        found = diag("F610", f"{site} holds no akn/index.json", str(site))
        sys.exit(finish([found], False, "mcp"))
    try:
        import mcp as _sdk  # noqa: F401 (the optional extra)

        from fadian.access.mcp_server import serve_stdio
    except ImportError:
        sys.exit(finish([diag("F611", "the mcp package is not installed", "mcp")], False, "mcp"))
    serve_stdio(site)
