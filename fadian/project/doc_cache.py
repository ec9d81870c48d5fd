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
build/, not a place for files from elsewhere). The AKN and history files of an entry are kept
beside them, each in a file named by its sha256 (``blobs/``), and only named in the entry: a
build after an edit reads 3,000 small entries, not 3,000 AKN files, and links the files it
publishes unchanged.

The last build's documents are also kept together, by path, in one file (``state``): each with
what its versions and bytes were read from (``source_state``) and its entry. A build that finds
a document's source and commits as they were takes its entry from there without reading the
file, its versions or its entry's own file (a build after an edit read 3,000 of each).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import pickle
import zlib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from fadian.history.git import Version
from fadian.pipeline import FIRST_ARTICLE, LAST_ARTICLE, STRUCTURE_KINDS, CompiledDocument, StoredBytes
from fadian.project.model import CachedDocument, HistoryOutput
from fadian.project.outputs import citation_lines

CACHE_DIR = ".doc-cache"  # in build/


def entry_key(code: str, rel: str, data: bytes, versions: list[Version] | None) -> str:
    """What a document is made from: fadian's code, its path and bytes, its versions."""
    h = hashlib.sha256(f"{code}\0{rel}\0".encode())
    h.update(data)
    for v in versions or []:
        h.update(json.dumps([v.number, v.label, v.date, v.commit, list(v.tags), v.message]).encode())
        h.update(hashlib.sha256(v.data).digest())
    return h.hexdigest()[:40]


def frozen_document(doc: CompiledDocument) -> CompiledDocument:
    """The document as kept in the cache: AKN bytes and counts instead of trees."""
    every = doc.all_counts()
    counts = {k: every.get(k, 0) for k in (*STRUCTURE_KINDS, FIRST_ARTICLE, LAST_ARTICLE)}
    lines = None
    if doc.refs is not None and doc.meta is not None:
        lines = citation_lines(doc.meta.slug, doc.refs.citations, doc.path)
    return CompiledDocument(
        doc.path,
        doc.meta,
        None,
        None,
        list(doc.diagnostics),
        doc.refs,
        doc.xml_bytes(),
        counts,
        citation_lines=lines,
    )


BLOBS = "blobs"  # in the cache folder: AKN and history.json files by their sha256
STATE = "state"  # in the cache folder: the last build's documents, by path
# in the cache folder: the drafts of the changes between commits of the texts the last build
# compiled without keeping an entry (the laws an instrument amends), by path
DRAFTS = "drafts"
Drafts = dict[tuple[str, str], dict]  # the draft of a change, by the commits it goes between


def source_state(sha256: str, history: str | None) -> str:
    """What a document's entry was found from, short of reading it: the sha256 of its bytes and
    (in git) :meth:`~fadian.history.git.RepoLog.file_digest` of its commits."""
    return f"{sha256} {history or '-'}"


@dataclass(frozen=True)
class StatedDocument:
    """A document as the last build left it (``DocumentCache.stated``)."""

    key: str
    entry: CachedDocument
    version_count: int | None
    version_diagnostics: list


