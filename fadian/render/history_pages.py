"""The pages of a document's history: the version list (in Chinese, dated by expression), each
version's text, the 新旧对照 comparison of consecutive versions, and the wId permalinks that
follow an article through renumbering."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from fadian.akn.compare import diff_akn
from fadian.manifest import EDITION_KINDS, EDITION_LABELS, TaggedEdition
from fadian.render.html import render
from fadian.render.pages import document_page
from fadian.render.site import SiteContext, SiteDocument, article_label
from fadian.render.works import date_field, expression_notice, file_compare_path, version_expressions

CHANGE_LABELS = {
    "added": "新增",
    "deleted": "删除",
    "modified": "修改",
    "renumbered": "条号调整",
    "moved": "移动",
    "renumbered+modified": "条号调整并修改",
    "moved+modified": "移动并修改",
}
_ITEM_LABELS = {"added": "新增项", "deleted": "删除项"}


def _compare_rows(changes: list[dict]) -> list[dict]:
    """Rows of a 新旧对照 table: changed articles in two columns, renumber-only runs collapsed."""
    rows: list[dict] = []
    shifted: list[dict] = []

    def flush() -> None:
        if shifted:
            first, last = shifted[0], shifted[-1]
            span = f"{first['old_num']} → {first['new_num']}"
            if len(shifted) > 1:
                span = f"{first['old_num']}–{last['old_num']} → {first['new_num']}–{last['new_num']}"
            rows.append({"shifted": list(shifted), "span": span})
            shifted.clear()

    for c in changes:
        if c["kind"] == "renumbered" and not c["modified"]:
            shifted.append(c)
            continue
        flush()
        rows.append(
            {
                "shifted": None,
                "item": "",
                "change": c,
                "label": _change_label(c),
                "head": " → ".join(x for x in (c["old_num"], c["new_num"]) if x),
                # a move or renumbering without a redline has no text to set side by side
                "show": not (c["kind"] in ("renumbered", "moved") and not c["redline"]),
            }
        )
        for item in c.get("items", []):
            inum = " → ".join(x for x in (item["old_num"], item["new_num"]) if x)
            rows.append({"shifted": None, "item": f"{inum}：{_ITEM_LABELS.get(item['kind'], '修改项')}"})
    flush()
    return rows


def _change_label(c: dict) -> str:
    return CHANGE_LABELS[c["kind"]] + ("并修改" if c["modified"] and c["kind"] != "modified" else "")


def moved_page(target: str, title: str) -> str:
    """A text's former address (its slug before an editor changed it): opens ``target`` with the
    same anchor; the link is there for a browser without scripts."""
    return render("site_moved.html.j2", title=title, target=target)


def wid_redirect_page(slug: str, title: str, wid_to_eid: dict[str, str]) -> str:
    """w/<slug>/#<wId> → the article's current anchor, however it was renumbered: a page of a
    few hundred bytes (the wIds an article kept are its eIds: only the moved ones are listed)."""
    moved = {wid: eid for wid, eid in sorted(wid_to_eid.items()) if wid != eid}
    return render("site_wid_redirect.html.j2", title=title, moved=moved, target=f"../../documents/{slug}/")


def _compare_page(d: dict) -> str:
    return f"compare-{d['from'].replace(' ', '-')}-{d['to'].replace(' ', '-')}.md"


def history_pages(
    ctx: SiteContext,
    doc: SiteDocument,
    record: dict,
    version_xml: dict[str, bytes],
    tagged: list[TaggedEdition] | None = None,
) -> list[tuple[str, str]]:
    """Version list, per-article history, point-in-time texts and 新旧对照 comparisons, as
    (page, Markdown file); ``version_xml``: the AKN of each version, by its manifest path."""
    pages = [_version_page(ctx, doc, record, v, version_xml) for v in record["versions"]]
    pages += [_compare_page_of(doc, record, d) for d in record["diffs"]]
    pages.append(_versions_page(ctx, doc, record, tagged or []))
    return pages


def _version_page(
    ctx: SiteContext, doc: SiteDocument, record: dict, v: dict, version_xml: dict[str, bytes]
) -> tuple[str, str]:
    """One version's full text, under a banner that says whether it is the text in force."""
    versions, expressions = record["versions"], version_expressions(doc, record)
    page = f"history/{doc.slug}/v{v['number']}.md"
    vdoc = SiteDocument(
        doc.slug,
        f"{doc.title}（{v['version']}，{v['date']}）",
        doc.doc_type,
        doc.name,
        doc.work_uri,
        v["expression_uri"] or doc.expression_uri,
        Path(v["akn"]),
        page,
        akn_xml=version_xml[v["akn"]],
    )
    vctx = SiteContext({**ctx.docs}, {**ctx.by_uri, doc.work_uri: vdoc}, ctx.registry, {})
    notice = expression_notice(ctx, page, expressions[v["number"] - 1], expressions)
    if not notice and v is not versions[-1] and v.get("legal", {}).get("status") != "现行有效":
        current = ctx.url(page, doc.page)
        notice = render("banner_old_version.html.j2", date=v["date"], version=v["version"], current=current)
    if v is not versions[-1]:  # what the next version changes, and from when
        d, following = record["diffs"][v["number"] - 1], versions[v["number"]]
        compare = ctx.url(page, f"history/{doc.slug}/{_compare_page(d)}")
        start = following.get("legal", {}).get("effective", "")
        notice += next_version_notice(f"{following['date']} 的版本", start, d["changes"], compare)
    return page, document_page(vctx, vdoc, notice=notice)


