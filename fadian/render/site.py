"""AKN → pages for the mkdocs-material site (Markdown headings + escaped HTML bodies).

Reads only the built AKN (build/akn) and reports (build/reports), never the raw
text. Headings are Markdown so that mkdocs puts chapters, sections and articles in
the page's table of contents, with the eIds as anchors; everything below a heading
is HTML in which every text is escaped, so nothing from a source becomes markup.
"""

from __future__ import annotations

import html
import re
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


_INLINE_PARTS = frozenset({"num", "heading", "content", "intro", "wrapUp", "paragraph", "point"})


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
        policy = tag in ("subsection", "paragraph", "point") or (
            tag == "section" and not num.startswith("第")
        )
        flat = all(etree.QName(c).localname in _INLINE_PARTS for c in el)
        if not heading and num and policy and flat:
            # policy numbering without a title (（一）…, 1.…): the number runs into its sentence,
            # as printed, instead of a bare "（一）" heading with the sentence detached; only for
            # units whose parts unit() renders (款 and 项 below, no further headings)
            self.out.append(f"\n{self.unit(el)}\n")
            return
        level = min(level, 6)
        classes = f".fadian-{tag}"
        wid = el.get("wId")  # the stable identity the copy button links (w/<slug>/#<wId>)
        if wid and re.fullmatch(r"[A-Za-z0-9_.-]+", wid):
            classes += f' data-wid="{wid}"'
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


def _in_build(build_dir: Path, manifest_path: str) -> Path:
    """A manifest path (``build/akn/x.xml``) inside ``build_dir``, which may be a generation."""
    return build_dir / manifest_path.removeprefix("build/")
