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

from fadian.history.git import Version
from fadian.pipeline import LAST_ARTICLE, STRUCTURE_KINDS, CompiledDocument
from fadian.project.model import CachedDocument

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