@dataclass
class DocumentCache:
    folder: Path
    used: set[str] = field(default_factory=set)
    # key → its entry pickled (its file, decompressed), this build
    raw: dict[str, bytes] = field(default_factory=dict)
    _state: dict[str, tuple] = field(default_factory=dict)  # the last build's, by path
    _noted: dict[str, tuple] = field(default_factory=dict)  # this build's, by path
    _scope: str = ""
    _blobs: set[str] | None = None
    _drafts: dict[str, Drafts] = field(default_factory=dict)  # the last build's (DRAFTS)
    _drafts_noted: dict[str, Drafts] = field(default_factory=dict)  # this build's

    def open_state(self, scope: str) -> None:
        """Read the last build's documents, if it was made in ``scope`` (fadian's code, the
        repository's tags…): what every document's entry depends on besides its own sources."""
        self._scope = scope
        self._state = self._read_scoped(STATE, "documents")
        self._drafts = self._read_scoped(DRAFTS, "drafts")

    def _read_scoped(self, name: str, part: str) -> dict:
        """The ``part`` of the cache file ``name`` when it was written in this scope (else {})."""
        try:
            kept = pickle.loads((self.folder / name).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return {}
        if isinstance(kept, dict) and kept.get("scope") == self._scope and isinstance(kept.get(part), dict):
            return kept[part]
        return {}

    def stated(self, rel: str, source: str) -> StatedDocument | None:
        """The last build's entry of the document at ``rel`` when its sources were ``source``
        (:func:`source_state`) then too, and its files are all still kept."""
        kept = self._state.get(rel)
        if not isinstance(kept, tuple) or len(kept) != 5 or kept[0] != source:
            return None  # (not as this fadian writes it: found the long way)
        _source, key, version_count, version_diagnostics, raw = kept
        entry = self._entry(key, raw)
        if entry is None:
            return None
        return StatedDocument(key, entry, version_count, version_diagnostics)

    def note(self, rel: str, source: str, key: str, version_count: int | None, diagnostics: list) -> None:
        """What the next build's :meth:`stated` answers for ``rel`` (if its entry is kept)."""
        self._noted[rel] = (source, key, version_count, diagnostics)

    def drafted(self, rel: str) -> Drafts:
        """The drafts of the changes between commits in the history the last build published for
        ``rel`` (made by this code: the state and the drafts are read only in its scope)."""
        if rel in self._drafts:
            return self._drafts[rel]
        kept = self._state.get(rel)
        if not isinstance(kept, tuple) or len(kept) != 5:
            return {}
        entry = self._entry(kept[1], kept[4])
        if entry is None or entry.history is None:
            return {}
        text = entry.history.text
        record = json.loads(text.read() if isinstance(text, StoredBytes) else text)
        commits = {v["version"]: v.get("commit") for v in record.get("versions", [])}
        return {
            (commits[d["from"]], commits[d["to"]]): d["draft"]
            for d in record.get("diffs", [])
            if "draft" in d and commits.get(d["from"]) and commits.get(d["to"])
        }

    def note_drafts(self, rel: str, drafts: Drafts) -> None:
        """What the next build's :meth:`drafted` answers for ``rel``, a text kept in no entry."""
        if drafts:
            self._drafts_noted[rel] = drafts

    def save_state(self) -> None:
        """Keep this build's documents for the next one: those whose entry it used (call with
        the build lock held, once they are written: a build that then fails to publish leaves
        entries that are still what their sources compile to)."""
        documents = {
            rel: (*noted, self.raw[noted[1]])
            for rel, noted in sorted(self._noted.items())
            if noted[1] in self.used and noted[1] in self.raw
        }
        if not self.folder.is_dir():
            if not self._drafts_noted:
                return
            self.folder.mkdir(parents=True)  # (a project whose every text an instrument amends)
        # (a text kept in the state has its drafts in its entry's history)
        drafts = {rel: d for rel, d in sorted(self._drafts_noted.items()) if rel not in documents}
        for name, kept in ((STATE, {"documents": documents}), (DRAFTS, {"drafts": drafts})):
            if not next(iter(kept.values())):
                (self.folder / name).unlink(missing_ok=True)
                continue
            tmp = self.folder / f".{name}.{os.getpid()}"
            tmp.write_bytes(pickle.dumps({"scope": self._scope, **kept}, protocol=5))
            tmp.replace(self.folder / name)

    def load(self, key: str) -> CachedDocument | None:
        try:
            pickled = zlib.decompress((self.folder / key).read_bytes())
        except (OSError, zlib.error):
            return None
        return self._entry(key, pickled)

    def _entry(self, key: str, pickled: bytes) -> CachedDocument | None:
        """An entry from its pickle (the state keeps them uncompressed: decompressing 3,000
        entry files' bytes was a fifth of reading the state)."""
        try:
            entry = pickle.loads(pickled)
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
        ):
            return None
        if not isinstance(entry, CachedDocument):
            return None
        blobs = os.path.join(self.folder, BLOBS)
        if self._blobs is None:  # listed once: a build asks about thousands
            try:
                self._blobs = set(os.listdir(blobs))
            except OSError:
                self._blobs = set()
        stored = _files_of(entry)
        if not all(isinstance(s, StoredBytes) and s.digest in self._blobs for s in stored):
            return None  # a file of the entry is missing: compiled again
        self.raw[key] = pickled
        where = partial(_stored_in, blobs)
        entry.document.xml = where(entry.document.xml)
        if entry.history is not None:
            entry.history.versions = [where(v) for v in entry.history.versions]
            entry.history.text = where(entry.history.text)
        return entry

    def use(self, key: str, entry: CachedDocument) -> None:
        """Mark an entry, and the files it names, as used by this build (kept by prune)."""
        self.used.add(key)
        self.used.update(s.digest for s in _files_of(entry) if isinstance(s, StoredBytes))

    def store(self, key: str, entry: CachedDocument) -> set[str]:
        """Keep ``entry``; its AKN and history files go to blobs/ and the entry names them.
        Returns the names of the files it is kept in (the entry's and its blobs')."""
        blobs = self.folder / BLOBS
        blobs.mkdir(parents=True, exist_ok=True)
        kept = {key}
        keep = partial(_keep_blob, blobs, kept)
        history = entry.history
        if history is not None:
            history = HistoryOutput([keep(v) for v in history.versions], keep(history.text))
        document = dataclasses.replace(entry.document, xml=keep(entry.document.xml))
        named = dataclasses.replace(entry, document=document, history=history)
        tmp = self.folder / f".{key}.{os.getpid()}"
        pickled = self.raw[key] = pickle.dumps(named, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.write_bytes(zlib.compress(pickled, 1))
        tmp.replace(self.folder / key)
        if self._blobs is not None:
            self._blobs.update(kept)
        return kept

    def prune(self) -> None:
        """Remove the entries (and files) this build did not use (call with the build lock
        held)."""
        if not self.folder.is_dir():
            return
        for folder in (self.folder, self.folder / BLOBS):
            if not folder.is_dir():
                continue
            with os.scandir(folder) as entries:  # (the kind from the listing: 12,000 stats)
                for entry in entries:
                    if entry.is_file() and entry.name not in self.used and entry.name not in (STATE, DRAFTS):
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(entry.path)


def _files_of(entry: CachedDocument) -> list:
    """What an entry keeps in blobs/: its AKN, each version's AKN and its history.json."""
    if entry.history is None:
        return [entry.document.xml]
    return [entry.document.xml, *entry.history.versions, entry.history.text]


def _keep_blob(blobs: Path, kept: set[str], data: bytes | StoredBytes | None) -> StoredBytes | None:
    """``data`` in blobs/ under its sha256 (written once), as the entry names it."""
    if data is None:
        return None
    digest = data.digest if isinstance(data, StoredBytes) else hashlib.sha256(data).hexdigest()
    kept.add(digest)
    target = blobs / digest
    if not target.exists():
        tmp = blobs / f".{digest}.{os.getpid()}"
        tmp.write_bytes(data.read() if isinstance(data, StoredBytes) else data)
        tmp.replace(target)
    return StoredBytes("", digest)  # where: set when the entry is loaded


def _stored_in(folder: str, data: StoredBytes | bytes | None) -> StoredBytes | bytes | None:
    if isinstance(data, StoredBytes):
        return StoredBytes(os.path.join(folder, data.digest), data.digest)
    return data
