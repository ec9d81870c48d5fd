"""build/manifest.json as types: the one contract between a build and its renderers.

A build fills a :class:`Manifest` (documents, bulletin issues, reports, the registry, and the
editions once they are made) and writes it once; the site and the editions read it back with
:meth:`Manifest.read`. Paths are as published (``build/akn/<slug>.xml``); :meth:`Manifest.path`
maps one into the generation being written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fadian.uri import split_portion

# the editions of a text, in the order a reader is offered them (the national database's main
# download is Word), with their labels
EDITION_KINDS = ("docx", "pdf", "epub")
EDITION_LABELS = {"docx": "Word", "pdf": "PDF", "epub": "EPUB"}


def _editions(entry: Any, out: dict[str, Any]) -> dict[str, Any]:
    for kind in EDITION_KINDS:
        if getattr(entry, kind) is not None:
            out[kind] = getattr(entry, kind)
    return out


@dataclass
class TaggedEdition:
    """A published (tagged) version of a document with its own editions."""

    slug: str  # <document slug>@<tag>
    tag: str
    version: str
    date: str
    epub: str | None = None
    pdf: str | None = None
    docx: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _editions(
            self, {"slug": self.slug, "tag": self.tag, "version": self.version, "date": self.date}
        )

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> TaggedEdition:
        return cls(d["slug"], d["tag"], d["version"], d["date"], d.get("epub"), d.get("pdf"), d.get("docx"))


@dataclass
class DocumentEntry:
    slug: str
    type: str  # act, bill, doc, amendment
    name: str
    title: str
    source: str
    work_uri: str
    expression_uri: str
    akn: str
    history: str | None
    counts: dict[str, int]
    tagged_editions: list[TaggedEdition] = field(default_factory=list)
    epub: str | None = None
    pdf: str | None = None
    docx: str | None = None
    # 时效性 and its date, 效力级别, 制定机关, 文号, the dates (adopted, promulgated, effective)
    # and the day a later version took over: what the site filters and the data files show
    legal: dict[str, str] = field(default_factory=dict)
    # a part of a work kept in several files: its component (main, book_3 …), else ""
    component: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "slug": self.slug,
            "type": self.type,
            "name": self.name,
            "title": self.title,
            "source": self.source,
            "work_uri": self.work_uri,
            "expression_uri": self.expression_uri,
            "akn": self.akn,
            "history": self.history,
            "counts": self.counts,
        }
        if self.legal:
            out["legal"] = self.legal
        if self.component:
            out["component"] = self.component
        if self.tagged_editions:
            out["tagged_editions"] = [t.to_json() for t in self.tagged_editions]
        return _editions(self, out)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> DocumentEntry:
        return cls(
            d["slug"],
            d["type"],
            d["name"],
            d["title"],
            d["source"],
            d["work_uri"],
            d["expression_uri"],
            d["akn"],
            d.get("history"),
            dict(d["counts"]),
            [TaggedEdition.from_json(t) for t in d.get("tagged_editions", [])],
            d.get("epub"),
            d.get("pdf"),
            d.get("docx"),
            dict(d.get("legal", {})),
            d.get("component", ""),
        )


@dataclass
class BulletinEntry:
    slug: str
    title: str
    issue: int | str | None
    issue_total: int | str | None
    date: str
    source: str
    work_uri: str
    expression_uri: str
    akn: str
    documents: list[str]
    epub: str | None = None
    pdf: str | None = None
    docx: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "slug": self.slug,
            "type": "documentCollection",
            "title": self.title,
            "issue": self.issue,
            "issue_total": self.issue_total,
            "date": self.date,
            "source": self.source,
            "work_uri": self.work_uri,
            "expression_uri": self.expression_uri,
            "akn": self.akn,
            "documents": self.documents,
        }
        return _editions(self, out)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> BulletinEntry:
        return cls(
            d["slug"],
            d["title"],
            d.get("issue"),
            d.get("issue_total"),
            d["date"],
            d["source"],
            d["work_uri"],
            d["expression_uri"],
            d["akn"],
            list(d["documents"]),
            d.get("epub"),
            d.get("pdf"),
            d.get("docx"),
        )


@dataclass
class Manifest:
    documents: list[DocumentEntry]
    bulletins: list[BulletinEntry]
    reports: dict[str, str]
    registry: list[dict[str, str]]  # title, uri of every external work
    generator: str = "fadian"
    as_of: str | None = None  # the date the statuses are stated at

    @staticmethod
    def path(generation: Path, published: str) -> Path:
        """Where a published path (``build/akn/x.xml``) lies in a generation being written."""
        return generation / Manifest.in_generation(published)

    @staticmethod
    def in_generation(published: str) -> str:
        """A published path (``build/akn/x.xml``) relative to its generation (``akn/x.xml``):
        how staging names the files whose digests it records."""
        return published.removeprefix("build/")

    def to_json(self) -> dict[str, Any]:
        return {
            "generator": self.generator,
            **({"as_of": self.as_of} if self.as_of else {}),
            "documents": [d.to_json() for d in self.documents],
            "bulletins": [b.to_json() for b in self.bulletins],
            "reports": self.reports,
            "registry": self.registry,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Manifest:
        return cls(
            [DocumentEntry.from_json(x) for x in d["documents"]],
            [BulletinEntry.from_json(x) for x in d.get("bulletins", [])],
            dict(d.get("reports", {})),
            list(d.get("registry", [])),
            d.get("generator", "fadian"),
            d.get("as_of"),
        )

    def write(self, generation: Path) -> None:
        (generation / "manifest.json").write_text(json_lines(self.to_json()) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, generation: Path) -> Manifest:
        return cls.from_json(json.loads((generation / "manifest.json").read_text("utf-8")))


JSON_ENCODER = json.JSONEncoder(ensure_ascii=False)  # json.dumps(…, ensure_ascii=False), made once


def json_lines(value: list | dict) -> str:
    """The layout of fadian's JSON outputs (manifest, citation reports): an array's items, or an
    object's keys, one a line, and an array under a key one item a line — a diff of two builds
    shows the entries that changed — written by json's C encoder (``indent`` takes its pure-
    Python path, twice as slow on a collection's citations)."""
    one = JSON_ENCODER.encode
    if isinstance(value, dict):
        items = [
            f"{one(key)}: {json_lines(item) if isinstance(item, list) else one(item)}"
            for key, item in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n}" if items else "{}"
    return "[\n" + ",\n".join(one(item) for item in value) + "\n]" if value else "[]"


# what the site's pages read of the citation reports: the backlinks (cited document → eId → the
# places citing it), and the URIs of the registry's works cited
CitationReports = tuple[dict, set[str]]


def cited_external(citations: list[tuple[str, list[str]]]) -> set[str]:
    """The works of the registry that (status, targets) citations lead to."""
    return {split_portion(t)[0] for status, targets in citations if status == "external" for t in targets}
