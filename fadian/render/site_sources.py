"""All the site's pages from one build, in memory, and what of them must be made again: the
site as one generation says it (render/site_model) with the plan of a rebuild — each document's
pages' inputs digested and compared with the published build's state, the site's own pages made
again only when what they show changed. The pages mkdocs turns into site/ (front matter + HTML)
and each document's pages, filled by the pages stage into the theme's shell; nothing is read
back from a folder."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from lxml import etree

from fadian.executor import build_executor, run_chunks
from fadian.manifest import (
    JSON_ENCODER,
    CitationReports,
    Manifest,
)
from fadian.render.browse import browse_pages, facets
from fadian.render.check_data import ARTICLES_FILE, CHECK_PAGE, articles_json, moved_articles
from fadian.render.feed import FEED_FILE
from fadian.render.history_pages import (
    file_compare_page,
    file_diff,
    history_pages,
    moved_page,
    next_file_notice,
    wid_redirect_page,
)
from fadian.render.pages import (
    REVIEW_PAGE,
    bulletin_page,
    check_page,
    document_page,
    home_page,
    registry_page,
    review_page,
    search_page,
    withheld_page,
)
from fadian.render.parts import parts_notice
from fadian.render.release import release_file
from fadian.render.site import SiteContext, SiteDocument
from fadian.render.site_model import (
    WITHHELD_PAGE,
    PageTask,
    SiteModel,
    downloads_of,
    light_history,
    site_model,
    work_contents,
)
from fadian.render.works import (
    DATA_FILE,
    Expression,
    akn_path,
    expression_notice,
    file_expressions,
    next_file,
    outstanding_notice,
    part_rows,
    previous_file,
    redirect_page,
    uri_path,
    version_expressions,
    work_data,
    work_page,
)


@dataclass
class SiteSources:
    """Everything the site is made of, by path in the site's sources (``documents/x.md``)."""

    pages: dict[str, str] = field(default_factory=dict)  # Markdown page (front matter + HTML)
    files: dict[str, Path] = field(default_factory=dict)  # copied as they are (downloads)
    blobs: dict[str, bytes] = field(default_factory=dict)  # made here (stylesheet, script, feed)
    nav: list = field(default_factory=list)
    # pages and files whose inputs are those of the previous build's: not made again; the
    # previous site's files of them are kept (linked: project/site_stage)
    unchanged: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)  # pages of the previous site that are no more
    state: dict = field(default_factory=dict)  # what the next build compares with (SITE_STATE)
    # documents whose pages are still to be made (site_sources(render_documents=False)): the
    # build's pages stage writes them into the site itself (project/pages_stage)
    deferred: list[PageTask] = field(default_factory=list)
    ctx: SiteContext | None = None
    # what is in the site folder already, not through mkdocs (pages written by the pages stage,
    # a dirty build's unchanged pages, downloads linked): mkdocs is not handed them
    placed: set[str] = field(default_factory=set)
    pages_of: dict[str, list[str]] = field(default_factory=dict)  # slug → its pages, in order
    release: str = ""  # the bulk release's path in the site, when the build makes one
    _digests: dict[str, str] = field(default_factory=dict)
    _before: dict = field(default_factory=dict)
    _shared: dict = field(default_factory=dict)  # the site's own pages and their inputs' digest

    def paths(self) -> set[str]:
        """Every path of the site."""
        return {*self.pages, *self.unchanged, *self.files, *self.blobs, *self.placed}

    def uris(self) -> list[str]:
        """Every path, in the order mkdocs walks a folder (index first, files before folders)."""
        return sorted(self.paths(), key=_walk_key)

    def finish(self) -> None:
        """What is stale and the state the next build compares with, once every document's
        pages are known (``pages_of``)."""
        uris = self.uris()
        if self.unchanged:  # what the previous site has and this one does not (a history page, the feed)
            self.stale = set(self._before.get("files", [])) - set(uris)
        self.state = {
            "site": self.state["site"],
            "shared": self._shared,
            "files": uris,
            "documents": {
                s: {"digest": self._digests[s], "pages": self.pages_of[s]} for s in sorted(self._digests)
            },
        }


