"""The check stage of a build: every source of a project compiled (or taken from the build
cache), with its versions from git and the bulletins, into a BuildResult; nothing is written.

Each document is a :class:`~fadian.project.model.SourceDocument` record that the functions
below fill in turn: read (bytes, versions, cache entry, parsed tree), indexed, then taken from
the cache or compiled (in its history or apart: :func:`compile_document` decides), kept.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

from fadian.akn.collection import build_collection, check_stated_counts, load_bulletin
from fadian.akn.meta import DocumentMeta
from fadian.akn.validate import compile_schema_aside, validate_akn
from fadian.akn.write import serialize
from fadian.diagnostics import Diagnostic, diag
from fadian.executor import gc_paused
from fadian.history.git import RepoLog
from fadian.history.timeline import (
    LegalContext,
    PartIdentity,
    group_parts,
    group_works,
    in_context,
    instrument_effective,
    repeal_days,
    stated_date,
    superseded_days,
    with_instrument_date,
)
from fadian.legal_fields import PRINTED
from fadian.pipeline import CompiledDocument, freeze_heap, prepare_source
from fadian.project.compiling import CompileJob, Instruments, compile_records, parse_records
from fadian.project.doc_cache import DocumentCache, entry_key, source_state
from fadian.project.fingerprint import code_digest
from fadian.project.histories import (
    amending,
    corpus_instruments,
    document_versions,
    in_git,
    project_log,
    reported,
)
from fadian.project.model import BuildResult, ProjectLayout, SourceDocument
from fadian.project.publish import checkpoint
from fadian.refs.index import RefIndex, Work, answers_hold
from fadian.refs.registry import load_registry, registry_index

MAX_SOURCE_BYTES = 20 * 1024 * 1024  # 20 MB: ten times the longest code (民法典, 0.3 MB)


def check_project(
    layout: ProjectLayout,
    paths: Iterable[Path] | None = None,
    progress: Callable[[str], None] | None = None,
    history: bool = False,
    cache: DocumentCache | None = None,
    as_of: str | None = None,
    sources: dict[str, list] | None = None,
) -> BuildResult:
    """Compile documents and bulletins without writing anything. Every document of the project
    is parsed, so that citations between documents resolve even when only some files are
    checked; only the chosen ones are reported. With ``cache`` (a whole build), a document whose
    inputs and index answers are unchanged is taken from it; with ``sources`` too
    (project/fingerprint's digests of sources/), one whose bytes and commits are the last
    build's is not even read. Statuses are stated as of ``as_of`` (else the newest commit, else
    the newest date printed)."""
    result = BuildResult()
    paths = list(paths) if paths is not None else None
    if paths is not None:
        cache = None
    in_repo = history and in_git(layout.root)
    log = project_log(layout) if in_repo else None
    records = read_documents(layout, paths, result, in_repo, cache, log, sources)
    compile_schema_aside()  # (after the parsing workers' fork: none is forked while it compiles)
    checkpoint("parsed")
    context = legal_context(records, as_of, log.latest if log is not None else None, layout.root)
    result.as_of = context.as_of
    placed = {r.path: contextual_meta(r, context) for r in records}
    targets = {r.path: r.as_target(placed[r.path]) for r in records}
    index = project_index(layout, [t for t in targets.values() if t is not None], result)
    result.index = index
    instruments = corpus_instruments([r.document for r in records if r.cached is None and r.document])
    answers: dict = {}  # the index's answers, computed once per build
    chosen = [r for r in records if r.reported]
    kept = partial(take_from_cache, index=index, instruments=instruments, answers=answers, cache=cache)
    stale = [r for r in chosen if not kept(r, context=context, placed=placed[r.path])]
    stale = [r for r in stale if parsed_again(layout, r, result, log, cache)]
    compile_records(stale, CompileJob(index, instruments, cache, context, targets), progress)
    for record in chosen:
        if record.document is not None:
            add_to_result(record, result, context)
    result.diagnostics += slug_clashes(result.documents) + (unread_sources(layout) if paths is None else [])
    result.reused = sum(1 for r in records if r.reported and r.cached is not None)
    for record in records:
        if record.reported:
            result.diagnostics += record.reported_diagnostics
    checkpoint("compiled")
    check_bulletins(layout, paths, records, index, result, progress)
    return result


# what fadian reads in sources/: the folder or file name → the names it reads in it
READ_IN_SOURCES = {"documents": ".txt", "bulletins": ".yaml", "registry.yaml": ""}


def unread_sources(layout: ProjectLayout) -> list[Diagnostic]:
    """A warning for each entry of sources/ that no build reads (a text in a sub-folder, a .md or
    a .TXT left there): an editor who put a text there expects it published. Hidden entries
    (.gitkeep, an editor's tools) are not texts."""
    found = []
    for entry in _entries(layout.sources):
        if entry.name not in READ_IN_SOURCES:
            found.append(entry)
        elif entry.is_dir() and not entry.is_symlink():
            suffix = READ_IN_SOURCES[entry.name]
            found += [e for e in _entries(Path(entry.path)) if e.is_dir() or not e.name.endswith(suffix)]
    return [
        diag("F609", "is not read: " + _unread_reason(layout, Path(e.path)), layout.rel(Path(e.path)))
        for e in found
    ]


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as listing:
            return sorted((e for e in listing if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError:
        return []


def _unread_reason(layout: ProjectLayout, path: Path) -> str:
    if path.parent == layout.sources:
        return "sources/ holds documents/, bulletins/ and registry.yaml"
    if path.is_dir():
        return "sub-folders are not read; move its texts up into " + path.parent.name + "/"
    if path.parent.name == "documents":
        return "only *.txt files are texts (`fadian import` makes one of a .md or .docx)"
    return "only *.yaml files are bulletins"


def read_documents(
    layout: ProjectLayout,
    paths: list[Path] | None,
    result: BuildResult,
    in_repo: bool,
    cache: DocumentCache | None,
    log: RepoLog | None = None,
    sources: dict[str, list] | None = None,
) -> list[SourceDocument]:
    """Every document of the project read (the chosen ones with every check) and parsed, or its
    cache entry found; in a repository, its versions from git. A document whose bytes
    (``sources``) and commits are the last build's is taken as that build left it, unread."""
    chosen = None if paths is None else {layout.rel(p) for p in paths}
    all_docs = layout.document_files()
    rels = {q: layout.rel(q) for q in all_docs}
    known = set(rels.values())
    extra = [p for p in (paths or []) if p.suffix != ".yaml" and layout.rel(p) not in known]
    code = code_digest() if cache is not None else ""
    stated = sources is not None and cache is not None and chosen is None
    if stated:
        assert cache is not None
        cache.open_state(json.dumps([code, log.scope() if log is not None else None]))
    read: dict[Path, bytes] = {}
    records: dict[Path, SourceDocument] = {}
    with gc_paused():  # the last build's entries unpickled: no garbage, and each collection
        for path in all_docs + extra:  # walked every entry unpickled before it again
            rel = rels[path] = rels.get(path) or layout.rel(path)
            if stated and (record := _stated_record(layout, path, rel, sources, cache, log)) is not None:
                records[path] = record
                continue
            is_chosen = chosen is None or rel in chosen
            data = read_source_file(layout, path, result, rel) if is_chosen else _quiet_read(path)
            if data is not None:
                read[path] = data
        freeze_heap()
    checkpoint("state-read")
    if log is not None:  # every version of every text, read from git in one go
        log.prefetch(list(read), read)
    for path, data in read.items():
        record = SourceDocument(rels[path], data, reported=chosen is None or rels[path] in chosen)
        records[path] = _found(layout, record, path, in_repo, cache, log, stated)
    ordered = [records[p] for p in all_docs + extra if p in records]
    if stated:
        assert cache is not None
        for r in ordered:
            if r.source:
                cache.note(r.path, r.source, r.key, r.version_count, r.version_diagnostics)
    parse_records([r for r in ordered if r.cached is None], workers=cache is not None)
    return ordered


def _found(
    layout: ProjectLayout,
    record: SourceDocument,
    path: Path,
    in_repo: bool,
    cache: DocumentCache | None,
    log: RepoLog | None,
    stated: bool,
) -> SourceDocument:
    """A document read: its versions, its cache entry (and, to find it unread next time, what
    its bytes and commits are)."""
    if in_repo:
        _read_versions(layout, record, log)
    if cache is not None:
        assert record.data is not None
        record.key = entry_key(code_digest(), record.path, record.data, record.versions)
        record.cached = cache.load(record.key)
        if stated:
            history = log.file_digest(path) if log is not None else None
            record.source = source_state(hashlib.sha256(record.data).hexdigest(), history)
    if record.cached is not None:
        record.document = record.cached.document
    return record


def _stated_record(
    layout: ProjectLayout,
    path: Path,
    rel: str,
    sources: dict[str, list] | None,
    cache: DocumentCache,
    log: RepoLog | None,
) -> SourceDocument | None:
    """The document at ``path`` as the last build left it, when its bytes (``sources``: their
    sha256 as the fingerprint found it) and commits are the same; None: read it."""
    digest = (sources or {}).get(rel)
    if digest is None or layout.is_link(path):  # a link is read: where it leads is checked
        return None
    history = log.file_digest(path, link=False) if log is not None else None
    if log is not None and history is None:
        return None
    source = source_state(digest[3], history)
    kept = cache.stated(rel, source)
    if kept is None:
        return None
    record = SourceDocument(rel, None, key=kept.key, cached=kept.entry, source=source)
    record.version_count, record.version_diagnostics = kept.version_count, kept.version_diagnostics
    record.document = kept.entry.document
    return record


def _read_versions(layout: ProjectLayout, record: SourceDocument, log: RepoLog | None) -> None:
    record.versions, record.version_diagnostics = document_versions(layout, record.path, log, record.data)
    record.version_count = len(record.versions)


def parsed_again(
    layout: ProjectLayout,
    record: SourceDocument,
    result: BuildResult,
    log: RepoLog | None,
    cache: DocumentCache | None,
) -> bool:
    """A document to compile, parsed (False: it can no longer be read, F603 says so). One taken
    unread from the last build's state (an answer of the index changed) is read now, with its
    versions, and its key made again."""
    if record.data is None:
        read_after_all(layout, record, result, log, cache)
    if record.data is not None and record.document is None:
        record.document = prepare_source(record.path, record.data)
    return record.document is not None


def read_after_all(
    layout: ProjectLayout,
    record: SourceDocument,
    result: BuildResult,
    log: RepoLog | None,
    cache: DocumentCache | None,
) -> None:
    record.data = read_source_file(layout, layout.root / record.path, result, record.path)
    if record.data is None:
        return
    if record.version_count is not None:
        _read_versions(layout, record, log)
    record.key = entry_key(code_digest(), record.path, record.data, record.versions)
    if cache is not None and record.source:
        cache.note(record.path, record.source, record.key, record.version_count, record.version_diagnostics)


def _quiet_read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def read_source_file(
    layout: ProjectLayout, path: Path, result: BuildResult, rel: str | None = None
) -> bytes | None:
    """A source's bytes, if it is a regular file inside the project and not too large: a symlink
    out of the repository, a FIFO or a device is error F606, never read (a FIFO would hang).
    ``rel``: its path in the project, when known."""
    rel = rel if rel is not None else layout.rel(path)
    resolved = layout.real_path(path)
    try:
        st = os.stat(resolved)
    except OSError as exc:
        result.diagnostics.append(diag("F603", f"cannot read: {getattr(exc, 'strerror', exc)}", rel))
        return None
    problem = None
    root = layout.real_root
    if resolved != root and not resolved.startswith(root + os.sep):
        problem = diag("F606", f"is a link to {resolved}, outside the project", rel)
    elif stat.S_ISDIR(st.st_mode):
        problem = diag("F603", "is a folder, not a file", rel)
    elif not stat.S_ISREG(st.st_mode):
        problem = diag("F606", "is not a regular file (a pipe, socket or device)", rel)
    elif st.st_size > MAX_SOURCE_BYTES:
        problem = diag("F108", f"is {st.st_size:,} bytes (limit {MAX_SOURCE_BYTES:,})", rel)
    if problem is not None:
        result.diagnostics.append(problem)
        return None
    try:
        with open(resolved, "rb") as source:
            return source.read()
    except OSError as exc:
        result.diagnostics.append(diag("F603", f"cannot read: {exc.strerror}", rel))
        return None


def project_index(
    layout: ProjectLayout, works: list[tuple[Work, list[str]]], result: BuildResult
) -> RefIndex:
    """The registry of external works plus every document of the corpus (``works``: each with
    its short titles), by title and short title."""
    registry = layout.sources / "registry.yaml"
    registered: list = []
    if registry.is_file():
        registered, diags = load_registry(layout.rel(registry), registry.read_bytes())
        result.diagnostics += diags
        result.registry = [work for work, _aliases in registered]
    index = registry_index(registered)
    for work, short_titles in works:
        index.add(work, *short_titles)
    checkpoint("indexed")
    return index


def legal_context(
    records: list[SourceDocument], as_of: str | None, latest_commit: str | None, root: Path = Path(".")
) -> LegalContext:
    """What the project knows of its texts in time: its stated date, the 施行日期 of its
    instruments, which texts are versions of one work and when each later one took over."""
    metas = {r.path: m for r in records if (m := r.base_meta) is not None}
    instruments = instrument_effective(list(metas.values()))
    dated = {path: with_instrument_date(m, instruments) for path, m in metas.items()}
    works = group_works(list(dated.items()))
    by_path = {r.path: r for r in records}

    def eids_of(path: str) -> Iterable[str]:
        found = by_path[path].provision_ids()
        return (found[0] or ()) if found is not None else ()

    def text_of(path: str) -> bytes:  # (a text the last build left as it was is not read yet)
        data = by_path[path].data
        return data if data is not None else (root / path).read_bytes()

    parts = with_printed(group_parts(list(dated.items()), eids_of), text_of, metas)
    return LegalContext(
        stated_date(as_of, latest_commit, list(dated.values())),
        instruments,
        works,
        superseded_days(works, dated),
        repeal_days(list(dated.values())),
        parts,
    )


def with_printed(
    parts: dict[str, PartIdentity], text_of: Callable[[str], bytes], metas: dict[str, DocumentMeta]
) -> dict[str, PartIdentity]:
    """Each part with what the whole work prints, read from its parts' text in order as one
    text (the 题注 heads the first part, the commencement article closes the last: a part alone
    would read neither, or read the commencement without the 题注 that says it is the
    original's); every part then states the same."""
    from fadian.read.legalmeta import read_legal_metadata
    from fadian.read.sources import read_source

    out = {}
    for paths in {p.paths for p in parts.values()}:
        lines = [ln for path in paths for ln in read_source(path, text_of(path)).lines]
        lead = metas[paths[0]]  # (what its front matter gives stands where the text prints nothing)
        text = read_legal_metadata(lines, lead.title)
        printed = tuple((key, getattr(text, key) or getattr(lead, key)) for key in (*PRINTED, "events"))
        out.update((path, dataclasses.replace(parts[path], printed=printed)) for path in paths)
    return out


def contextual_meta(record: SourceDocument, context: LegalContext) -> DocumentMeta | None:
    base = record.base_meta
    return in_context(base, record.path, context) if base is not None else None


def take_from_cache(
    record: SourceDocument,
    index: RefIndex,
    instruments: Instruments,
    answers: dict,
    cache: DocumentCache | None,
    context: LegalContext,
    placed: DocumentMeta | None = None,
) -> bool:
    """Use the record's cache entry if the index still answers as it did, the project's legal
    context is the one it was compiled in, and no instrument of the corpus amends it; otherwise
    it is to be parsed again for compiling. True when it was used. ``placed``: its metadata in
    the context, computed already."""
    entry = record.cached
    if entry is None or cache is None:
        return False
    versions = record.version_count or 0
    same_time = entry.context == context.digest_for(record.path, entry.base_meta, versions, placed)
    if (
        same_time
        and answers_hold(entry.queries, index, answers)
        and not amending(entry.document, instruments)
    ):
        cache.use(record.key, entry)
        record.history = entry.history
        if record.version_count is not None and entry.document.meta is not None:
            diagnostics = record.version_diagnostics + entry.history_diagnostics
            record.reported_diagnostics = reported(entry.document, diagnostics)
        return True
    record.cached = record.document = None  # an answer changed: compiled again
    return False


def _without_part_start(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A part of a work kept in several files that starts where the part before it ended (its
    first article the next one's number) does not start at 第一条 or 第一编: not a gap."""
    starts = ("the first article is ", "book numbering starts at ", "chapter numbering starts at ")
    return [d for d in diagnostics if not (d.code == "F302" and d.message.startswith(starts))]


def add_to_result(record: SourceDocument, result: BuildResult, context: LegalContext | None = None) -> None:
    assert record.document is not None
    part = context.parts.get(record.path) if context is not None else None
    if part is not None and part.continues:
        record.document.diagnostics = _without_part_start(record.document.diagnostics)
    result.documents.append(record.document)
    meta = record.document.meta
    if record.history is not None and meta is not None:
        result.histories[meta.slug] = record.history


def slug_clashes(documents: list[CompiledDocument]) -> list[Diagnostic]:
    """F207 for every document whose slug an earlier one already uses."""
    seen: dict[str, str] = {}
    out = []
    for doc in documents:
        if doc.meta is None:
            continue
        if doc.meta.slug in seen:
            out.append(
                diag("F207", f"slug {doc.meta.slug!r} is also used by {seen[doc.meta.slug]}", doc.path)
            )
        seen[doc.meta.slug] = doc.path
    return out


def check_bulletins(
    layout: ProjectLayout,
    paths: list[Path] | None,
    records: list[SourceDocument],
    index: RefIndex,
    result: BuildResult,
    progress: Callable[[str], None] | None,
) -> None:
    """Every bulletin (or the chosen ones) read, checked against its documents, written as AKN."""
    docs = [r.document for r in records if r.document is not None]
    chosen = [r.document for r in records if r.reported and r.document is not None]
    metas = {d.meta.slug: d for d in [*docs, *chosen] if d.meta is not None}
    counts = {
        slug: {k: d.count(k) for k in ("chapter", "article")}
        for slug, d in metas.items()
        if d.tree is not None or d.counts is not None
    }
    for path in [p for p in (paths or layout.bulletin_files()) if p.suffix == ".yaml"]:
        name = layout.rel(path)
        if progress:
            progress(name)
        data = read_source_file(layout, path, result)
        if data is None:
            continue
        bulletin, diags = load_bulletin(name, data)
        result.diagnostics += diags
        if bulletin is None:
            continue
        for _rubric, entry in bulletin.entries():
            if str(entry.get("slug")) not in metas:
                line = bulletin.line_of(f"slug: {entry.get('slug')}")
                message = f"bulletin lists unknown document {entry.get('slug')!r}"
                result.diagnostics.append(diag("F601", message, name, line))
        result.diagnostics += check_stated_counts(bulletin, counts)
        root, citations = build_collection(bulletin, {s: d.meta for s, d in metas.items() if d.meta}, index)
        result.bulletin_citations[bulletin.slug] = citations
        result.diagnostics += validate_akn(root, name)
        result.bulletins.append((bulletin, serialize(root)))
