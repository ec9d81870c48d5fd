"""Browsing a collection: pages that list the documents by kind, by 效力级别, by region and by
year, and the home page that leads to them — so that no page, the navigation included, lists
every document (at 3,000 texts a list is 12,000 px tall on a phone, and a navigation that holds
every title makes every page of the site heavy).

Pure: the site context (documents with their legal records) in, (page, HTML) out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fadian.read.collection import slug_for
from fadian.read.schemas import LEVELS
from fadian.render.html import render
from fadian.render.site import KIND_LABELS, SiteContext, SiteDocument
from fadian.render.works import uri_path

BROWSE = "browse/index.md"
RECENT = 20  # documents the home page lists as the latest changes
_PLACE = re.compile(r"^(.{2,9}?(?:特别行政区|自治区|自治州|自治县|省|市|州|盟|县|区))")
NATIONAL = "全国"


@dataclass(frozen=True)
class Facet:
    """One way of browsing: a name, and each document's value for it."""

    key: str  # in the page's address: browse/<key>-<value slug>.md
    label: str
    values: dict[str, str]  # document slug → its value (a document without one is not listed)
    order: tuple[str, ...] = ()  # values in this order first, the rest by name
    slugs: tuple[tuple[str, str], ...] = ()  # a value's slug in the address, when not its pinyin


def region(legal: dict[str, str]) -> str:
    """Where a text is law, from the body that made it: 上海市人民代表大会常务委员会 → 上海市;
    a central body (全国人民代表大会, 国务院, 最高人民法院 …) → 全国. Absent when unknown."""
    issuer = legal.get("issuer", "")
    if not issuer:
        return ""
    if issuer.startswith(("全国", "国务院", "最高人民", "中华人民共和国", "中央", "国家")):
        return NATIONAL
    m = _PLACE.match(issuer)
    return m.group(1) if m else ""


def listed(ctx: SiteContext) -> list[SiteDocument]:
    """The documents a list shows: one row per work — of a work the project holds several files
    of, the file its address leads to (the one in force), which says how many others there are."""
    return [
        d
        for d in ctx.docs.values()
        if (d.work_uri not in ctx.works or ctx.by_uri.get(d.work_uri) is d) and not ctx.later_part(d)
    ]


def facets(ctx: SiteContext) -> list[Facet]:
    docs = listed(ctx)
    return [
        Facet(
            "kind",
            "类别",
            {d.slug: KIND_LABELS[d.doc_type] for d in docs},
            tuple(KIND_LABELS.values()),
            tuple((label, kind) for kind, label in KIND_LABELS.items()),
        ),
        Facet("level", "效力级别", {d.slug: d.legal["level"] for d in docs if d.legal.get("level")}, LEVELS),
        Facet("region", "地区", {d.slug: r for d in docs if (r := region(d.legal))}, (NATIONAL,)),
        Facet("year", "年份", {d.slug: y for d in docs if (y := _year(d))}),
    ]


def _year(d: SiteDocument) -> str:
    date = d.legal.get("promulgated") or d.legal.get("adopted") or d.expression_date
    return date[:4] if date[:4].isdigit() else ""


def _values(facet: Facet) -> list[str]:
    present = set(facet.values.values())
    first = [v for v in facet.order if v in present]
    rest = sorted(present - set(first), reverse=facet.key == "year")
    return first + rest


def value_page(facet: Facet, value: str, known: dict[str, str]) -> str:
    """The page of one value (``known``: the values' pinyin slugs made already; learns more)."""
    slug = dict(facet.slugs).get(value) or (value if facet.key == "year" else None)
    if slug is None:
        slug = known.get(value) or known.setdefault(value, slug_for(value, set()))
    return f"browse/{facet.key}-{slug}.md"


def browse_pages(ctx: SiteContext) -> dict[str, str]:
    """The 浏览 page and a page per value of each facet (its documents, newest first)."""
    pages: dict[str, str] = {}
    groups = []
    for facet in facets(ctx):
        entries = []
        for value in _values(facet):
            slugs = [s for s, v in facet.values.items() if v == value]
            page = value_page(facet, value, ctx.value_slugs)
            entries.append({"label": value, "count": len(slugs), "url": ctx.url(BROWSE, page)})
            members = sorted((ctx.docs[s] for s in slugs), key=lambda d: (_year(d), d.title), reverse=True)
            pages[page] = render(
                "site_browse_list.html.j2",
                title=f"{facet.label}：{value}",
                description=f"{facet.label}为“{value}”的文本（{len(slugs)} 件）",
                toc=[],
                documents=[_entry(ctx, page, d) for d in members],
                back=ctx.url(page, BROWSE),
            )
        if entries:
            groups.append({"key": facet.key, "label": facet.label, "entries": entries})
    pages[BROWSE] = render(
        "site_browse.html.j2",
        title="浏览",
        description="按类别、效力级别、地区和年份浏览本站文本",
        toc=[{"level": 2, "id": g["key"], "name": g["label"], "children": []} for g in groups],
        groups=groups,
        total=len(listed(ctx)),
    )
    return pages


def _entry(ctx: SiteContext, page: str, d: SiteDocument) -> dict:
    others = len(ctx.works.get(d.work_uri, [d])) - 1
    return {
        "url": ctx.url(page, d.page),
        "title": d.title,
        "level": d.legal.get("level", ""),
        "status": d.legal.get("status", ""),
        "date": d.legal.get("promulgated") or d.legal.get("adopted") or d.expression_date,
        "others": others,  # the work's other files: its page lists them all
        "versions_url": ctx.url(page, f"{uri_path(d.work_uri)}/index.md") if others else "",
    }


def recent_documents(ctx: SiteContext, page: str = "index.md") -> list[dict[str, str]]:
    """The documents most recently made or changed (their expression date), newest first."""
    latest = sorted(ctx.docs.values(), key=lambda d: (d.expression_date, d.slug), reverse=True)[:RECENT]
    return [{**_entry(ctx, page, d), "date": d.expression_date} for d in latest]


def home_facets(ctx: SiteContext) -> list[dict]:
    """The home page's ways in: each kind and each 效力级别, with counts."""
    out = []
    for facet in facets(ctx)[:2]:
        entries = []
        for value in _values(facet):
            count = sum(1 for v in facet.values.values() if v == value)
            entries.append(
                {
                    "label": value,
                    "count": count,
                    "url": ctx.url("index.md", value_page(facet, value, ctx.value_slugs)),
                }
            )
        out.append({"key": facet.key, "label": facet.label, "entries": entries})
    return out
