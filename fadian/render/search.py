"""What the site's search indexes: the current text of every document, one page per document
whose articles are its sub-results (a result lists the matching articles, each opening its
anchor), and the editor's notes of each bulletin issue. Old versions, history pages and
permalink pages are never indexed: a search shows the text in force.

Pure: AKN in, records out; `project/search_stage` hands them to Pagefind as small HTML pages
(one per document: an index record per document, not per article, is what keeps indexing a
corpus fast; Pagefind makes the sub-results from the headings' ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from fadian.akn.read import HEADING_KINDS, A
from fadian.akn.read import text_of as _text

SEARCH_LANGUAGE = "zh-cn"  # Pagefind's Chinese segmentation, used when indexing and querying


@dataclass(frozen=True)
class SearchRecord:
    """One search result: ``url`` relative to the site root (documents/<slug>/#art_53)."""

    url: str
    title: str
    content: str


# 第五十三条 is cut differently by Pagefind's indexer (第五|十三|条) and by its query segmenter in
# the browser (第|五十|三条), so a search for it would miss most pages. The indexed text spells
# such numbers one character per word (第 五 十 三 条), and assets/fadian.js spells the query the
# same way (fadianSearchTerm): a phrase of single characters, which no segmenter can cut.
ARTICLE_NUMBER = re.compile(r"第[零〇一二两三四五六七八九十百千万]+[条款项章节编]")


def index_text(text: str) -> str:
    """A text as it is indexed: whitespace collapsed, article and chapter numbers spelled out."""
    text = " ".join(text.split())
    return ARTICLE_NUMBER.sub(lambda m: " " + " ".join(m.group()) + " ", text).replace("  ", " ").strip()


def _unit_title(el: etree._Element) -> str:
    num = el.findtext(f"{A}num") or ""
    head = el.findtext(f"{A}heading") or ""
    return "　".join(t for t in (num, head) if t)


def _units(container: etree._Element) -> Iterator[etree._Element]:
    """The units a result opens: articles where a text has them, else its top-level units."""
    articles = list(container.iter(f"{A}article"))
    if articles:
        yield from articles
        return
    for part in ("preamble", "body", "mainBody"):
        el = container.find(f"{A}{part}")
        if el is None:
            continue
        for child in el:
            if isinstance(child.tag, str) and etree.QName(child).localname in (*HEADING_KINDS, "paragraph"):
                yield child


def document_records(document: etree._Element, title: str, page_url: str) -> list[SearchRecord]:
    """The records of one document page (``document``: its AKN act/bill/doc element)."""
    records = []
    covered: set[etree._Element] = set()  # the elements themselves: an id() of a proxy is reused
    for unit in _units(document):
        eid = unit.get("eId")
        if not eid:
            continue
        text = index_text(_text(unit))
        covered.update(unit.iter(f"{A}p"))
        label = _unit_title(unit)
        records.append(SearchRecord(f"{page_url}#{eid}", f"{title} {label}".strip(), text))
    # what no unit holds (a preamble, loose paragraphs, the conclusions): one record for the page
    rest = [
        index_text(_text(p))
        for part in ("preamble", "body", "mainBody", "conclusions")
        for el in [document.find(f"{A}{part}")]
        if el is not None
        for p in el.iter(f"{A}p")
        if p not in covered and index_text(_text(p))
    ]
    # the headings above the articles (第三章 总则): found on the page's own record
    rest += [
        index_text(_unit_title(el))
        for el in document.iter(*(f"{A}{k}" for k in HEADING_KINDS if k != "article"))
        if _unit_title(el) and not any(r.url.endswith(f"#{el.get('eId')}") for r in records)
    ]
    if rest or not records:
        records.insert(0, SearchRecord(page_url, title, " ".join(rest) or title))
    return records


def bulletin_records(collection: etree._Element, title: str, page_url: str) -> list[SearchRecord]:
    """The editor's notes of a bulletin issue, each a result opening its note."""
    records = []
    for inter in collection.iter(f"{A}interstitial"):
        if inter.find(f"{A}p[@class='rubric']") is not None:
            continue
        text = index_text(" ".join(_text(p) for p in inter.iterfind(f"{A}p") if p.get("class") != "heading"))
        if text and inter.get("eId"):
            records.append(SearchRecord(f"{page_url}#{inter.get('eId')}", f"{title} 编者按", text))
    return records


def search_page_html(title: str, records: list[SearchRecord]) -> str:
    """One page's records as the HTML Pagefind indexes (templates/search_index_page.html.j2)."""
    from fadian.render.html import render

    units = [
        {
            "anchor": r.url.partition("#")[2],
            "label": r.title.removeprefix(title).strip() or title,
            "content": r.content,
        }
        for r in records
    ]
    return render("search_index_page.html.j2", lang=SEARCH_LANGUAGE, title=title, units=units)
