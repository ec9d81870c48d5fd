"""The documentation speaks of the code as it is: the reference pages are made from it and
current, the README is a newcomer's page, and no prose names a numbered round of past work."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys

from fadian.legal_fields import LEGAL_FIELDS, PRINTED

from conftest import REPO

# "session 12", "sessions 10–12", "issue 19", "round 3": a reader cannot know what they were
PAST_WORK = re.compile(r"\b(?:sessions?|issues?|rounds?)[ -]?\d+|\bsession'?s? \d", re.IGNORECASE)


def test_the_generated_reference_pages_are_current():
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_reference.py"), "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_the_stale_check_sees_a_stale_page(tmp_path, monkeypatch):
    """The check above would fail on a page edited by hand."""
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import make_reference
    finally:
        sys.path.remove(str(REPO / "scripts"))
    pages = make_reference.pages()
    assert set(pages) >= {"cli.md", "diagnostics.md", "front-matter.md", "amendment-forms.md"}
    monkeypatch.setattr(make_reference, "OUT", tmp_path)
    for name, text in pages.items():
        (tmp_path / name).write_text(text, "utf-8")
    (tmp_path / "cli.md").write_text(pages["cli.md"] + "edited by hand\n", "utf-8")
    monkeypatch.setattr(sys, "argv", ["make_reference.py", "--check"])
    assert make_reference.main() == 1


def test_every_command_and_code_is_in_the_reference():
    from fadian.cli import cli
    from fadian.diagnostics import Code

    cli_page = (REPO / "docs/reference/cli.md").read_text("utf-8")
    assert all(f"## fadian {name}\n" in cli_page for name in cli.commands)
    codes = (REPO / "docs/reference/diagnostics.md").read_text("utf-8")
    assert all(f"| {code.name} |" in codes for code in Code)


def test_the_readme_is_a_newcomers_page():
    readme = (REPO / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 250
    for command in ("./scripts/build.sh", "./scripts/test.sh", "fadian init", "fadian import", "fadian serve"):
        assert command in readme
    for link in re.findall(r"\]\(((?:docs/|ARCHITECTURE)[^)#]+)", readme):
        assert (REPO / link).is_file(), link


def test_no_prose_names_a_numbered_round_of_past_work():
    places = [REPO / "README.md", REPO / "ARCHITECTURE.md"]
    places += sorted((REPO / "docs").rglob("*.md")) + sorted((REPO / "fadian").rglob("*.py"))
    places += [*sorted((REPO / "benchmarks").glob("*.py")), REPO / "benchmarks" / "RESULTS.md"]
    found = [
        f"{path.relative_to(REPO)}:{n}: {m.group()}"
        for path in places
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if (m := PAST_WORK.search(line))
    ]
    assert found == []
    assert PAST_WORK.search("until session 12") and PAST_WORK.search("(issue 14)")


def test_the_typed_models_have_every_legal_field():
    """One table lists the legal fields; the models it cannot iterate must have each one."""
    from fadian.akn.meta import DocumentMeta
    from fadian.read.legalmeta import LegalMetadata
    from fadian.read.schemas import FrontMatter

    assert {f.key for f in LEGAL_FIELDS} <= {f.name for f in dataclasses.fields(DocumentMeta)}
    assert all(hasattr(LegalMetadata, key) or key in LegalMetadata.__dataclass_fields__ for key in PRINTED)
    assert {f.key for f in LEGAL_FIELDS if f.front_matter} <= set(FrontMatter.model_fields)
    assert len({f.key for f in LEGAL_FIELDS}) == len(LEGAL_FIELDS)
