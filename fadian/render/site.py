"""AKN → pages for the mkdocs-material site (Markdown headings + escaped HTML bodies).

Reads only the built AKN (build/akn) and reports (build/reports), never the raw
text. Headings are Markdown so that mkdocs puts chapters, sections and articles in
the page's table of contents, with the eIds as anchors; everything below a heading
is HTML in which every text is escaped, so nothing from a source becomes markup.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from fadian.akn.read import HEADING_KINDS, A, esc
from fadian.akn.read import text_of as _text


def _asset(name: str) -> str:
    """A package data file of fadian/render/assets: stylesheets, scripts, the typst preamble."""
    return (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")


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
NAV_FILE = "nav.json"  # read by the mkdocs plugin: the site's navigation, in Chinese
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_heading_text(text: str) -> str:
    """Heading text safe for Markdown: HTML-escaped, Markdown punctuation backslashed."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


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


@dataclass
class SiteContext:
    """What every page needs to turn hrefs into site links."""

    docs: dict[str, SiteDocument]  # slug ->
    by_uri: dict[str, SiteDocument]
    registry: dict[str, dict]  # work URI -> entry
    backlinks: dict[str, dict[str, list[dict]]]

    def url(self, from_page: str, to_page: str, anchor: str = "") -> str:
        """Relative URL between pages built with use_directory_urls (a/b.md → a/b/)."""

        def directory(page: str) -> list[str]:
            stem = page[:-3]
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

    def link(self, from_page: str, href: str, own: SiteDocument | None) -> str | None:
        """Site URL for an AKN href, or None when the target is not on the site."""
        if href.startswith("#"):
            return href if own is not None and from_page == own.page else None
        uri, _, eid = href.partition("/~")
        target = self.by_uri.get(uri)
        if target is not None:
            return self.url(from_page, target.page, eid)
        if uri in self.registry:
            return self.url(from_page, "registry.md", self.registry[uri]["anchor"])
        return None


