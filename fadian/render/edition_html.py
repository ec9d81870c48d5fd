"""AKN → the small semantic HTML that pandoc turns into an EPUB or a typst PDF: headings carry the
eIds, 款/项/目 are blocks with their eIds, citations inside the book are links; a bulletin is
one book of its documents, each under its own eId prefix."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from fadian.akn.read import HEADING_KINDS, A, esc
from fadian.akn.read import text_of as _text


# -- AKN → HTML ---------------------------------------------------------------------------------
class _Html:
    def __init__(self, internal_prefix: str = ""):
        self.out: list[str] = []
        self.prefix = internal_prefix  # eIds of several documents in one book need a prefix

    def anchor(self, eid: str | None) -> str:
        return f"{self.prefix}{eid}" if eid else ""

    def inline(self, el: etree._Element) -> str:
        parts = [esc(el.text)]
        for child in el:
            tag = etree.QName(child).localname
            inner = self.inline(child)
            href = child.get("href", "") if tag != "rref" else child.get("from", "")
            if tag in ("ref", "rref") and href.startswith("#"):
                parts.append(f'<a href="#{esc(self.anchor(href[1:]))}">{inner}</a>')
            elif tag == "mref" or tag in ("def", "docTitle", "docStage", "span", "ref"):
                parts.append(inner)
            else:
                parts.append(esc(_text(child)))
            parts.append(esc(child.tail))
        return "".join(parts)

    def blocks(self, container: Iterable[etree._Element]) -> None:
        """Block elements of ``container`` (an element, or a list of blocks) as HTML."""
        for el in container:
            tag = etree.QName(el).localname
            if tag == "p":
                self.out.append(f"<p>{self.inline(el)}</p>")
            elif tag == "tblock":
                caption = " ".join(self.inline(p) for p in el.iterfind(f"{A}p"))
                self.out.append(
                    f'<div id="{esc(self.anchor(el.get("eId")))}"><p>（图略）'
                    f"{esc(el.findtext(f'{A}num'))} {caption}</p></div>"
                )
            elif tag == "blockList":
                self.block_list(el)
            elif tag == "toc":  # the printed 目录, as the text has it
                for item in el.iterfind(f"{A}tocItem"):
                    href = item.get("href", "")
                    target = (
                        f' href="#{esc(self.anchor(href[1:]))}"'
                        if href.startswith("#") and len(href) > 1 and href != "#toc"
                        else ""
                    )
                    entry = f"<a{target}>{esc(_text(item))}</a>" if target else esc(_text(item))
                    self.out.append(f'<p class="toc">{entry}</p>')

    def block_list(self, el: etree._Element) -> None:
        head = el.find(f"{A}listIntroduction")
        if head is not None and _text(head):
            self.out.append(f"<p>{esc(_text(head))}</p>")
        for item in el.iterfind(f"{A}item"):
            num = item.findtext(f"{A}num") or ""
            body = "".join(self.inline(p) for p in item.iterfind(f"{A}p"))
            self.out.append(f'<div id="{esc(self.anchor(item.get("eId")))}"><p>{esc(num)}{body}</p></div>')
            for nested in item.iterfind(f"{A}blockList"):
                self.block_list(nested)
        tail = el.find(f"{A}listWrapUp")
        if tail is not None and _text(tail):
            self.out.append(f"<p>{esc(_text(tail))}</p>")

    def unit(self, el: etree._Element) -> None:
        """款 / 项 / 目 and policy paragraphs: a div with the eId, the number run in."""
        num = el.findtext(f"{A}num") or ""
        heading = el.findtext(f"{A}heading") or ""
        self.out.append(f'<div id="{esc(self.anchor(el.get("eId")))}">')
        lead = esc(num) + (esc(heading) + "　" if heading else "")
        first = True
        for child in el:
            tag = etree.QName(child).localname
            if tag in ("content", "intro", "wrapUp"):
                for p in child:
                    if etree.QName(p).localname == "p" and first and lead:
                        self.out.append(f"<p>{lead}{self.inline(p)}</p>")
                        first = False
                    else:
                        self.blocks([p])
                        first = False
            elif tag in ("paragraph", "point"):
                if first and lead:
                    self.out.append(f"<p>{lead}</p>")
                    first = False
                self.unit(child)
        self.out.append("</div>")

    def heading(self, el: etree._Element, level: int) -> None:
        num = el.findtext(f"{A}num") or ""
        heading = el.findtext(f"{A}heading") or ""
        title = "　".join(t for t in (num, heading) if t) or "　"
        level = min(level, 6)
        self.out.append(f'<h{level} id="{esc(self.anchor(el.get("eId")))}">{esc(title)}</h{level}>')
        for child in el:
            tag = etree.QName(child).localname
            if tag in ("content", "intro", "wrapUp"):
                self.blocks(child)
            elif tag in HEADING_KINDS:
                self.heading(child, level + 1)
            elif tag in ("paragraph", "point"):
                self.unit(child)

    def document(self, document: etree._Element, level: int = 1) -> None:
        """One AKN act/bill/doc: title, preface lines, body, conclusions."""
        title = (
            _text(document.find(f".//{A}docTitle")) if document.find(f".//{A}docTitle") is not None else ""
        )
        self.out.append(f'<h{level} id="{esc(self.anchor("title"))}">{esc(title)}</h{level}>')
        preface = document.find(f"{A}preface")
        if preface is not None:
            for child in preface:
                tag = etree.QName(child).localname
                if tag == "p":
                    self.out.append(f'<p class="center">{self.inline(child)}</p>')
                elif tag == "container":
                    self.blocks(child)
        for part in ("preamble", "body", "mainBody"):
            el = document.find(f"{A}{part}")
            if el is None:
                continue
            for child in el:
                tag = etree.QName(child).localname
                if tag in HEADING_KINDS:
                    self.heading(child, level + 1)
                elif tag in ("paragraph", "point"):
                    self.unit(child)
                else:
                    self.blocks([child])
        conclusions = document.find(f"{A}conclusions")
        if conclusions is not None:
            self.blocks(conclusions)


def document_html(akn: Path) -> tuple[str, dict]:
    """HTML body of one document's edition, and its metadata."""
    root = etree.parse(str(akn)).getroot()
    document = root[0]
    writer = _Html()
    writer.document(document)
    ident = document.find(f"{A}meta/{A}identification")
    meta = {
        "title": ident.find(f"{A}FRBRWork/{A}FRBRalias[@name='title']").get("value"),
        "identifier": ident.find(f"{A}FRBRExpression/{A}FRBRuri").get("value"),
        "date": ident.find(f"{A}FRBRExpression/{A}FRBRdate").get("date"),
        **_authorship(document),
    }
    return "\n".join(writer.out), meta


