"""The whole project: sources/ → build/akn/*.xml + build/manifest.json.

I/O lives here and in the CLI. A build writes into a staging folder inside
build/ and only swaps it in when every document compiled without error, so
a failing build leaves the previous good build/ as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fadian.akn.collection import Bulletin, build_collection, check_stated_counts, load_bulletin
from fadian.akn.validate import validate_akn
from fadian.akn.write import serialize
from fadian.diagnostics import Diagnostic, diag, has_errors
from fadian.history.versions import DocumentHistory, project_history
from fadian.pipeline import CompiledDocument, corpus_work, finish_document, prepare_source
from fadian.project.publish import (
    build_lock,
    carry_site,
    checkpoint,
    clean_leftovers,
    die_with_parent,
    new_generation,
    publish,
)
from fadian.refs.index import Citation, RefIndex, Work
from fadian.refs.registry import load_registry, registry_index


@dataclass
class Project:
    """A folder with sources/ (documents, bulletins, registry.yaml), build/ and site/."""

    root: Path

    def __post_init__(self) -> None:
        self.root = Path(self.root)

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def document_files(self) -> list[Path]:
        return sorted((self.sources / "documents").glob("*.txt"))

    def bulletin_files(self) -> list[Path]:
        return sorted((self.sources / "bulletins").glob("*.yaml"))

    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)

    def check(self, paths: Iterable[Path] | None = None) -> BuildResult:
        """Compile every source (reporting on ``paths`` only, when given); writes nothing."""
        return check_project(self, paths)

    def build(self, *, site: bool = True, editions: bool = True) -> BuildResult:
        """Check, then write and publish build/ and site/ (only when there is no error)."""
        return build_project(self, site=site, editions=editions)


@dataclass
class BuildResult:
    documents: list[CompiledDocument] = field(default_factory=list)
    bulletins: list[tuple[Bulletin, bytes]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    bulletin_citations: dict[str, list[Citation]] = field(default_factory=dict)
    registry: list[Work] = field(default_factory=list)
    index: RefIndex | None = None
    histories: dict[str, DocumentHistory] = field(default_factory=dict)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        out = [d for doc in self.documents for d in doc.diagnostics]
        return out + self.diagnostics

    @property
    def ok(self) -> bool:
        return not has_errors(self.all_diagnostics)


def safe_output_path(base: Path, *parts: str) -> Path:
    """A path under ``base`` built from derived names; refuses anything that escapes it."""
    target = base.joinpath(*parts).resolve()
    if not target.is_relative_to(base.resolve()):
        raise ValueError(f"{'/'.join(parts)} escapes {base}")
    return target


MAX_SOURCE_BYTES = 20 * 1024 * 1024  # 20 MB: ten times the longest code (民法典, 0.3 MB)


def _read(project: Project, path: Path, result: BuildResult) -> bytes | None:
    """A source's bytes, if it is a regular file inside the project and not too large: a symlink
    out of the repository, a FIFO or a device is error F606, never read (a FIFO would hang)."""
    import stat

    rel = project.rel(path)
    try:
        resolved = path.resolve(strict=True)
        mode = os.stat(resolved).st_mode
    except (OSError, RuntimeError) as exc:
        result.diagnostics.append(diag("F603", f"cannot read: {getattr(exc, 'strerror', exc)}", rel))
        return None
    if not resolved.is_relative_to(project.root.resolve()):
        result.diagnostics.append(diag("F606", f"is a link to {resolved}, outside the project", rel))
        return None
    if stat.S_ISDIR(mode):
        result.diagnostics.append(diag("F603", "is a folder, not a file", rel))
        return None
    if not stat.S_ISREG(mode):
        result.diagnostics.append(diag("F606", "is not a regular file (a pipe, socket or device)", rel))
        return None
    if os.stat(resolved).st_size > MAX_SOURCE_BYTES:
        size = os.stat(resolved).st_size
        result.diagnostics.append(diag("F108", f"is {size:,} bytes (limit {MAX_SOURCE_BYTES:,})", rel))
        return None
    try:
        return resolved.read_bytes()
    except OSError as exc:
        result.diagnostics.append(diag("F603", f"cannot read: {exc.strerror}", rel))
        return None


def project_index(project: Project, prepared: list[CompiledDocument], result: BuildResult) -> RefIndex:
    """The registry of external works plus every document of the corpus, by title and short title."""
    registry = project.sources / "registry.yaml"
    works: list = []
    if registry.is_file():
        works, diags = load_registry(project.rel(registry), registry.read_bytes())
        result.diagnostics += diags
        result.registry = [work for work, _aliases in works]
    index = registry_index(works)
    for doc in prepared:
        if doc.meta is not None and doc.tree is not None:
            index.add(corpus_work(doc), *doc.meta.short_titles)
    return index


def check_project(
    project: Project,
    paths: Iterable[Path] | None = None,
    progress: Callable[[str], None] | None = None,
    history: bool = False,
) -> BuildResult:
    """Compile documents and bulletins without writing anything.

    Every document of the project is parsed, so that citations between documents resolve
    even when only some files are checked; only the chosen ones are reported.
    """
    result = BuildResult()
    chosen = None if paths is None else {project.rel(p) for p in paths}
    prepared: list[CompiledDocument] = []
    all_docs = project.document_files()
    known = {project.rel(q) for q in all_docs}
    extra = [p for p in (paths or []) if p.suffix != ".yaml" and project.rel(p) not in known]
    for path in all_docs + extra:
        if chosen is None or project.rel(path) in chosen:
            data = _read(project, path, result)  # a file that cannot be read is reported
        else:
            try:
                data = path.read_bytes()
            except OSError:
                data = None
        if data is not None:
            prepared.append(prepare_source(project.rel(path), data))
    index = project_index(project, prepared, result)
    result.index = index
    for doc in prepared:
        if chosen is not None and doc.path not in chosen:
            continue
        if progress:
            progress(doc.path)
        result.documents.append(finish_document(doc, index))
    seen: dict[str, str] = {}
    for doc in result.documents:
        if doc.meta is None:
            continue
        if doc.meta.slug in seen:
            result.diagnostics.append(
                diag("F207", f"slug {doc.meta.slug!r} is also used by {seen[doc.meta.slug]}", doc.path)
            )
        seen[doc.meta.slug] = doc.path
    if history:
        add_histories(project, result)
    metas = {d.meta.slug: d for d in prepared if d.meta is not None}
    metas.update({d.meta.slug: d for d in result.documents if d.meta is not None})
    bulletin_paths = [p for p in (paths or project.bulletin_files()) if p.suffix == ".yaml"]
    for path in bulletin_paths:
        name = project.rel(path)
        if progress:
            progress(name)
        data = _read(project, path, result)
        if data is None:
            continue
        bulletin, diags = load_bulletin(name, data)
        result.diagnostics += diags
        if bulletin is None:
            continue
        for _rubric, entry in bulletin.entries():
            if str(entry.get("slug")) not in metas:
                result.diagnostics.append(
                    diag(
                        "F601",
                        f"bulletin lists unknown document {entry.get('slug')!r}",
                        name,
                        bulletin.line_of(f"slug: {entry.get('slug')}"),
                    )
                )
        trees = {slug: d.tree for slug, d in metas.items() if d.tree is not None}
        result.diagnostics += check_stated_counts(bulletin, trees)
        root, citations = build_collection(
            bulletin, {slug: d.meta for slug, d in metas.items() if d.meta}, index
        )
        result.bulletin_citations[bulletin.slug] = citations
        result.diagnostics += validate_akn(root, name)
        result.bulletins.append((bulletin, serialize(root)))
    return result


def build_project(
    project: Project,
    progress: Callable[[str], None] | None = None,
    site: bool = True,
    editions: bool = True,
) -> BuildResult:
    """Check everything; when there is no error, replace build/ (AKN, reports, manifest, site
    sources) and, with ``site``, site/. Everything is made in a staging folder first, so any
    failure leaves the previous build/ and site/ as they were."""
    result = check_project(project, progress=progress, history=True)
    if not result.ok:
        return result
    build = project.build_dir
    with build_lock(build):
        clean_leftovers(project.root, build)
        checkpoint("cleaned-before")
        gen = new_generation(build)
        published = False
        try:
            manifest = _write_staging(project, result, gen)
            checkpoint("staged")
            from fadian.render.site import write_site_sources

            if editions:
                result.diagnostics += make_editions(project, gen, manifest)
                if not result.ok:
                    return result
                (gen / "manifest.json").write_text(
                    json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
            checkpoint("editions")
            write_site_sources(gen, gen / "site-src")
            checkpoint("pages")
            if site:
                _build_site(project, gen / "site-src", gen / "site", _site_epoch(manifest))
            else:
                carry_site(build, gen)
            checkpoint("site")
            publish(project.root, build, gen, with_site=site)
            published = True
        except ValueError as exc:
            result.diagnostics.append(diag("F602", str(exc), "build"))
            return result
        except SiteBuildError as exc:
            config = (
                "mkdocs.yml" if (project.root / "mkdocs.yml").is_file() else "fadian/render/mkdocs_site.yml"
            )
            result.diagnostics.append(diag("F604", str(exc), config))
            return result
        except OSError as exc:
            result.diagnostics.append(diag("F605", f"cannot publish the build: {exc}", "build"))
            return result
        finally:
            if not published:
                shutil.rmtree(gen, ignore_errors=True)
        clean_leftovers(project.root, build)
        checkpoint("cleaned-after")
    result.written = [entry["akn"] for entry in manifest["documents"]]
    result.written += [entry["akn"] for entry in manifest["bulletins"]]
    return result


SAFE_TAG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,60}$")
# above this an edition is skipped with a warning: 民法典 renders to ~1.5 M characters of HTML,
# and pandoc and typst took 6.5 and 8.9 GB for a 50 MB text (issue 14)
MAX_EDITION_CHARS = int(os.environ.get("FADIAN_MAX_EDITION_CHARS", 8_000_000))


def make_editions(project: Project, staging: Path, manifest: dict) -> list[Diagnostic]:
    """EPUB and PDF for every document and bulletin, in parallel, reusing unchanged ones.

    Adds their paths to ``manifest``; returns diagnostics for editions that failed."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from fadian.render.editions import (
        EditionError,
        EditionJob,
        bulletin_html,
        content_key,
        corpus_font,
        document_html,
        font_dir,
        run_job,
    )

    try:
        font_dir()
    except EditionError as exc:
        return [diag("F901", str(exc), "build/editions")]
    cache = project.build_dir / ".edition-cache"
    cache.mkdir(parents=True, exist_ok=True)
    jobs: list[EditionJob] = []
    entries: list[tuple[dict, str, str]] = []
    by_uri = {d["expression_uri"]: staging / d["akn"].removeprefix("build/") for d in manifest["documents"]}
    # the whole issues first: they are the longest jobs
    sources = [
        (b, lambda b=b: bulletin_html(staging / b["akn"].removeprefix("build/"), by_uri))
        for b in manifest["bulletins"]
    ]
    sources += [
        (d, lambda d=d: document_html(staging / d["akn"].removeprefix("build/")))
        for d in manifest["documents"]
    ]
    # one edition per published (tagged) version too
    for d in manifest["documents"]:
        if not d.get("history"):
            continue
        record = json.loads((staging / d["history"].removeprefix("build/")).read_text("utf-8"))
        for version in record["versions"]:
            for tag in version["tags"]:
                if not SAFE_TAG_RE.match(tag):
                    continue
                tagged = {
                    "slug": f"{d['slug']}@{tag}",
                    "tag": tag,
                    "version": version["version"],
                    "date": version["date"],
                }
                d.setdefault("tagged_editions", []).append(tagged)
                akn = staging / version["akn"].removeprefix("build/")
                sources.append((tagged, lambda akn=akn: document_html(akn)))
    rendered = [(entry, *render()) for entry, render in sources]
    skipped = []
    for item in list(rendered):  # pandoc and typst need ~60x the text in memory: bounded
        entry, body, _meta = item
        if len(body) > MAX_EDITION_CHARS:
            rendered.remove(item)
            skipped.append(
                diag(
                    "F902",
                    f"{entry['slug']}: {len(body):,} characters of HTML (limit {MAX_EDITION_CHARS:,});"
                    " no EPUB or PDF made",
                    entry.get("source") or f"build/editions/{entry['slug']}",
                )
            )
    import html as html_module

    all_text = "".join(html_module.unescape(body) + meta["title"] for _e, body, meta in rendered)
    font = corpus_font(all_text, cache)
    for entry, body, meta in rendered:
        meta["date"] = meta.get("date") or entry.get("date")
        for kind in ("epub", "pdf"):
            name = f"{entry['slug']}.{kind}"
            target = safe_output_path(staging, "editions", name)
            key = content_key(kind, body, meta, font.name if kind == "epub" else "")
            jobs.append(EditionJob(kind, body, meta, str(target), str(cache / f"{key}.{kind}"), str(font)))
            entries.append((entry, kind, f"build/editions/{name}"))
    workers = min(len(jobs), os.cpu_count() or 1) or 1
    diags = skipped
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent
    ) as pool:
        results = list(pool.map(run_job, jobs))
    for (entry, kind, rel), (_target, error) in zip(entries, results, strict=True):
        if error:
            diags.append(diag("F901", f"{kind.upper()} of {entry['slug']}: {error}", rel))
        else:
            entry[kind] = rel
    _prune_cache(cache, {Path(j.cache).name for j in jobs} | {font.name})
    return diags