class _PageWriter:
    def __init__(self, ctx: SiteContext, page: str, own: SiteDocument | None):
        self.ctx = ctx
        self.page = page
        self.own = own
        self.out: list[str] = []
        self.amended: dict[str, list[str]] = {}  # article eId -> notes naming the instrument

    def read_amendments(self, document: etree._Element) -> None:
        """北大法宝-style notes: an article changed by an instrument of the corpus says which
        (from the AKN passiveModifications whose source is that instrument's provision)."""
        for mod in document.iterfind(f"{A}meta/{A}analysis/{A}passiveModifications/{A}textualMod"):
            source = mod.find(f"{A}source")
            href = source.get("href", "") if source is not None else ""
            instrument = self.ctx.by_uri.get(href.partition("/~")[0])
            if instrument is None or (self.own is not None and instrument.slug == self.own.slug):
                continue
            url = self.ctx.url(self.page, instrument.page, href.partition("/~")[2])
            note = f'根据<a href="{esc(url)}">《{esc(instrument.title)}》</a>修改'
            for dest in mod.iterfind(f"{A}destination"):
                eid = dest.get("href", "").lstrip("#").split("__")[0]
                notes = self.amended.setdefault(eid, [])
                if note not in notes:
                    notes.append(note)

    # inline: text with refs as links, everything escaped
    def inline(self, el: etree._Element) -> str:
        parts = [esc(el.text)]
        for child in el:
            tag = etree.QName(child).localname
            if tag == "ref":
                url = self.ctx.link(self.page, child.get("href", ""), self.own)
                inner = self.inline(child)
                if url is None:
                    parts.append(inner)
                else:
                    cls = "fadian-footnote-ref" if child.get("class") == "footnoteRef" else "fadian-ref"
                    parts.append(f'<a class="{cls}" href="{esc(url)}">{inner}</a>')
            elif tag == "rref":  # 第三条至第五条: the range links to its first unit
                url = self.ctx.link(self.page, child.get("from", ""), self.own)
                inner = self.inline(child)
                parts.append(inner if url is None else f'<a class="fadian-ref" href="{esc(url)}">{inner}</a>')
            elif tag == "mref":
                parts.append(f'<span class="fadian-mref">{self.inline(child)}</span>')
            elif tag == "mod":  # an instrument's instruction, its refs linking the amended work
                parts.append(
                    f'<span class="fadian-mod" id="{esc(child.get("eId"))}">{self.inline(child)}</span>'
                )
            elif tag == "quotedText":
                parts.append(f'<q class="fadian-quoted-text">{self.inline(child)}</q>')
            elif tag == "quotedStructure":
                quoted = "".join(
                    f'<span class="fadian-quoted-p">{esc(n)}{self.inline(p)}</span>'
                    for p in child.iterfind(f".//{A}p")
                    for n in [self._quoted_num(p, child)]
                )
                parts.append(f'<span class="fadian-quoted">{quoted}</span>')
            elif tag == "def":
                parts.append(f'<dfn class="fadian-term">{self.inline(child)}</dfn>')
            elif tag == "docTitle" or tag == "docStage" or tag == "span":
                parts.append(self.inline(child))
            else:
                parts.append(esc(_text(child)))
            parts.append(esc(child.tail))
        return "".join(parts)

    @staticmethod
    def _quoted_num(p: etree._Element, top: etree._Element) -> str:
        """The numbers (第七节, 第一百二十三条, （一）) printed before a quoted paragraph."""
        nums = []
        node = p.getparent()
        while node is not None and node is not top:
            tag = etree.QName(node).localname
            if tag not in ("content", "intro", "wrapUp") and node.find(f"{A}num") is not None:
                first_p = node.find(f".//{A}p")
                if first_p is p:
                    heading = node.findtext(f"{A}heading")
                    nums.append(node.findtext(f"{A}num") + (f" {heading}" if heading else "") + " ")
            node = node.getparent()
        return "".join(reversed(nums))

    def blocks(self, container: Iterable[etree._Element]) -> str:
        """Block elements (p, tblock, blockList, toc) as HTML on one line each; ``container`` is
        an element whose children are blocks, or a list of blocks."""
        out = []
        for el in container:
            tag = etree.QName(el).localname
            if tag == "p":
                cls = el.get("class")
                attr = f' class="fadian-{esc(cls)}"' if cls else ""
                out.append(f"<p{attr}>{self.inline(el)}</p>")
            elif tag == "tblock":
                num = el.findtext(f"{A}num") or ""
                caption = " ".join(self.inline(p) for p in el.iterfind(f"{A}p"))
                out.append(
                    f'<figure class="fadian-figure" id="{esc(el.get("eId"))}">'
                    f'<div class="fadian-figure-missing">（图略）</div>'
                    f"<figcaption>{esc(num)} {caption}</figcaption></figure>"
                )
            elif tag == "blockList":
                out.append(self.block_list(el))
            elif tag == "toc":
                items = "".join(f"<li>{self.inline(i)}</li>" for i in el.iterfind(f"{A}tocItem"))
                out.append(f'<ul class="fadian-toc">{items}</ul>')
        return "".join(out)

    def block_list(self, el: etree._Element) -> str:
        cls = el.get("class") or "list"
        head = el.find(f"{A}listIntroduction")
        items = []
        for item in el.iterfind(f"{A}item"):
            num = item.findtext(f"{A}num")
            body = "".join(self.inline(p) for p in item.iterfind(f"{A}p"))
            nested = "".join(self.block_list(b) for b in item.iterfind(f"{A}blockList"))
            num_html = f'<span class="fadian-num">{esc(num)}</span>' if num else ""
            items.append(f'<li id="{esc(item.get("eId"))}">{num_html}{body}{nested}</li>')
        tail = el.find(f"{A}listWrapUp")
        intro = f'<div class="fadian-list-intro">{esc(_text(head))}</div>' if head is not None else ""
        wrap = f'<div class="fadian-list-wrap">{esc(_text(tail))}</div>' if tail is not None else ""
        return f'<div class="fadian-{esc(cls)}">{intro}<ul>{"".join(items)}</ul>{wrap}</div>'

    # hierarchy
    def provision_body(self, el: etree._Element) -> str:
        """款/项/目 and policy paragraphs below a heading, laid out as in print."""
        out = []
        for child in el:
            tag = etree.QName(child).localname
            if tag in ("num", "heading"):
                continue
            if tag in ("content", "intro", "wrapUp"):
                out.append(self.blocks(child))
            elif tag in ("paragraph", "point"):
                out.append(self.unit(child))
        return "".join(out)

    def unit(self, el: etree._Element) -> str:
        tag = etree.QName(el).localname
        eid = el.get("eId", "")
        num = el.findtext(f"{A}num")
        heading = el.findtext(f"{A}heading")
        num_html = f'<span class="fadian-num">{esc(num)}</span>' if num else ""
        head_html = f'<span class="fadian-unit-heading">{esc(heading)}</span>' if heading else ""
        cls = "fadian-point" if tag == "point" else "fadian-para"
        return f'<div class="{cls}" id="{esc(eid)}">{num_html}{head_html}{self.provision_body(el)}</div>'

    def cited_by(self, eid: str) -> str:
        if self.own is None:
            return ""
        sources = self.ctx.backlinks.get(self.own.slug, {}).get(eid, [])
        links = []
        seen = set()
        for s in sources:
            key = (s["document"], s["source_eid"])
            if key in seen or (s["document"] == self.own.slug and s["source_eid"].startswith(eid)):
                continue
            seen.add(key)
            doc = self.ctx.docs.get(s["document"])
            anchor = s["source_eid"]
            label = anchor.split("__")[0].replace("art_", "第") + "条" if anchor.startswith("art_") else ""
            if doc is None:
                page, title = f"bulletins/{s['document']}.md", "本期编者按"
            else:
                page, title = doc.page, doc.title if doc.slug != self.own.slug else "本文"
            href = self.ctx.url(self.page, page, anchor)
            links.append(f'<a href="{esc(href)}">{esc(title)}{esc(" " + label if label else "")}</a>')
        if not links:
            return ""
        return f'<div class="fadian-cited-by">被引用：{"；".join(links)}</div>'

    def heading_node(self, el: etree._Element, level: int) -> None:
        tag = etree.QName(el).localname
        eid = el.get("eId", "")
        num = el.findtext(f"{A}num") or ""
        heading = el.findtext(f"{A}heading") or ""
        title = "　".join(t for t in (num, heading) if t) or el.get("name", "")
        level = min(level, 6)
        classes = f".fadian-{tag}"
        self.out.append(f"\n{'#' * level} {md_heading_text(title)} {{#{eid} {classes}}}\n")
        heading_children = [c for c in el if etree.QName(c).localname in HEADING_KINDS]
        if tag == "article" or not heading_children:
            body = self.provision_body(el)
            cls = "fadian-article-body" if tag == "article" else "fadian-body"
            if body:
                self.out.append(f'\n<div class="{cls}">{body}</div>\n')
            for note in self.amended.get(eid, []):
                self.out.append(f'\n<p class="fadian-amended-by">{note}</p>\n')
            cited = self.cited_by(eid)
            if cited:
                self.out.append(f"\n{cited}\n")
            return
        for child in el:
            ctag = etree.QName(child).localname
            if ctag in ("intro", "content", "wrapUp"):
                self.out.append(f'\n<div class="fadian-body">{self.blocks(child)}</div>\n')
            elif ctag in HEADING_KINDS:
                self.heading_node(child, level + 1)
            elif ctag in ("paragraph", "point"):
                self.out.append(f"\n{self.unit(child)}\n")