def bulletin_html(coll_akn: Path, documents: dict[str, Path]) -> tuple[str, dict]:
    """The whole issue: title page (期号, date), masthead, then per rubric the editor's notes and
    the documents in order. ``documents`` maps expression URIs to the documents' AKN files."""
    root = etree.parse(str(coll_akn)).getroot()
    coll = root[0]
    out = _Html()
    cover = coll.find(f"{A}coverPage")
    lines = [_text(p) for p in cover.iterfind(f"{A}p")] if cover is not None else []
    title = coll.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRname").get("value")
    issue_line = next((x for x in lines if "期" in x), "")
    out.out.append(f'<h1 id="cover">{esc(title)}</h1>')
    for line in lines:
        out.out.append(f'<p class="center">{esc(line)}</p>')
    if cover is not None:
        masthead = cover.find(f"{A}container[@name='masthead']")
        if masthead is not None:
            out.out.append('<h2 id="masthead">刊物信息</h2>')
            for p in masthead.iterfind(f"{A}p"):
                out.out.append(f"<p>{esc(_text(p))}</p>")
            for tb in masthead.iterfind(f"{A}tblock"):
                values = "、".join(_text(p) for p in tb.iterfind(f"{A}p") if _text(p))
                out.out.append(f"<p>{esc(tb.findtext(f'{A}heading'))}：{esc(values)}</p>")
        statement = cover.find(f"{A}container[@name='statement']")
        if statement is not None:
            out.blocks(statement)
        contents = cover.find(f"{A}container[@name='contents']")
        if contents is not None:
            out.out.append('<h2 id="contents">本期要目</h2>')
            for item in contents.iterfind(f".//{A}tocItem"):
                out.out.append(f"<p>{esc(_text(item))}</p>")
    body = coll.find(f"{A}collectionBody")
    n = 0
    for comp in body.iterfind(f"{A}component"):
        inter = comp.find(f"{A}interstitial")
        ref = comp.find(f"{A}documentRef")
        if inter is not None and inter.find(f"{A}p[@class='rubric']") is not None:
            out.out.append(f'<h2 id="{esc(comp.get("eId"))}">{esc(_text(inter))}</h2>')
        elif inter is not None:
            out.out.append(f'<div id="{esc(comp.get("eId"))}" class="note">')
            for p in inter.iterfind(f"{A}p"):
                out.out.append(
                    f"<p><strong>{out.inline(p)}</strong></p>"
                    if p.get("class") == "heading"
                    else f"<p>{out.inline(p)}</p>"
                )
            out.out.append("</div>")
        elif ref is not None:
            path = documents.get(ref.get("href", ""))
            if path is None:
                continue
            n += 1
            writer = _Html(internal_prefix=f"d{n}-")
            writer.document(etree.parse(str(path)).getroot()[0], level=3)
            out.out.extend(writer.out)
    conclusions = coll.find(f"{A}conclusions")
    if conclusions is not None:
        out.out.append('<h2 id="profiles">主办单位</h2>')
        for box in conclusions.iterfind(f"{A}container"):
            for p in box.iterfind(f"{A}p"):
                out.out.append(f"<p>{esc(_text(p))}</p>")
    date = coll.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRdate").get("date")
    publisher = coll.find(f"{A}meta/{A}references/{A}TLCOrganization[@eId='publisher']")
    meta = {
        "title": f"{title} {issue_line}".strip(),
        "identifier": coll.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRuri").get("value"),
        "date": date,
        "rights": OWN_WORK_RIGHTS,  # the bulletin: 原创内容版权属于原作者
        **({"creator": publisher.get("showAs")} if publisher is not None else {}),
    }
    return "\n".join(out.out), meta


PUBLIC_TEXT_RIGHTS = "法律法规文本不受著作权保护（《中华人民共和国著作权法》第五条）"
OWN_WORK_RIGHTS = "原创内容版权属于原作者"


def _authorship(document: etree._Element) -> dict[str, str]:
    """Rights and creator of a document's edition: an enacted law or an amendment instrument is
    outside copyright (著作权法 第五条); a draft, a note or a report belongs to its authors, named
    by its 来源 organisation when the text gives one."""
    tag = etree.QName(document).localname
    out = {"rights": PUBLIC_TEXT_RIGHTS if tag == "act" else OWN_WORK_RIGHTS}
    source = document.find(f"{A}meta/{A}references/{A}TLCOrganization[@eId='source']")
    if source is not None and source.get("showAs"):
        out["creator"] = source.get("showAs")
    return out
