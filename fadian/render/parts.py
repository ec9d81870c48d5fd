"""A work kept as several part files (民法典's 编, each a file): what the site says of its
parts. The project recognises the parts (history/timeline.group_parts) and gives each its
component; here each part is named by the division it starts with (第三编　合同), every part's
page lists the parts in order with their articles, and the expression's 引用核验 data holds the
articles of all of them (a citation of 民法典第五百条 is checked against the whole work).

Pure but for reading the parts' AKN, once a build, for the few texts that are parts.
"""

from __future__ import annotations

import json
from dataclasses import replace

from lxml import etree

from fadian.akn.read import A
from fadian.read.numerals import int_to_cn
from fadian.render.check_data import ARTICLES_FILE, article_entries
from fadian.render.html import render
from fadian.render.site import SiteContext, SiteDocument
from fadian.render.works import uri_path

_DIVISIONS = ("book", "part", "chapter")


def part_label(root: etree._Element) -> str:
    """A part's name: the division it starts with (第三编　合同), else its articles' range."""
    body = root.find(f"{A}body")
    tops = list(body) if body is not None else []
    first = next((el for el in tops if etree.QName(el).localname in _DIVISIONS), None)
    if first is not None:
        words = [first.findtext(f"{A}num") or "", first.findtext(f"{A}heading") or ""]
        label = "　".join(w.strip() for w in words if w.strip())
        if label:
            return label
    articles = root.findall(f".//{A}article/{A}num")
    return f"{articles[0].text}至{articles[-1].text}" if articles else ""


def read_parts(
    docs: dict[str, SiteDocument], parts: dict[str, list[SiteDocument]]
) -> tuple[dict[str, list[SiteDocument]], dict[str, bytes]]:
    """Each part with its label, in ``docs`` and in ``parts`` alike, and the 引用核验 data of each
    expression kept in parts: the articles of all its parts in one file, where the check looks
    for the expression's (a part's page writes none of its own). Each part's AKN is read once."""
    labelled, data = {}, {}
    for uri, members in parts.items():
        articles: dict[str, list] = {}
        for d in members:
            root = d.akn_root()
            docs[d.slug] = replace(d, part_label=part_label(root))
            articles.update(article_entries(root))
        labelled[uri] = [docs[d.slug] for d in members]
        text = json.dumps({"articles": articles}, ensure_ascii=False, separators=(",", ":")) + "\n"
        data[f"{uri_path(uri)}/{ARTICLES_FILE}"] = text.encode("utf-8")
    return labelled, data


def shown_title(doc: SiteDocument) -> str:
    """The title a part's page shows: the work's, and the part's (中华人民共和国民法典 · 第三编　合同)."""
    return f"{doc.title} · {doc.part_label}" if doc.part_label else doc.title


def parts_notice(ctx: SiteContext, doc: SiteDocument) -> str:
    """On each part's page: the work's parts in order, each with its articles and a link."""
    parts = ctx.parts.get(doc.expression_uri)
    if not parts:
        return ""
    rows = [
        {
            "label": p.part_label or p.title,
            "url": "" if p.slug == doc.slug else ctx.url(doc.page, p.page),
            "articles": _range(p),
        }
        for p in parts
    ]
    return render("banner_parts.html.j2", title=doc.title, count=len(parts), parts=rows)


def _range(doc: SiteDocument) -> str:
    if not doc.first_article or not doc.last_article:
        return ""
    return f"第{int_to_cn(doc.first_article)}条至第{int_to_cn(doc.last_article)}条"
