"""What a site is, read from one generation (its manifest, AKN, histories and citation
reports) without the previous build: its documents and where they lead, the navigation, each
document's page task, the files it publishes as they are (downloads, the AKN of each version)
and the files made here (the works' data, the catalogue, the feed, the titles index, the
stylesheet and script). What of it must be made again after a change is site_sources' plan.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import escape

from fadian.manifest import (
    EDITION_KINDS,
    EDITION_LABELS,
    BulletinEntry,
    CitationReports,
    DocumentEntry,
    Manifest,
    TaggedEdition,
    cited_external,
)
from fadian.render.api_description import OPENAPI_FILE, openapi_document
from fadian.render.browse import BROWSE
from fadian.render.check_data import CHECK_PAGE, CHECK_SCRIPT, name_files
from fadian.render.feed import FEED_FILE, atom_feed
from fadian.render.html import asset, toc_entries
from fadian.render.parts import read_parts
from fadian.render.search import TITLES_FILE, search_titles
from fadian.render.site import SiteContext, SiteDocument
from fadian.render.works import (
    DATA_FILE,
    akn_path,
    catalog,
    file_expressions,
    uri_path,
    work_data,
    work_titles,
)
from fadian.uri import FrbrUri

ASSETS_CSS = asset("fadian.css")


ASSETS_JS = asset("fadian.js")
CHECK_JS = asset("check.js")


@dataclass(frozen=True)
class PageTask:
    """All one document's pages need, with the bytes they read: a worker needs no build/."""

    doc: SiteDocument
    record: dict | None  # its history.json, in a git repository
    versions: dict[str, bytes]  # manifest path → AKN of each version (when there are several)
    tagged: list[TaggedEdition]
    previous_xml: bytes = b""  # the AKN of the work's files before and after this one, sent to a
    next_xml: bytes = b""  # remote worker (a local one reads them from build/)


def work_contents(doc: SiteDocument) -> list[dict]:
    """A work's table of contents for its data file: its headed units (编, 章, 节 …)."""
    return [e.token() for e in toc_entries(doc.akn_root())]


def read_citation_reports(build_dir: Path) -> CitationReports:
    """The backlinks of a generation, and the registry works its citations lead to."""
    backlinks_path = build_dir / "reports" / "backlinks.json"
    backlinks = json.loads(backlinks_path.read_text("utf-8")) if backlinks_path.exists() else {}
    refs_path = build_dir / "reports" / "refs.json"
    cited = json.loads(refs_path.read_text("utf-8"))["citations"] if refs_path.exists() else []
    return backlinks, cited_external([(c["status"], c["targets"]) for c in cited])


def light_history(record: dict) -> dict:
    """A history.json as the pages read it: a text with one version keeps, of its wId → eId
    map, only the wIds whose article moved (its permalink page lists those alone), and not its
    list of wIds: at thousands of texts the identity maps would be most of the pages stage's memory."""
    if len(record["versions"]) > 1:
        return record
    light = {k: v for k, v in record.items() if k not in ("wid_to_eid", "wids")}
    light["wid_to_eid"] = {w: e for w, e in record["wid_to_eid"].items() if w != e}
    return light


WITHHELD_PAGE = "editors/withheld.md"


def navigation(docs: dict[str, SiteDocument], bulletins: list[dict], registry: dict | None = None) -> list:
    """The site's navigation: home, search, browsing, the bulletin issues, the registry (when a
    text cites a work it lists: an empty page is no way in) — never every document (each page
    carries the navigation: at thousands of texts that would be most of its weight); the
    documents are reached by search and the browse pages."""
    nav: list = [{"首页": "index.md"}, {"搜索": "search.md"}]
    if docs:
        nav.append({"浏览": BROWSE})
        nav.append({"引用核验": CHECK_PAGE})
    if bulletins:
        nav.append({"刊物": [{nav_title(b["title"]): b["page"]} for b in bulletins]})
    if registry:
        nav.append({"引用的外部法规": "registry.md"})
    return nav


def nav_pages(nav: list | dict | str) -> list[str]:
    """Every page a navigation names, in its order."""
    if isinstance(nav, str):
        return [nav]
    values = nav.values() if isinstance(nav, dict) else nav
    return [uri for value in values for uri in nav_pages(value)]


