"""Versions from git for every document of a project, with the amendment instruments of the
corpus named at the articles they changed."""

from __future__ import annotations

from pathlib import Path

import git

from fadian.diagnostics import Diagnostic
from fadian.history.git import RepoLog, Version, read_repo_log, read_versions
from fadian.history.timeline import LegalContext
from fadian.history.versions import DocumentHistory, InstrumentRef, build_history
from fadian.pipeline import CompiledDocument
from fadian.project.model import ProjectLayout
from fadian.project.publish import checkpoint
from fadian.refs.index import CitationIndex, normalise_title


def in_git(root: Path) -> bool:
    try:
        git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def project_log(layout: ProjectLayout) -> RepoLog | None:
    """The project's repository, read once (None outside git or when unreadable)."""
    log = read_repo_log(layout.root)
    checkpoint("git-log")
    return log


def document_versions(
    layout: ProjectLayout, rel: str, log: RepoLog | None, current: bytes | None = None
) -> tuple[list[Version], list[Diagnostic]]:
    return read_versions(layout.root / rel, log, current)


def corpus_instruments(documents: list[CompiledDocument]) -> dict[str, list[InstrumentRef]]:
    """The amendment instruments of the corpus, by the normalised title of the work they amend."""
    instruments: dict[str, list[InstrumentRef]] = {}
    for doc in documents:
        inst = doc.instrument
        if inst is None or doc.meta is None:
            continue
        for work in dict.fromkeys([inst.work, *inst.works]):
            if work:
                instruments.setdefault(normalise_title(work), []).append(
                    InstrumentRef(inst, doc.meta.work_uri, work if inst.sections else "")
                )
    return instruments


def amending(doc: CompiledDocument, instruments: dict[str, list[InstrumentRef]]) -> list[InstrumentRef]:
    """The instruments of the corpus that amend ``doc``."""
    assert doc.meta is not None
    return [
        i
        for name in (doc.meta.title, *doc.meta.short_titles)
        for i in instruments.get(normalise_title(name), [])
    ]


def document_history(
    doc: CompiledDocument,
    versions: list[Version],
    instruments: dict[str, list[InstrumentRef]],
    index: CitationIndex,
    context: LegalContext,
    newest: CompiledDocument | None = None,
    drafted: dict[tuple[str, str], dict] | None = None,
) -> tuple[DocumentHistory | None, list[Diagnostic]]:
    """Every version of a document compiled and aligned (``versions``: read from git;
    ``newest``: the last version already parsed, used as it is; ``drafted``: the drafts of its
    changes between commits the previous build made)."""
    return build_history(
        versions,
        doc.path,
        index,
        instruments=amending(doc, instruments),
        context=context,
        newest=newest,
        drafted=drafted,
    )


def reported(doc: CompiledDocument, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A document's history diagnostics (F803 only where the document is the file itself)."""
    return [d for d in diagnostics if d.code != "F803" or d.location.path == doc.path]
