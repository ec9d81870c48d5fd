"""The pages of documents, bulletin issues, the home page and the registry of external works."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from fadian.akn.read import HEADING_KINDS, A, esc
from fadian.akn.read import text_of as _text
from fadian.akn.write import LEGAL_NS
from fadian.render.site import (
    DOC_NAME_LABELS,
    KIND_LABELS,
    SiteContext,
    SiteDocument,
    _PageWriter,
    md_heading_text,
)


def _downloads_html(
    writer: _PageWriter, doc: SiteDocument | None, downloads: dict[str, str] | None = None
) -> str:
    links = []
    for label, path in (downloads if downloads is not None else doc.downloads if doc else {}).items():
        href = writer.ctx.url(writer.page, "index.md") + path
        links.append(f'<a class="md-button fadian-download" href="{esc(href)}" download>{esc(label)}</a>')
    return f'<div class="fadian-downloads">下载：{" ".join(links)}</div>' if links else ""


def document_page(ctx: SiteContext, doc: SiteDocument, has_history: bool = False, notice: str = "") -> str:
    """The page of one document (``notice``: HTML shown under the title, e.g. the 历史版本 banner)."""
    root = etree.parse(str(doc.akn_path)).getroot()
    document = root[0]
    w = _PageWriter(ctx, doc.page, doc)
    w.read_amendments(document)
    w.out.append(f"---\ntitle: {json.dumps(esc(doc.title), ensure_ascii=False)}\n---\n")
    w.out.append(f"\n# {md_heading_text(doc.title)}\n")
    if notice:
        w.out.append(f"\n{notice}\n")
    kind = DOC_NAME_LABELS.get(doc.name, KIND_LABELS.get(doc.doc_type, ""))
    meta = [f'<span class="fadian-kind">{esc(kind)}</span>'] if kind else []
    date = document.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRdate")
    if date is not None:
        meta.append(f'<span class="fadian-date">{esc(date.get("date"))}</span>')
    meta.append(f'<code class="fadian-uri">{esc(doc.expression_uri)}</code>')
    w.out.append(f'\n<div class="fadian-meta">{" ".join(meta)}</div>\n')
    w.out.append(_legal_panel(document))
    w.out.append(f"\n{_downloads_html(w, doc)}\n")
    if has_history:
        href = ctx.url(doc.page, f"history/{doc.slug}.md")
        w.out.append(f'\n<p class="fadian-history-link"><a href="{esc(href)}">版本与修改历史</a></p>\n')
        # the copy button links w/<slug>/#<wId>: it still opens the article after renumbering
        base = ctx.url(doc.page, f"w/{doc.slug}.md")
        w.out.append(f'\n<div id="fadian-permalink-base" data-base="{esc(base)}" hidden></div>\n')
    preface = document.find(f"{A}preface")
    if preface is not None:
        lines = [w.inline(p) for p in preface.iterfind(f"{A}p")]
        if lines:
            w.out.append(f'\n<div class="fadian-preface">{"".join(f"<p>{x}</p>" for x in lines)}</div>\n')
        container = preface.find(f"{A}container[@name='toc']")
        if container is not None:
            entries = []
            for item in container.iterfind(f".//{A}tocItem"):
                href = item.get("href", "")
                if href == "#toc":  # an entry the body lacks (F308): no link to follow
                    entries.append(f"<li>{esc(_text(item))}</li>")
                else:
                    entries.append(f'<li><a href="{esc(href)}">{esc(_text(item))}</a></li>')
            w.out.append(
                f'\n<details class="fadian-contents"><summary>目录</summary><ul>'
                f"{''.join(entries)}</ul></details>\n"
            )
    for part in ("preamble", "body", "mainBody"):
        el = document.find(f"{A}{part}")
        if el is None:
            continue
        loose = []
        for child in el:
            tag = etree.QName(child).localname
            if tag in HEADING_KINDS:
                if loose:
                    w.out.append(f'\n<div class="fadian-body">{"".join(loose)}</div>\n')
                    loose = []
                w.heading_node(child, 2)
            elif tag in ("paragraph", "point"):
                loose.append(w.unit(child))
            else:
                loose.append(w.blocks([child]))
        if loose:
            w.out.append(f'\n<div class="fadian-body fadian-{part}">{"".join(loose)}</div>\n')
    conclusions = document.find(f"{A}conclusions")
    if conclusions is not None:
        w.out.append(f'\n<div class="fadian-conclusions">{w.blocks(conclusions)}</div>\n')
    return "".join(w.out)


def bulletin_page(
    ctx: SiteContext, akn_path: Path, slug: str, page: str, downloads: dict[str, str] | None = None
) -> str:
    """The page of one bulletin issue (``downloads``: label → file, its AKN, EPUB and PDF)."""
    root = etree.parse(str(akn_path)).getroot()
    coll = root[0]
    w = _PageWriter(ctx, page, None)
    title_el = coll.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRname")
    title = title_el.get("value") if title_el is not None else slug
    cover = coll.find(f"{A}coverPage")
    issue_line = ""
    if cover is not None:
        lines = [_text(p) for p in cover.iterfind(f"{A}p")]
        issue_line = next((x for x in lines if "期" in x), "")
    full_title = f"{title} {issue_line}".strip()
    w.out.append(f"---\ntitle: {json.dumps(esc(full_title), ensure_ascii=False)}\n---\n")
    w.out.append(f"\n# {md_heading_text(full_title)}\n")
    if downloads:
        w.out.append(f"\n{_downloads_html(w, None, downloads)}\n")
    if cover is not None:
        cover_lines = "".join(f"<p>{w.inline(p)}</p>" for p in cover.iterfind(f"{A}p"))
        w.out.append(f'\n<div class="fadian-cover">{cover_lines}</div>\n')
        masthead = cover.find(f"{A}container[@name='masthead']")
        if masthead is not None:
            rows = []
            for tb in masthead.iterfind(f"{A}tblock"):
                values = "<br>".join(esc(_text(p)) for p in tb.iterfind(f"{A}p"))
                rows.append(f"<tr><th>{esc(tb.findtext(f'{A}heading'))}</th><td>{values}</td></tr>")
            w.out.append("\n## 刊物信息 {#masthead}\n")
            w.out.append(f'\n<table class="fadian-masthead">{"".join(rows)}</table>\n')
        statement = cover.find(f"{A}container[@name='statement']")
        if statement is not None:
            w.out.append(f'\n<div class="fadian-statement">{w.blocks(statement)}</div>\n')
    w.out.append("\n## 本期要目 {#contents}\n")
    body = coll.find(f"{A}collectionBody")
    entries: list[str] = []
    for comp in body.iterfind(f"{A}component") if body is not None else []:
        inter = comp.find(f"{A}interstitial")
        ref = comp.find(f"{A}documentRef")
        if inter is not None and inter.find(f"{A}p[@class='rubric']") is not None:
            if entries:
                w.out.append(f'\n<ul class="fadian-issue-toc">{"".join(entries)}</ul>\n')
                entries = []
            name = _text(inter.find(f"{A}p[@class='rubric']"))
            w.out.append(f"\n### {md_heading_text(name)} {{#{comp.get('eId')}}}\n")
        elif inter is not None:
            note = "".join(
                f"<p>{w.inline(p)}</p>" for p in inter.iterfind(f"{A}p") if p.get("class") != "heading"
            )
            entries.append(
                f'<li class="fadian-editor-note" id="{esc(inter.get("eId"))}">'
                f'<div class="admonition note"><p class="admonition-title">编者按</p>'
                f"{note}</div></li>"
            )
        elif ref is not None:
            doc = ctx.by_uri.get(ref.get("href", "").split("/zho@")[0])
            label = esc(ref.get("showAs"))
            link = f'<a href="{esc(ctx.url(page, doc.page))}">{label}</a>' if doc else label
            entries.append(f'<li class="fadian-issue-doc" id="{esc(comp.get("eId"))}">{link}</li>')
    if entries:
        w.out.append(f'\n<ul class="fadian-issue-toc">{"".join(entries)}</ul>\n')
    conclusions = coll.find(f"{A}conclusions")
    if conclusions is not None:
        w.out.append("\n## 主办单位 {#profiles}\n")
        for box in conclusions.iterfind(f"{A}container"):
            paragraphs = "".join(
                f'<p class="fadian-{esc(p.get("class") or "text")}">{w.inline(p)}</p>'
                for p in box.iterfind(f"{A}p")
            )
            w.out.append(f'\n<div class="fadian-profile" id="{esc(box.get("eId"))}">{paragraphs}</div>\n')
    return "".join(w.out)


def home_page(ctx: SiteContext, bulletins: list[dict], feed: str | None = None) -> str:
    out = [
        "---\ntitle: 首页\n---\n",
        "\n# 法典 fadian\n",
        '\n<p class="fadian-lead">中国法律与政策文本的 Akoma Ntoso 版本：逐条阅读、引用链接、下载。</p>\n',
    ]
    if feed:
        out.append(
            f'\n<p class="fadian-feed"><a href="{esc(feed)}" type="application/atom+xml">'
            "订阅修改动态（Atom）</a></p>\n"
        )
    if bulletins:
        out.append("\n## 刊物 {#bulletins}\n")
        items = "".join(
            f'<li><a href="{esc(ctx.url("index.md", b["page"]))}">{esc(b["title"])}</a>'
            f'<span class="fadian-date">{esc(b.get("date"))}</span></li>'
            for b in bulletins
        )
        out.append(f'\n<ul class="fadian-list-bulletins">{items}</ul>\n')
    groups: dict[str, list[SiteDocument]] = {}
    for doc in ctx.docs.values():
        groups.setdefault(doc.doc_type, []).append(doc)
    for doc_type in ("act", "amendment", "bill", "doc"):
        docs = groups.get(doc_type)
        if not docs:
            continue
        out.append(f"\n## {KIND_LABELS[doc_type]} {{#kind-{doc_type}}}\n")
        items = "".join(
            f'<li><a href="{esc(ctx.url("index.md", d.page))}">{esc(d.title)}</a> '
            f'<span class="fadian-kind">{esc(DOC_NAME_LABELS.get(d.name, ""))}</span></li>'
            for d in sorted(docs, key=lambda d: d.slug)
        )
        out.append(f'\n<ul class="fadian-list-documents">{items}</ul>\n')
    return "".join(out)


def registry_page(ctx: SiteContext) -> str:
    out = [
        "---\ntitle: 引用的外部法规\n---\n",
        "\n# 引用的外部法规\n",
        "\n<p>语料之外、被本站文本引用的法律法规（见 <code>sources/registry.yaml</code>）。</p>\n",
    ]

    def title_cell(e: dict) -> str:
        link = (
            f' <a class="fadian-official" href="{esc(e["url"])}" rel="external">原文</a>'
            if e.get("url")
            else ""
        )
        return f"{esc(e['title'])}{link}"

    rows = "".join(
        f'<tr id="{esc(e["anchor"])}"><td>{title_cell(e)}</td><td><code>{esc(uri)}</code></td></tr>'
        for uri, e in sorted(ctx.registry.items(), key=lambda kv: kv[1]["anchor"])
    )
    out.append(f'\n<table class="fadian-registry"><tr><th>名称</th><th>FRBR URI</th></tr>{rows}</table>\n')
    return "".join(out)


_LEGAL_LABELS = {
    "status": "效力",
    "issuer": "发布机关",
    "document_number": "文号",
    "adopted": "通过日期",
    "promulgated": "公布日期",
    "effective": "施行日期",
}


def _legal_panel(document: etree._Element) -> str:
    """效力, 发布机关, 文号 and the dates, from the AKN's <proprietary> legal metadata."""
    legal = document.find(f"{A}meta/{A}proprietary/{{{LEGAL_NS}}}legal")
    if legal is None:
        return ""
    values: dict[str, str] = {}
    for el in legal:
        key = etree.QName(el).localname
        if key == "date":
            values[el.get("name", "")] = el.get("date", "")
        else:
            values[key] = el.text or ""
    rows = "".join(
        f'<div><dt>{label}</dt><dd class="fadian-legal-{key}">{esc(values[key])}</dd></div>'
        for key, label in _LEGAL_LABELS.items()
        if values.get(key)
    )
    return f'\n<dl class="fadian-legal-meta">{rows}</dl>\n' if rows else ""