def _walk_key(uri: str) -> str:
    """os.walk order with mkdocs's sorting: a folder's files (index.md first) before its
    subfolders, each level by name. One string (a folder marked \x02, a file \x01 and a
    rank): compared as the tuples of names and ranks are, and much faster to build for the tens
    of thousands of files of a collection."""
    *folders, name = uri.split("/")
    rank = "1" if name.rsplit(".", 1)[0] not in ("index", "README") else "0"
    return "".join(f"\x02{f}" for f in folders) + f"\x01{rank}{name}"




def render_pages(tasks: list[PageTask], ctx: SiteContext) -> list[tuple[str, str]]:
    """The pages of some documents: (page path, Markdown file) in order, then the files at
    their FRBR addresses (the expressions' pages that open them; a work's data). Pure: runs
    anywhere."""
    out: list[tuple[str, str]] = []
    for t in tasks:
        doc, record = t.doc, t.record
        several = record is not None and len(record["versions"]) > 1
        marks = _latest_changes(record) if several else {}
        files = file_expressions(ctx, doc.work_uri)
        this = next((e for e in files if e.uri == doc.expression_uri), None)
        notice = expression_notice(ctx, doc.page, this, files) if this is not None else ""
        versions = version_expressions(doc, record) if several and record is not None else files
        if several and not notice:
            notice = expression_notice(ctx, doc.page, replace(versions[-1], page=doc.page), versions)
        notice += outstanding_notice(ctx, doc) + parts_notice(ctx, doc)
        root = doc.akn_root()  # parsed once for the page, its comparisons and its check data
        previous, following = previous_file(ctx, doc), next_file(ctx, doc)
        if previous is not None and t.previous_xml:  # (rendered away from build/)
            previous = replace(previous, akn_xml=t.previous_xml)
        if following is not None:
            following = replace(following, akn_xml=t.next_xml) if t.next_xml else following
            notice += next_file_notice(ctx, doc, following, root)
        page = document_page(
            ctx,
            doc,
            has_history=several,
            permalinks=record is not None,
            marks=marks,
            notice=notice,
            versions=versions,
            previous=previous,
            document=root,
        )
        out.append((doc.page, page))
        changes: list[dict] = []  # the comparison with the file before it
        if previous is not None:
            compared = file_diff(previous.akn_root(), root)
            changes = compared["changes"]
            out.append(file_compare_page(ctx, doc, previous, root, compared))
        if several:
            out += history_pages(ctx, doc, record, t.versions, t.tagged)
        if record is not None:
            out.append(
                (f"w/{doc.slug}/index.html", wid_redirect_page(doc.slug, doc.title, record["wid_to_eid"]))
            )
            out += _former_addresses(ctx, doc, record)
        if not ctx.later_part(doc):  # (a work's addresses are its first part's)
            out += frbr_files(ctx, doc, record)
        if doc.expression_uri not in ctx.parts:  # (the parts' data is one file: render/parts)
            out += _articles_files(doc, root, record if several else None, t.versions, changes)
    return out


def _articles_files(
    doc: SiteDocument,
    root: etree._Element,
    record: dict | None,
    versions: dict[str, bytes],
    file_changes: list[dict],
) -> list[tuple[str, str]]:
    """The 引用核验 data of each version the document's pages publish (render/check_data), each
    with the articles it moved from the version before (its git history's comparison, or
    ``file_changes``: the comparison with the work's file before it); ``root``: the document's
    own AKN, parsed already."""
    roots = {doc.expression_uri: root}
    moves = {doc.expression_uri: moved_articles(file_changes)}
    history = record["versions"] if record is not None else []
    for k, v in enumerate(history):
        if k and v["expression_uri"]:
            moves[v["expression_uri"]] = moved_articles(record["diffs"][k - 1]["changes"])
        if v is not history[-1] and v["expression_uri"] and v["akn"] in versions:
            roots.setdefault(v["expression_uri"], etree.fromstring(versions[v["akn"]])[0])
    return [(f"{uri_path(u)}/{ARTICLES_FILE}", articles_json(t, moves.get(u))) for u, t in roots.items()]


