"""The commands that read a built site: ``fadian cite-check`` (引用核验 of a text a reader
brings, access/cite_check) and ``fadian mcp``, a Model Context Protocol server (access/mcp_server)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fadian.cli_common import ROOT_OPTION, finish, iso_date_option
from fadian.diagnostics import diag

SITE_OPTION = click.option(
    "--site",
    "site_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="A built site folder (default: the project's site/).",
)


@click.command()
@ROOT_OPTION
@SITE_OPTION
def mcp(root: Path, site_dir: Path | None) -> None:
    """Model Context Protocol server (stdio) over a built site, read-only: an AI assistant asks
    for an article at a date, a law's versions, its changes since a date, a search, or a check
    of the citations of a passage; every answer carries the address to cite."""
    site = _site_of(root, site_dir, "mcp")
    try:
        import mcp as _sdk  # noqa: F401 (the optional extra)

        from fadian.access.mcp_server import serve_stdio
    except ImportError:
        sys.exit(finish([diag("F611", "the mcp package is not installed", "mcp")], False, "mcp"))
    serve_stdio(site)


def _site_of(root: Path, site_dir: Path | None, what: str) -> Path:
    site = site_dir if site_dir is not None else root / "site"
    if not (site / "akn" / "index.json").is_file():
        found = diag("F610", f"{site} holds no akn/index.json", str(site))
        sys.exit(finish([found], False, what))
    return site


@click.command("cite-check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@ROOT_OPTION
@SITE_OPTION
@click.option(
    "--as-of",
    "as_of",
    callback=lambda _ctx, _param, value: iso_date_option(value),
    help="The date the citations are judged on, YYYY-MM-DD (default: today).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the answers as JSON.")
def cite_check(file: Path, root: Path, site_dir: Path | None, as_of: str | None, as_json: bool) -> None:
    """引用核验: every citation of another law in FILE (a brief, a judgment, a contract; '-' for
    stdin), judged on a date against the built site: the article exists in the version in force
    that day (else 无此条), the law is collected (else 未收录), and a later version changed it.
    Exit 1 when a citation names what was not law that day."""
    import datetime as dt
    import json

    from fadian.access.cite_check import VERDICTS, check_text
    from fadian.access.site_data import SiteData

    site = _site_of(root, site_dir, "cite-check")
    day = as_of or dt.date.today().isoformat()
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        sys.exit(finish([diag("F603", f"cannot read the text: {exc}", str(file))], False, "cite-check"))
    checks = check_text(SiteData(site), text, day)
    if as_json:
        answer = {"as_of": day, "citations": [c.row() for c in checks]}
        click.echo(json.dumps(answer, ensure_ascii=False, indent=1))
    else:
        for c in checks:
            click.echo(f"{file}:{c.line}:{c.col}: {VERDICTS[c.verdict]}: {c.text}{_details(c)}")
        wrong = sum(c.wrong for c in checks)
        click.echo(f"cite-check as of {day}: {len(checks)} citation(s), {wrong} wrong", err=True)
    sys.exit(1 if any(c.wrong for c in checks) else 0)


def _details(c) -> str:
    """What a citation names, in a reader's words."""
    if c.verdict == "uncollected":
        return f"（{c.note or '本站未收录该法规'}）"
    if not c.law:
        return ""
    out = f" → 《{c.law}》"
    if c.version:
        out += f"（{c.version['date']} 版，该日{c.status_on_date or '无施行版本'}）"
    if c.provision:
        out += c.provision
    out += "".join(f"；{x['from']} 起施行的版本{_change(x)}" for x in c.changed_later)
    return out + (f"（{c.note}）" if c.note else "")


def _change(row: dict) -> str:
    """What a later version did to the article (or to an article inside the range it ends)."""
    which = f"区间内的{row['article']}" if row.get("article") else "本条"
    if row["change"].startswith("条号"):
        return f"中{which}{row['change']}"
    return f"{row['change']}了{which}"
