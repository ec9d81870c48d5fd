"""Versions from git for every document of a project, with the amendment instruments of the
corpus named at the articles they changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fadian.history.versions import InstrumentRef, build_history

if TYPE_CHECKING:  # annotations only: fadian.project.build imports this module
    from fadian.diagnostics import Diagnostic
    from fadian.history.git import RepoLog, Version
    from fadian.pipeline import CompiledDocument
    from fadian.project.build import BuildResult, Project
    from fadian.project.doc_cache import CachedDocument


def in_git(root: Path) -> bool:
    import git

    try:
        git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def project_log(project: Project) -> RepoLog | None:
    """The project's repository, read once (None outside git or when unreadable)."""
    from fadian.history.git import read_repo_log

    return read_repo_log(project.root)


def document_versions(project: Project, rel: str, log: RepoLog) -> tuple[list[Version], list[Diagnostic]]:
    from fadian.history.git import read_versions

    return read_versions(project.root / rel, log)


def corpus_instruments(documents: list[CompiledDocument]) -> dict[str, list[InstrumentRef]]:
    """The amendment instruments of the corpus, by the normalised title of the work they amend."""
    from fadian.refs.index import normalise_title

    instruments: dict[str, list[InstrumentRef]] = {}
    for doc in documents:
        inst = doc.tree.instrument if doc.tree is not None else None
        if inst is not None and doc.meta is not None and inst.work:
            instruments.setdefault(normalise_title(inst.work), []).append(
                InstrumentRef(inst, doc.meta.work_uri)
            )
    return instruments


def amending(doc: CompiledDocument, instruments: dict[str, list[InstrumentRef]]) -> list[InstrumentRef]:
    """The instruments of the corpus that amend ``doc``."""
    from fadian.refs.index import normalise_title

    assert doc.meta is not None
    return [
        i
        for name in (doc.meta.title, *doc.meta.short_titles)
        for i in instruments.get(normalise_title(name), [])
    ]


def document_history(
    result: BuildResult,
    doc: CompiledDocument,
    found: tuple[list[Version], list[Diagnostic]],
    instruments: dict[str, list[InstrumentRef]],
    index: object,
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """A document's versions (``found``: read from git) compiled and aligned; its AKN becomes
    the latest version's (with wIds and lifecycle) and its history goes into ``result``.
    ``doc`` may be only parsed (no root yet) when its text is its latest version: compiling
    that version compiles it (one compile per version), its citations and diagnostics taken
    from there. Returns the diagnostics to report, and those of compiling the versions."""
    from fadian.pipeline import finish_document
    from fadian.project.outputs import history_output

    versions, diags = found
    history, more = build_history(versions, doc.path, index, instruments=amending(doc, instruments))
    latest = history.documents[-1] if history is not None else None
    if doc.root is None:
        if latest is not None and history.versions[-1] is versions[-1]:
            doc.refs, doc.diagnostics = latest.refs, latest.diagnostics
        else:  # its version was not compiled (an error found only then): compiled apart
            finish_document(doc, index)
    if latest is not None and latest.root is not None and latest.meta is not None:
        doc.root, doc.meta = latest.root, latest.meta
    if history is not None:
        assert doc.meta is not None
        result.histories[doc.meta.slug] = history_output(history)
    return _reported(doc, diags + more), more


def cached_history(
    result: BuildResult,
    doc: CompiledDocument,
    found: tuple[list[Version], list[Diagnostic]],
    entry: CachedDocument,
) -> list[Diagnostic]:
    """The same for a document from the build cache: its history as it was kept."""
    assert doc.meta is not None
    if entry.history is not None:
        result.histories[doc.meta.slug] = entry.history
    return _reported(doc, found[1] + entry.history_diagnostics)


def _reported(doc: CompiledDocument, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A document's history diagnostics (F803 only where the document is the file itself)."""
    return [d for d in diagnostics if d.code != "F803" or d.location.path == doc.path]
