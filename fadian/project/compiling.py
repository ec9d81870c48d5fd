"""The compile step of the check stage: a parsed document's citations resolved, its AKN written
and validated (in git, with every version), and what the build cache keeps of it.

A whole build compiles on every core: the parent has read every source and built the citation
index; worker processes forked from it (so they start with all of that, nothing sent) compile
runs of the documents and send back only what the cache keeps — the AKN bytes, counts, the
history's files and the diagnostics, all picklable by construction — and the parent takes them
as if it had compiled them itself. Amendment instruments and the texts they amend are compiled
in the parent, in order (their trees stay in memory for the amendments); so is any document a
worker could not freeze (one with errors): the same function, the same bytes.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from fadian.akn.meta import DocumentMeta
from fadian.akn.validate import lxml_schema
from fadian.diagnostics import Diagnostic, has_errors
from fadian.executor import LOCAL_POOL_MIN_TASKS, chunked, gc_paused
from fadian.history.timeline import LegalContext, in_context
from fadian.history.versions import InstrumentRef
from fadian.pipeline import CompiledDocument, finish_document, prepare_source
from fadian.project.doc_cache import DocumentCache, frozen_document
from fadian.project.histories import amending, document_history, reported
from fadian.project.model import CachedDocument, HistoryOutput, SourceDocument
from fadian.project.outputs import history_output
from fadian.project.publish import start_worker
from fadian.refs.index import RecordingIndex, RefIndex, Work

Instruments = dict[str, list[InstrumentRef]]
Targets = dict[str, "tuple[Work, list[str]] | None"]


@dataclass(frozen=True)
class CompileJob:
    """What every document's compilation reads: the same for all of them in one build."""

    index: RefIndex
    instruments: Instruments
    cache: DocumentCache | None
    context: LegalContext
    targets: Targets


@dataclass
class CompiledRecord:
    """What a worker sends back for one record: the fields compiling sets on it."""

    position: int
    document: CompiledDocument  # frozen: AKN bytes and counts
    history: HistoryOutput | None
    history_diagnostics: list[Diagnostic]
    reported_diagnostics: list[Diagnostic]
    source_meta: DocumentMeta | None
    kept: set[str]  # what of the build cache the worker wrote for it
    raw: bytes | None  # the cache entry's file, as the worker wrote it

    def apply(self, record: SourceDocument, cache: DocumentCache) -> None:
        record.document = self.document
        record.history = self.history
        record.history_diagnostics = self.history_diagnostics
        record.reported_diagnostics = self.reported_diagnostics
        record.source_meta = self.source_meta
        cache.used.update(self.kept)
        if self.raw is not None:
            cache.raw[record.key] = self.raw


def compile_records(
    records: list[SourceDocument], job: CompileJob, progress: Callable[[str], None] | None = None
) -> None:
    """Compile ``records`` (and keep them in the cache): on every core when there are many."""
    done = _compile_in_workers(records, job, progress) if _worth_forking(records, job) else set()
    for position, record in enumerate(records):
        if position in done:
            continue
        if progress:
            progress(record.path)
        _compile_one(record, job)


def parse_records(records: list[SourceDocument], workers: bool) -> None:
    """Parse every record: with ``workers`` (a whole build, which compiles on every core too)
    and enough of them, in worker processes that send back each document without its tree —
    its metadata, diagnostics and eIds, all the index and the legal context read — so that the
    build never holds every tree at once (the trees of a collection would be most of its memory); an
    amendment instrument, or a text that did not parse, comes back whole."""
    global _FORKED_PARSE
    if not (workers and _worth_forking_at_all() and len(records) >= LOCAL_POOL_MIN_TASKS):
        for record in records:
            record.document = prepare_source(record.path, record.data)
        return
    _FORKED_PARSE = records
    try:
        context = multiprocessing.get_context("fork")
        cores = os.cpu_count() or 1
        with ProcessPoolExecutor(cores, mp_context=context, initializer=start_worker) as pool:
            for results in pool.map(_parse_run, chunked(list(range(len(records))), cores * 4)):
                for position, document, eids in results:
                    record = records[position]
                    record.document, record.eids, record.reparse = document, eids, eids is not None
    finally:
        _FORKED_PARSE = None


_FORKED_PARSE: list[SourceDocument] | None = None


def _parse_run(positions: list[int]) -> list[tuple[int, CompiledDocument, frozenset[str] | None]]:
    """In a worker: parse a run of records; each document without its tree (and its eIds), or
    whole (an instrument, a text with errors: few, and their trees are needed as they are)."""
    assert _FORKED_PARSE is not None
    out = []
    for position in positions:
        record = _FORKED_PARSE[position]
        with gc_paused():
            doc = prepare_source(record.path, record.data)
        if doc.tree is None or doc.instrument is not None or doc.meta is None:
            out.append((position, doc, None))
        else:
            eids = frozenset(n.eid for n in doc.tree.nodes())
            out.append((position, dataclasses.replace(doc, tree=None), eids))
    return out


def _compile_one(record: SourceDocument, job: CompileJob) -> set[str]:
    """Compile one record and keep it in the cache: the names of the cache's files it used."""
    if record.reparse:  # its tree was left in the worker that parsed it: made again here
        record.document, record.reparse = prepare_source(record.path, record.data), False
    compile_document(record, job.index, job.instruments, job.cache, job.context)
    return keep_in_cache(record, job.targets.get(record.path), job.instruments, job.cache, job.context)


def _worth_forking(records: list[SourceDocument], job: CompileJob) -> bool:
    """A whole build (it has a cache to send results through) on a machine with cores to use;
    how many documents make it worth it is decided on the ones that can go to a worker."""
    return job.cache is not None and _worth_forking_at_all()


