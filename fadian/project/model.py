"""The contract types of a project build, at the bottom of project/: every stage imports these,
never the build that calls it.

- :class:`ProjectLayout`: where a project keeps its sources and its build (paths only).
- :class:`SourceDocument`: one source document on its way through the check stage (its bytes,
  versions, cache entry, compilation, history and what is reported about it).
- :class:`CachedDocument`: a document as a previous build finished it (project/doc_cache).
- :class:`HistoryOutput`: what a build publishes of one document's history.
- :class:`BuildResult`: what the check stage hands to the output stages.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fadian.diagnostics import Diagnostic, has_errors

if TYPE_CHECKING:  # types only: a build that changes nothing imports none of the compiler
    from fadian.akn.collection import Bulletin
    from fadian.akn.meta import DocumentMeta
    from fadian.history.git import Version
    from fadian.pipeline import CompiledDocument, StoredBytes
    from fadian.refs.index import Citation, RecordingIndex, RefIndex, Work


@dataclass(frozen=True)
class ProjectLayout:
    """A folder with sources/ (documents, bulletins, registry.yaml), build/ and site/."""

    root: Path
    # folder → its real path (a build asks for thousands of files in a few folders)
    _real_dirs: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    # a listed document's path → whether it is a link (as its folder's listing said)
    _links: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)
    # a listed document's path (not a link) → its path from the root (rel)
    _rels: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def document_files(self) -> list[Path]:
        """sources/documents/*.txt in order of name (the names sorted as strings: sorting 3,000
        paths took a tenth of an edit's parse); which of them are links is noted on the way."""
        folder = self.sources / "documents"
        found = _listed(folder, ".txt")
        base = str(folder)
        self._links.update((os.path.join(base, name), link) for name, link in found.items())
        real, root = self._real_dir(os.path.abspath(base)), self.real_root
        if real.startswith(root + os.sep):  # each (unlinked) file's path from the root, at once
            inside = real[len(root) + 1 :]
            unlinked = [name for name, link in found.items() if not link]
            self._rels.update((os.path.join(base, name), f"{inside}{os.sep}{name}") for name in unlinked)
        return [folder / name for name in sorted(found)]

    def bulletin_files(self) -> list[Path]:
        return sorted((self.sources / "bulletins").glob("*.yaml"))

    def source_count(self) -> int:
        """How many documents and bulletins there are, for a progress bar's total: their names
        counted, no paths made or sorted (a no-op build asks for it)."""
        documents, bulletins = self.sources / "documents", self.sources / "bulletins"
        return len(_listed(documents, ".txt")) + len(_listed(bulletins, ".yaml"))

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, symlinks followed (as written when it is outside)."""
        known = self._rels.get(os.fspath(path))
        if known is not None:
            return known
        real, root = self.real_path(path), self.real_root
        if real == root:
            return "."
        return real[len(root) + 1 :] if real.startswith(root + os.sep) else str(path)

    @property
    def real_root(self) -> str:
        return self._real_dir(str(self.root))

    def real_path(self, path: Path | str) -> str:
        """os.path.realpath, with the folder's real path looked up once."""
        if self.is_link(path):
            return os.path.realpath(path)
        folder, name = os.path.split(os.path.abspath(path))
        return (
            os.path.join(self._real_dir(folder), name)
            if name not in ("", ".", "..")
            else os.path.realpath(path)
        )

    def is_link(self, path: Path | str) -> bool:
        """os.path.islink, answered from the folder's listing for a file document_files listed."""
        known = self._links.get(str(path))
        return os.path.islink(path) if known is None else known

    def _real_dir(self, folder: str) -> str:
        if folder not in self._real_dirs:
            self._real_dirs[folder] = os.path.realpath(folder)
        return self._real_dirs[folder]


def _listed(folder: Path, suffix: str) -> dict[str, bool]:
    """The names in ``folder`` a glob of ``*suffix`` finds (not hidden), each with whether it is
    a link, from one listing; none when the folder cannot be read."""
    try:
        with os.scandir(folder) as listing:
            return {e.name: e.is_symlink() for e in listing if e.name.endswith(suffix) and e.name[0] != "."}
    except OSError:
        return {}


@dataclass(frozen=True)
class BuildOptions:
    """What the editor asked of a build."""

    site: bool = True
    editions: bool = True
    scheduler: str | None = None  # a Dask scheduler for the pages (the same bytes wherever made)
    as_of: str | None = None
    keep_going: bool = False
    search: bool = True

    def fingerprinted(self) -> dict:
        """The options that change what a build publishes, as its fingerprint records them."""
        return {
            "site": self.site,
            "editions": self.editions,
            **({"as_of": self.as_of} if self.as_of else {}),
            **({"keep_going": True} if self.keep_going else {}),
            **({"search": False} if not self.search else {}),
        }


@dataclass
class HistoryOutput:
    """What a build publishes of one document's history: history.json and each version's AKN."""

    versions: list[bytes | StoredBytes]  # each version's AKN
    text: bytes | StoredBytes  # history.json as published

    @classmethod
    def of(cls, record: dict, versions: list[bytes]) -> HistoryOutput:
        """history.json without indentation: Python's JSON writer indents only in its slow pure-
        Python path (1.4 ms a text, most of a history's cost), and the file is read by programs."""
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        return cls(list(versions), (text + "\n").encode())


@dataclass
class CachedDocument:
    """One document as a build finished it, and what its compilation depended on."""

    work: Work  # the document as a citation target (the index is built from these)
    short_titles: list[str]
    queries: dict[tuple[str, str], str]
    document: CompiledDocument  # without tree or lxml root: its AKN bytes and counts
    history: HistoryOutput | None
    history_diagnostics: list[Diagnostic]
    base_meta: DocumentMeta | None = None  # as its source says, before the project's context
    context: list | None = None  # what of the project's legal context it was compiled in

    def __getstate__(self) -> dict:
        """Kept with ``base_meta`` as what it changes of the document's metadata (a status, a
        date): the two differ in a field or two, and unpickling 3,000 metadata records twice was
        half of loading the build's state."""
        state = dict(self.__dict__)
        base, meta = self.base_meta, self.document.meta
        if base is not None and meta is not None and type(base) is type(meta):
            names = [f.name for f in dataclasses.fields(base)]
            state["base_meta"] = MetaChanges(
                {n: getattr(base, n) for n in names if getattr(base, n) != getattr(meta, n)}
            )
        return state

    def __setstate__(self, state: dict) -> None:
        base = state.get("base_meta")
        if isinstance(base, MetaChanges):
            state = {**state, "base_meta": _changed(state["document"].meta, base.fields)}
        self.__dict__.update(state)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _changed(record, changes: dict):
    """``dataclasses.replace(record, **changes)`` for a record without __post_init__ (3,000 of them
    as a build's state is read: replace's __init__ call was a tenth of it); cached properties are
    not carried over, as replace would not."""
    cls = type(record)
    if hasattr(cls, "__post_init__") or not hasattr(record, "__dict__"):
        return dataclasses.replace(record, **changes)
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(record))
    values = record.__dict__
    made = object.__new__(cls)
    made.__dict__.update({name: values[name] for name in names}, **changes)
    return made


@dataclass(frozen=True)
class MetaChanges:
    """The fields in which one metadata record differs from another (CachedDocument's pickle)."""

    fields: dict


@dataclass
class SourceDocument:
    """One file of sources/documents through the check stage."""

    path: str  # relative to the project root
    data: bytes | None  # None: not read (taken as the last build left it, project/doc_cache)
    reported: bool = True  # checked by name (or a whole build): its diagnostics are shown
    versions: list[Version] | None = None  # from git (None outside a repository)
    version_count: int | None = None  # how many versions (read, or as the last build knew them)
    source: str = ""  # what its entry is found from (doc_cache.source_state), when known
    version_diagnostics: list[Diagnostic] = field(default_factory=list)
    key: str = ""  # its build cache key ('' when the check uses no cache)
    cached: CachedDocument | None = None  # the cache entry found for the key
    document: CompiledDocument | None = None  # parsed, then compiled (or the cached one)
    recorder: RecordingIndex | None = None  # the questions its compilation asked of the index
    history: HistoryOutput | None = None
    source_meta: DocumentMeta | None = None  # its metadata before the project's context
    history_diagnostics: list[Diagnostic] = field(default_factory=list)  # of compiling its versions
    reported_diagnostics: list[Diagnostic] = field(default_factory=list)  # of its history, shown
    # parsed by a worker, which sent back its metadata and eIds without the tree: the tree is
    # made again where the document is compiled (the build never holds every tree at once)
    reparse: bool = False
    eids: frozenset[str] | None = None

    @property
    def base_meta(self) -> DocumentMeta | None:
        """The metadata its source gives, before the project's legal context is applied."""
        if self.cached is not None:
            return self.cached.base_meta
        return self.document.meta if self.document is not None else None

    @property
    def is_latest_version(self) -> bool:
        """In git, the text is its latest committed version (compiled once, in its history)."""
        return bool(self.versions) and self.versions[-1].data == self.data

    def provision_ids(self) -> tuple[Iterable[str] | None, list[str]] | None:
        """The document's eIds and short titles, wherever this build has them (its cache entry,
        the parsing worker, its tree); None when it did not parse."""
        if self.cached is not None:
            return self.cached.work.eids, self.cached.short_titles
        if (doc := self.document) is not None and doc.meta is not None and self.reparse:
            return self.eids, list(doc.meta.short_titles)
        if (doc := self.document) is not None and doc.meta is not None and doc.tree is not None:
            return frozenset(n.eid for n in doc.tree.nodes()), list(doc.meta.short_titles)
        return None

    def as_target(self, meta: DocumentMeta | None) -> tuple[Work, list[str]] | None:
        """The document as the citation index knows it (None: it did not parse): with ``meta``,
        its metadata in the project (the work it belongs to, when its version took effect)."""
        from fadian.history.timeline import version_start
        from fadian.refs.index import ExpressionRef, ProvisionIds, Work

        found = self.provision_ids()
        if found is None:
            return None
        eids, short_titles = found
        if meta is None or eids is None:
            return None
        if not isinstance(eids, ProvisionIds):  # kept in the build cache as one line of text
            eids = ProvisionIds(eids)
        version = ExpressionRef(meta.expression_uri, version_start(meta), eids)
        return Work(meta.work_uri, meta.title, eids, corpus=True, expressions=(version,)), short_titles


@dataclass
class Withheld:
    """A document a ``--keep-going`` build did not publish, because of its errors."""

    path: str
    slug: str
    diagnostics: list[Diagnostic]
    carried: bool = False  # its previously published version stays in the site


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
    as_of: str | None = None  # the date statuses are stated at
    reused: int = 0  # documents taken from the build cache (project/doc_cache), not compiled
    withheld: list[Withheld] = field(default_factory=list)  # build --keep-going: not published
    citation_counts: dict[str, int] | None = None  # the citation summary, made as the reports are written
    citations_to_review: int = 0  # cited articles changed since the citing texts (refs/review)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        out = [d for doc in self.documents for d in doc.diagnostics]
        return out + self.diagnostics

    @property
    def ok(self) -> bool:
        return not has_errors(self.all_diagnostics)