def _former_addresses(ctx: SiteContext, doc: SiteDocument, record: dict) -> list[tuple[str, str]]:
    """The addresses a text had under the slugs its older versions used (an editor renamed it):
    each opens the text under its slug now, the anchor kept; none where another text took it."""
    out = []
    for old in record.get("former_slugs", []):
        if old in ctx.docs or old == doc.slug:
            continue
        out.append((f"documents/{old}/index.html", moved_page(f"../{doc.slug}/", doc.title)))
        out.append((f"w/{old}/index.html", moved_page(f"../{doc.slug}/", doc.title)))
    return out


def frbr_files(ctx: SiteContext, doc: SiteDocument, record: dict | None) -> list[tuple[str, str]]:
    """What one document publishes at its FRBR addresses: a page that opens each of its
    expressions (its versions in git too) and, unless the project holds several files of its
    work (whose page and data are made once, for the work), the work's address and data."""
    expressions = version_expressions(doc, record) if record is not None else []
    if expressions and doc.expression_uri in ctx.parts:  # its parts, on its version in force
        parts = part_rows(ctx, doc.expression_uri)
        expressions = [replace(e, parts=parts) if e.uri == doc.expression_uri else e for e in expressions]
    if not expressions:
        label = f"{doc.expression_date} 版"
        uri, parts = doc.expression_uri, part_rows(ctx, doc.expression_uri)
        expressions = [Expression(label, uri, doc.page, doc.legal, akn_path(uri), parts=parts)]
    out = []
    for e in expressions:
        page = f"{uri_path(e.uri)}/index.md"
        out.append(
            (f"{uri_path(e.uri)}/index.html", redirect_page(ctx, page, e.page, f"{doc.title}（{e.label}）"))
        )
    if doc.work_uri in ctx.works:
        return out
    work = f"{uri_path(doc.work_uri)}/index.md"
    target = f"history/{doc.slug}.md" if len(expressions) > 1 else doc.page
    out.append((f"{uri_path(doc.work_uri)}/index.html", redirect_page(ctx, work, target, doc.title)))
    toc = work_contents(doc)
    out.append(
        (
            f"{uri_path(doc.work_uri)}/{DATA_FILE}",
            work_data(doc.work_uri, doc.title, doc.legal, toc, expressions),
        )
    )
    return out




_MARKS = {"added": "新增", "modified": "修改"}


def _latest_changes(record: dict) -> dict[str, dict]:
    """Article eId → what the latest version did to it (新增 / 修改), and when: the marks the
    current text carries, linking the 新旧对照 row."""
    diff = record["diffs"][-1]
    version = record["versions"][-1]
    marks = {}
    for c in diff["changes"]:
        kind = "modified" if c["modified"] and c["kind"] != "added" else c["kind"]
        if c["new_eid"] and kind in _MARKS:
            marks[c["new_eid"]] = {
                "label": _MARKS[kind],
                "date": version["date"],
                "compare": f"compare-{diff['from']}-{diff['to']}".replace(" ", "-"),
                "wid": c["wid"],
            }
    return marks




