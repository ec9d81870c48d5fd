"""Works and their expressions on the site: where each lives, which one is in force, the notice
a reader of another one sees, the work's page, and the static data API.

Every work and expression is published at the address its FRBR URI names (the AKN naming
convention): ``/akn/cn/act/1993-12-29/company-law/`` is the work (its page when the site holds
several of its versions; ``index.json`` its data), ``…/zho@2018-10-26/`` one expression (a
small page that opens its text; ``!main.xml`` its AKN).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fadian.legal_fields import DESCRIPTIVE
from fadian.render.html import render
from fadian.render.site import SiteContext, SiteDocument

IN_FORCE, NOT_YET, AMENDED = "现行有效", "尚未生效", "已修改"
DATA_FILE = "index.json"
AKN_FILE = "!main.xml"


def uri_path(uri: str) -> str:
    """The site path of a FRBR URI (without its leading slash)."""
    return uri.lstrip("/")


@dataclass(frozen=True)
class Expression:
    """One expression of a work as the site shows it: a file of the project or a version of one
    in git."""

    label: str  # 2018-10-26 版, or v2 for a version from git
    uri: str  # its expression URI
    page: str  # the page of its text
    legal: dict[str, str] = field(default_factory=dict)
    akn: str = ""  # where its AKN is published (the site path of AKN_FILE)
    compare: str = ""  # the page of its 新旧对照 with the expression before it
    parts: tuple[dict, ...] = ()  # kept as several part files: each part's label, page, AKN, articles

    @property
    def date(self) -> str:
        return self.uri.rsplit("@", 1)[-1]

    @property
    def status(self) -> str:
        return self.legal.get("status", "")

    def row(self) -> dict:
        """What the data file and the date field know of it."""
        legal = self.legal
        return {
            "expression_uri": self.uri,
            "date": self.date,
            "label": self.label,
            **{k: legal[k] for k in ("status", "adopted", "promulgated", "effective") if k in legal},
            **({"in_force_until": legal["in_force_until"]} if "in_force_until" in legal else {}),
        }


def file_expressions(ctx: SiteContext, work_uri: str) -> list[Expression]:
    """The files of the project that are expressions of one work, oldest first."""
    members = ctx.works.get(work_uri, [])
    return [
        Expression(
            f"{d.expression_date} 版",
            d.expression_uri,
            d.page,
            d.legal,
            akn_path(d.expression_uri),
            file_compare_path(members[k - 1].slug, d.slug) if k else "",
        )
        for k, d in enumerate(members)
    ]


def previous_file(ctx: SiteContext, doc: SiteDocument) -> SiteDocument | None:
    """The file of the same work just before ``doc`` (by expression date), if the project holds one."""
    members = ctx.works.get(doc.work_uri, [])
    k = next((i for i, m in enumerate(members) if m.slug == doc.slug), 0)
    return members[k - 1] if k > 0 else None


def next_file(ctx: SiteContext, doc: SiteDocument) -> SiteDocument | None:
    """The file of the same work just after ``doc``, if the project holds one."""
    members = ctx.works.get(doc.work_uri, [])
    k = next((i for i, m in enumerate(members) if m.slug == doc.slug), len(members))
    return members[k + 1] if k + 1 < len(members) else None


def file_compare_path(previous_slug: str, slug: str) -> str:
    """Where the 新旧对照 of two consecutive files of one work is (render/history_pages)."""
    return f"history/{slug}/compare-{previous_slug}-{slug}.md"


def version_expressions(doc: SiteDocument, record: dict) -> list[Expression]:
    """The versions of one file in git, oldest first (history.json)."""
    base, versions = f"history/{doc.slug}", record["versions"]
    return [
        Expression(
            v["version"],
            v["expression_uri"] or doc.expression_uri,
            f"{base}/v{v['number']}.md" if len(versions) > 1 else doc.page,
            v.get("legal", {}),
            akn_path(v["expression_uri"] or doc.expression_uri),
            f"{base}/compare-{versions[k - 1]['version']}-{v['version']}.md".replace(" ", "-") if k else "",
        )
        for k, v in enumerate(versions)
    ]


def akn_path(expression_uri: str, component: str = "") -> str:
    """Where an expression's AKN is published (a part of a work kept in several files: its
    component's, ``…/zho@DATE/!book_3.xml``)."""
    if component and component != "main":
        return f"{uri_path(expression_uri)}/!{component}.xml"
    return f"{uri_path(expression_uri)}/{AKN_FILE}"


def in_force(expressions: list[Expression]) -> Expression | None:
    """The expression in force as of the site's date (None when none is, or none says)."""
    return next((e for e in expressions if e.status == IN_FORCE), None)