def _prune_cache(cache: Path, keep: set[str]) -> None:
    for path in cache.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)


class SiteBuildError(Exception):
    """mkdocs could not build the site."""


def _site_epoch(manifest: dict) -> str:
    """SOURCE_DATE_EPOCH for the site (the sitemap's dates): given, else the newest expression."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    import datetime as dt

    dates = [e["expression_uri"].rsplit("@", 1)[-1] for e in manifest["documents"] + manifest["bulletins"]]
    newest = max((d for d in dates if len(d) == 10), default="1970-01-01")
    day = dt.date.fromisoformat(newest)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


def _build_site(project: Project, docs_dir: Path, site_dir: Path, epoch: str = "0") -> None:
    """Run mkdocs (with the project's mkdocs.yml) on generated pages, into ``site_dir``."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from fadian.render.mkdocs_plugin import PAGES_READY

    config_file = project.root / "mkdocs.yml"
    if not config_file.is_file():  # a project without its own site settings
        config_file = Path(__file__).parent.parent / "render" / "mkdocs_site.yml"
    previous = os.environ.get(PAGES_READY)
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ[PAGES_READY] = "1"
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        # absolute: mkdocs reads relative folders against the config file's own folder, which
        # for a project without mkdocs.yml is fadian's package
        config = load_config(
            str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(site_dir.resolve())
        )
        mkdocs_build(config)
    except (MkDocsException, OSError) as exc:
        raise SiteBuildError(f"mkdocs failed: {exc}") from exc
    finally:
        if previous is None:
            os.environ.pop(PAGES_READY, None)
        else:
            os.environ[PAGES_READY] = previous
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch


def _in_git(root: Path) -> bool:
    import git

    try:
        git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return False
    return True


def add_histories(project: Project, result: BuildResult) -> None:
    """In a git repository, every document gets its versions; its AKN becomes the latest
    version's (with wIds and lifecycle)."""
    if not _in_git(project.root):
        return
    from fadian.history.versions import InstrumentRef
    from fadian.refs.index import normalise_title

    instruments: dict[str, list[InstrumentRef]] = {}
    for doc in result.documents:
        inst = doc.tree.instrument if doc.tree is not None else None
        if inst is not None and doc.meta is not None and inst.work:
            key = normalise_title(inst.work)
            instruments.setdefault(key, []).append(InstrumentRef(inst, doc.meta.work_uri))
    for doc in result.documents:
        if doc.meta is None:
            continue
        amending = [
            i
            for name in (doc.meta.title, *doc.meta.short_titles)
            for i in instruments.get(normalise_title(name), [])
        ]
        history, diags = project_history(project.root / doc.path, doc.path, result.index, amending)
        result.diagnostics += [d for d in diags if d.code != "F803" or d.location.path == doc.path]
        if history is None:
            continue
        latest = history.documents[-1]
        if latest.root is not None and latest.meta is not None:
            doc.root = latest.root
            doc.meta = latest.meta
        result.histories[doc.meta.slug] = history


def _history_record(history: DocumentHistory) -> dict:
    versions = []
    for k, (v, d) in enumerate(zip(history.versions, history.documents, strict=True), start=1):
        versions.append(
            {
                "version": v.label,
                "number": k,
                "date": v.date,
                "commit": v.commit,
                "tags": list(v.tags),
                "message": v.message,
                "expression_uri": d.meta.expression_uri if d.meta else None,
                "akn": f"build/history/{history.slug}/v{k}.xml",
            }
        )
    diffs = []
    for k, d in enumerate(history.diffs):
        for change in d.changes:
            change.wid = (
                history.wids[k + 1].get(change.new.eid, "")
                if change.new
                else history.wids[k].get(change.old.eid, "")
            )
        record = {"from": history.versions[k].label, "to": history.versions[k + 1].label, **d.to_json()}
        if k < len(history.amended_by) and history.amended_by[k]:
            record["amended_by"] = history.amended_by[k]
        diffs.append(record)
    return {
        "slug": history.slug,
        "versions": versions,
        "wid_to_eid": history.wid_map(),
        "wids": history.wids,
        "diffs": diffs,
    }


def _write_staging(project: Project, result: BuildResult, staging: Path) -> dict:
    for slug, history in sorted(result.histories.items()):
        folder = safe_output_path(staging, "history", slug)
        folder.mkdir(parents=True, exist_ok=True)
        for k, doc in enumerate(history.documents, start=1):
            (folder / f"v{k}.xml").write_bytes(doc.xml_bytes())
        (folder / "history.json").write_text(
            json.dumps(_history_record(history), ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
    documents = []
    for doc in sorted(result.documents, key=lambda d: d.meta.slug if d.meta else ""):
        assert doc.meta is not None and doc.tree is not None
        m = doc.meta
        target = safe_output_path(staging, "akn", f"{m.slug}.xml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(doc.xml_bytes())
        documents.append(
            {
                "slug": m.slug,
                "type": m.doc_type,
                "name": m.name,
                "title": m.title,
                "source": doc.path,
                "work_uri": m.work_uri,
                "expression_uri": m.expression_uri,
                "akn": f"build/akn/{m.slug}.xml",
                "history": f"build/history/{m.slug}/history.json" if m.slug in result.histories else None,
                "counts": {
                    k: doc.tree.count(k)
                    for k in ("book", "part", "chapter", "section", "article", "subsection", "point")
                },
            }
        )
    bulletins = []
    for bulletin, xml in sorted(result.bulletins, key=lambda b: b[0].slug):
        target = safe_output_path(staging, "akn", "bulletins", f"{bulletin.slug}.xml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(xml)
        bulletins.append(
            {
                "slug": bulletin.slug,
                "type": "documentCollection",
                "title": bulletin.data["title"],
                "issue": bulletin.data.get("issue"),
                "issue_total": bulletin.data.get("issue_total"),
                "date": bulletin.date,
                "source": bulletin.path,
                "work_uri": bulletin.work_uri,
                "expression_uri": bulletin.expression_uri,
                "akn": f"build/akn/bulletins/{bulletin.slug}.xml",
                "documents": [str(e["slug"]) for _r, e in bulletin.entries()],
            }
        )
    reports = _write_reports(result, staging)
    manifest = {
        "generator": "fadian",
        "documents": documents,
        "bulletins": bulletins,
        "reports": reports,
        "registry": [{"title": w.title, "uri": w.uri} for w in result.registry],
    }
    (staging / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    return manifest


def citation_records(result: BuildResult) -> list[dict]:
    """Every citation of the project, one record each, in a stable order."""

    def record(document: str, c: Citation, path: str) -> dict:
        return {
            "document": document,
            "source_eid": c.source_eid,
            "text": c.text,
            "targets": c.hrefs,
            "status": c.status,
            "kind": c.kind,
            "line": c.line,
            "col": c.col,
            "path": path,
        }

    records = [
        record(doc.meta.slug, c, doc.path)
        for doc in sorted(result.documents, key=lambda d: d.path)
        if doc.refs is not None and doc.meta is not None
        for c in doc.refs.citations
    ]
    for slug, citations in sorted(result.bulletin_citations.items()):
        records += [record(slug, c, f"bulletin:{slug}") for c in citations]
    return records


def citation_summary(records: list[dict]) -> dict[str, int]:
    """found / resolved (internal and corpus) / external-known / unresolved (and unknown titles)."""
    status = [r["status"] for r in records]
    return {
        "found": len(status),
        "resolved": status.count("internal") + status.count("corpus"),
        "external_known": status.count("external"),
        "unresolved": status.count("unresolved") + status.count("unknown"),
    }


def backlinks(records: list[dict], uri_to_slug: dict[str, str]) -> dict[str, dict[str, list[dict]]]:
    """For every cited document and eId, the places that cite it ("cited by")."""
    out: dict[str, dict[str, list[dict]]] = {}
    for r in records:
        for href in r["targets"]:
            if href.startswith("#"):
                slug, eid = r["document"], href[1:]
            else:
                uri, _, eid = href.partition("/~")
                slug = uri_to_slug.get(uri)
                if slug is None:
                    continue
            out.setdefault(slug, {}).setdefault(eid or "", []).append(
                {"document": r["document"], "source_eid": r["source_eid"], "text": r["text"]}
            )
    return {slug: dict(sorted(eids.items())) for slug, eids in sorted(out.items())}


def _write_reports(result: BuildResult, staging: Path) -> dict[str, str]:
    records = citation_records(result)
    uri_to_slug = {d.meta.work_uri: d.meta.slug for d in result.documents if d.meta}
    folder = safe_output_path(staging, "reports")
    folder.mkdir(parents=True, exist_ok=True)
    refs = {"summary": citation_summary(records), "citations": records}
    (folder / "refs.json").write_text(json.dumps(refs, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (folder / "backlinks.json").write_text(
        json.dumps(backlinks(records, uri_to_slug), ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    return {"refs": "build/reports/refs.json", "backlinks": "build/reports/backlinks.json"}