def _downloads_html(writer: _PageWriter, doc: SiteDocument) -> str:
    links = []
    for label, path in doc.downloads.items():
        href = writer.ctx.url(writer.page, "index.md") + path
        links.append(f'<a class="md-button fadian-download" href="{esc(href)}" download>{esc(label)}</a>')
    return f'<div class="fadian-downloads">下载：{" ".join(links)}</div>' if links else ""


def document_page(ctx: SiteContext, doc: SiteDocument, has_history: bool = False) -> str:
    root = etree.parse(str(doc.akn_path)).getroot()
    document = root[0]
    w = _PageWriter(ctx, doc.page, doc)
    w.read_amendments(document)
    w.out.append(f"---\ntitle: {json.dumps(esc(doc.title), ensure_ascii=False)}\n---\n")
    w.out.append(f"\n# {md_heading_text(doc.title)}\n")
    kind = DOC_NAME_LABELS.get(doc.name, KIND_LABELS.get(doc.doc_type, ""))
    meta = [f'<span class="fadian-kind">{esc(kind)}</span>'] if kind else []
    date = document.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRdate")
    if date is not None:
        meta.append(f'<span class="fadian-date">{esc(date.get("date"))}</span>')
    meta.append(f'<code class="fadian-uri">{esc(doc.expression_uri)}</code>')
    w.out.append(f'\n<div class="fadian-meta">{" ".join(meta)}</div>\n')
    w.out.append(f"\n{_downloads_html(w, doc)}\n")
    if has_history:
        href = ctx.url(doc.page, f"history/{doc.slug}.md")
        w.out.append(f'\n<p class="fadian-history-link"><a href="{esc(href)}">版本与修改历史</a></p>\n')
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


