"""The whole project: sources/ → build/akn/*.xml + build/manifest.json.

I/O lives here and in the CLI. A build writes into a staging folder inside
build/ and only swaps it in when every document compiled without error, so
a failing build leaves the previous good build/ as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fadian.akn.collection import Bulletin, build_collection, check_stated_counts, load_bulletin
from fadian.akn.validate import validate_akn
from fadian.akn.write import serialize
from fadian.diagnostics import Diagnostic, diag, has_errors
from fadian.history.versions import DocumentHistory
from fadian.pipeline import CompiledDocument, corpus_work, finish_document, prepare_source
from fadian.project.editions_stage import make_editions
from fadian.project.executor import scheduler_problem
from fadian.project.fingerprint import (
    DIAGNOSTICS_FILE,
    FINGERPRINT_FILE,
    build_fingerprint,
    diagnostics_from_json,
    diagnostics_json,
)
from fadian.project.histories import add_histories
from fadian.project.manifest import Manifest
from fadian.project.outputs import _write_staging
from fadian.project.publish import (
    build_lock,
    carry_site,
    checkpoint,
    clean_leftovers,
    current_generation,
    new_generation,
    publish,
)
from fadian.project.search_stage import (
    CACHE_DIR,
    cancel_search_index,
    finish_search_index,
    start_search_index,
)
from fadian.project.site_stage import (
    SiteBuildError,
    _build_site,
    _site_epoch,
    link_previous_site,
    read_site_state,
    site_key,
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
    up_to_date: bool = False  # nothing had changed: the published build was kept as it was

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        out = [d for doc in self.documents for d in doc.diagnostics]
        return out + self.diagnostics

    @property
    def ok(self) -> bool:
        return not has_errors(self.all_diagnostics)


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
    checkpoint("parsed")
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
    checkpoint("compiled")
    if history:
        add_histories(project, result)
        checkpoint("histories")
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


def _unchanged_build(project: Project, fingerprint: str) -> BuildResult | None:
    """The published build, when it was made from exactly these inputs and is intact."""
    current = project.build_dir / ".current"
    try:
        if (current / FINGERPRINT_FILE).read_text("utf-8") != fingerprint:
            return None
        diagnostics = diagnostics_from_json((current / DIAGNOSTICS_FILE).read_text("utf-8"))
        manifest = Manifest.read(current)
    except (OSError, ValueError, KeyError):
        return None
    site_link = project.root / "site"
    if not (site_link.is_symlink() and site_link.resolve() == (current / "site").resolve()):
        return None
    result = BuildResult(diagnostics=diagnostics, up_to_date=True)
    result.written = [e.akn for e in manifest.documents] + [e.akn for e in manifest.bulletins]
    return result


def build_project(
    project: Project,
    progress: Callable[[str], None] | None = None,
    site: bool = True,
    editions: bool = True,
    scheduler: str | None = None,
) -> BuildResult:
    """Check everything; when there is no error, replace build/ (AKN, reports, manifest, site
    sources) and, with ``site``, site/. Everything is made in a staging folder first, so any
    failure leaves the previous build/ and site/ as they were. When nothing that a build reads
    has changed since the published one (project/fingerprint), nothing is done again."""
    if scheduler and (problem := scheduler_problem(scheduler)):
        return BuildResult(diagnostics=[diag("F907", problem, "build")])
    options = {"site": site, "editions": editions}
    fingerprint = build_fingerprint(project.root, options)
    checkpoint("fingerprint")
    if (project.build_dir / ".current").exists():
        with build_lock(project.build_dir):
            unchanged = _unchanged_build(project, fingerprint)
            if unchanged is not None:
                clean_leftovers(project.root, project.build_dir)  # what a killed build left
                return unchanged
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
            from fadian.render.site_sources import SITE_STATE, site_sources

            if editions:
                result.diagnostics += make_editions(project, gen, manifest)
                if not result.ok:
                    return result
            manifest.write(gen)  # once, with the editions
            checkpoint("editions")
            if site:
                previous = current_generation(build)
                state = read_site_state(previous)
                sources = site_sources(gen, scheduler, state, site_key(project))
                if sources.unchanged and previous is not None:
                    link_previous_site(previous, gen / "site", sources.stale)
                (gen / SITE_STATE).write_text(json.dumps(sources.state, ensure_ascii=False), "utf-8")
                checkpoint("pages")
                search = start_search_index(gen, manifest, build / CACHE_DIR)  # while mkdocs runs
                try:
                    _build_site(project, sources, gen / "site", _site_epoch(manifest))
                    checkpoint("site-pages")
                    result.diagnostics += finish_search_index(search, gen / "site")
                finally:
                    cancel_search_index(search)
            else:
                carry_site(build, gen)
            checkpoint("site")
            (gen / DIAGNOSTICS_FILE).write_text(diagnostics_json(result.all_diagnostics), "utf-8")
            (gen / FINGERPRINT_FILE).write_text(fingerprint, "utf-8")
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
    result.written = [entry.akn for entry in manifest.documents] + [entry.akn for entry in manifest.bulletins]
    return result
