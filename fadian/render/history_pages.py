"""The pages of a document's history: the version list (in Chinese, dated by expression), each
version's text, the 新旧对照 comparison of consecutive versions, and the wId permalinks that
follow an article through renumbering."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fadian.akn.read import esc
from fadian.amend.model import Target
from fadian.project.manifest import TaggedEdition
from fadian.render.pages import document_page
from fadian.render.site import SiteContext, SiteDocument, _in_build, md_heading_text


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
    tagged: list[TaggedEdition] | None = None,
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
        notice = ""
        if v is not versions[-1]:  # a reader who lands here must see this is not the text in force
            current = ctx.url(page, doc.page)
            notice = (
                f'<div class="admonition warning fadian-old-version" role="note"><p class="admonition-title">'
                f"历史版本</p><p>本页是 {esc(v['date'])} 的文本（{esc(v['version'])}），不是最新文本。"
                f'<a href="{esc(current)}">查看最新文本</a></p></div>'
            )
        (out_dir / page).write_text(document_page(vctx, vdoc, notice=notice), "utf-8")
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
            counts = "，".join(
                f"{_CHANGE_LABELS.get(kind, kind)} {n} 条" for kind, n in sorted(d["counts"].items()) if n
            )
            compare = f'<a href="{esc(ctx.url(f"{base}.md", cpage))}">新旧对照</a> {esc(counts)}'
        version_page = f"{base}/v{v['number']}.md"
        text_link = f'<a href="{esc(ctx.url(f"{base}.md", version_page))}">全文</a>'
        tags = " ".join(f'<span class="fadian-badge">{esc(t)}</span>' for t in v["tags"])
        for edition in tagged or []:  # published editions of this version: their EPUB and PDF
            if edition.version == v["version"]:
                for kind in ("epub", "pdf"):
                    if getattr(edition, kind):
                        href = (
                            ctx.url(f"{base}.md", "index.md")
                            + f"downloads/{Path(getattr(edition, kind)).name}"
                        )
                        text_link += f' <a href="{esc(href)}" download>{kind.upper()}</a>'
        rows.append(
            f"<tr><td>{esc(v['version'])} {tags}</td><td>{esc(v['date'])}</td>"
            f"<td><code>{esc((v['commit'] or '')[:10])}</code></td><td>{text_link}</td>"
            f"<td>{compare}</td></tr>"
        )
    article_history: dict[str, list[str]] = {}
    for d in record["diffs"]:
        amended_by = d.get("amended_by", {})
        for c in d["changes"]:
            if c["wid"]:
                label = _CHANGE_LABELS[c["kind"]] + (
                    "并修改" if c["modified"] and c["kind"] != "modified" else ""
                )
                by = amended_by.get(c["new_eid"] or c["old_eid"] or "")
                source = f"（根据《{by['instrument']}》）" if by else ""
                article_history.setdefault(c["wid"], []).append(f"{d['to']}：{label}{source}")
    current = record["wid_to_eid"]
    art_rows = "".join(
        f'<tr><td><a href="{esc(ctx.url(f"{base}.md", doc.page, current[wid]))}">'
        f"{esc(_article_label(current[wid]))}</a>"
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


def _article_label(eid: str) -> str:
    """art_54 → 第五十四条, art_12-1 → 第十二条之一 (other eIds as they are)."""
    m = re.fullmatch(r"art_(\d+)(?:-(\d+))?", eid)
    return Target(int(m.group(1)), int(m.group(2) or 0)).label() if m else eid