def nav_title(title: str) -> str:
    """mkdocs-material prints nav titles as they are: a source's title is escaped here."""
    return str(escape(title))


def current_file(members: list[tuple[str, str, str]]) -> str:
    """The slug a work's address leads to, of its files' (expression date, slug, 时效性): the one
    in force, else the newest. The search index lists that one file of the work by default."""
    ordered = sorted(members)
    return next((slug for _date, slug, status in ordered if status == "现行有效"), ordered[-1][1])


def site_context(
    docs: dict[str, SiteDocument], registry: dict, backlinks: dict, as_of: str | None
) -> SiteContext:
    """Where every work and expression leads: a work the project holds several files of leads
    to the one in force (else its newest); each expression to its own file — of a work kept in
    several part files, to its first part (an article, to the part that holds it: ``parts``)."""
    parts: dict[str, list[SiteDocument]] = {}
    for d in docs.values():
        if d.component:
            parts.setdefault(d.expression_uri, []).append(d)
    parts = {uri: sorted(ps, key=lambda d: (d.first_article, d.slug)) for uri, ps in parts.items()}
    parts = {uri: ps for uri, ps in parts.items() if len(ps) > 1}
    later_parts = {d.slug for ps in parts.values() for d in ps[1:]}
    by_work: dict[str, list[SiteDocument]] = {}
    for d in docs.values():
        if d.slug not in later_parts:  # a work's versions: its parts are one version
            by_work.setdefault(d.work_uri, []).append(d)
    works = {
        uri: sorted(members, key=lambda d: (d.expression_date, d.slug))
        for uri, members in by_work.items()
        if len(members) > 1
    }
    by_uri = {d.work_uri: d for d in docs.values() if d.slug not in later_parts}
    for uri, members in works.items():
        current = current_file([(d.expression_date, d.slug, d.legal.get("status", "")) for d in members])
        by_uri[uri] = docs[current]
    by_uri.update({d.expression_uri: d for d in docs.values() if d.slug not in later_parts})
    return SiteContext(docs, by_uri, registry, backlinks, works, as_of, parts=parts)


def downloads_of(entry: DocumentEntry | BulletinEntry) -> dict[str, str]:
    """What a page offers to download: its AKN (a document's at its expression's FRBR address),
    and its Word, PDF and EPUB editions when they were made (Word first, as the national
    database offers it)."""
    if isinstance(entry, DocumentEntry):
        akn = akn_path(entry.expression_uri, entry.component)
    else:
        akn = f"downloads/{entry.slug}.xml"
    out = {}
    for kind in EDITION_KINDS:
        path = getattr(entry, kind)
        if path:
            out[EDITION_LABELS[kind]] = f"downloads/{Path(path).name}"
    out["AKN XML"] = akn
    return out


@dataclass
class SiteModel:
    """Everything a site is made of, as one generation says it."""

    manifest: Manifest
    docs: dict[str, SiteDocument]  # slug →
    registry: dict[str, dict]  # the registry works cited: work URI → title, anchor, url
    backlinks: dict
    ctx: SiteContext
    bulletins: list[dict]  # each issue's page, its title as readers cite it, its date
    nav: list
    tasks: list[PageTask]  # one per document (a history of one version not yet read: ``unread``)
    histories: dict[str, dict]  # slug → its history.json, as the pages read it
    history_digests: dict[str, str] = field(default_factory=dict)  # slug → its history.json's sha256
    unread: dict[str, Path] = field(default_factory=dict)  # a history of one version: read if rendered
    akn_digests: dict[str, str] = field(default_factory=dict)  # slug → the sha256 of its AKN
    akn_files: dict[str, list[str]] = field(default_factory=dict)  # slug → its AKN files in the site
    files: dict[str, Path] = field(default_factory=dict)  # published as they are
    blobs: dict[str, bytes] = field(default_factory=dict)  # made here
    feed: bool = False  # whether the feed of changes has an entry
    withheld_report: bytes = b""  # build --keep-going's list of withheld texts
    review: list = field(default_factory=list)  # the build's citations-to-review report
    release: str = ""  # the bulk release's path in the site, when the build makes one

    @property
    def versions_in_force(self) -> list:
        """Which file of each work its address leads to: the one in force."""
        return sorted((d.slug, d.legal.get("status")) for m in self.ctx.works.values() for d in m)


