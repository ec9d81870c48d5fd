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
    """The project's repository, read once (None outside git)."""
    if not in_git(project.root):
        return None
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


def add_histories(
    project: Project,
    result: BuildResult,
    versions: dict[str, tuple[list[Version], list[Diagnostic]]],
    instruments: dict[str, list[InstrumentRef]],
    indexes: dict[str, object],
    cached: dict[str, CachedDocument],
) -> dict[str, list[Diagnostic]]:
    """In a git repository, every document gets its versions (``versions``: by source path);
    its AKN becomes the latest version's (with wIds and lifecycle). A document from the
    ``cached`` ones has them already. Returns what compiling each version reported, by path."""
    from fadian.project.outputs import history_output

    compiled: dict[str, list[Diagnostic]] = {}
    for doc in result.documents:
        if doc.meta is None or doc.path not in versions:
            continue
        found, diags = versions[doc.path]
        if doc.path in cached:
            entry = cached[doc.path]
            result.diagnostics += _reported(doc, diags + entry.history_diagnostics)
            if entry.history is not None:
                result.histories[doc.meta.slug] = entry.history
            continue
        index = indexes.get(doc.path, result.index)
        history, more = build_history(found, doc.path, index, instruments=amending(doc, instruments))
        compiled[doc.path] = more
        result.diagnostics += _reported(doc, diags + more)
        if history is None:
            continue
        latest = history.documents[-1]
        if latest.root is not None and latest.meta is not None:
            doc.root = latest.root
            doc.meta = latest.meta
        result.histories[doc.meta.slug] = history_output(history)
    return compiled


def _reported(doc: CompiledDocument, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A document's history diagnostics (F803 only where the document is the file itself)."""
    return [d for d in diagnostics if d.code != "F803" or d.location.path == doc.path]