SITE_STATE = ".site-state.json"  # in a generation: each document's page inputs digest


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    encode = JSON_ENCODER.encode  # (json.dumps made an encoder for each of 27,000 parts)
    for part in parts:
        h.update(part if isinstance(part, bytes) else encode(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def _task_digest(
    task: PageTask,
    ctx: SiteContext,
    context: str,
    backlinks: dict,
    akn: str,
    history: str,
    leads: object,
    reviews: dict | None = None,
) -> str:
    """Everything one document's pages are made from: the site-wide context, the links into it,
    its AKN, history (``history``: its history.json), versions and legal record, the legal
    records of its work's other files (its banner says which is in force), and which file each
    work it cites leads to (``leads``), and the marks of its citations of changed articles
    (``reviews``). The renderer's code is in the site key; ``akn`` and
    ``history`` are the digests of its AKN and history.json."""
    d = task.doc
    own = [d.slug, d.title, d.doc_type, d.name, d.work_uri, d.expression_uri, d.page, d.downloads, d.legal]
    versions = [b for _path, b in sorted(task.versions.items())]
    tagged = [t.to_json() for t in task.tagged]
    in_time = None
    if d.work_uri in ctx.works or len(task.versions) > 1:
        in_time = [m.legal for m in ctx.works.get(d.work_uri, [])]
    return _digest(context, own, backlinks, akn, history, tagged, in_time, leads, reviews, *versions)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()




def site_sources(
    build_dir: Path,
    scheduler: str | None = None,
    previous: dict | None = None,
    site_key: str = "",
    render_documents: bool = True,
    digests: dict[str, str] | None = None,
    reports: CitationReports | None = None,
    release: bool = False,
) -> SiteSources:
    """The site of the generation in ``build_dir`` (render/site_model), and the plan of what
    must be made again: a document whose pages' inputs have the digest the published build's
    state (``previous``) records is not rendered again when what every page shows is the same
    too (``site_key``: code and settings; and the navigation); the site's own pages are made
    again only when what they show of the documents changed, and only those whose Markdown
    differs are handed on. The documents' pages are rendered through an executor (in this
    process, a local pool, or the Dask cluster at ``scheduler``); without ``render_documents``
    they are left in ``deferred`` (with ``ctx``) for the caller, who calls ``finish`` once they
    are made. ``digests``: the sha256 of files of ``build_dir`` known already (not read again);
    ``reports``: what :func:`read_citation_reports` reads, known already; ``release``: the
    build makes the bulk release (project/release_stage), which the home page links."""
    model = site_model(build_dir, digests or {}, reports)
    if release and model.docs:
        model.release = release_file(model.manifest.as_of)
    out = SiteSources(files=model.files, blobs=model.blobs, nav=model.nav, release=model.release)
    pages_digests = _document_digests(model)
    # every page shows the navigation (pages outside it appear on no other page)
    key = _digest(site_key, out.nav)
    before = previous if previous is not None and previous.get("site") == key else {}
    documents_before = before.get("documents", {})
    kept = {s for s, digest in pages_digests.items() if documents_before.get(s, {}).get("digest") == digest}
    out.pages_of = {s: documents_before[s]["pages"] for s in kept}
    todo = [
        replace(t, record=light_history(json.loads(model.unread[t.doc.slug].read_bytes())))
        if t.doc.slug in model.unread
        else t
        for t in model.tasks
        if t.doc.slug not in kept
    ]
    if render_documents:
        _render_documents(out, todo, model.ctx, scheduler, out.pages_of)
    else:
        out.deferred, out.ctx = todo, model.ctx
    _plan_shared_pages(out, model, build_dir, key, before.get("shared", {}), bool(kept))
    out.unchanged |= {p for slug in kept for p in [*out.pages_of[slug], *model.akn_files[slug]]}
    out.state, out._digests, out._before = {"site": key}, pages_digests, before
    if render_documents:
        out.finish()
    return out


def _akn_compared(model: SiteModel, doc: SiteDocument) -> str:
    """The digest of a document's AKN and of the AKN of its work's files before and after it
    (the 新旧对照 with the one before is one of its pages; what the one after changes, its notice)."""
    neighbours = [d for d in (previous_file(model.ctx, doc), next_file(model.ctx, doc)) if d is not None]
    own = model.akn_digests[doc.slug]
    return own if not neighbours else _digest(own, *(model.akn_digests[d.slug] for d in neighbours))


def _document_digests(model: SiteModel) -> dict[str, str]:
    """Each document's pages' inputs, as one digest: what the page shows of other documents
    (their titles and where they are: links, cited-by, amendment notes), which file each work it
    cites leads to (the one in force: a later date changes it only for the texts that cite that
    work), and its own task. An amendment instrument links the works it amends by their address:
    it reads which file every work leads to."""
    docs = model.docs.values()
    parts = [[d.slug, d.part_label, d.first_article, d.last_article] for d in docs if d.component]
    context = _digest([[d.slug, d.title, d.work_uri, d.page] for d in docs], model.registry, parts)
    every_work = _digest(model.versions_in_force)
    leads = _works_cited(model)
    return {
        t.doc.slug: _task_digest(
            t,
            model.ctx,
            context,
            model.backlinks.get(t.doc.slug, {}),
            _akn_compared(model, t.doc),
            model.history_digests.get(t.doc.slug, ""),
            every_work if t.doc.doc_type == "amendment" else leads.get(t.doc.slug, []),
            [model.ctx.reviews.get(t.doc.slug), model.ctx.outstanding.get(t.doc.slug)],
        )
        for t in model.tasks
    }


def _works_cited(model: SiteModel) -> dict[str, list]:
    """Each document → (work, the file its address leads to) of every work it cites that the
    project holds several files of (from the citation reports: who cites what)."""
    ctx = model.ctx
    out: dict[str, set] = {}
    for cited, places in model.backlinks.items():
        doc = model.docs.get(cited)
        if doc is None or doc.work_uri not in ctx.works:
            continue
        lead = (doc.work_uri, ctx.by_uri[doc.work_uri].slug)
        for place in (p for eid_places in places.values() for p in eid_places):
            out.setdefault(place["document"], set()).add(lead)
    return {slug: sorted(leads) for slug, leads in out.items()}


def _plan_shared_pages(
    out: SiteSources, model: SiteModel, build_dir: Path, key: str, shared: dict, any_kept: bool
) -> None:
    """The site's own pages (home, browse, registry, search, the bulletin issues, the works'
    pages, the editors' page) show every document's title, place and legal record, never its
    text: after an edit of a text they are the previous build's, unless what they show changed;
    then they are made again, and a page whose Markdown is the previous build's is its file (one
    text's new version changes its work's page and a few lists, not the other works' pages)."""
    manifest, docs = model.manifest, model.docs.values()
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    listed = [
        [d.slug, d.title, d.doc_type, d.name, d.work_uri, d.expression_uri, d.page, d.legal] for d in docs
    ]
    # the browse pages show the documents' records and which file of a work leads, nothing else
    browse_key = _digest(key, epoch, listed, model.versions_in_force)
    shared_key = _digest(
        key,
        epoch,
        manifest.as_of,
        listed,
        [[d.slug, d.downloads, d.last_article] for d in docs],
        [[b.to_json(), _sha(Manifest.path(build_dir, b.akn).read_bytes())] for b in manifest.bulletins],
        model.registry,
        model.versions_in_force,
        model.feed,
        model.release,
        _sha(model.withheld_report),
        model.review,
        model.ctx.outstanding,
    )
    page_digests: dict[str, str] = shared.get("digests", {})  # each of the pages: its Markdown's
    value_slugs: dict[str, str] = shared.get("value_slugs", {})
    if any_kept and shared.get("key") == shared_key:
        out.unchanged |= set(page_digests)
    else:
        ctx = model.ctx
        ctx.value_slugs.update(value_slugs)
        browsed = {p for p in page_digests if p.startswith("browse/")}
        same_browse = any_kept and bool(browsed) and shared.get("browse_key") == browse_key
        made = _shared_pages(ctx, model, build_dir, browse=not same_browse)
        present = {v for facet in facets(ctx) for v in facet.values.values()}
        value_slugs = {v: s for v, s in sorted(ctx.value_slugs.items()) if v in present}
        before_digests, page_digests = page_digests, {p: _digest(epoch, text) for p, text in made.items()}
        if same_browse:  # the browse pages are the previous build's, not made again
            page_digests.update((p, before_digests[p]) for p in browsed)
        # (a page of the navigation kept so is known to mkdocs all the same: the pages it makes
        # link to it, mkdocs_plugin._kept_page; the navigation is in ``key``)
        same = {p for p, d in page_digests.items() if before_digests.get(p) == d}
        out.pages.update((p, text) for p, text in made.items() if p not in same)
        out.unchanged |= same
    out._shared = {
        "key": shared_key,
        "browse_key": browse_key,
        "digests": page_digests,
        "value_slugs": value_slugs,
    }


def _render_documents(
    out: SiteSources, tasks: list[PageTask], ctx: SiteContext, scheduler: str | None, pages_of: dict
) -> None:
    """The pages of ``tasks`` into ``out``, through the executor; ``pages_of`` learns which
    pages each document has."""
    slugs = {t.doc.page: t.doc.slug for t in tasks}
    pages: list[str] = []
    if scheduler:  # a worker on another machine reads no build/: each AKN goes with its task
        tasks = [
            replace(
                t,
                doc=replace(t.doc, akn_xml=t.doc.akn_path.read_bytes()),
                previous_xml=_akn_of(previous_file(ctx, t.doc)),
                next_xml=_akn_of(next_file(ctx, t.doc)),
            )
            for t in tasks
        ]
    with build_executor(len(tasks), scheduler) as executor:
        parts = 4 * (os.cpu_count() or 1)  # a few chunks per worker: the context is sent per chunk
        for page, text in run_chunks(executor, partial(render_pages, ctx=ctx), tasks, parts):
            out.pages[page] = text
            if page in slugs:  # a document's own page comes first, then its other pages
                pages = pages_of[slugs[page]] = []
            pages.append(page)


def _akn_of(doc: SiteDocument | None) -> bytes:
    return doc.akn_path.read_bytes() if doc is not None else b""


def _shared_pages(ctx: SiteContext, model: SiteModel, build_dir: Path, browse: bool = True) -> dict[str, str]:
    """The site's own pages: home, registry, browsing (unless not ``browse``), search, the
    bulletin issues, the pages of works the project holds several files of, and (after build
    --keep-going) the editors' page."""
    pages = {}
    for b in model.manifest.bulletins:
        page = f"bulletins/{b.slug}.md"
        pages[page] = bulletin_page(ctx, Manifest.path(build_dir, b.akn), b.slug, page, downloads_of(b))
    for work_uri, members in ctx.works.items():
        expressions = file_expressions(ctx, work_uri)
        pages[f"{uri_path(work_uri)}/index.md"] = work_page(ctx, work_uri, members[-1].title, expressions)
    feed = FEED_FILE if model.feed else None
    review = (len(model.review), len(ctx.outstanding))
    pages["index.md"] = home_page(ctx, model.bulletins, feed, model.release or None, review)
    pages["registry.md"] = registry_page(ctx)
    if browse:
        pages.update(browse_pages(ctx))
    if model.review or ctx.outstanding:  # what editors should look at: linked from the home page
        pages[REVIEW_PAGE] = review_page(ctx, model.review, ctx.outstanding)
    if model.withheld_report:  # build --keep-going withheld some texts: a page for editors
        pages[WITHHELD_PAGE] = withheld_page(json.loads(model.withheld_report.decode("utf-8")))
    pages["search.md"] = search_page()
    if ctx.docs:
        pages[CHECK_PAGE] = check_page()
    return pages












