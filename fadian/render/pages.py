"""The pages of documents, bulletin issues, the home page and the registry of external works."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from markupsafe import Markup

from fadian.akn.read import A
from fadian.akn.read import text_of as _text
from fadian.render.api_description import OPENAPI_FILE
from fadian.render.check_data import CHECK_PAGE, CHECK_SCRIPT
from fadian.render.html import AknView, TocEntry, render, toc_entries
from fadian.render.legal import amended_works, amendments, legal_fields, status_of
from fadian.render.linked_data import legislation
from fadian.render.parts import shown_title
from fadian.render.site import DOC_NAME_LABELS, KIND_LABELS, SiteContext, SiteDocument, page_links
from fadian.render.works import Expression, file_compare_path, next_file, uri_path
from fadian.uri import FrbrUri

REVIEW_PAGE = "editors/review.md"  # the editors' page of the build's review reports


def _downloads(
    ctx: SiteContext, page: str, downloads: dict[str, str], stem: str
) -> list[tuple[str, str, str]]:
    """(label, URL relative to ``page``, the name a reader's download is saved under) of a page's
    downloads: the text's title and date, not the address's own name (``!main.xml``)."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "", stem)
    return [
        (label, ctx.url(page, "index.md") + path, name + Path(path).suffix)
        for label, path in downloads.items()
    ]


def document_page(
    ctx: SiteContext,
    doc: SiteDocument,
    has_history: bool = False,
    notice: str = "",
    permalinks: bool = False,
    marks: dict[str, dict] | None = None,
    versions: list[Expression] | None = None,
    previous: SiteDocument | None = None,
    document: etree._Element | None = None,
) -> str:
    """The page of one document (``notice``: HTML shown under the title, e.g. the 历史版本 banner;
    ``has_history``: link its versions; ``permalinks``: its copy buttons link w/<slug>/#<wId>;
    ``versions``: its work's versions, for the page's linked data; ``previous``: the work's file
    before this one, whose 新旧对照 with this one it links; ``document``: its AKN, when parsed already)."""
    document = document if document is not None else doc.akn_root()
    legal = legal_fields(document)
    downloads = _downloads(ctx, doc.page, doc.downloads, f"{doc.title}-{doc.expression_date}")
    date = document.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRdate")
    preface = document.find(f"{A}preface")
    return render(
        "site_document.html.j2",
        r=AknView(page_links(ctx, doc.page, doc, document, _mark_links(ctx, doc, marks or {}))),
        document=document,
        title=shown_title(doc),
        description=_description(doc, document),
        toc=[e.token() for e in toc_entries(document)],
        notice=Markup(notice),
        kind=DOC_NAME_LABELS.get(doc.name, KIND_LABELS.get(doc.doc_type, "")),
        date=date.get("date") if date is not None else "",
        expression_uri=doc.expression_uri,
        work_uri=doc.work_uri,
        legal=legal,
        status=status_of(legal),
        downloads=downloads,
        linked_data=Markup(_linked_data(ctx, doc, document, legal, downloads, versions or [])),
        history_url=ctx.url(doc.page, f"history/{doc.slug}.md") if has_history else "",
        # a work the project holds several files of: its page lists them all (this one too)
        work_url=ctx.url(doc.page, f"{uri_path(doc.work_uri)}/index.md") if doc.work_uri in ctx.works else "",
        work_files=len(ctx.works.get(doc.work_uri, [])),
        compare=_file_comparisons(ctx, doc, previous),
        # the copy button links w/<slug>/#<wId>: it still opens the article after renumbering
        permalink_base=ctx.url(doc.page, f"w/{doc.slug}.md") if has_history or permalinks else "",
        contents=preface.find(f"{A}container[@name='toc']") if preface is not None else None,
        jump=document.find(f".//{A}article") is not None,
    )


def _file_comparisons(ctx: SiteContext, doc: SiteDocument, previous: SiteDocument | None) -> list[dict]:
    """The 新旧对照 of this file with the work's files before and after it, when there are."""
    out = []
    if previous is not None:
        url = ctx.url(doc.page, file_compare_path(previous.slug, doc.slug))
        out.append({"url": url, "text": f"与上一版本（{previous.expression_date} 版）新旧对照"})
    if (following := next_file(ctx, doc)) is not None:
        url = ctx.url(doc.page, file_compare_path(doc.slug, following.slug))
        out.append({"url": url, "text": f"与下一版本（{following.expression_date} 版）新旧对照"})
    return out


def _linked_data(
    ctx: SiteContext,
    doc: SiteDocument,
    document: etree._Element,
    legal: list,
    downloads: list,
    versions: list[Expression],
) -> str:
    """The page's schema.org Legislation (render/linked_data), from the values the page shows:
    its panel, downloads and versions, the instruments whose changes it carries (its 根据《…》修改
    notes) and, for an instrument, the texts of the project it changes."""
    rows = [{"date": e.date, "url": ctx.url(doc.page, e.page)} for e in versions]
    instruments = dict.fromkeys(uri for _eid, uri, _provision in amendments(document))
    linked = [
        {"uri": uri, "name": target.title, "url": ctx.url(doc.page, target.page)}
        for uri in (*instruments, *amended_works(document))
        if (target := ctx.by_uri.get(uri)) is not None and target.slug != doc.slug
    ]
    consolidates = [t for t in linked if t["uri"] in instruments]
    return legislation(
        doc.title,
        doc.work_uri,
        doc.expression_uri,
        doc.expression_date,
        {key: value for key, _label, value in legal},
        downloads,
        rows,
        FrbrUri.parse(doc.work_uri).jurisdiction,
        consolidates,
        [t for t in linked if t not in consolidates],
    )


def _mark_links(ctx: SiteContext, doc: SiteDocument, marks: dict[str, dict]) -> dict[str, dict]:
    """The marks of the latest version's changes, each linking its row of the 新旧对照."""
    history = f"history/{doc.slug}"
    return {
        eid: {**m, "url": ctx.url(doc.page, f"{history}/{m['compare']}.md", m["wid"])}
        for eid, m in marks.items()
    }


def _description(doc: SiteDocument, document: etree._Element) -> str:
    """The page's own description (search engines, link previews): kind, title, first words."""
    kind = DOC_NAME_LABELS.get(doc.name, KIND_LABELS.get(doc.doc_type, ""))
    first = next((_text(p) for p in document.iter(f"{A}p") if _text(p).strip()), "")
    words = first.strip()[:80]
    return "，".join(x for x in (f"{kind}《{doc.title}》" if kind else f"《{doc.title}》", words) if x)


def bulletin_page(
    ctx: SiteContext, akn_path: Path, slug: str, page: str, downloads: dict[str, str] | None = None
) -> str:
    """The page of one bulletin issue (``downloads``: label → file, its AKN and editions)."""
    coll = etree.parse(str(akn_path)).getroot()[0]
    title_el = coll.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRname")
    title = title_el.get("value") if title_el is not None else slug
    cover = coll.find(f"{A}coverPage")
    lines = [_text(p) for p in cover.iterfind(f"{A}p")] if cover is not None else []
    full_title = f"{title} {next((x for x in lines if '期' in x), '')}".strip()
    groups: list[dict] = [{"rubric": "", "eid": "", "entries": []}]
    body = coll.find(f"{A}collectionBody")
    for comp in body.iterfind(f"{A}component") if body is not None else []:
        inter = comp.find(f"{A}interstitial")
        ref = comp.find(f"{A}documentRef")
        if inter is not None and inter.find(f"{A}p[@class='rubric']") is not None:
            rubric = _text(inter.find(f"{A}p[@class='rubric']"))
            groups.append({"rubric": rubric, "eid": comp.get("eId"), "entries": []})
        elif inter is not None:
            groups[-1]["entries"].append({"note": inter, "eid": inter.get("eId")})
        elif ref is not None:
            doc = ctx.by_uri.get(_work_of(ref.get("href", "")))
            url = ctx.url(page, doc.page) if doc else ""
            entry = {"note": None, "eid": comp.get("eId"), "label": ref.get("showAs"), "url": url}
            groups[-1]["entries"].append(entry)
    masthead = cover.find(f"{A}container[@name='masthead']") if cover is not None else None
    statement = cover.find(f"{A}container[@name='statement']") if cover is not None else None
    conclusions = coll.find(f"{A}conclusions")
    toc = [TocEntry(2, "masthead", "刊物信息")] if masthead is not None else []
    toc.append(
        TocEntry(2, "contents", "本期要目", [TocEntry(3, g["eid"], g["rubric"]) for g in groups if g["eid"]])
    )
    if conclusions is not None:
        toc.append(TocEntry(2, "profiles", "主办单位"))
    return render(
        "site_bulletin.html.j2",
        r=AknView(page_links(ctx, page, None)),
        title=full_title,
        description=f"{full_title}：本期要目、编者按与全文下载",
        toc=[e.token() for e in toc],
        downloads=_downloads(ctx, page, downloads or {}, full_title),
        cover=cover,
        masthead=masthead,
        statement=statement,
        groups=groups,
        conclusions=conclusions,
    )


def home_page(
    ctx: SiteContext,
    bulletins: list[dict],
    feed: str | None = None,
    release: str | None = None,
    review: tuple[int, int] = (0, 0),
) -> str:
    """The home page: search, the ways in (kinds, 效力级别 with counts), the latest changes, the
    bulletin issues and the bulk release — never a list of every document (render/browse has
    those)."""
    from fadian.render.browse import BROWSE, home_facets, recent_documents

    facets = home_facets(ctx)
    # the first entry is where the theme's skip link goes: the search box
    toc = [TocEntry(2, "fadian-search", "搜索")]
    toc += [TocEntry(2, g["key"], f"按{g['label']}") for g in facets]
    toc += [TocEntry(2, "recent", "最近修改")] if ctx.docs else []
    toc += [TocEntry(2, "bulletins", "刊物")] if bulletins else []
    toc += [TocEntry(2, "data", "全部数据")] if release else []
    return render(
        "site_home.html.j2",
        title="首页",
        description="中国法律与政策文本：逐条阅读、引用链接、历次修改、下载",
        toc=[e.token() for e in toc],
        feed=feed,
        bulletins=[{**b, "url": ctx.url("index.md", b["page"])} for b in bulletins],
        facets=facets,
        recent=recent_documents(ctx),
        browse=ctx.url("index.md", BROWSE),
        check=ctx.url("index.md", CHECK_PAGE) if ctx.docs else "",
        review=ctx.url("index.md", REVIEW_PAGE) if any(review) else "",
        review_counts=review,
        release=release,
        api=OPENAPI_FILE,
    )


def search_page() -> str:
    """The 搜索 page: assets/fadian.js puts Pagefind's search box in it."""
    return render("site_search.html.j2", title="搜索", description="搜索现行文本", toc=[])


def check_page() -> str:
    """The 引用核验 page: assets/fadian-check.js checks the text a reader pastes."""
    return render("site_check.html.j2", title="引用核验", description="核对一段文字中引用的法条", toc=[],
                  script=f"../{CHECK_SCRIPT}")


def review_page(ctx: SiteContext, citations: list[dict], outstanding: dict[str, list[dict]]) -> str:
    """For editors: the build's citations-to-review (each cited article, linked where it is now
    and where it was, with every citing place) and outstanding-changes reports."""
    rows = [
        {
            **entry,
            "url": _at(ctx, entry["version_in_force"], entry.get("now_eid") or entry["eid"]),
            "meant_url": _at(ctx, entry["cited_version"], entry["eid"]),
            "meant_date": FrbrUri.parse(entry["cited_version"]).expression_date or "",
            "citing": [_place(ctx, place) for place in entry["citing"] if place["document"] in ctx.docs],
        }
        for entry in citations
    ]
    pending = [
        {
            "title": ctx.docs[slug].title,
            "url": ctx.url(REVIEW_PAGE, ctx.docs[slug].page),
            "instruments": [{**i, "url": _page_of(ctx, i["uri"])} for i in instruments],
        }
        for slug, instruments in sorted(outstanding.items())
        if slug in ctx.docs
    ]
    return render(
        "site_review.html.j2",
        title="待核查",
        description="编辑待核查的引用与修改",
        toc=[],
        citations=rows,
        outstanding=pending,
    )


def _at(ctx: SiteContext, expression_uri: str, eid: str) -> str:
    """A provision of a version, by its FRBR address (whose page opens that version's text)."""
    return ctx.url(REVIEW_PAGE, f"{uri_path(expression_uri)}/index.md") + f"#{eid}"


def _page_of(ctx: SiteContext, uri: str) -> str:
    return ctx.url(REVIEW_PAGE, ctx.by_uri[uri].page) if uri in ctx.by_uri else ""


def _place(ctx: SiteContext, place: dict) -> dict:
    doc = ctx.docs[place["document"]]
    return {**place, "title": doc.title, "url": ctx.url(REVIEW_PAGE, doc.page)}


def withheld_page(entries: list[dict]) -> str:
    """For editors: what a ``--keep-going`` build withheld (build/reports/withheld.json)."""
    title = "未发布的文本"
    return render("site_withheld.html.j2", title=title, description=title, toc=[], entries=entries)


def registry_page(ctx: SiteContext) -> str:
    entries = [{**e, "uri": uri} for uri, e in sorted(ctx.registry.items(), key=lambda kv: kv[1]["anchor"])]
    title = "引用的外部法规"
    return render("site_registry.html.j2", title=title, description=title, toc=[], entries=entries)


def _work_of(href: str) -> str:
    """The work URI of a documentRef's expression URI (the href itself when it is none)."""
    try:
        return FrbrUri.parse(href).work_uri
    except ValueError:
        return href
