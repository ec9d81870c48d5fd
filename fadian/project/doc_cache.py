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
"""

from __future__ import annotations

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
from fadian.pipeline import LAST_ARTICLE, STRUCTURE_KINDS, CompiledDocument, StoredBytes
from fadian.project.model import CachedDocument, HistoryOutput

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
    counts = {k: every.get(k, 0) for k in (*STRUCTURE_KINDS, LAST_ARTICLE)}
    return CompiledDocument(
        doc.path, doc.meta, None, None, list(doc.diagnostics), doc.refs, doc.xml_bytes(), counts
    )


BLOBS = "blobs"  # in the cache folder: AKN and history.json files by their sha256


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
        if not isinstance(entry, CachedDocument):
            return None
        blobs = os.path.join(self.folder, BLOBS)
        stored = _files_of(entry)
        if not all(
            isinstance(s, StoredBytes) and os.path.isfile(os.path.join(blobs, s.digest)) for s in stored
        ):
            return None  # a file of the entry is missing: compiled again
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
        tmp.write_bytes(zlib.compress(pickle.dumps(named, protocol=pickle.HIGHEST_PROTOCOL), 1))
        tmp.replace(self.folder / key)
        return kept

    def prune(self) -> None:
        """Remove the entries (and files) this build did not use (call with the build lock
        held)."""
        if not self.folder.is_dir():
            return
        for folder in (self.folder, self.folder / BLOBS):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.is_file() and path.name not in self.used:
                    path.unlink(missing_ok=True)


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