def bulletin_page(ctx: SiteContext, akn_path: Path, slug: str, page: str) -> str:
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


def home_page(ctx: SiteContext, bulletins: list[dict]) -> str:
    out = [
        "---\ntitle: 首页\n---\n",
        "\n# 法典 fadian\n",
        '\n<p class="fadian-lead">中国法律与政策文本的 Akoma Ntoso 版本：逐条阅读、引用链接、下载。</p>\n',
    ]
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
    rows = "".join(
        f'<tr id="{esc(e["anchor"])}"><td>{esc(e["title"])}</td><td><code>{esc(uri)}</code></td></tr>'
        for uri, e in sorted(ctx.registry.items(), key=lambda kv: kv[1]["anchor"])
    )
    out.append(f'\n<table class="fadian-registry"><tr><th>名称</th><th>FRBR URI</th></tr>{rows}</table>\n')
    return "".join(out)


ASSETS_CSS = _asset("fadian.css")

ASSETS_JS = _asset("fadian.js")


def _in_build(build_dir: Path, manifest_path: str) -> Path:
    return build_dir / manifest_path.removeprefix("build/")


def write_site_sources(build_dir: Path, out_dir: Path) -> list[str]:
    """Render every page from ``build_dir`` (akn/, reports/, manifest.json) into ``out_dir``.

    ``build_dir`` may be a staging folder: the manifest's ``build/…`` paths are read from it.
    """
    manifest = json.loads((build_dir / "manifest.json").read_text("utf-8"))
    backlinks_path = build_dir / "reports" / "backlinks.json"
    backlinks = json.loads(backlinks_path.read_text("utf-8")) if backlinks_path.exists() else {}
    registry = {}
    refs_path = build_dir / "reports" / "refs.json"
    cited_external = set()
    if refs_path.exists():
        for c in json.loads(refs_path.read_text("utf-8"))["citations"]:
            if c["status"] == "external":
                cited_external.update(t.split("/~")[0] for t in c["targets"])
    for entry in manifest.get("registry", []):
        if entry["uri"] in cited_external:
            registry[entry["uri"]] = {"title": entry["title"], "anchor": entry["uri"].rsplit("/", 1)[-1]}
    docs: dict[str, SiteDocument] = {}
    for d in manifest["documents"]:
        doc = SiteDocument(
            d["slug"],
            d["title"],
            d["type"],
            d["name"],
            d["work_uri"],
            d["expression_uri"],
            _in_build(build_dir, d["akn"]),
            f"documents/{d['slug']}.md",
        )
        doc.downloads["AKN XML"] = f"downloads/{d['slug']}.xml"
        for label, key in (("EPUB", "epub"), ("PDF", "pdf")):
            if d.get(key):
                doc.downloads[label] = f"downloads/{Path(d[key]).name}"
        docs[doc.slug] = doc
    ctx = SiteContext(docs, {d.work_uri: d for d in docs.values()}, registry, backlinks)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / "documents").mkdir(parents=True)
    (out_dir / "bulletins").mkdir()
    (out_dir / "downloads").mkdir()
    (out_dir / "assets").mkdir()
    tagged_editions = [t for doc in manifest["documents"] for t in doc.get("tagged_editions", [])]
    for d in manifest["documents"] + manifest.get("bulletins", []) + tagged_editions:
        for key in ("epub", "pdf"):
            if d.get(key):
                shutil.copyfile(_in_build(build_dir, d[key]), out_dir / "downloads" / Path(d[key]).name)
    pages = []
    histories = {
        d["slug"]: json.loads(_in_build(build_dir, d["history"]).read_text("utf-8"))
        for d in manifest["documents"]
        if d.get("history")
    }
    (out_dir / "w").mkdir()
    for doc in docs.values():
        record = histories.get(doc.slug)
        (out_dir / doc.page).write_text(document_page(ctx, doc, has_history=record is not None), "utf-8")
        shutil.copyfile(doc.akn_path, out_dir / doc.downloads["AKN XML"])
        pages.append(doc.page)
        if record is not None:
            tagged = next(
                d.get("tagged_editions", []) for d in manifest["documents"] if d["slug"] == doc.slug
            )
            pages += history_pages(ctx, doc, record, build_dir, out_dir, tagged)
            page = f"w/{doc.slug}.md"
            (out_dir / page).write_text(wid_redirect_page(doc.slug, doc.title, record["wid_to_eid"]), "utf-8")
            pages.append(page)
    bulletins = []
    for b in manifest.get("bulletins", []):
        page = f"bulletins/{b['slug']}.md"
        akn = _in_build(build_dir, b["akn"])
        (out_dir / page).write_text(bulletin_page(ctx, akn, b["slug"], page), "utf-8")
        shutil.copyfile(akn, out_dir / "downloads" / f"{b['slug']}.xml")
        bulletins.append({"page": page, "title": f"{b['title']} {b.get('date', '')}", "date": b.get("date")})
        pages.append(page)
    nav = [{"首页": "index.md"}]
    if bulletins:
        nav.append({"刊物": [{esc(b["title"]): b["page"]} for b in bulletins]})
    for doc_type in ("act", "amendment", "bill", "doc"):
        group = sorted((d for d in docs.values() if d.doc_type == doc_type), key=lambda d: d.slug)
        if group:
            # mkdocs-material prints nav and page titles without escaping them: escape here
            nav.append({KIND_LABELS[doc_type]: [{esc(d.title): d.page} for d in group]})
    nav.append({"引用的外部法规": "registry.md"})
    (out_dir / NAV_FILE).write_text(json.dumps(nav, ensure_ascii=False, indent=1), "utf-8")
    (out_dir / "index.md").write_text(home_page(ctx, bulletins), "utf-8")
    (out_dir / "registry.md").write_text(registry_page(ctx), "utf-8")
    (out_dir / "assets" / "fadian.css").write_text(ASSETS_CSS, "utf-8")
    (out_dir / "assets" / "fadian.js").write_text(ASSETS_JS, "utf-8")
    return ["index.md", "registry.md", *pages]


