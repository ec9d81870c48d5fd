"""The amendment commands: ``fadian apply`` (an instrument applied to a text or a project),
``fadian draft`` (the 修改决定 that turns one text into another, checked by applying it) and
``fadian review`` (a branch's changes by their legal effect: project/branch_review)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fadian.cli_common import ROOT_OPTION, finish
from fadian.diagnostics import diag


@click.command()
@click.argument("instrument", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "old", type=click.Path(dir_okay=False, path_type=Path), help="The text it amends.")
@click.option(
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    help="Apply it to every document of this project it amends, in place (commit the result).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write the new text (- for stdout; default build/apply/<name of --to>).",
)
@click.option(
    "--section",
    help="In a decision that amends several texts: the section to apply (2 or 二); by default the one"
    " whose 《title》 names the text.",
)
def apply(
    instrument: Path, old: Path | None, project: Path | None, output: Path | None, section: str | None
) -> None:
    """Apply an amendment instrument (修正案, 修改决定) to a text (--to), or to every text of a
    project it amends (--project): the new consolidated sources."""
    from fadian.amend.apply import apply_instrument
    from fadian.amend.grammar import parse_instrument
    from fadian.read.sources import read_source

    if (old is None) == (project is None):
        raise click.UsageError("give the text it amends (--to OLD) or a project (--project DIR)")
    if project is not None and (section or output):
        raise click.UsageError("--project applies each section to the text it names: no --section or -o")
    for path in (instrument, old):
        if path is not None and not path.is_file():
            sys.exit(finish([diag("F603", "no such file", str(path))], False, "apply"))
    source = read_source(str(instrument), instrument.read_bytes(), front_matter=False)
    if any(d.is_error for d in source.diagnostics):
        sys.exit(finish(source.diagnostics, False, "apply"))
    parsed, diags = parse_instrument(source.lines, str(instrument))
    if old is not None:
        diags = _other_sections(parsed, diags, old, section)
    if any(d.is_error for d in diags):
        sys.exit(finish(diags, False, "apply"))
    if project is not None:
        _apply_to_project(project, instrument, parsed, diags)
        return
    assert old is not None
    result = apply_instrument(str(old), old.read_bytes(), parsed, section, str(instrument))
    if not result.ok:
        sys.exit(finish([*diags, *result.diagnostics], False, "apply"))
    for change in result.changes:
        click.echo(f"{instrument}:{change.line}: {change.provision} {change.kind} {change.target}", err=True)
    if output is not None and str(output) == "-":
        sys.stdout.write(result.text)
    else:
        from fadian.project.outputs import safe_output_path

        target = output or safe_output_path(Path("build"), "apply", old.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.text, encoding="utf-8")
        click.echo(f"wrote {target}", err=True)
    sys.exit(finish([*diags, *result.diagnostics], False, f"apply: {len(result.changes)} change(s)"))


def _other_sections(parsed, diags: list, old: Path, section: str | None) -> list:
    """A decision amending several texts, applied to one: an instruction not understood in a
    section that amends another text is a warning (F335) that names it, not a refusal."""
    from fadian.amend.apply import section_lines
    from fadian.amend.lawtext import read_law_text

    if not any(d.code == "F320" for d in diags) or not parsed.sections:
        return diags
    law, _problems = read_law_text(str(old), old.read_bytes())
    lines = section_lines(parsed, law.title, section) if law is not None else None
    if lines is None:
        return diags
    first, after = lines
    return [
        diag("F335", d.message, d.location.path, d.location.line, d.location.col)
        if d.code == "F320" and not first <= d.location.line < after
        else d
        for d in diags
    ]


def _apply_to_project(root: Path, instrument: Path, parsed, diags: list) -> None:
    """Every text of the project the instrument amends, rewritten in place — all or none."""
    from fadian.project.amending import amend_project
    from fadian.project.model import ProjectLayout

    amended = amend_project(ProjectLayout(root), parsed, instrument)
    if not amended.ok:
        sys.exit(finish([*diags, *amended.diagnostics], False, "apply"))
    changes = 0
    for path, result in amended.applied.items():
        for change in result.changes:
            click.echo(
                f"{instrument}:{change.line}: {path.name} {change.provision} {change.kind} {change.target}",
                err=True,
            )
        changes += len(result.changes)
        path.write_text(result.text, encoding="utf-8")
        click.echo(f"wrote {path}", err=True)
    what = f"apply: {changes} change(s) in {len(amended.applied)} text(s)"
    sys.exit(finish([*diags, *amended.diagnostics], False, what))


@click.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Where to write the instrument (- for stdout, the default).",
)
@click.option(
    "--table",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the 修改前后对照表 (comparison table) as HTML here.",
)
def draft(old: Path, new: Path, output: Path | None, table: Path | None) -> None:
    """Draft the amendment instrument (修改决定) that turns OLD into NEW, checked by applying it."""
    from fadian.amend.draft import draft_amendment

    for path in (old, new):
        if not path.is_file():
            sys.exit(finish([diag("F603", "no such file", str(path))], False, "draft"))
    drafted = draft_amendment(str(old), old.read_bytes(), str(new), new.read_bytes())
    if any(d.is_error for d in drafted.diagnostics):
        sys.exit(finish(drafted.diagnostics, False, "draft"))
    if output is None or str(output) == "-":
        sys.stdout.write(drafted.text())
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(drafted.text(), encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    if table is not None:
        from fadian.history.drafts import comparison_record
        from fadian.render.html import render

        table.parent.mkdir(parents=True, exist_ok=True)
        page = render("comparison_page.html.j2", draft=comparison_record(drafted), work=drafted.work)
        table.write_text(page, encoding="utf-8")
        click.echo(f"wrote {table}", err=True)
    what = f"draft: {len(drafted.items)} instruction(s), {len(drafted.rows)} article(s) changed"
    sys.exit(finish(drafted.diagnostics, False, what))


@click.command()
@click.argument("base", required=False)
@click.argument("head", required=False, default="HEAD")
@ROOT_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report here as Markdown, and as HTML beside it (default: Markdown on stdout).",
)
def review(base: str | None, head: str, root: Path, output: Path | None) -> None:
    """Review a branch by its legal effect: for each text changed from BASE (default: the merge
    base with main) to HEAD, the drafted 修改决定 and 修改前后对照表, the citations elsewhere that
    now point at a changed, moved or removed article (from the last build), and the diagnostics
    the branch adds or removes."""
    from fadian.project.branch_review import (
        ReviewError,
        read_backlinks,
        review_branch,
        review_markdown,
        revisions,
    )

    try:
        repo, old, new = revisions(root, base, head)
    except ReviewError as exc:
        sys.exit(finish([diag("F612", str(exc), str(root))], False, "review"))
    backlinks = read_backlinks(root / "build")
    reviews = review_branch(Path(repo.working_tree_dir or root), old, new, backlinks)
    report = review_markdown(reviews, old.hexsha, new.hexsha, bool(backlinks))
    if output is None:
        sys.stdout.write(report)
    else:
        import pypandoc

        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
        standalone = ["--standalone", "--metadata=title:修改审阅", "--metadata=lang:zh-CN"]
        html = pypandoc.convert_text(report, "html", format="gfm", extra_args=standalone)
        output.with_suffix(".html").write_text(html, encoding="utf-8")
        click.echo(f"wrote {output} and {output.with_suffix('.html')}", err=True)
    cited = sum(len(c.places) for r in reviews for c in r.citing)
    sys.exit(finish([], False, f"review: {len(reviews)} text(s) changed, {cited} citation(s) to re-point"))