def expression_notice(ctx: SiteContext, page: str, this: Expression, expressions: list[Expression]) -> str:
    """What a reader of an expression that is not the one in force must see first: that it is
    not yet or no longer in force, and which one is (HTML, from a template; '' otherwise)."""
    if this.status not in (NOT_YET, AMENDED) or len(expressions) < 2:
        return ""
    current = in_force(expressions)
    return render(
        "banner_expression.html.j2",
        status=this.status,
        effective=this.legal.get("effective", ""),
        until=this.legal.get("in_force_until", ""),
        current_label=current.label if current else "",
        current_url=ctx.url(page, current.page) if current else "",
    )


def outstanding_notice(ctx: SiteContext, doc) -> str:
    """「有尚未纳入本文的修改」 on a text an instrument of the project amends but the text does not
    yet carry (the build's outstanding-changes report), each instrument linked ('' otherwise)."""
    pending = ctx.outstanding.get(doc.slug)
    if not pending:
        return ""
    instruments = [{**i, "url": ctx.link(doc.page, i["uri"], doc) or ""} for i in pending]
    return render("banner_outstanding.html.j2", instruments=instruments)


def date_field(ctx: SiteContext, page: str, expressions: list[Expression]) -> str:
    """The 'as in force on DATE' field: each expression's period and the URL of its text, for
    the script to pick from (JSON in a data attribute, escaped by the template)."""
    rows = [{**e.row(), "url": ctx.url(page, e.page)} for e in expressions]
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


def work_page(ctx: SiteContext, work_uri: str, title: str, expressions: list[Expression]) -> str:
    """The page of a work the project holds several files of: which expression is in force as
    of the site's date, every expression with its period, and the 'as in force on' field."""
    page = f"{uri_path(work_uri)}/index.md"
    current = in_force(expressions)
    slugs = [m.slug for m in ctx.works.get(work_uri, [])]
    rows = [
        {
            **e.row(),
            "url": ctx.url(page, e.page),
            "current": e is current,
            "akn_url": ctx.url(page, "index.md") + e.akn,
            "compare_url": ctx.url(page, file_compare_path(slugs[k - 1], slugs[k])) if k else "",
        }
        for k, e in enumerate(expressions)
    ]
    return render(
        "site_work.html.j2",
        title=f"{title} 各版本",
        description=f"《{title}》的各个版本及其施行期间",
        toc=[],
        work_title=title,
        work_uri=work_uri,
        current=rows[expressions.index(current)] if current else None,
        expressions=rows,
        periods=date_field(ctx, page, expressions),
        data_url=DATA_FILE,
    )


def work_data(
    work_uri: str, title: str, legal: dict[str, str], toc: list, expressions: list[Expression]
) -> str:
    """The work's data file (JSON; render/assets/work.schema.json): its title, 效力级别, 制定机关, the
    date statuses are stated at, its table of contents, and each expression with its dates,
    status and the addresses of its page, its AKN and its 新旧对照 with the one before."""
    current = in_force(expressions)
    data = {
        "work_uri": work_uri,
        "title": title,
        **{k: legal[k] for k in DESCRIPTIVE if k in legal},
        "in_force": current.uri if current else None,
        "expressions": [
            {
                **e.row(),
                "page": e.page.removesuffix(".md") + "/",
                "akn": e.akn,
                **({"compare": e.compare.removesuffix(".md") + "/"} if e.compare else {}),
                **({"parts": list(e.parts)} if e.parts else {}),
            }
            for e in expressions
        ],
        "toc": toc,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"  # compact: one per work


def part_rows(ctx: SiteContext, expression_uri: str) -> tuple[dict, ...]:
    """The parts of an expression kept as several files, as its work's data gives them."""
    return tuple(
        {
            "label": p.part_label,
            "page": p.page.removesuffix(".md") + "/",
            "akn": akn_path(expression_uri, p.component),
            "first_article": p.first_article,
            "last_article": p.last_article,
        }
        for p in ctx.parts.get(expression_uri, [])
    )


def redirect_page(ctx: SiteContext, from_page: str, to_page: str, title: str) -> str:
    """A small page at a FRBR address that opens the text it names (no theme, a few hundred
    bytes: an old browser follows the link)."""
    return render("expression_redirect.html.j2", title=title, url=ctx.url(from_page, to_page))


def work_titles(ctx: SiteContext) -> list[tuple[str, str]]:
    """(work URI, title) of every work, by URI."""
    return sorted({d.work_uri: d.title for d in ctx.docs.values()}.items())


def catalog(ctx: SiteContext) -> str:
    """akn/index.json: the date the site states statuses at, and every work with its data file."""
    works = work_titles(ctx)
    data = {
        "as_of": ctx.as_of,
        "works": [
            {"work_uri": uri, "title": title, "data": f"{uri_path(uri)}/{DATA_FILE}"} for uri, title in works
        ],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