# -- versions ---------------------------------------------------------------------------------
def _redline_html(redline: list, side: str) -> str:
    """One column of a 新旧对照: the old text with deletions marked, or the new with insertions."""
    out = []
    for op, text in redline:
        body = esc(text).replace("\n", "<br>")
        if op == "equal":
            out.append(body)
        elif op == "del" and side == "old":
            out.append(f"<del>{body}</del>")
        elif op == "ins" and side == "new":
            out.append(f"<ins>{body}</ins>")
    return "".join(out)


_CHANGE_LABELS = {
    "added": "新增",
    "deleted": "删除",
    "modified": "修改",
    "renumbered": "条号调整",
    "moved": "移动",
}
_ITEM_LABELS = {"added": "新增项", "deleted": "删除项"}


def _shifted_row(shifted: list[dict]) -> str:
    """A run of articles only renumbered: one collapsed row."""
    first, last = shifted[0], shifted[-1]
    span = f"{first['old_num']} → {first['new_num']}"
    if len(shifted) > 1:
        span = f"{first['old_num']}–{last['old_num']} → {first['new_num']}–{last['new_num']}"
    members = "".join(
        f'<span id="{esc(c["wid"])}">{esc(c["old_num"])} → {esc(c["new_num"])}</span> ' for c in shifted
    )
    return (
        f'<tr class="fadian-change fadian-renumbered"><td colspan="2"><details>'
        f"<summary>{esc(span)}：条号调整，内容未改动（{len(shifted)} 条）</summary>{members}"
        "</details></td></tr>"
    )


