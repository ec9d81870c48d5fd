"""AKN → the small semantic HTML that pandoc turns into an EPUB or a typst PDF: headings carry the
eIds, 款/项/目 are blocks with their eIds, citations inside the book are links; a bulletin is
one book of its documents, each under its own eId prefix."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from markupsafe import Markup

from fadian.akn.read import A
from fadian.akn.read import text_of as _text
from fadian.render.html import AknView, BookLinks, render
from fadian.render.legal import book_notes, legal_fields


def _document_html(document: etree._Element, titles: dict[str, str], level: int = 1, prefix: str = "") -> str:
    """One act/bill/doc as book HTML: its title, the metadata panel and the version's date (as
    the site page shows them), its text with the "根据《…》修改" notes of the instruments in
    ``titles`` (work or expression URI → title). ``prefix`` keeps eIds apart when a book holds several."""
    title_el = document.find(f".//{A}docTitle")
    preface = document.find(f"{A}preface")
    date = document.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRdate")
    return render(
        "book_document.html.j2",
        r=AknView(BookLinks(prefix, notes=book_notes(document, titles))),
        document=document,
        level=level,
        title=_text(title_el) if title_el is not None else "",
        legal=legal_fields(document),
        version_date=date.get("date", "") if date is not None else "",
        contents=preface.find(f"{A}container[@name='toc']") if preface is not None else None,
    )


def document_html(akn: Path, titles: dict[str, str] | None = None, part: bool = False) -> tuple[str, dict]:
    """HTML body of one document's edition, and its metadata. ``titles``: the project's
    documents by work and expression URI, to name the instruments that changed an article;
    ``part``: it is a part of a work kept in several files (titled by its part; a part other
    than the first says so in its AKN, the first does not)."""
    from fadian.render.parts import part_label

    document = etree.parse(str(akn)).getroot()[0]
    ident = document.find(f"{A}meta/{A}identification")
    title = ident.find(f"{A}FRBRWork/{A}FRBRalias[@name='title']").get("value")
    if part or not ident.find(f"{A}FRBRExpression/{A}FRBRthis").get("value").endswith("/!main"):
        title = f"{title} · {part_label(document)}"  # a part of a work kept in several files
    meta = {
        "title": title,
        "identifier": ident.find(f"{A}FRBRExpression/{A}FRBRuri").get("value"),
        "date": ident.find(f"{A}FRBRExpression/{A}FRBRdate").get("date"),
        **_authorship(document),
    }
    return _document_html(document, titles or {}), meta


def bulletin_html(
    coll_akn: Path, documents: dict[str, Path], titles: dict[str, str] | None = None
) -> tuple[str, dict]:
    """The whole issue: title page (期号, date), masthead, then per rubric the editor's notes and
    the documents in order. ``documents`` maps expression URIs to the documents' AKN files."""
    titles = titles or {}
    coll = etree.parse(str(coll_akn)).getroot()[0]
    cover = coll.find(f"{A}coverPage")
    lines = [_text(p) for p in cover.iterfind(f"{A}p")] if cover is not None else []
    title = coll.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRname").get("value")
    issue_line = next((x for x in lines if "期" in x), "")
    parts, anchors = _bulletin_parts(coll.find(f"{A}collectionBody"), documents, titles)
    contents = _bulletin_contents(cover, anchors)
    masthead = cover.find(f"{A}container[@name='masthead']") if cover is not None else None
    statement = cover.find(f"{A}container[@name='statement']") if cover is not None else None
    html_text = render(
        "book_bulletin.html.j2",
        r=AknView(BookLinks()),
        title=title,
        cover_lines=lines,
        masthead=masthead,
        statement=statement,
        contents=contents,
        parts=parts,
        conclusions=coll.find(f"{A}conclusions"),
    )
    date = coll.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRdate").get("date")
    publisher = coll.find(f"{A}meta/{A}references/{A}TLCOrganization[@eId='publisher']")
    meta = {
        "title": f"{title} {issue_line}".strip(),
        "identifier": coll.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRuri").get("value"),
        "date": date,
        "rights": OWN_WORK_RIGHTS,  # the bulletin: 原创内容版权属于原作者
        **({"creator": publisher.get("showAs")} if publisher is not None else {}),
    }
    return html_text, meta


def _bulletin_parts(
    body: etree._Element, documents: dict[str, Path], titles: dict[str, str]
) -> tuple[list[dict], dict[str, str]]:
    """The issue's parts in order — a rubric's heading, an editor's note, a document's whole text
    — and each document's anchor in the book, by its expression URI."""
    parts: list[dict] = []
    anchors: dict[str, str] = {}
    for comp in body.iterfind(f"{A}component"):
        inter = comp.find(f"{A}interstitial")
        ref = comp.find(f"{A}documentRef")
        if inter is not None and inter.find(f"{A}p[@class='rubric']") is not None:
            parts.append({"rubric": _text(inter).strip(), "eid": comp.get("eId"), "note": None})
        elif inter is not None:
            parts.append({"rubric": "", "eid": comp.get("eId"), "note": inter})
        elif ref is not None and ref.get("href", "") in documents:
            prefix = f"d{len(anchors) + 1}-"
            anchors[ref.get("href", "")] = f"{prefix}title"
            document = etree.parse(str(documents[ref.get("href", "")])).getroot()[0]
            html_doc = Markup(_document_html(document, titles, level=3, prefix=prefix))
            parts.append({"rubric": "", "eid": "", "note": None, "html": html_doc})
    return parts, anchors


def _bulletin_contents(cover: etree._Element | None, anchors: dict[str, str]) -> list[dict]:
    """The issue's 本期要目 as the book's contents, each entry linked to its part."""
    toc = cover.find(f"{A}container[@name='contents']") if cover is not None else None
    contents = []
    for item in toc.iter(f"{A}tocItem") if toc is not None else []:
        # the paper's page number (<span class="page">) is not this book's: typst prints the
        # PDF's own beside the entry, an EPUB has none
        text = "".join(t for t in item.xpath(".//text()[not(ancestor::*[@class='page'])]")).strip()
        href = item.get("href", "")
        anchor = anchors.get(href, href[1:] if href.startswith("#") else "")
        contents.append({"text": text, "anchor": anchor, "level": item.get("level", "1")})
    return contents


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
