"""The history commands: ``fadian history`` (versions of a document from git) and ``fadian
diff`` (article-level changes between two versions or two files)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fadian.cli_common import ROOT_OPTION, finish
from fadian.diagnostics import diag


def _document_path(root: Path, doc: str) -> Path:
    """A slug of sources/documents, or a path."""
    candidate = root / "sources" / "documents" / f"{doc}.txt"
    return candidate if candidate.is_file() else Path(doc)


def _history_for(root: Path, doc: str):
    from fadian.history.versions import project_history
    from fadian.project.build import Project
    from fadian.project.check import project_index

    path = _document_path(root, doc)
    if not path.is_file():
        sys.exit(finish([diag("F603", "no such document", doc)], False, "history"))
    project = Project(root)
    from fadian.project.model import BuildResult

    index = project_index(project, [], BuildResult())
    history, diags = project_history(path, project.rel(path), index)
    if history is None:
        sys.exit(finish(diags, False, "history"))
    return history, diags


@click.command()
@click.argument("doc")
@ROOT_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def history(doc: str, root: Path, as_json: bool) -> None:
    """List the versions of a document (a slug of sources/documents, or a path) from git."""
    import json as json_module

    hist, diags = _history_for(root, doc)
    rows = []
    for k, v in enumerate(hist.versions):
        counts = hist.diffs[k - 1].counts() if k else {}
        rows.append(
            {
                "version": v.label,
                "date": v.date,
                "commit": v.commit,
                "tags": list(v.tags),
                "message": v.message,
                "changes": counts,
                "expression_uri": hist.documents[k].meta.expression_uri,
            }
        )
    if as_json:
        click.echo(json_module.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            changes = ", ".join(f"{n} {kind}" for kind, n in sorted(r["changes"].items())) or "first version"
            tag = f" [{', '.join(r['tags'])}]" if r["tags"] else ""
            commit = (r["commit"] or "")[:10]
            click.echo(f"{r['version']:<13} {r['date']}  {commit:<10}{tag}  {changes}")
    finish(diags, False, f"{len(rows)} version(s)")


def _redline_text(redline) -> str:
    marks = {"del": ("[-", "-]"), "ins": ("{+", "+}"), "equal": ("", "")}
    return "".join(marks[op][0] + text + marks[op][1] for op, text in redline)


@click.command()
@click.argument("doc")
@click.argument("rev_a", required=False)
@click.argument("rev_b", required=False)
@ROOT_OPTION
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per change (docs/editors/versions.md)."
)
def diff(doc: str, rev_a: str | None, rev_b: str | None, root: Path, as_json: bool) -> None:
    """Article-level changes between two versions of a document (default: the last two), or
    between two standalone texts: `fadian diff OLD.txt NEW.txt`."""
    import json as json_module

    if rev_a and Path(doc).is_file() and Path(rev_a).is_file() and rev_b is None:
        hist, diags = _two_files(Path(doc), Path(rev_a))
        a, b = 0, 1
    else:
        hist, diags = _history_for(root, doc)
        if len(hist.versions) < 2 and not (rev_a or rev_b):
            click.echo("only one version: nothing to compare", err=True)
            sys.exit(finish(diags, False, "diff"))
        a = hist.find(rev_a) if rev_a else len(hist.versions) - 2
        b = hist.find(rev_b) if rev_b else len(hist.versions) - 1
        missing = [r for r, k in ((rev_a, a), (rev_b, b)) if k is None]
        if missing:
            sys.exit(finish([diag("F804", f"no version {missing[0]!r}", doc)], False, "diff"))
    assert a is not None and b is not None
    if b == a + 1:
        result = hist.diffs[a]
    else:
        from fadian.history.align import diff_trees

        result = diff_trees(hist.documents[a].tree, hist.documents[b].tree)
    old_v, new_v = hist.versions[a], hist.versions[b]
    wid_old, wid_new = hist.wids[a], hist.wids[b]
    for change in result.changes:
        change.wid = wid_new.get(change.new.eid, "") if change.new else wid_old.get(change.old.eid, "")
    if as_json:
        out = {
            "document": hist.slug,
            "from": {"version": old_v.label, "date": old_v.date, "commit": old_v.commit},
            "to": {"version": new_v.label, "date": new_v.date, "commit": new_v.commit},
            **result.to_json(),
        }
        click.echo(json_module.dumps(out, ensure_ascii=False, indent=2))
    else:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(result.counts().items())) or "no changes"
        click.echo(f"{hist.slug}: {old_v.label} ({old_v.date}) → {new_v.label} ({new_v.date}): {counts}")
        _print_changes(result)
    finish(diags, False, "diff")


def _two_files(old: Path, new: Path):
    """The history of two standalone texts, as ``fadian convert`` reads them; a text with
    errors cannot be compared (F807, exit 1)."""
    from fadian.history.git import Version
    from fadian.history.versions import build_history

    versions = [
        Version(1, str(old), "1970-01-01", None, (), "", old.read_bytes()),
        Version(2, str(new), "1970-01-01", None, (), "", new.read_bytes()),
    ]
    hist, diags = build_history(versions, str(new), None, standalone_slug="document")
    if hist is None or len(hist.versions) < 2:  # a text with errors: nothing was compared
        kept = {v.label for v in hist.versions} if hist is not None else set()
        failed = [v.label for v in versions if v.label not in kept]
        diags = [d for d in diags if d.code != "F805"]
        diags += [diag("F807", "has errors: it cannot be compared", label) for label in failed]
        sys.exit(finish(diags, False, "diff"))
    return hist, diags


def _print_changes(result) -> None:
    """The changes as lines: each article's change, its redline, and its 项's changes."""
    if result.header:
        click.echo(f"  header      {_redline_text(result.header)}")
    if result.notes:
        click.echo(f"  notes       {_redline_text(result.notes)}")
    for c in result.changes:
        nums = " → ".join(x for x in (c.old and c.old.num, c.new and c.new.num) if x)
        label = c.kind + ("+modified" if c.modified and c.kind != "modified" else "")
        click.echo(f"  {label:<20} {nums}  (wId {c.wid})")
        if c.redline:
            click.echo("      " + _redline_text(c.redline).replace("\n", "\n      "))
        for item in c.items:
            inums = " → ".join(x for x in (item.old and item.old.num, item.new and item.new.num) if x)
            click.echo(f"      item {item.kind}: {inums}")