def site_model(
    build_dir: Path, known: dict[str, str], reports: CitationReports | None = None
) -> SiteModel:
    """The site of the generation in ``build_dir`` (the manifest's ``build/…`` paths are read
    from it). ``known``: the sha256 of files of ``build_dir`` already known (not read again);
    ``reports``: what :func:`read_citation_reports` reads, when known already."""
    manifest = Manifest.read(build_dir)
    backlinks, cited = reports if reports is not None else read_citation_reports(build_dir)
    registry = _cited_registry(manifest, cited)
    docs = _site_documents(manifest, build_dir)
    ctx = site_context(docs, registry, backlinks, manifest.as_of)
    parts_data: dict[str, bytes] = {}
    if ctx.parts:  # a work kept in several part files: each part named, its pages told of the others
        ctx.parts, parts_data = read_parts(docs, ctx.parts)
        ctx.by_uri = {uri: docs[d.slug] for uri, d in ctx.by_uri.items()}
        ctx.works = {uri: [docs[d.slug] for d in members] for uri, members in ctx.works.items()}
    review = _report(manifest, build_dir, "citations_to_review") or []
    ctx.reviews = _citation_reviews(review)
    ctx.outstanding = _report(manifest, build_dir, "outstanding_changes") or {}
    bulletins = _bulletin_entries(manifest)
    nav = navigation(docs, bulletins, registry)
    if "withheld" in manifest.reports:
        nav.append({"未发布的文本": WITHHELD_PAGE})
    histories, history_digests, unread = _histories(manifest, build_dir, known)
    model = SiteModel(manifest, docs, registry, backlinks, ctx, bulletins, nav, [], histories)
    model.history_digests, model.unread, model.review = history_digests, unread, review
    model.files = _edition_files(manifest, build_dir)
    _page_tasks(model, build_dir, known)
    for b in manifest.bulletins:
        model.files[f"downloads/{b.slug}.xml"] = Manifest.path(build_dir, b.akn)
    _made_files(model)
    model.blobs.update(parts_data)
    if "withheld" in manifest.reports:
        model.withheld_report = Manifest.path(build_dir, manifest.reports["withheld"]).read_bytes()
    return model


def _report(manifest: Manifest, build_dir: Path, name: str):
    """A report of the generation, read (None: the manifest names none, or it is not there)."""
    path = manifest.reports.get(name)
    if not path or not Manifest.path(build_dir, path).is_file():
        return None
    return json.loads(Manifest.path(build_dir, path).read_bytes())


def _citation_reviews(review: list[dict]) -> dict[str, dict[str, dict]]:
    """Citing document → cited work URI + "/~" + eId → what became of that article since the
    version the citation meant (the build's citations-to-review report; refs/review)."""
    out: dict[str, dict[str, dict]] = {}
    for entry in review:
        key = f"{FrbrUri.parse(entry['cited_version']).work_uri}/~{entry['eid']}"
        mark = {k: entry[k] for k in ("since", "change", "now", "now_eid") if k in entry}
        for place in entry["citing"]:
            out.setdefault(place["document"], {})[key] = mark
    return out


def _cited_registry(manifest: Manifest, cited: set[str]) -> dict[str, dict]:
    """The registry works the texts cite: their title, anchor on the registry page and link."""
    out = {}
    for entry in manifest.registry:
        if entry["uri"] in cited:
            anchor = entry["uri"].rsplit("/", 1)[-1]
            out[entry["uri"]] = {"title": entry["title"], "anchor": anchor, "url": entry.get("url")}
    return out


def _site_documents(manifest: Manifest, build_dir: Path) -> dict[str, SiteDocument]:
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
            component=d.component,
            first_article=d.counts.get("first_article", 0),
        )
        doc.downloads = downloads_of(d)
        docs[doc.slug] = doc
    return docs


def _bulletin_entries(manifest: Manifest) -> list[dict]:
    """Each issue, named as readers cite it: 《大数据发展动态》2023年第18期（总第129期）."""
    bulletins = []
    for b in manifest.bulletins:
        issue = f"{b.date[:4]}年第{b.issue}期" if b.issue and b.date else (b.date or "")
        total = f"（总第{b.issue_total}期）" if b.issue_total else ""
        title = f"{b.title} {issue}{total}".strip()
        bulletins.append({"page": f"bulletins/{b.slug}.md", "title": title, "date": b.date})
    return bulletins


