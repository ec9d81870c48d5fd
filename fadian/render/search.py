"""What the site's search indexes: the current text of every document, one page per document
whose articles are its sub-results (a result lists the matching articles, each opening its
anchor), and the editor's notes of each bulletin issue. Old versions, history pages and
permalink pages are never indexed: a search shows the text in force.

Pure: AKN in, records out; `project/search_stage` hands them to Pagefind as small HTML pages
(one per document: an index record per document, not per article, is what keeps indexing a
corpus fast; Pagefind makes the sub-results from the headings' ids).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from fadian.akn.read import HEADING_KINDS, A
from fadian.akn.read import text_of as _text

SEARCH_LANGUAGE = "zxx"  # no language: no segmenter, no stemmer (see below)


@dataclass(frozen=True)
class SearchRecord:
    """One search result: ``url`` relative to the site root (documents/<slug>/#art_53)."""

    url: str
    title: str
    content: str


# Pagefind's segmenter cuts Chinese differently by context (第五十三条: 第五|十三|条 in a text,
# 第|五十|三条 in a query; 行政处罚 after 对 another way again), so a phrase search misses pages
# that hold it. The indexed text makes every Han character a word of its own, and
# assets/fadian.js spells a query the same way (fadianSearchTerm): a phrase of single characters,
# which no segmenter can cut — every page that holds the words finds them, in order; the index is
# smaller than one of words, and every page holding each topic of the dev query set is found
# (with words, some topics missed pages).
# With every Han character a word, Pagefind is told the text is of no language (zxx, as the
# query's runtime then is too): no segmenter and no stemmer run on either side. Segmenting the
# spaced text as Chinese found the same pages but took half of Pagefind's indexing time (2.8
# against 1.4 CPU-seconds per 250 texts) and made the excerpts' fragments 65 % larger.
# (one table for str.translate over the CJK ideographs U+3400–U+9FFF: a regular expression
# substituting each was three quarters of the search stage's own time)
_SPACED = {cp: f" {chr(cp)} " for cp in range(0x3400, 0x9FFF + 1)}


def index_text(text: str) -> str:
    """A text as it is indexed: whitespace collapsed, every Han character a word of its own."""
    return " ".join(text.translate(_SPACED).split())


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
    # what no unit holds (the 题注, a preamble, loose paragraphs, the conclusions): one record for
    # the page
    rest = [
        index_text(_text(p))
        for part in ("preface", "preamble", "body", "mainBody", "conclusions")
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


TITLES_FILE = "search/titles.json"


def search_titles(ctx) -> bytes:
    """search/titles.json: [title, page, articles, current] of every text (and a part's first
    article, for a work kept in several part files), by which the search box opens 刑法第一百六十五条
    without the index (a few dozen bytes a text). ``current`` is 1 for the file a work's address
    leads to (the one in force) and 0 for its other files: among texts of one title the search
    opens the one in force that has the article, else the one that has it."""
    import json

    from fadian.render.browse import listed

    current = {d.slug for d in listed(ctx)}
    rows = []
    for slug in sorted(ctx.docs):
        d = ctx.docs[slug]
        row = [d.title, d.page.removesuffix(".md") + "/", d.last_article, int(slug in current)]
        rows.append([*row, d.first_article] if d.component else row)  # a part: where it starts
    return (json.dumps(rows, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def status_period(legal: dict[str, str]) -> str:
    """The 时效性 filter's value: the facts the status follows from on any day, never the status
    on the build's day — ``base|施行日期|有效至``, base empty where the dates alone decide it (the
    reader's day does, in assets/fadian.js: fadianPeriodStatus), else the status the build found
    that no date ends (已废止, a 已修改 whose successor prints no 施行日期, a declared 草案). A
    commit that moves the collection's date then indexes again no search shard for it."""
    status = legal.get("status", "")
    until = legal.get("in_force_until") or legal.get("repealed") or ""
    dated = status in ("现行有效", "尚未生效") or (status == "已修改" and until)
    if not status:
        return ""
    base = "已废止" if legal.get("repealed") else "" if dated else status
    return f"{base}|{legal.get('effective', '')}|{until}"


def version_values(members: list[tuple[str, str, dict[str, str]]]) -> dict[str, str]:
    """The 版本 filter's value of each file of one work ((expression date, slug, legal record)
    each): never whether it is the one in force on the build's day, but the facts that say so on
    any day — 现行 for a work of one file; of several, 自|START for the newest (in force from its
    施行日期, else its date) and 至|END for the others (until the next took over; 历史 when that
    day is not stated). The search box judges them for the reader's day (assets/fadian.js)."""
    if len(members) < 2:
        return {slug: "现行" for _date, slug, _legal in members}
    ordered = sorted(members, key=lambda m: (m[0], m[1]))
    out = {}
    for _date, slug, legal in ordered[:-1]:
        until = legal.get("in_force_until") or legal.get("repealed") or ""
        out[slug] = f"至|{until}" if until else "历史"
    date, slug, legal = ordered[-1]
    out[slug] = f"自|{legal.get('effective') or date}"
    return out


def search_filters(legal: dict[str, str], expression_uri: str) -> tuple[tuple[str, str], ...]:
    """What a search narrows a document by: 效力级别, 时效性 (as the facts it follows from: see
    status_period), 地区 (from the body that made it) and 年份 — each only when the document's
    data says it."""
    from fadian.render.browse import region

    year = (legal.get("promulgated") or legal.get("adopted") or expression_uri.rsplit("@", 1)[-1])[:4]
    pairs = [
        ("效力级别", legal.get("level", "")),
        ("时效性", status_period(legal)),
        ("地区", region(legal)),
        ("年份", year if year.isdigit() else ""),
    ]
    return tuple((name, value) for name, value in pairs if value)


def search_page_html(title: str, records: list[SearchRecord], filters: dict[str, str] | None = None) -> str:
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
    return render(
        "search_index_page.html.j2", lang=SEARCH_LANGUAGE, title=title, units=units, filters=filters or {}
    )
