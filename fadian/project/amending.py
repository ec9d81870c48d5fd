"""An instrument applied to the texts of a project it amends: each text a section of a decision
(or the instrument as a whole) names gets its new version, written in place for the editor to
commit (git then holds the version, and the history names the instrument at each change).

All or nothing: when any text fails, no file is written, so that a project is never left half
amended. A text the instrument amends that the project does not hold is a warning (F330).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fadian.amend.apply import ApplyResult, apply_instrument, same_work
from fadian.amend.model import Instrument
from fadian.diagnostics import Diagnostic, diag
from fadian.project.model import ProjectLayout
from fadian.read.sources import read_source


@dataclass
class ProjectAmendment:
    """What applying an instrument to a project does: the new text of each file it amends."""

    applied: dict[Path, ApplyResult] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.applied) and not any(d.is_error for d in self.diagnostics)


def amend_project(layout: ProjectLayout, instrument: Instrument, instrument_path: Path) -> ProjectAmendment:
    """Apply ``instrument`` to every document of the project it names (by title)."""
    out = ProjectAmendment()
    titles = _document_titles(layout, instrument_path)
    for work in instrument.works or [instrument.work]:
        files = [path for path, named in titles.items() if any(same_work(work, t) for t in named)]
        if not files:
            message = f"no document of the project is 《{work}》: its part is not applied"
            out.diagnostics.append(diag("F330", message, str(instrument_path), 1, 1))
            continue
        for path in files:
            data = path.read_bytes()
            result = apply_instrument(layout.rel(path), data, instrument, None, layout.rel(instrument_path))
            out.diagnostics += result.diagnostics
            if result.ok:
                out.applied[path] = result
    if not out.applied and not any(d.is_error for d in out.diagnostics):
        message = "the instrument amends no document of the project"
        out.diagnostics.append(diag("F328", message, str(instrument_path), 1, 1))
    return out


def _document_titles(layout: ProjectLayout, instrument_path: Path) -> dict[Path, list[str]]:
    """Each document's titles (its front matter's and its first line), the instrument's own file
    left out."""
    out = {}
    for path in layout.document_files():
        if path.resolve() == instrument_path.resolve():
            continue
        source = read_source(str(path), path.read_bytes(), front_matter=False)
        first = next((ln.text.strip() for ln in source.lines if ln.text.strip()), "")
        declared = (source.front or {}).get("title")
        out[path] = [t for t in (first, declared) if isinstance(t, str) and t]
    return out
