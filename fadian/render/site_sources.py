"""All the site's pages from one build, in memory: the pages mkdocs turns into site/ (front
matter + HTML), the navigation, the downloads, the stylesheet and script. The fadian mkdocs
plugin adds them to the site as generated files (mkdocs `File.generated`); nothing is read back
from a folder."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from markupsafe import escape

from fadian.executor import build_executor, run_chunks
from fadian.manifest import (
    EDITION_KINDS,
    EDITION_LABELS,
    JSON_ENCODER,
    BulletinEntry,
    CitationReports,
    DocumentEntry,
    Manifest,
    TaggedEdition,
    cited_external,
)
from fadian.render.browse import BROWSE, browse_pages, facets
from fadian.render.feed import FEED_FILE, atom_feed
from fadian.render.history_pages import history_pages, moved_page, wid_redirect_page
from fadian.render.html import asset, toc_entries
from fadian.render.pages import (
    bulletin_page,
    document_page,
    home_page,
    registry_page,
    search_page,
    withheld_page,
)
from fadian.render.search import TITLES_FILE, search_titles
from fadian.render.site import SiteContext, SiteDocument
from fadian.render.works import (
    DATA_FILE,
    Expression,
    akn_path,
    catalog,
    expression_notice,
    file_expressions,
    redirect_page,
    uri_path,
    version_expressions,
    work_data,
    work_page,
)

ASSETS_CSS = asset("fadian.css")
ASSETS_JS = asset("fadian.js")


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
    _digests: dict[str, str] = field(default_factory=dict)
    _before: dict = field(default_factory=dict)
    _shared: dict = field(default_factory=dict)  # the site's own pages and their inputs' digest

    def uris(self) -> list[str]:
        """Every path, in the order mkdocs walks a folder (index first, files before folders)."""
        every = {*self.pages, *self.unchanged, *self.files, *self.blobs, *self.placed}
        return sorted(every, key=_walk_key)

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
    rank): compared as the tuples of names and ranks are, and built ten times faster for the
    20,000 files of 3,000 texts."""
    *folders, name = uri.split("/")
    rank = "1" if name.rsplit(".", 1)[0] not in ("index", "README") else "0"
    return "".join(f"\x02{f}" for f in folders) + f"\x01{rank}{name}"


@dataclass(frozen=True)
class PageTask:
    """All one document's pages need, with the bytes they read: a worker needs no build/."""

    doc: SiteDocument
    record: dict | None  # its history.json, in a git repository
    versions: dict[str, bytes]  # manifest path → AKN of each version (when there are several)
    tagged: list[TaggedEdition]


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
        if several and not notice and record is not None:
            versions = version_expressions(doc, record)
            notice = expression_notice(ctx, doc.page, replace(versions[-1], page=doc.page), versions)
        page = document_page(
            ctx, doc, has_history=several, permalinks=record is not None, marks=marks, notice=notice
        )
        out.append((doc.page, page))
        if several:
            out += history_pages(ctx, doc, record, t.versions, t.tagged)
        if record is not None:
            out.append(
                (f"w/{doc.slug}/index.html", wid_redirect_page(doc.slug, doc.title, record["wid_to_eid"]))
            )
            out += _former_addresses(ctx, doc, record)
        out += frbr_files(ctx, doc, record)
    return out


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
    if not expressions:
        label = f"{doc.expression_date} 版"
        expressions = [
            Expression(label, doc.expression_uri, doc.page, doc.legal, akn_path(doc.expression_uri))
        ]
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
    toc = _contents(doc)
    out.append(
        (
            f"{uri_path(doc.work_uri)}/{DATA_FILE}",
            work_data(doc.work_uri, doc.title, doc.legal, toc, expressions),
        )
    )
    return out


def _contents(doc: SiteDocument) -> list[dict]:
    """A work's table of contents for its data file: its headed units (编, 章, 节 …)."""
    return [e.token() for e in toc_entries(doc.akn_root())]


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


def read_citation_reports(build_dir: Path) -> CitationReports:
    """The backlinks of a generation, and the registry works its citations lead to."""
    backlinks_path = build_dir / "reports" / "backlinks.json"
    backlinks = json.loads(backlinks_path.read_text("utf-8")) if backlinks_path.exists() else {}
    refs_path = build_dir / "reports" / "refs.json"
    cited = json.loads(refs_path.read_text("utf-8"))["citations"] if refs_path.exists() else []
    return backlinks, cited_external([(c["status"], c["targets"]) for c in cited])