def _edition_files(manifest: Manifest, build_dir: Path) -> dict[str, Path]:
    """The Word, PDF and EPUB editions of every text, issue and tagged edition."""
    files: dict[str, Path] = {}
    tagged: list[TaggedEdition] = [t for doc in manifest.documents for t in doc.tagged_editions]
    for d in [*manifest.documents, *manifest.bulletins, *tagged]:
        for key in EDITION_KINDS:
            if getattr(d, key):
                path = getattr(d, key)
                files[f"downloads/{Path(path).name}"] = Manifest.path(build_dir, path)
    return files


def _histories(
    manifest: Manifest, build_dir: Path, known: dict[str, str]
) -> tuple[dict[str, dict], dict[str, str], dict[str, Path]]:
    """Each document's history.json and its digest; one of a single version is not read (it adds
    no AKN, feed entry or version to a page's inputs) unless the document is rendered."""
    histories, digests, unread = {}, {}, {}
    for d in manifest.documents:
        if not d.history:
            continue
        record_file = Manifest.in_generation(d.history)  # history/<slug>/history.json
        if record_file in known and record_file.replace("history.json", "v2.xml") not in known:
            digests[d.slug] = known[record_file]
            unread[d.slug] = Manifest.path(build_dir, d.history)
            continue
        text = Manifest.path(build_dir, d.history).read_bytes()
        histories[d.slug], digests[d.slug] = light_history(json.loads(text)), _sha(text)
    return histories, digests, unread


def _page_tasks(model: SiteModel, build_dir: Path, known: dict[str, str]) -> None:
    """Each document's page task, its AKN files (each version's at its FRBR address) and the
    digest of its AKN."""
    manifest = model.manifest
    tagged_by_slug = {d.slug: d.tagged_editions for d in manifest.documents}
    manifest_akn = {d.slug: d.akn for d in manifest.documents}
    for doc in model.docs.values():
        record = model.histories.get(doc.slug)
        model.files[doc.downloads["AKN XML"]] = doc.akn_path
        model.akn_files[doc.slug] = [doc.downloads["AKN XML"]]
        for v in record["versions"][:-1] if record is not None else []:  # the older versions' AKN
            model.files[akn_path(v["expression_uri"])] = Manifest.path(build_dir, v["akn"])
            model.akn_files[doc.slug].append(akn_path(v["expression_uri"]))
        versions = {}
        if record is not None and len(record["versions"]) > 1:
            versions = {v["akn"]: Manifest.path(build_dir, v["akn"]).read_bytes() for v in record["versions"]}
        staged = known.get(Manifest.in_generation(manifest_akn[doc.slug]))  # (read where rendered)
        model.akn_digests[doc.slug] = staged or _sha(doc.akn_path.read_bytes())
        model.tasks.append(PageTask(doc, record, versions, tagged_by_slug[doc.slug]))


def _made_files(model: SiteModel) -> None:
    """The files made here: the data of each work the project holds several files of, the
    catalogue, the feed of changes, the titles index, the stylesheet and script."""
    ctx = model.ctx
    for work_uri, members in ctx.works.items():
        latest = members[-1]
        toc = work_contents(replace(latest, akn_xml=latest.akn_path.read_bytes()))
        data = work_data(work_uri, latest.title, latest.legal, toc, file_expressions(ctx, work_uri))
        model.blobs[f"{uri_path(work_uri)}/{DATA_FILE}"] = data.encode("utf-8")
    model.blobs[f"akn/{DATA_FILE}"] = catalog(ctx).encode("utf-8")
    model.blobs.update((path, text.encode("utf-8")) for path, text in name_files(work_titles(ctx)).items())
    docs, as_of = list(model.docs.values()), model.manifest.as_of
    feed = atom_feed(docs, model.histories, "法典 fadian", as_of, ctx.works, ctx.outstanding)
    if feed is not None:  # copied into the site as it is
        model.blobs[FEED_FILE] = feed
        model.feed = True
    model.blobs[TITLES_FILE] = search_titles(ctx)
    model.blobs[OPENAPI_FILE] = openapi_document()
    model.blobs["assets/fadian.css"] = ASSETS_CSS.encode("utf-8")
    model.blobs["assets/fadian.js"] = ASSETS_JS.encode("utf-8")
    model.blobs[CHECK_SCRIPT] = CHECK_JS.encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
