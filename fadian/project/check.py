"""The check stage of a build: every source of a project compiled (or taken from the build
cache), with its versions from git and the bulletins, into a BuildResult; nothing is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fadian.akn.collection import Bulletin, build_collection, check_stated_counts, load_bulletin
from fadian.akn.validate import validate_akn
from fadian.akn.write import serialize
from fadian.diagnostics import Diagnostic, diag, has_errors
from fadian.pipeline import CompiledDocument, corpus_work, finish_document, prepare_source
from fadian.project.doc_cache import (
    CachedDocument,
    DocumentCache,
    RecordingIndex,
    answers_hold,
    entry_key,
    frozen_document,
)
from fadian.project.fingerprint import code_digest
from fadian.project.histories import (
    amending,
    cached_history,
    corpus_instruments,
    document_history,
    document_versions,
    in_git,
    project_log,
)
from fadian.project.outputs import HistoryOutput
from fadian.project.publish import checkpoint
from fadian.refs.index import Citation, RefIndex, Work
from fadian.refs.registry import load_registry, registry_index

if TYPE_CHECKING:  # annotations only: fadian.project.build imports this module
    from fadian.project.build import Project


@dataclass
class BuildResult:
    documents: list[CompiledDocument] = field(default_factory=list)
    bulletins: list[tuple[Bulletin, bytes]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    bulletin_citations: dict[str, list[Citation]] = field(default_factory=dict)
    registry: list[Work] = field(default_factory=list)
    index: RefIndex | None = None
    histories: dict[str, HistoryOutput] = field(default_factory=dict)  # by slug: what is published
    up_to_date: bool = False  # nothing had changed: the published build was kept as it was
    reused: int = 0  # documents taken from the build cache (project/doc_cache), not compiled

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        out = [d for doc in self.documents for d in doc.diagnostics]
        return out + self.diagnostics

    @property
    def ok(self) -> bool:
        return not has_errors(self.all_diagnostics)


MAX_SOURCE_BYTES = 20 * 1024 * 1024  # 20 MB: ten times the longest code (民法典, 0.3 MB)


def _read(project: Project, path: Path, result: BuildResult) -> bytes | None:
    """A source's bytes, if it is a regular file inside the project and not too large: a symlink
    out of the repository, a FIFO or a device is error F606, never read (a FIFO would hang)."""
    import stat

    rel = project.rel(path)
    try:
        resolved = path.resolve(strict=True)
        mode = os.stat(resolved).st_mode
    except (OSError, RuntimeError) as exc:
        result.diagnostics.append(diag("F603", f"cannot read: {getattr(exc, 'strerror', exc)}", rel))
        return None
    if not resolved.is_relative_to(project.root.resolve()):
        result.diagnostics.append(diag("F606", f"is a link to {resolved}, outside the project", rel))
        return None
    if stat.S_ISDIR(mode):
        result.diagnostics.append(diag("F603", "is a folder, not a file", rel))
        return None
    if not stat.S_ISREG(mode):
        result.diagnostics.append(diag("F606", "is not a regular file (a pipe, socket or device)", rel))
        return None
    if os.stat(resolved).st_size > MAX_SOURCE_BYTES:
        size = os.stat(resolved).st_size
        result.diagnostics.append(diag("F108", f"is {size:,} bytes (limit {MAX_SOURCE_BYTES:,})", rel))
        return None
    try:
        return resolved.read_bytes()
    except OSError as exc:
        result.diagnostics.append(diag("F603", f"cannot read: {exc.strerror}", rel))
        return None


def project_index(project: Project, works: list[tuple[Work, list[str]]], result: BuildResult) -> RefIndex:
    """The registry of external works plus every document of the corpus (``works``: each with
    its short titles), by title and short title."""
    registry = project.sources / "registry.yaml"
    registered: list = []
    if registry.is_file():
        registered, diags = load_registry(project.rel(registry), registry.read_bytes())
        result.diagnostics += diags
        result.registry = [work for work, _aliases in registered]
    index = registry_index(registered)
    for work, short_titles in works:
        index.add(work, *short_titles)
    return index


def _as_target(doc: CompiledDocument | CachedDocument) -> tuple[Work, list[str]] | None:
    """A document as the index knows it (None: it did not parse)."""
    if isinstance(doc, CachedDocument):
        return doc.work, doc.short_titles
    if doc.meta is not None and doc.tree is not None:
        return corpus_work(doc), list(doc.meta.short_titles)
    return None


def check_project(
    project: Project,
    paths: Iterable[Path] | None = None,
    progress: Callable[[str], None] | None = None,
    history: bool = False,
    cache: DocumentCache | None = None,
) -> BuildResult:
    """Compile documents and bulletins without writing anything.

    Every document of the project is parsed, so that citations between documents resolve
    even when only some files are checked; only the chosen ones are reported. With ``cache``
    (a whole build), a document whose inputs and index answers are unchanged is taken from it.
    """
    result = BuildResult()
    chosen = None if paths is None else {project.rel(p) for p in paths}
    if chosen is not None:
        cache = None
    all_docs = project.document_files()
    known = {project.rel(q) for q in all_docs}
    extra = [p for p in (paths or []) if p.suffix != ".yaml" and project.rel(p) not in known]
    in_repo = history and in_git(project.root)
    log = project_log(project) if in_repo else None
    code = code_digest() if cache is not None else ""
    sources: list[CompiledDocument | CachedDocument] = []
    versions: dict[str, tuple[list, list[Diagnostic]]] = {}
    data_of: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    for path in all_docs + extra:
        if chosen is None or project.rel(path) in chosen:
            data = _read(project, path, result)  # a file that cannot be read is reported
        else:
            try:
                data = path.read_bytes()
            except OSError:
                data = None
        if data is None:
            continue
        rel = project.rel(path)
        data_of[rel] = data
        if in_repo:
            versions[rel] = document_versions(project, rel, log)
        entry = None
        if cache is not None:
            keys[rel] = entry_key(code, rel, data, versions[rel][0] if in_repo else None)
            entry = cache.load(keys[rel])
        sources.append(entry if entry is not None else prepare_source(rel, data))
    checkpoint("parsed")
    targets = {(s.document.path if isinstance(s, CachedDocument) else s.path): _as_target(s) for s in sources}
    index = project_index(project, [t for t in targets.values() if t is not None], result)
    result.index = index
    instruments = corpus_instruments([s for s in sources if isinstance(s, CompiledDocument)])
    recorders: dict[str, RecordingIndex] = {}
    cached: dict[str, CachedDocument] = {}
    reported: dict[str, list[Diagnostic]] = {}  # history diagnostics, by path
    answers: dict = {}  # the index's answers, computed once per build
    for i, source in enumerate(sources):
        path = source.document.path if isinstance(source, CachedDocument) else source.path
        if chosen is not None and path not in chosen:
            continue
        if isinstance(source, CachedDocument):
            if answers_hold(source.queries, index, answers) and not amending(source.document, instruments):
                cached[path] = source
                assert cache is not None
                cache.used.add(keys[path])
                doc = source.document
                result.documents.append(doc)
                if in_repo and doc.meta is not None:
                    reported[path] = cached_history(result, doc, versions[path], source)
                continue
            source = prepare_source(path, data_of[path])  # an answer changed: compile again
        if progress:
            progress(path)
        if cache is not None:  # the questions its compilation asks of the index are kept
            recorders[path] = RecordingIndex(index)
        doc, more = source, []
        index_of_doc = recorders.get(path, index)
        found = versions.get(path)
        # in git, a text that is its latest version is compiled once, in its history
        once = bool(found and found[0] and found[0][-1].data == data_of[path])
        if not (once and doc.tree is not None and not has_errors(doc.diagnostics)):
            finish_document(doc, index_of_doc)
        if found is not None and doc.meta is not None:
            reported[path], more = document_history(result, doc, found, instruments, index_of_doc)
        result.documents.append(doc)
        if cache is not None:  # kept, and from now on only its AKN bytes and counts are held
            frozen = _keep(
                cache, keys[path], doc, targets.get(path), recorders[path], instruments, result, more
            )
            if frozen is not None:
                result.documents[-1] = sources[i] = frozen
    seen: dict[str, str] = {}
    for doc in result.documents:
        if doc.meta is None:
            continue
        if doc.meta.slug in seen:
            result.diagnostics.append(
                diag("F207", f"slug {doc.meta.slug!r} is also used by {seen[doc.meta.slug]}", doc.path)
            )
        seen[doc.meta.slug] = doc.path
    result.reused = len(cached)
    for doc in result.documents:
        result.diagnostics += reported.get(doc.path, [])
    checkpoint("compiled")
    metas = {d.meta.slug: d for s in sources if (d := _compiled(s)).meta is not None}
    metas.update({d.meta.slug: d for d in result.documents if d.meta is not None})
    bulletin_paths = [p for p in (paths or project.bulletin_files()) if p.suffix == ".yaml"]
    for path in bulletin_paths:
        name = project.rel(path)
        if progress:
            progress(name)
        data = _read(project, path, result)
        if data is None:
            continue
        bulletin, diags = load_bulletin(name, data)
        result.diagnostics += diags
        if bulletin is None:
            continue
        for _rubric, entry in bulletin.entries():
            if str(entry.get("slug")) not in metas:
                result.diagnostics.append(
                    diag(
                        "F601",
                        f"bulletin lists unknown document {entry.get('slug')!r}",
                        name,
                        bulletin.line_of(f"slug: {entry.get('slug')}"),
                    )
                )
        counts = {
            slug: {k: d.count(k) for k in ("chapter", "article")}
            for slug, d in metas.items()
            if d.tree is not None or d.counts is not None
        }
        result.diagnostics += check_stated_counts(bulletin, counts)
        root, citations = build_collection(
            bulletin, {slug: d.meta for slug, d in metas.items() if d.meta}, index
        )
        result.bulletin_citations[bulletin.slug] = citations
        result.diagnostics += validate_akn(root, name)
        result.bulletins.append((bulletin, serialize(root)))
    return result


def _compiled(source: CompiledDocument | CachedDocument) -> CompiledDocument:
    return source.document if isinstance(source, CachedDocument) else source


def _keep(
    cache: DocumentCache,
    key: str,
    doc: CompiledDocument,
    target: tuple[Work, list[str]] | None,
    recorder: RecordingIndex,
    instruments: dict,
    result: BuildResult,
    more: list[Diagnostic],
) -> CompiledDocument | None:
    """Keep a document compiled now in the cache (not an amendment instrument or a law it
    amends); returns it as kept (AKN bytes and counts, no trees), or None when not kept."""
    if target is None or doc.meta is None or doc.tree is None or not doc.ok:
        return None
    if doc.tree.instrument is not None or amending(doc, instruments):
        return None
    frozen = frozen_document(doc)
    history = result.histories.get(doc.meta.slug)
    cache.store(key, CachedDocument(target[0], target[1], recorder.queries, frozen, history, more))
    cache.used.add(key)
    return frozen