SITE_STATE = ".site-state.json"  # in a generation: each document's page inputs digest


def _digest(*parts: object) -> str:
    h = hashlib.sha256()
    encode = JSON_ENCODER.encode  # (json.dumps made an encoder for each of 27,000 parts)
    for part in parts:
        h.update(part if isinstance(part, bytes) else encode(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def _task_digest(
    task: PageTask, ctx: SiteContext, context: str, backlinks: dict, akn: str, history: str
) -> str:
    """Everything one document's pages are made from: the site-wide context, the links into it,
    its AKN, history (``history``: its history.json), versions and legal record, and — for a
    text whose pages say which version is in force — the site's date and its work's other
    files (the renderer's code is in the site key). ``akn`` and ``history`` are the digests of
    its AKN and history.json."""
    d = task.doc
    own = [d.slug, d.title, d.doc_type, d.name, d.work_uri, d.expression_uri, d.page, d.downloads, d.legal]
    versions = [b for _path, b in sorted(task.versions.items())]
    tagged = [t.to_json() for t in task.tagged]
    in_time = None
    if d.work_uri in ctx.works or len(task.versions) > 1:
        in_time = [ctx.as_of, [m.legal for m in ctx.works.get(d.work_uri, [])]]
    return _digest(context, own, backlinks, akn, history, tagged, in_time, *versions)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _light_history(record: dict) -> dict:
    """A history.json as the pages read it: a text with one version keeps, of its wId → eId
    map, only the wIds whose article moved (its permalink page lists those alone), and not its
    list of wIds — at 3,000 texts the identity maps were most of the pages stage's memory."""
    if len(record["versions"]) > 1:
        return record
    light = {k: v for k, v in record.items() if k not in ("wid_to_eid", "wids")}
    light["wid_to_eid"] = {w: e for w, e in record["wid_to_eid"].items() if w != e}
    return light


def site_sources(
    build_dir: Path,
    scheduler: str | None = None,
    previous: dict | None = None,
    site_key: str = "",
    render_documents: bool = True,
    digests: dict[str, str] | None = None,
    reports: CitationReports | None = None,
) -> SiteSources:
    """Render every page from ``build_dir`` (akn/, reports/, manifest.json), in memory.

    ``build_dir`` may be a staging folder: the manifest's ``build/…`` paths are read from it.
    The pages of the documents are rendered through an executor (project/executor): in this
    process, a local pool, or the Dask cluster at ``scheduler``. ``previous`` is the state of
    the published build's site: a document whose page inputs have the same digest is not
    rendered again when what every page shows is the same too (``site_key``: code and
    settings; and the navigation). Without ``render_documents`` the documents to render are
    left in ``deferred`` (with ``ctx``) for the caller, who calls ``finish`` once they are made.
    ``digests``: the sha256 of files of ``build_dir`` by their path there, known already (not
    read again); ``reports``: what :func:`read_citation_reports` reads, known already.
    """
    known = digests or {}
    manifest = Manifest.read(build_dir)
    backlinks, cited_external = reports if reports is not None else read_citation_reports(build_dir)
    registry = {}
    for entry in manifest.registry:
        if entry["uri"] in cited_external:
            registry[entry["uri"]] = {
                "title": entry["title"],
                "anchor": entry["uri"].rsplit("/", 1)[-1],
                "url": entry.get("url"),
            }
    docs: dict[str, SiteDocument] = {}
    for d in manifest.documents:
        doc = SiteDocument(
            d.slug,
            d.title,
            d.type,
            d.name,
            d.work_uri,
            d.expression_uri,
            Manifest.path(build_dir, d.akn),
            f"documents/{d.slug}.md",
            legal=d.legal,
            last_article=d.counts.get("last_article", 0),
        )
        doc.downloads = _downloads(d)
        docs[doc.slug] = doc
    ctx = site_context(docs, registry, backlinks, manifest.as_of)
    out = SiteSources()
    tagged_editions = [t for doc in manifest.documents for t in doc.tagged_editions]
    for d in [*manifest.documents, *manifest.bulletins, *tagged_editions]:
        for key in EDITION_KINDS:
            if getattr(d, key):
                path = getattr(d, key)
                out.files[f"downloads/{Path(path).name}"] = Manifest.path(build_dir, path)
    histories, history_digests = {}, {}
    unread: dict[str, Path] = {}  # one-version histories, read only for a document rendered
    for d in manifest.documents:
        if not d.history:
            continue
        record_file = Manifest.in_generation(d.history)  # history/<slug>/history.json
        if record_file in known and record_file.replace("history.json", "v2.xml") not in known:
            history_digests[d.slug] = known[record_file]
            unread[d.slug] = Manifest.path(build_dir, d.history)
            continue  # (a history of one version adds no AKN, feed entry or version to digest)
        text = Manifest.path(build_dir, d.history).read_bytes()
        histories[d.slug], history_digests[d.slug] = _light_history(json.loads(text)), _sha(text)
    akn_digests = {}
    akn_files: dict[str, list[str]] = {}  # slug → its AKN files in the site
    tasks = []
    tagged_by_slug = {d.slug: d.tagged_editions for d in manifest.documents}
    manifest_akn = {d.slug: d.akn for d in manifest.documents}
    for doc in docs.values():
        record = histories.get(doc.slug)
        out.files[doc.downloads["AKN XML"]] = doc.akn_path
        akn_files[doc.slug] = [doc.downloads["AKN XML"]]
        for v in record["versions"][:-1] if record is not None else []:  # the older versions' AKN
            out.files[akn_path(v["expression_uri"])] = Manifest.path(build_dir, v["akn"])
            akn_files[doc.slug].append(akn_path(v["expression_uri"]))
        versions = {}
        if record is not None and len(record["versions"]) > 1:
            versions = {v["akn"]: Manifest.path(build_dir, v["akn"]).read_bytes() for v in record["versions"]}
        tagged = tagged_by_slug[doc.slug]
        staged = known.get(Manifest.in_generation(manifest_akn[doc.slug]))  # (read where rendered)
        akn_digests[doc.slug] = staged or _sha(doc.akn_path.read_bytes())
        tasks.append(PageTask(doc, record, versions, tagged))
    # what a page shows of other documents: their titles and where they are (SiteContext.link,
    # cited-by, amendment notes); a document's own fields are in its task
    # (and which file of a work its address leads to: the one in force)
    versions_in_force = sorted((d.slug, d.legal.get("status")) for m in ctx.works.values() for d in m)
    context = _digest(
        [[d.slug, d.title, d.work_uri, d.page] for d in docs.values()], registry, versions_in_force
    )
    digests = {
        t.doc.slug: _task_digest(
            t,
            ctx,
            context,
            backlinks.get(t.doc.slug, {}),
            akn_digests[t.doc.slug],
            history_digests.get(t.doc.slug, ""),
        )
        for t in tasks
    }
    bulletins = []
    for b in manifest.bulletins:
        # named as readers cite it: 《大数据发展动态》2023年第18期（总第129期）
        issue = f"{b.date[:4]}年第{b.issue}期" if b.issue and b.date else (b.date or "")
        total = f"（总第{b.issue_total}期）" if b.issue_total else ""
        title = f"{b.title} {issue}{total}".strip()
        bulletins.append({"page": f"bulletins/{b.slug}.md", "title": title, "date": b.date})
    out.nav = _navigation(docs, bulletins)
    if "withheld" in manifest.reports:
        out.nav.append({"未发布的文本": WITHHELD_PAGE})
    # every page shows the navigation (pages outside it appear on no other page)
    key = _digest(site_key, out.nav)
    before = previous if previous is not None and previous.get("site") == key else {}
    kept = {
        s for s, digest in digests.items() if before.get("documents", {}).get(s, {}).get("digest") == digest
    }
    out.pages_of = {s: before["documents"][s]["pages"] for s in kept}
    todo = [
        replace(t, record=_light_history(json.loads(unread[t.doc.slug].read_bytes())))
        if t.doc.slug in unread
        else t
        for t in tasks
        if t.doc.slug not in kept
    ]
    if render_documents:
        _render_documents(out, todo, ctx, scheduler, out.pages_of)
    else:
        out.deferred, out.ctx = todo, ctx
    for b in manifest.bulletins:
        out.files[f"downloads/{b.slug}.xml"] = Manifest.path(build_dir, b.akn)
    for work_uri, members in ctx.works.items():  # works the project holds several files of
        latest = members[-1]
        toc = _contents(replace(latest, akn_xml=latest.akn_path.read_bytes()))
        data = work_data(work_uri, latest.title, latest.legal, toc, file_expressions(ctx, work_uri))
        out.blobs[f"{uri_path(work_uri)}/{DATA_FILE}"] = data.encode("utf-8")
    out.blobs[f"akn/{DATA_FILE}"] = catalog(ctx).encode("utf-8")
    feed = atom_feed(list(docs.values()), histories, "法典 fadian", manifest.as_of)
    if feed is not None:  # copied into the site as it is
        out.blobs[FEED_FILE] = feed
    out.blobs[TITLES_FILE] = search_titles(ctx)
    out.blobs["assets/fadian.css"] = ASSETS_CSS.encode("utf-8")
    out.blobs["assets/fadian.js"] = ASSETS_JS.encode("utf-8")
    withheld_report = b""
    if "withheld" in manifest.reports:
        withheld_report = Manifest.path(build_dir, manifest.reports["withheld"]).read_bytes()
    # the site's own pages (home, browse, registry, search, the bulletin issues, the works'
    # pages, the editors' page) show every document's title, place and legal record, never its
    # text: after an edit of a text they are the previous build's, unless what they show changed
    shared_key = _digest(
        key,
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        manifest.as_of,
        [
            [d.slug, d.title, d.doc_type, d.name, d.work_uri, d.expression_uri, d.page, d.legal]
            for d in docs.values()
        ],
        [[d.slug, d.downloads, d.last_article] for d in docs.values()],
        [[b.to_json(), _sha(Manifest.path(build_dir, b.akn).read_bytes())] for b in manifest.bulletins],
        registry,
        versions_in_force,
        feed is not None,
        _sha(withheld_report),
    )
    shared = before.get("shared", {})
    page_digests: dict[str, str] = shared.get("digests", {})  # each of the pages: its Markdown's
    value_slugs: dict[str, str] = shared.get("value_slugs", {})
    if kept and shared.get("key") == shared_key:
        out.unchanged |= set(page_digests)
    else:  # made again; a page whose Markdown is the previous build's is its file (one text's
        # new version changes its work's page and a few lists, not the other 100 works' pages)
        ctx.value_slugs.update(value_slugs)
        made = _shared_pages(ctx, manifest, build_dir, bulletins, feed is not None, withheld_report)
        present = {v for facet in facets(ctx) for v in facet.values.values()}
        value_slugs = {v: s for v, s in sorted(ctx.value_slugs.items()) if v in present}
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        before_digests, page_digests = page_digests, {p: _digest(epoch, text) for p, text in made.items()}
        # (a page of the navigation kept so is known to mkdocs all the same: the pages it makes
        # link to it, mkdocs_plugin._kept_page; the navigation is in ``key``)
        same = {p for p, d in page_digests.items() if before_digests.get(p) == d}
        out.pages.update((p, text) for p, text in made.items() if p not in same)
        out.unchanged |= same
    out.unchanged |= {p for slug in kept for p in [*out.pages_of[slug], *akn_files[slug]]}
    out._shared = {"key": shared_key, "digests": page_digests, "value_slugs": value_slugs}
    out.state, out._digests, out._before = {"site": key}, digests, before
    if render_documents:
        out.finish()
    return out


def _render_documents(
    out: SiteSources, tasks: list[PageTask], ctx: SiteContext, scheduler: str | None, pages_of: dict
) -> None:
    """The pages of ``tasks`` into ``out``, through the executor; ``pages_of`` learns which
    pages each document has."""
    slugs = {t.doc.page: t.doc.slug for t in tasks}
    pages: list[str] = []
    if scheduler:  # a worker on another machine reads no build/: each AKN goes with its task
        tasks = [replace(t, doc=replace(t.doc, akn_xml=t.doc.akn_path.read_bytes())) for t in tasks]
    with build_executor(len(tasks), scheduler) as executor:
        parts = 4 * (os.cpu_count() or 1)  # a few chunks per worker: the context is sent per chunk
        for page, text in run_chunks(executor, partial(render_pages, ctx=ctx), tasks, parts):
            out.pages[page] = text
            if page in slugs:  # a document's own page comes first, then its other pages
                pages = pages_of[slugs[page]] = []
            pages.append(page)


def _shared_pages(
    ctx: SiteContext,
    manifest: Manifest,
    build_dir: Path,
    bulletins: list[dict],
    feed: bool,
    withheld_report: bytes,
) -> dict[str, str]:
    """The site's own pages: home, registry, browsing, search, the bulletin issues, the pages of
    works the project holds several files of, and (after build --keep-going) the editors' page."""
    pages = {}
    for b in manifest.bulletins:
        page = f"bulletins/{b.slug}.md"
        pages[page] = bulletin_page(ctx, Manifest.path(build_dir, b.akn), b.slug, page, _downloads(b))
    for work_uri, members in ctx.works.items():
        expressions = file_expressions(ctx, work_uri)
        pages[f"{uri_path(work_uri)}/index.md"] = work_page(ctx, work_uri, members[-1].title, expressions)
    pages["index.md"] = home_page(ctx, bulletins, FEED_FILE if feed else None)
    pages["registry.md"] = registry_page(ctx)
    pages.update(browse_pages(ctx))
    if withheld_report:  # build --keep-going withheld some texts: a page for editors
        pages[WITHHELD_PAGE] = withheld_page(json.loads(withheld_report.decode("utf-8")))
    pages["search.md"] = search_page()
    return pages


WITHHELD_PAGE = "editors/withheld.md"


def _navigation(docs: dict[str, SiteDocument], bulletins: list[dict]) -> list:
    """The site's navigation: home, search, browsing, the bulletin issues, the registry — never
    every document (each page carries the navigation: at 3,000 texts that was most of its
    weight); the documents are reached by search and the browse pages."""
    nav: list = [{"首页": "index.md"}, {"搜索": "search.md"}]
    if docs:
        nav.append({"浏览": BROWSE})
    if bulletins:
        nav.append({"刊物": [{_nav_title(b["title"]): b["page"]} for b in bulletins]})
    nav.append({"引用的外部法规": "registry.md"})
    return nav


def nav_pages(nav: list | dict | str) -> list[str]:
    """Every page a navigation names, in its order."""
    if isinstance(nav, str):
        return [nav]
    values = nav.values() if isinstance(nav, dict) else nav
    return [uri for value in values for uri in nav_pages(value)]


def _nav_title(title: str) -> str:
    """mkdocs-material prints nav titles as they are: a source's title is escaped here."""
    return str(escape(title))


def site_context(
    docs: dict[str, SiteDocument], registry: dict, backlinks: dict, as_of: str | None
) -> SiteContext:
    """Where every work and expression leads: a work the project holds several files of leads
    to the one in force (else its newest); each expression to its own file."""
    by_work: dict[str, list[SiteDocument]] = {}
    for d in docs.values():
        by_work.setdefault(d.work_uri, []).append(d)
    works = {
        uri: sorted(members, key=lambda d: (d.expression_date, d.slug))
        for uri, members in by_work.items()
        if len(members) > 1
    }
    by_uri = {d.work_uri: d for d in docs.values()}
    for uri, members in works.items():
        by_uri[uri] = next((d for d in members if d.legal.get("status") == "现行有效"), members[-1])
    by_uri.update({d.expression_uri: d for d in docs.values()})
    return SiteContext(docs, by_uri, registry, backlinks, works, as_of)


def _downloads(entry: DocumentEntry | BulletinEntry) -> dict[str, str]:
    """What a page offers to download: its AKN (a document's at its expression's FRBR address),
    and its Word, PDF and EPUB editions when they were made (Word first, as the national
    database offers it)."""
    akn = (
        akn_path(entry.expression_uri) if isinstance(entry, DocumentEntry) else f"downloads/{entry.slug}.xml"
    )
    out = {}
    for kind in EDITION_KINDS:
        path = getattr(entry, kind)
        if path:
            out[EDITION_LABELS[kind]] = f"downloads/{Path(path).name}"
    out["AKN XML"] = akn
    return out
