"""`fadian import`: an editor's files (plain text, LawRefBook Markdown, .docx; folders walked)
written as sources of a project, with front matter read from each text (read/collection).

An import never overwrites a source an editor has changed: a file already there under the same
slug and title is left alone when it is the same, and refused when it differs (unless
``force``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fadian.read.collection import ImportedText, body_text, from_markdown, import_text
from fadian.read.sources import read_source

SUFFIXES = (".txt", ".md", ".markdown", ".docx")


@dataclass
class ImportReport:
    written: list[tuple[Path, Path, ImportedText]] = field(default_factory=list)
    unchanged: list[tuple[Path, Path]] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def files_to_import(paths: list[Path]) -> list[Path]:
    """The files named, and those under the folders named (sub-folders too), in a stable order."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            out.append(path)
    return out


def read_text(path: Path) -> str:
    """A file's text: UTF-8 (a BOM tolerated); Markdown cleaned; a .docx through pandoc."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        import pypandoc

        return pypandoc.convert_file(str(path), "plain", format="docx", extra_args=["--wrap=none"])
    text = path.read_bytes().decode("utf-8-sig")
    return from_markdown(text) if suffix in (".md", ".markdown") else text


def import_files(paths: list[Path], into: Path, force: bool = False) -> ImportReport:
    """Each file made a source in ``into``; what was written, left as it was, or refused."""
    report = ImportReport()
    for path in paths:  # a folder that holds nothing to import is not a silent no-op
        if path.is_dir() and not files_to_import([path]):
            report.refused.append((path, f"no {', '.join(SUFFIXES)} file in this folder or below it"))
    taken: set[str] = set()
    for path in files_to_import(paths):
        if not path.is_file():
            report.refused.append((path, "no such file"))
            continue
        try:
            text = read_text(path)
        except (UnicodeDecodeError, OSError, RuntimeError) as exc:
            report.refused.append((path, f"cannot be read as UTF-8 text or DOCX ({exc.__class__.__name__})"))
            continue
        imported = _place(text, into, taken, path, report, force)
        if imported is not None:
            target, made = imported
            into.mkdir(parents=True, exist_ok=True)
            target.write_text(made.text, encoding="utf-8")
            report.written.append((path, target, made))
    return report


def _place(
    text: str, into: Path, taken: set[str], path: Path, report: ImportReport, force: bool
) -> tuple[Path, ImportedText] | None:
    """The source made of ``text`` and where it goes: under a new slug, or over the file of the
    same title already there (only when it is the same, or with ``force``)."""
    while True:
        made = import_text(str(path), text, taken)
        target = into / f"{made.slug}.txt"
        taken.add(made.slug)
        if not target.exists():
            return target, made
        existing = read_source(str(target), target.read_bytes()).front or {}
        if existing.get("title") != made.title:  # another text has this slug: the next one
            if body_text(text).startswith("---\n"):  # its own front matter names the slug
                report.refused.append((path, f"its slug {made.slug!r} is {target}'s, another text's"))
                return None
            continue
        if target.read_text("utf-8") == made.text:
            report.unchanged.append((path, target))
            return None
        if not force:
            report.refused.append((path, f"{target} exists and differs (edited?): --force to overwrite it"))
            return None
        return target, made
