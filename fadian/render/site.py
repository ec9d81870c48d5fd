"""AKN → pages for the mkdocs-material site (Markdown headings + escaped HTML bodies).

Reads only the built AKN (build/akn) and reports (build/reports), never the raw
text. Headings are Markdown so that mkdocs puts chapters, sections and articles in
the page's table of contents, with the eIds as anchors; everything below a heading
is HTML in which every text is escaped, so nothing from a source becomes markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from fadian.eids import Eid
from fadian.read.schemas import LEVELS
from fadian.render.html import SiteLinks
from fadian.render.legal import amendments
from fadian.uri import FrbrUri, split_portion

SITE_SETTINGS = Path(__file__).parent / "mkdocs_site.yml"  # fadian's own mkdocs settings


KIND_LABELS = {
    "bill": "法律法规草案",
    "act": "法律法规",
    "amendment": "修正案与修改决定",
    "doc": "政策文件与报告",
}
DOC_NAME_LABELS = {
    "expertDraft": "专家建议稿",
    "draftRegulation": "草案征求意见稿",
    "policyNote": "政策要点",
    "actionPlan": "行动计划",
    "implementationPlan": "实施方案",
    "statisticsReport": "统计报告",
    "reportSummary": "报告摘要",
    "amendment": "修正案",
}


@dataclass
class SiteDocument:
    slug: str
    title: str
    doc_type: str
    name: str
    work_uri: str
    expression_uri: str
    akn_path: Path
    page: str  # path of the page in docs_dir, e.g. documents/<slug>.md
    downloads: dict[str, str] = field(default_factory=dict)  # label -> file in docs_dir
    akn_xml: bytes = b""  # the AKN itself, when the page is rendered away from build/
    legal: dict[str, str] = field(default_factory=dict)  # the manifest's legal record
    last_article: int = 0  # the number of its last article (0: none, or not known)
    # a part of a work kept in several files (民法典's 编): its component (main, book_3) and the
    # number of its first article; "" and 0 for a text in one file
    component: str = ""
    first_article: int = 0
    part_label: str = ""  # the division it starts with (第三编　合同), read by render/parts

    @property
    def expression_date(self) -> str:
        return FrbrUri.parse(self.expression_uri).expression_date or ""

    def akn_root(self) -> etree._Element:
        """The AKN document element (act, bill, doc), from the bytes given or from build/."""
        if self.akn_xml:
            return etree.fromstring(self.akn_xml)[0]
        return etree.parse(str(self.akn_path)).getroot()[0]


@dataclass
class SiteContext:
    """What every page needs to turn hrefs into site links."""

    docs: dict[str, SiteDocument]  # slug ->
    by_uri: dict[str, SiteDocument]  # work URI -> its expression in force; expression URI ->
    registry: dict[str, dict]  # work URI -> entry
    backlinks: dict[str, dict[str, list[dict]]]
    works: dict[str, list[SiteDocument]] = field(default_factory=dict)  # work URI -> its files
    as_of: str | None = None  # the date statuses are stated at
    # citing document → cited work URI + "/~" + eId → what became of that article (refs/review)
    reviews: dict[str, dict[str, dict]] = field(default_factory=dict)
    # document → the instruments of the project that amend it but are not yet in its text
    outstanding: dict[str, list[dict]] = field(default_factory=dict)
    # a browse value → its slug (its pinyin), as made by this or the previous build: the pinyin
    # dictionary takes most of a second to load, and a build after an edit rarely needs it
    value_slugs: dict[str, str] = field(default_factory=dict)
    # an expression kept as several part files → its parts, in order (render/site_model)
    parts: dict[str, list[SiteDocument]] = field(default_factory=dict)

    def url(self, from_page: str, to_page: str, anchor: str = "") -> str:
        """Relative URL between pages built with use_directory_urls (a/b.md → a/b/)."""

        def directory(page: str) -> list[str]:
            stem = page[:-3].removesuffix("/index")  # a/index.md is a/, as a/b.md is a/b/
            return [] if stem == "index" else stem.split("/")

        src, dst = directory(from_page), directory(to_page)
        common = 0
        while common < min(len(src), len(dst)) and src[common] == dst[common]:
            common += 1
        parts = [".."] * (len(src) - common) + dst[common:]
        rel = "/".join(parts) + "/" if parts else "./"
        if from_page == to_page:
            rel = ""
        return rel + (f"#{anchor}" if anchor else "")

    def pinned(self, href: str) -> str:
        """The version a citation means (2004-08-28 版) when ``href`` names a version of a work
        that is not the one its work's address leads to ('' otherwise)."""
        uri = split_portion(href)[0]
        doc = self.by_uri.get(uri)
        if doc is None or uri != doc.expression_uri or doc.work_uri not in self.works:
            return ""
        return f"{doc.expression_date} 版" if self.by_uri.get(doc.work_uri) is not doc else ""

    def later_part(self, doc: SiteDocument) -> bool:
        """A part of a work kept in several files other than its first (the work's addresses,
        lists and versions are its first part's)."""
        parts = self.parts.get(doc.expression_uri)
        return bool(parts) and parts[0].slug != doc.slug

    def part_holding(self, doc: SiteDocument, eid: str) -> SiteDocument:
        """Of a work kept in several part files, the part that holds the article ``eid`` is in
        (``doc``: its first part); ``doc`` itself otherwise."""
        parts = self.parts.get(doc.expression_uri)
        unit = Eid.parse(eid) if parts and eid else None
        step = unit.steps[0] if unit is not None else None
        if not parts or step is None or step.name != "art" or step.number is None:
            return doc
        return next((p for p in parts if p.first_article <= step.number <= p.last_article), doc)

    def link(self, from_page: str, href: str, own: SiteDocument | None) -> str | None:
        """Site URL for an AKN href, or None when the target is not on the site."""
        if href.startswith("#"):
            return href if own is not None and from_page == own.page else None
        uri, eid = split_portion(href)
        target = self.by_uri.get(uri)
        if target is not None:
            return self.url(from_page, self.part_holding(target, eid).page, eid)
        if uri in self.registry:
            return self.url(from_page, "registry.md", self.registry[uri]["anchor"])
        return None


