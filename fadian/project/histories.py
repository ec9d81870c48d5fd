"""Versions from git for every document of a project, with the amendment instruments of the
corpus named at the articles they changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fadian.history.versions import project_history

if TYPE_CHECKING:  # annotations only: fadian.project.build imports this module
    from fadian.project.build import BuildResult, Project


def _in_git(root: Path) -> bool:
    import git

    try:
        git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def add_histories(project: Project, result: BuildResult) -> None:
    """In a git repository, every document gets its versions; its AKN becomes the latest
    version's (with wIds and lifecycle)."""
    if not _in_git(project.root):
        return
    from fadian.history.git import read_repo_log
    from fadian.history.versions import InstrumentRef
    from fadian.refs.index import normalise_title

    log = read_repo_log(project.root)
    instruments: dict[str, list[InstrumentRef]] = {}
    for doc in result.documents:
        inst = doc.tree.instrument if doc.tree is not None else None
        if inst is not None and doc.meta is not None and inst.work:
            key = normalise_title(inst.work)
            instruments.setdefault(key, []).append(InstrumentRef(inst, doc.meta.work_uri))
    for doc in result.documents:
        if doc.meta is None:
            continue
        amending = [
            i
            for name in (doc.meta.title, *doc.meta.short_titles)
            for i in instruments.get(normalise_title(name), [])
        ]
        history, diags = project_history(project.root / doc.path, doc.path, result.index, amending, log)
        result.diagnostics += [d for d in diags if d.code != "F803" or d.location.path == doc.path]
        if history is None:
            continue
        latest = history.documents[-1]
        if latest.root is not None and latest.meta is not None:
            doc.root = latest.root
            doc.meta = latest.meta
        result.histories[doc.meta.slug] = history