NOTICE_ARTICLES = 20  # the changed articles a notice names; the comparison has them all


def next_version_notice(label: str, start: str, changes: list[dict], compare: str) -> str:
    """What a later version changes in this one (its articles, each linking its row of the
    新旧对照) and from when; '' when it changes no article. ``changes``: a diff's, as
    history.json and akn/compare give them."""
    changed = [c for c in changes if not (c["kind"] == "renumbered" and not c["modified"])]
    if not changed:
        return ""
    rows = [
        {"label": c["old_num"] or f"新增{c['new_num']}", "url": f"{compare}#{c['wid']}".rstrip("#")}
        for c in changed[:NOTICE_ARTICLES]
    ]
    return render(
        "banner_next_version.html.j2",
        label=label,
        start=start,
        count=len(changed),
        changes=rows,
        more=len(changed) > NOTICE_ARTICLES,
        compare=compare,
    )


def file_compare_page(
    ctx: SiteContext, doc: SiteDocument, previous: SiteDocument, root: etree._Element, compared: dict
) -> tuple[str, str]:
    """The 新旧对照 of two consecutive files of one work (a law kept as two files, each one
    version): their articles compared from their AKN as versions in git are (``compared``:
    :func:`file_diff` of the two), each text linked (``root``: ``doc``'s AKN, parsed already)."""
    page = file_compare_path(previous.slug, doc.slug)
    record = {
        "versions": [
            {"version": previous.slug, "date": previous.expression_date},
            {"version": doc.slug, "date": doc.expression_date},
        ]
    }
    d = {"from": previous.slug, "to": doc.slug, **compared}
    return _compare_page_of(doc, record, d, (ctx.url(page, previous.page), ctx.url(page, doc.page)))


def file_diff(older: etree._Element, newer: etree._Element) -> dict:
    """The changes from one file of a work to the next (akn/compare: their AKN documents), each
    row anchored at the article's place in the newer text, else in the older."""
    diff = diff_akn(older, newer)
    for c in diff.changes:
        c.wid = c.new.eid if c.new is not None else f"old-{c.old.eid}" if c.old is not None else ""
    return diff.to_json()


def next_file_notice(
    ctx: SiteContext, doc: SiteDocument, following: SiteDocument, root: etree._Element
) -> str:
    """On a file of a work with a later file: what the later one changes, and from when
    (``root``: ``doc``'s AKN, parsed already)."""
    compare = ctx.url(doc.page, file_compare_path(doc.slug, following.slug))
    start = following.legal.get("effective", "")
    label = f"{following.expression_date} 的版本"
    return next_version_notice(label, start, file_diff(root, following.akn_root())["changes"], compare)