def _compare_rows(changes: list[dict]) -> list[str]:
    """Rows of a 新旧对照 table: changed articles in two columns, renumber-only runs collapsed."""
    rows: list[str] = []
    shifted: list[dict] = []
    for c in changes:
        if c["kind"] == "renumbered" and not c["modified"]:
            shifted.append(c)
            continue
        if shifted:
            rows.append(_shifted_row(shifted))
            shifted = []
        label = _CHANGE_LABELS[c["kind"]] + ("并修改" if c["modified"] and c["kind"] != "modified" else "")
        plain = esc(c.get("text", "")).replace("\n", "<br>")
        old = _redline_html(c["redline"], "old") if c["redline"] else plain if c["old_num"] else ""
        new = _redline_html(c["redline"], "new") if c["redline"] else plain if c["new_num"] else ""
        if c["kind"] in ("renumbered", "moved") and not c["redline"]:
            old = new = ""
        head = " → ".join(esc(x) for x in (c["old_num"], c["new_num"]) if x)
        anchor = f' id="{esc(c["wid"])}"' if c["wid"] else ""
        rows.append(
            f'<tr{anchor} class="fadian-change fadian-{esc(c["kind"])}">'
            f'<td class="fadian-old"><div class="fadian-change-head">{head}'
            f' <span class="fadian-badge">{esc(label)}</span></div>{old}</td>'
            f'<td class="fadian-new"><div class="fadian-change-head">&nbsp;</div>{new}</td></tr>'
        )
        for item in c.get("items", []):
            inum = " → ".join(esc(x) for x in (item["old_num"], item["new_num"]) if x)
            what = _ITEM_LABELS.get(item["kind"], "修改项")
            rows.append(f'<tr class="fadian-item-change"><td colspan="2">{inum}：{esc(what)}</td></tr>')
    if shifted:
        rows.append(_shifted_row(shifted))
    return rows


def wid_redirect_page(slug: str, title: str, wid_to_eid: dict[str, str]) -> str:
    """w/<slug>/#<wId> → the article's current anchor, however it was renumbered."""
    mapping = json.dumps(wid_to_eid, ensure_ascii=False, sort_keys=True)
    links = "".join(
        f'<li><a href="../../documents/{esc(slug)}/#{esc(eid)}">{esc(wid)}</a></li>'
        for wid, eid in sorted(wid_to_eid.items())
        if wid.startswith("art_")
    )
    return (
        f"---\ntitle: {json.dumps(esc(title) + ' 永久链接', ensure_ascii=False)}\n"
        "search:\n  exclude: true\n---\n"
        f"\n# {md_heading_text(title)}：永久链接\n"
        f"\n<p>本页把以 wId 标识的永久链接转到条文当前的位置（条文重新编号后仍然有效）。</p>\n"
        f"\n<script>\n(function () {{\n  var map = {mapping};\n"
        f"  var wid = decodeURIComponent(location.hash.slice(1));\n"
        f"  if (wid) {{ location.replace('../../documents/{slug}/#' + (map[wid] || wid)); }}\n"
        f"}})();\n</script>\n"
        f'\n<ul class="fadian-wids">{links}</ul>\n'
    )