def _worth_forking_at_all() -> bool:
    return (os.cpu_count() or 1) >= 2 and hasattr(os, "fork")


def _freezable(record: SourceDocument, job: CompileJob) -> bool:
    """A document the cache will keep (so a worker can send it back as bytes)."""
    doc = record.document
    return (
        doc is not None
        and (doc.tree is not None or record.reparse)
        and doc.meta is not None
        and doc.instrument is None
        and job.targets.get(record.path) is not None
        and not amending(doc, job.instruments)
    )


# the records and the job, set in the parent just before the workers are forked from it
_FORKED: tuple[list[SourceDocument], CompileJob] | None = None


def _compile_in_workers(
    records: list[SourceDocument], job: CompileJob, progress: Callable[[str], None] | None
) -> set[int]:
    """Positions of the records compiled by workers (and applied here)."""
    global _FORKED
    positions = [k for k, r in enumerate(records) if _freezable(r, job)]
    if len(positions) < LOCAL_POOL_MIN_TASKS:
        return set()
    assert job.cache is not None
    workers = os.cpu_count() or 1
    # the schema compiled here first: a thread may be compiling it (validate.compile_schema_aside)
    # and holding its lock, which a worker forked then would inherit held, and wait on forever;
    # compiled before the fork, every worker has it without compiling it again
    lxml_schema()
    _FORKED = (records, job)
    done: set[int] = set()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker) as pool:
            for results in pool.map(_compile_run, chunked(positions, workers * 4)):
                for result in results:
                    result.apply(records[result.position], job.cache)
                    done.add(result.position)
                    if progress:
                        progress(records[result.position].path)
    finally:
        _FORKED = None
    return done


def _compile_run(positions: list[int]) -> list[CompiledRecord]:
    """In a worker: compile a run of records; those that did not freeze are left to the parent."""
    assert _FORKED is not None
    records, job = _FORKED
    out = []
    for position in positions:
        record = records[position]
        kept = _compile_one(record, job)
        doc = record.document
        if doc is None or doc.root is not None or doc.xml is None:
            continue  # not frozen (it has errors): compiled again in the parent
        out.append(
            CompiledRecord(
                position,
                doc,
                record.history,
                record.history_diagnostics,
                record.reported_diagnostics,
                record.source_meta,
                kept,
                job.cache.raw.get(record.key) if job.cache is not None else None,
            )
        )
    return out


def compile_document(
    record: SourceDocument,
    index: RefIndex,
    instruments: Instruments,
    cache: DocumentCache | None,
    context: LegalContext,
) -> None:
    """Resolve citations, write and validate the AKN; in git, with every version. The one place
    that decides: a text that is its latest version (parsed without error) is compiled once, in
    its history, and takes its citations and diagnostics from there; otherwise apart."""
    doc = record.document
    assert doc is not None
    record.source_meta = doc.meta
    if doc.meta is not None:
        doc.meta = in_context(doc.meta, record.path, context)
    record.recorder = RecordingIndex(index) if cache is not None else None
    index_of_doc = record.recorder or index
    history = None
    parsed = doc.tree is not None and not has_errors(doc.diagnostics)
    if record.versions is not None and doc.meta is not None:
        # the newest version is the file as it was read: its parse is used again, not redone
        newest = record.versions[-1] if record.versions else None
        reuse = (
            dataclasses.replace(doc, meta=record.source_meta, diagnostics=list(doc.diagnostics))
            if record.is_latest_version and parsed and newest is not None and newest.data == record.data
            else None
        )
        several = len(record.versions) > 1  # (one version: no change to draft)
        drafted = cache.drafted(record.path) if cache is not None and several else None
        history, record.history_diagnostics = document_history(
            doc, record.versions, instruments, index_of_doc, context, reuse, drafted
        )
        diagnostics = record.version_diagnostics + record.history_diagnostics
        record.reported_diagnostics = reported(doc, diagnostics)
        if cache is not None and history is not None:
            cache.note_drafts(record.path, history.drafts_by_commits())
    latest = history.documents[-1] if history is not None else None
    if (
        record.is_latest_version
        and parsed
        and history is not None
        and history.versions[-1] is record.versions[-1]
    ):
        doc.refs, doc.diagnostics = latest.refs, latest.diagnostics
    else:
        finish_document(doc, index_of_doc)
    if history is not None:
        record.history = history_output(history)
    if latest is not None and latest.root is not None and latest.meta is not None:
        doc.take_akn_of(latest)  # the AKN of the latest version, with wIds


def keep_in_cache(
    record: SourceDocument,
    target: tuple[Work, list[str]] | None,
    instruments: Instruments,
    cache: DocumentCache | None,
    context: LegalContext,
) -> set[str]:
    """Keep a document compiled now in the cache (not an amendment instrument or a law it
    amends); from then on the build holds only its AKN bytes and counts, no trees. Returns the
    names of the cache's files it is kept in."""
    doc = record.document
    if cache is None or target is None or doc is None or record.recorder is None:
        return set()
    if doc.meta is None or doc.tree is None or not doc.ok:
        return set()
    if doc.instrument is not None or amending(doc, instruments):
        return set()
    frozen = frozen_document(doc)
    entry = CachedDocument(
        target[0],
        target[1],
        record.recorder.queries,
        frozen,
        record.history,
        record.history_diagnostics,
        record.source_meta,
        context.digest_for(record.path, record.source_meta, len(record.versions or [])),
    )
    kept = cache.store(record.key, entry)
    cache.used.update(kept)
    record.document = frozen
    return kept