def page_links(
    ctx: SiteContext, page: str, own: SiteDocument | None, document=None, marks: dict | None = None
) -> SiteLinks:
    """The link policy of one site page: AKN hrefs as site URLs; on a document's page also the
    北大法宝-style notes of the instruments that amended an article, and its cited-by list."""
    links = SiteLinks(resolve=lambda href: ctx.link(page, href, own), pinned=ctx.pinned)
    if own is None:
        return links
    if document is not None:
        links.notes = _amendment_notes(ctx, page, own, document)
    links.cited_by = lambda eid: _cited_by(ctx, page, own, eid)
    links.marks = marks or {}
    if own.slug in ctx.reviews:
        links.changed = lambda href: _changed_citation(ctx, page, own, href)
    return links


def _changed_citation(ctx: SiteContext, page: str, own: SiteDocument, href: str) -> dict | None:
    """「所引条文已于 DATE 修改」(, 现为第N条) for a citation of an article changed since the
    version it meant, and where that article is now."""
    uri, eid = split_portion(href)
    if not eid or not uri.startswith("/akn/"):
        return None
    entry = ctx.reviews[own.slug].get(f"{FrbrUri.parse(uri).work_uri}/~{eid}")
    if entry is None:
        return None
    now = f"，现为{entry['now']}" if entry.get("now") else ""
    note = f"所引条文已于 {entry['since']} {entry['change']}{now}"
    target = ctx.link(page, f"{FrbrUri.parse(uri).work_uri}/~{entry.get('now_eid') or eid}", own)
    return {"note": note, "url": target or ""} if target else None


def _amendment_notes(ctx: SiteContext, page: str, own: SiteDocument, document) -> dict[str, list[dict]]:
    """Article eId → the instruments of the corpus that changed it (from the AKN
    passiveModifications whose source is that instrument's provision)."""
    notes: dict[str, list[dict]] = {}
    for article, uri, provision in amendments(document):
        instrument = ctx.by_uri.get(uri)
        if instrument is None or instrument.slug == own.slug:
            continue
        note = {"url": ctx.url(page, instrument.page, provision), "title": instrument.title}
        if note not in notes.setdefault(article, []):
            notes[article].append(note)
    return notes


def _cited_by(ctx: SiteContext, page: str, own: SiteDocument, eid: str) -> list[dict]:
    """The places that cite ``eid`` of ``own`` (other documents, or editor's notes)."""
    out, seen = [], set()
    for s in ctx.backlinks.get(own.slug, {}).get(eid, []):
        key = (s["document"], s["source_eid"])
        if key in seen or (s["document"] == own.slug and s["source_eid"].startswith(eid)):
            continue
        seen.add(key)
        doc = ctx.docs.get(s["document"])
        anchor = s["source_eid"]
        cited = Eid.parse(anchor)
        label = cited.top.label() if cited is not None and cited.top.last.name == "art" else ""
        if doc is None:
            target, title = f"bulletins/{s['document']}.md", "本期编者按"
        else:
            target, title = doc.page, doc.title if doc.slug != own.slug else "本文"
            if doc.work_uri in ctx.works and doc.slug != own.slug:  # which version of it cites
                title += f"（{doc.expression_date} 版）"
        entry = {"href": ctx.url(page, target, anchor), "label": title + (" " + label if label else "")}
        entry["group"] = "本文" if doc is not None and doc.slug == own.slug else _level_of(doc)
        entry["in_force"] = doc is None or doc.legal.get("status", "") in ("", "现行有效", "有效")
        out.append(entry)
    return cited_by_groups(out)


def _level_of(doc: SiteDocument | None) -> str:
    if doc is None:
        return "编者按"
    return doc.legal.get("level", "") or KIND_LABELS.get(doc.doc_type, "其他")


def cited_by_groups(entries: list[dict]) -> list[dict]:
    """法条联想: the places that cite an article grouped by the 效力级别 of the citing text (本文
    first, then as the national database orders the levels), those in force first in each."""
    order = {name: k for k, name in enumerate(("本文", *LEVELS))}
    groups: dict[str, list[dict]] = {}
    for e in entries:
        groups.setdefault(e["group"], []).append(e)
    ranked = sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    return [
        {"label": label, "entries": sorted(members, key=lambda e: not e["in_force"])}
        for label, members in ranked
    ]


def article_label(eid: str) -> str:
    """art_54 → 第五十四条, art_12-1 → 第十二条之一 (other eIds as they are)."""
    unit = Eid.parse(eid)
    return unit.label() if unit is not None and len(unit.steps) == 1 and unit.last.name == "art" else eid
