"""The build's per-document cache: a document whose source, versions and every answer it got
from the citation index are those of a previous build is not parsed or compiled again; its
AKN, history and diagnostics are taken from ``build/.doc-cache/``.

An entry is found by the digest of what the document is made from (fadian's code, its path,
its bytes and, in git, every version of it), and is valid only while each question its
compilation asked of the index (a title looked up, the names cited without 《》) still gets
the same answer: a document that cites another is compiled again when the other's title or
provisions change, and only then (the dependencies are recorded as they are used, like a
build system's dynamic dependencies). Amendment instruments and the laws they amend are always
compiled.

Entries are pickles written and read by fadian's own builds under build/ (like the rest of
build/, not a place for files from elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from fadian.diagnostics import Diagnostic
from fadian.pipeline import STRUCTURE_KINDS, CompiledDocument
from fadian.refs.index import RefIndex, Work

CACHE_DIR = ".doc-cache"  # in build/


def _answer(value: object) -> str:
    """A digest of an index answer (a work, a list of names, or nothing)."""
    if isinstance(value, Work):
        value = [
            value.uri,
            value.title,
            sorted(value.eids or ()),
            value.eids is None,
            value.corpus,
            value.url,
        ]
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:24]


@dataclass
class RecordingIndex:
    """A citation index that notes every question asked of it and the answer given."""

    index: RefIndex
    queries: dict[tuple[str, str], str] = field(default_factory=dict)

    def lookup(self, title: str) -> Work | None:
        work = self.index.lookup(title)
        self.queries[("lookup", title)] = _answer(work)
        return work

    def named(self, key: str) -> Work:
        work = self.index.named(key)
        self.queries[("named", key)] = _answer(work)
        return work

    def alias_names(self) -> list[str]:
        names = self.index.alias_names()
        self.queries[("alias_names", "")] = _answer(names)
        return names


def answers_hold(queries: dict[tuple[str, str], str], index: RefIndex, memo: dict | None = None) -> bool:
    """Whether ``index`` answers every recorded question as before (``memo``: the answers
    already computed in this build, shared between documents)."""
    memo = {} if memo is None else memo
    for query, answer in queries.items():
        if query not in memo:
            method, arg = query
            try:
                memo[query] = _answer(getattr(index, method)(*([arg] if method != "alias_names" else [])))
            except KeyError:
                memo[query] = None
        if memo[query] != answer:
            return False
    return True


@dataclass
class CachedDocument:
    """One document as a build finished it, and what its compilation depended on."""

    work: Work  # the document as a citation target (the index is built from these)
    short_titles: list[str]
    queries: dict[tuple[str, str], str]
    document: CompiledDocument  # without tree or lxml root: its AKN bytes and counts
    history: object | None  # project/outputs HistoryOutput
    history_diagnostics: list[Diagnostic]


def entry_key(code: str, rel: str, data: bytes, versions: list | None) -> str:
    """What a document is made from: fadian's code, its path and bytes, its versions."""
    h = hashlib.sha256(f"{code}\0{rel}\0".encode())
    h.update(data)
    for v in versions or []:
        h.update(json.dumps([v.number, v.label, v.date, v.commit, list(v.tags), v.message]).encode())
        h.update(hashlib.sha256(v.data).digest())
    return h.hexdigest()[:40]


def frozen_document(doc: CompiledDocument) -> CompiledDocument:
    """The document as kept in the cache: AKN bytes and counts instead of trees."""
    counts = {k: doc.count(k) for k in STRUCTURE_KINDS}
    return CompiledDocument(
        doc.path, doc.meta, None, None, list(doc.diagnostics), doc.refs, doc.xml_bytes(), counts
    )


@dataclass
class DocumentCache:
    folder: Path
    used: set[str] = field(default_factory=set)

    def load(self, key: str) -> CachedDocument | None:
        try:
            entry = pickle.loads(zlib.decompress((self.folder / key).read_bytes()))
        except (
            OSError,
            zlib.error,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
        ):
            return None
        return entry if isinstance(entry, CachedDocument) else None

    def store(self, key: str, entry: CachedDocument) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.folder / f".{key}.{os.getpid()}"
        tmp.write_bytes(zlib.compress(pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL), 1))
        tmp.replace(self.folder / key)

    def prune(self) -> None:
        """Remove the entries this build did not use (call with the build lock held)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
