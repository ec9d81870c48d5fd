"""One document through the stages: source → parse → eIds → refs → AKN → validate.

Each stage returns diagnostics instead of raising; ``compile_*`` collects
them and produces XML only when nothing is an error.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from fadian.akn.meta import DocumentMeta, meta_from_front_matter
from fadian.akn.write import VersionInfo, build_akn, serialize
from fadian.amend.grammar import is_instrument_title, parse_instrument
from fadian.amend.model import Instrument
from fadian.amend.tree import instrument_tree
from fadian.diagnostics import Diagnostic, diag, has_errors
from fadian.eids import assign_eids
from fadian.executor import gc_paused
from fadian.legal_fields import PRINTED
from fadian.model import DocumentTree
from fadian.read.legalmeta import calendar_date, read_legal_metadata
from fadian.read.parse import parse_document
from fadian.read.sources import SourceText, read_source
from fadian.refs.index import CitationIndex, DocumentRefs, RefIndex, Work
from fadian.refs.resolve import resolve_refs

_DATE_RE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


STRUCTURE_KINDS = ("book", "part", "chapter", "section", "article", "subsection", "point")  # counted
LAST_ARTICLE = "last_article"  # also in a document's counts: the number of its last article
FIRST_ARTICLE = "first_article"  # and of its first (a part of a work kept in several files)


@dataclass(frozen=True)
class StoredBytes:
    """Bytes kept in a file named by their sha256 (a document's AKN in the build cache): a
    build that publishes them as they were links the file, and reads it only when it must."""

    path: str
    digest: str

    def read(self) -> bytes:
        with open(self.path, "rb") as stored:
            return stored.read()


@dataclass
class CompiledDocument:
    path: str
    meta: DocumentMeta | None = None
    tree: DocumentTree | None = None
    root: etree._Element | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refs: DocumentRefs | None = None
    # a document from the build cache (project/doc_cache) has its AKN and counts, not its tree
    xml: bytes | StoredBytes | None = None
    counts: dict[str, int] | None = None
    instrument: Instrument | None = None  # the document is an amendment instrument
    # its citations as the citation report's lines (the build cache keeps them made)
    citation_lines: tuple[str, ...] | None = None
    # (root, its bytes): a build serializes a document's AKN once, for its history, cache and file
    _serialized: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return (self.root is not None or self.xml is not None) and not has_errors(self.diagnostics)

    def xml_bytes(self) -> bytes:
        if self.root is None and self.xml is not None:
            return self.xml.read() if isinstance(self.xml, StoredBytes) else self.xml
        assert self.root is not None
        if self._serialized is None or self._serialized[0] is not self.root:
            self._serialized = (self.root, serialize(self.root))
        return self._serialized[1]

    def akn_data(self) -> bytes | StoredBytes:
        """The AKN as bytes, or where the build cache keeps them (not read)."""
        return self.xml if isinstance(self.xml, StoredBytes) and self.root is None else self.xml_bytes()

    def take_akn_of(self, other: CompiledDocument) -> None:
        """The AKN (and metadata) of ``other`` as this document's, with its bytes if it was
        serialized already (the latest version of a history is the document itself)."""
        self.root, self.meta = other.root, other.meta
        self._serialized = other._serialized

    def as_work(self) -> Work:
        """The document as a citation target of the corpus."""
        assert self.meta is not None and self.tree is not None
        eids = frozenset(n.eid for n in self.tree.nodes())
        return Work(self.meta.work_uri, self.meta.title, eids, corpus=True)

    def count(self, kind: str) -> int:
        """How many structural units of ``kind`` (article, chapter …) the document has; for
        ``last_article``, the number of its last article (第四百五十二条: 452, 之一 aside)."""
        if self.counts is not None:
            return self.counts.get(kind, 0)
        return self.all_counts().get(kind, 0)

    def all_counts(self) -> dict[str, int]:
        """Every kind's count and ``last_article``, in one walk of the tree."""
        if self.counts is not None:
            return dict(self.counts)
        assert self.tree is not None
        counts: dict[str, int] = {}
        numbers = []
        for n in self.tree.nodes():
            counts[n.kind] = counts.get(n.kind, 0) + 1
            if n.kind == "article" and n.value:
                numbers.append(n.value)
        counts[LAST_ARTICLE] = max(numbers, default=0)
        counts[FIRST_ARTICLE] = min(numbers, default=0)
        return counts


def link_toc(tree: DocumentTree, path: str) -> list[Diagnostic]:
    """Point each 目录 entry at the body heading it names; report the ones that differ."""
    if tree.toc is None:
        return []
    squash = lambda s: re.sub(r"\s+", "", s or "")  # noqa: E731
    headings = {
        squash((n.num or "") + (n.heading or "")): n
        for n in tree.nodes()
        if n.kind in ("book", "part", "chapter", "section", "hcontainer")
    }
    diags = []
    for entry in tree.toc.items:
        target = headings.get(squash(entry.text))
        if target is None:
            diags.append(
                diag(
                    "F308",
                    f"目录 entry {entry.text!r} has no matching heading in the body",
                    path,
                    entry.line,
                    entry.col,
                )
            )
        else:
            entry.href = f"#{target.eid}"
    listed = {squash(e.text) for e in tree.toc.items}
    for key, node in headings.items():
        if node.kind == "chapter" and key not in listed:
            diags.append(
                diag(
                    "F308",
                    f"heading {node.num} {node.heading or ''} is missing from the 目录",
                    path,
                    node.line,
                    1,
                )
            )
    return diags


_FREEZING = [0]  # builds under way in this process (heap_frozen)


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """A build's work, in which what it has loaded is moved out of the cyclic collector's sight
    (freeze_heap) until the build ends: 3,000 cache entries are millions of objects, none of
    them garbage, and each full collection walked all of them again (most of a second of an
    edit's build)."""
    _FREEZING[0] += 1
    try:
        yield
    finally:
        _FREEZING[0] -= 1
        if not _FREEZING[0]:
            gc.unfreeze()


def freeze_heap() -> None:
    """Everything alive now left alone by the cyclic collector, inside heap_frozen only (a
    check outside a build freezes nothing)."""
    if _FREEZING[0]:
        gc.freeze()


def prepare_tree(
    source: SourceText, meta: DocumentMeta, *, strict_instrument: bool = True
) -> CompiledDocument:
    """Parse the body, assign eIds and link the 目录: everything before citations."""
    doc = CompiledDocument(source.path, meta=meta, diagnostics=list(source.diagnostics))
    if meta.doc_type == "amendment":
        instrument, inst_diags = parse_instrument(source.lines, source.path, strict=strict_instrument)
        doc.tree, doc.instrument = instrument_tree(instrument), instrument
        doc.diagnostics += inst_diags
        assign_eids(doc.tree)
        return doc
    tree, parse_diags = parse_document(source.lines, source.path, first_article=meta.first_article)
    doc.tree = tree
    doc.diagnostics += parse_diags
    assign_eids(tree)
    doc.diagnostics += link_toc(tree, source.path)
    return doc


def finish_document(
    doc: CompiledDocument, index: CitationIndex | None = None, version: VersionInfo | None = None
) -> CompiledDocument:
    """Resolve citations against ``index``, write the AKN and validate it."""
    from fadian.akn.validate import validate_akn

    if doc.tree is None or doc.meta is None:
        return doc
    if index is None:
        index = RefIndex()
        index.add(doc.as_work(), *doc.meta.short_titles)
    whole = doc.meta.title if doc.meta.component else None  # a part of a work in several files
    doc.refs = resolve_refs(doc.tree, doc.path, index, doc.meta.expression_date or doc.meta.date, whole)
    doc.diagnostics += doc.refs.diagnostics
    amends = amended_works(doc, index) if doc.instrument is not None else None
    root = build_akn(doc.tree, doc.meta, doc.refs.terms, version, amends)
    doc.diagnostics += validate_akn(root, doc.path)
    doc.root = root
    return doc


def amended_works(doc: CompiledDocument, index: RefIndex) -> dict[str, str]:
    """The URI of each text an instrument amends, by the title it names it with ('' for the
    instrument's own); an unknown one is warning F325 (its provisions are not linked)."""
    assert doc.instrument is not None
    instrument, amends = doc.instrument, {}
    for title in dict.fromkeys([instrument.work, *instrument.works]):
        work = index.lookup(title) if title else None
        if work is None:
            named = f"《{title}》" if title else "named by the instrument"
            doc.diagnostics.append(
                diag("F325", f"the amended work {named} is not in the registry or corpus", doc.path)
            )
            continue
        amends[title] = work.uri
        if title == instrument.work:
            amends[""] = work.uri
    return amends


def prepare_source(path: str, data: bytes) -> CompiledDocument:
    """A file from sources/documents (front matter required), up to citations."""
    source = read_source(path, data, front_matter=True)
    doc = CompiledDocument(path, diagnostics=list(source.diagnostics))
    if has_errors(source.diagnostics) or source.front is None:
        return doc
    meta, meta_diags = meta_from_front_matter(source)
    if meta is None:
        doc.diagnostics += meta_diags
        return doc
    prepared = prepare_tree(source, meta)
    after_reading = len(source.diagnostics)  # (a front matter value the text contradicts: F208)
    prepared.diagnostics[after_reading:after_reading] = meta_diags
    return prepared


def compile_source(path: str, data: bytes, index: RefIndex | None = None) -> CompiledDocument:
    """A file from sources/documents through every stage."""
    with gc_paused():
        return finish_document(prepare_source(path, data), index)


UNDATED = "1970-01-01"  # the date of a standalone text that prints none (a warning says so)


def infer_meta(source: SourceText, slug: str, **overrides: str | None) -> DocumentMeta:
    """Metadata for a standalone law text: title from its first line; the work's date the day
    it was first made, the expression's the day of its last change (both from its 题注), and
    the legal metadata it prints (flags override them)."""
    lines = [ln.text.strip() for ln in source.lines if ln.text.strip()]
    title = overrides.get("title") or (lines[0] if lines else slug)
    legal = read_legal_metadata(source.lines, title)
    dated = [d for text in lines[1:40] if (m := _DATE_RE.match(text)) and (d := _iso(m))]
    date = overrides.get("date") or legal.version_date or (dated[-1] if dated else UNDATED)
    first_date = overrides.get("date") or legal.adopted or (dated[0] if dated else date)
    doc_type = overrides.get("doc_type") or ("amendment" if is_instrument_title(title) else "act")
    return DocumentMeta(
        slug=slug,
        doc_type=doc_type,
        name=overrides.get("name") or doc_type,
        title=title,
        date=overrides.get("work_date") or min(first_date, date),
        expression_date=date,
        jurisdiction=overrides.get("jurisdiction") or "cn",
        first_article=int(overrides["first_article"]) if overrides.get("first_article") else None,
        date_name="enactment" if doc_type in ("act", "amendment") else "publication",
        **printed_fields(legal, doc_type),
        events=legal.events,
        repeals=legal.repeals,
    )


def printed_fields(legal, doc_type: str) -> dict[str, str | None]:
    """The legal fields the text prints (fadian/legal_fields); a draft or a policy text has no
    效力级别 whatever its issuer implies."""
    values = {key: getattr(legal, key) for key in PRINTED}
    if doc_type not in ("act", "amendment"):
        values["level"] = None
    return values


def _iso(m: re.Match) -> str | None:
    return calendar_date(int(m[1]), int(m[2]), int(m[3]))


def compile_standalone(
    path: str, data: bytes, slug: str, index: RefIndex | None = None, **overrides: str | None
) -> CompiledDocument:
    """A law text without front matter, as ``fadian convert`` reads it."""
    source = read_source(path, data, front_matter=False)
    if source.front is not None:  # a file from sources/ passed to convert: honour it
        return compile_source(path, data, index)
    doc = CompiledDocument(path, diagnostics=list(source.diagnostics))
    if has_errors(source.diagnostics):
        return doc
    with gc_paused():
        meta = infer_meta(source, slug, **overrides)
        # an instrument recognised by its title only: instructions not understood are warnings
        doc = prepare_tree(source, meta, strict_instrument=overrides.get("doc_type") == "amendment")
        if meta.expression_date == UNDATED and not overrides.get("date"):
            doc.diagnostics.append(diag("F212", f"{meta.title}: no date is printed under the title", path))
        if index is not None:
            index.add(doc.as_work())
        return finish_document(doc, index)