def _compare_page_of(
    doc: SiteDocument, record: dict, d: dict, texts: tuple[str, str] = ("", "")
) -> tuple[str, str]:
    """The 新旧对照 of two consecutive versions: the changed articles side by side (``texts``:
    the addresses of the two texts, where each is a page of its own)."""
    dates = {v["version"]: v["date"] for v in record["versions"]}
    instruments = sorted({a["instrument"] for a in d.get("amended_by", {}).values()})
    by = f"，根据《{'》《'.join(instruments)}》" if instruments else ""
    old_label, new_label = f"{dates.get(d['from'], d['from'])} 版", f"{dates.get(d['to'], d['to'])} 版"
    title = f"{doc.title} 新旧对照（{old_label} → {new_label}{by}）"
    rows = _compare_rows(d["changes"])
    html = render(
        "site_compare.html.j2",
        title=title,
        description=title,
        toc=[],
        old_label=old_label,
        new_label=new_label,
        header=d.get("header") or [],
        rows=rows,
        changed=[r for r in rows if r.get("change")],
        unchanged=[u[2] for u in d.get("unchanged", [])],
        old_url=texts[0],
        new_url=texts[1],
    )
    return f"history/{doc.slug}/{_compare_page(d)}", html


def _versions_page(
    ctx: SiteContext, doc: SiteDocument, record: dict, tagged: list[TaggedEdition]
) -> tuple[str, str]:
    """The list of versions (each with its 修改说明, changes and editions), the drafted
    修改前后对照表 and the history of each article."""
    base, versions = f"history/{doc.slug}", record["versions"]
    drafts = [
        {"version": d["to"], "date": versions[k + 1]["date"], "draft": d["draft"]}
        for k, d in enumerate(record["diffs"])
        if d.get("draft")
    ]
    toc = [{"level": 2, "id": "articles", "name": "条文修改历史", "children": []}]
    if drafts:
        toc.insert(0, {"level": 2, "id": "comparisons", "name": "修改前后对照表", "children": []})
    html = render(
        "site_versions.html.j2",
        title=f"{doc.title} 版本",
        description=f"《{doc.title}》的各个版本、修改说明、修改前后对照表与条文修改历史",
        toc=toc,
        drafts=drafts,
        versions=[_version_row(ctx, base, record, k, tagged) for k in range(len(versions))],
        articles=_article_histories(ctx, doc, record),
        periods=date_field(ctx, f"{base}.md", version_expressions(doc, record)),
        timed=any(v.get("legal") for v in versions),
    )
    return f"{base}.md", html


def _version_row(ctx: SiteContext, base: str, record: dict, k: int, tagged: list[TaggedEdition]) -> dict:
    """A version's row in the list: its text, its 修改说明, what changed and the editions
    published of it."""
    v = record["versions"][k]
    row = {**v, "text_url": ctx.url(f"{base}.md", f"{base}/v{v['number']}.md"), "compare_url": ""}
    row["message"] = (v.get("message") or "").strip().splitlines()[0] if v.get("message") else ""
    row["legal"] = v.get("legal", {})
    if k:
        d = record["diffs"][k - 1]
        row["compare_url"] = ctx.url(f"{base}.md", f"{base}/{_compare_page(d)}")
        row["counts"] = "，".join(
            f"{CHANGE_LABELS.get(kind, kind)} {n} 条" for kind, n in sorted(d["counts"].items()) if n
        )
    row["downloads"] = [  # published editions of this version
        (EDITION_LABELS[kind], ctx.url(f"{base}.md", "index.md") + f"downloads/{Path(getattr(e, kind)).name}")
        for e in tagged
        if e.version == v["version"]
        for kind in EDITION_KINDS
        if getattr(e, kind)
    ]
    return row


def _article_histories(ctx: SiteContext, doc: SiteDocument, record: dict) -> list[dict]:
    """Each article that changed, by its wId: what each version did to it, and where it is now."""
    article_history: dict[str, list[str]] = {}
    for d in record["diffs"]:
        amended_by = d.get("amended_by", {})
        for c in d["changes"]:
            if c["wid"]:
                by = amended_by.get(c["new_eid"] or c["old_eid"] or "")
                source = f"（根据《{by['instrument']}》）" if by else ""
                article_history.setdefault(c["wid"], []).append(f"{d['to']}：{_change_label(c)}{source}")
    current, base = record["wid_to_eid"], f"history/{doc.slug}"
    return [
        {
            "wid": wid,
            "events": events,
            "url": ctx.url(f"{base}.md", doc.page, current[wid]) if wid in current else "",
            "label": article_label(current[wid]) if wid in current else "",
        }
        for wid, events in sorted(article_history.items())
    ]