def history_pages(
    ctx: SiteContext,
    doc: SiteDocument,
    record: dict,
    build_dir: Path,
    out_dir: Path,
    tagged: list[dict] | None = None,
) -> list[str]:
    """Version list, per-article history, point-in-time texts and 新旧对照 comparisons."""
    slug = doc.slug
    versions = record["versions"]
    pages = []
    base = f"history/{slug}"
    (out_dir / base).mkdir(parents=True, exist_ok=True)
    # point-in-time full texts
    for v in versions:
        page = f"{base}/v{v['number']}.md"
        vdoc = SiteDocument(
            slug,
            f"{doc.title}（{v['version']}，{v['date']}）",
            doc.doc_type,
            doc.name,
            doc.work_uri,
            v["expression_uri"] or doc.expression_uri,
            _in_build(build_dir, v["akn"]),
            page,
        )
        vctx = SiteContext({**ctx.docs}, {**ctx.by_uri, doc.work_uri: vdoc}, ctx.registry, {})
        (out_dir / page).write_text(document_page(vctx, vdoc), "utf-8")
        pages.append(page)
    # comparisons of consecutive versions
    for d in record["diffs"]:
        page = f"{base}/compare-{d['from'].replace(' ', '-')}-{d['to'].replace(' ', '-')}.md"
        rows = _compare_rows(d["changes"])
        unchanged = d.get("unchanged", [])
        collapsed = ""
        if unchanged:
            nums = "、".join(esc(u[2]) for u in unchanged)
            collapsed = (
                f'<details class="fadian-unchanged"><summary>{len(unchanged)} 条未改动</summary>'
                f"<p>{nums}</p></details>"
            )
        header = ""
        if d.get("header"):
            header = (
                f'<tr class="fadian-change"><td class="fadian-old">{_redline_html(d["header"], "old")}</td>'
                f'<td class="fadian-new">{_redline_html(d["header"], "new")}</td></tr>'
            )
        title = f"{doc.title} 新旧对照（{d['from']} → {d['to']}）"
        (out_dir / page).write_text(
            f"---\ntitle: {json.dumps(esc(title), ensure_ascii=False)}\n---\n"
            f"\n# {md_heading_text(title)}\n"
            f'\n<table class="fadian-compare"><thead><tr><th>{esc(d["from"])}（旧）</th>'
            f"<th>{esc(d['to'])}（新）</th></tr></thead><tbody>{header}{''.join(rows)}</tbody></table>\n"
            f"\n{collapsed}\n",
            "utf-8",
        )
        pages.append(page)
    # the version list and per-article history
    rows = []
    for k, v in enumerate(versions):
        compare = ""
        if k:
            d = record["diffs"][k - 1]
            cpage = f"{base}/compare-{d['from'].replace(' ', '-')}-{d['to'].replace(' ', '-')}.md"
            counts = "，".join(f"{kind} {n}" for kind, n in sorted(d["counts"].items()))
            compare = f'<a href="{esc(ctx.url(f"{base}.md", cpage))}">新旧对照</a> {esc(counts)}'
        version_page = f"{base}/v{v['number']}.md"
        text_link = f'<a href="{esc(ctx.url(f"{base}.md", version_page))}">全文</a>'
        tags = " ".join(f'<span class="fadian-badge">{esc(t)}</span>' for t in v["tags"])
        for edition in tagged or []:  # published editions of this version: their EPUB and PDF
            if edition["version"] == v["version"]:
                for kind in ("epub", "pdf"):
                    if edition.get(kind):
                        href = ctx.url(f"{base}.md", "index.md") + f"downloads/{Path(edition[kind]).name}"
                        text_link += f' <a href="{esc(href)}" download>{kind.upper()}</a>'
        rows.append(
            f"<tr><td>{esc(v['version'])} {tags}</td><td>{esc(v['date'])}</td>"
            f"<td><code>{esc((v['commit'] or '')[:10])}</code></td><td>{text_link}</td>"
            f"<td>{compare}</td></tr>"
        )
    article_history: dict[str, list[str]] = {}
    for d in record["diffs"]:
        for c in d["changes"]:
            if c["wid"]:
                article_history.setdefault(c["wid"], []).append(f"{d['to']}：{c['kind']}")
    current = record["wid_to_eid"]
    art_rows = "".join(
        f'<tr><td><a href="{esc(ctx.url(f"{base}.md", doc.page, current[wid]))}">{esc(current[wid])}</a>'
        f"</td><td><code>{esc(wid)}</code></td><td>{esc('；'.join(events))}</td></tr>"
        if wid in current
        else f"<tr><td>（已删除）</td><td><code>{esc(wid)}</code></td><td>{esc('；'.join(events))}</td></tr>"
        for wid, events in sorted(article_history.items())
    )
    title = f"{doc.title} 版本"
    (out_dir / f"{base}.md").write_text(
        f"---\ntitle: {json.dumps(esc(title), ensure_ascii=False)}\n---\n\n# {md_heading_text(title)}\n"
        f'\n<table class="fadian-versions"><thead><tr><th>版本</th><th>日期</th><th>提交</th><th>文本</th>'
        f"<th>与上一版本比较</th></tr></thead><tbody>{''.join(rows)}</tbody></table>\n"
        f"\n## 条文修改历史 {{#articles}}\n"
        f'\n<table class="fadian-article-history"><thead><tr><th>现条文</th><th>wId</th><th>修改</th></tr>'
        f"</thead><tbody>{art_rows}</tbody></table>\n",
        "utf-8",
    )
    pages.append(f"{base}.md")
    return pages
