"""The whole project: sources/ → build/akn/*.xml + build/manifest.json.

I/O lives here and in the CLI. A build writes into a staging folder inside
build/ and only swaps it in when every document compiled without error, so
a failing build leaves the previous good build/ as it was.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fadian.diagnostics import Diagnostic, diag, has_errors
from fadian.executor import scheduler_problem
from fadian.manifest import Manifest
from fadian.project.fingerprint import (
    DIAGNOSTICS_FILE,
    FINGERPRINT_FILE,
    build_fingerprint,
    diagnostics_from_json,
    diagnostics_json,
    keep_source_digests,
    read_source_digests,
    source_digests,
)
from fadian.project.model import BuildResult, ProjectLayout, Withheld
from fadian.project.publish import (
    build_lock,
    carry_site,
    checkpoint,
    clean_leftovers,
    current_generation,
    keep_spare,
    new_generation,
    publish,
    removing_trash,
    start_spare,
)
from fadian.project.tools import pagefind_tool

if TYPE_CHECKING:  # types only: a build that changes nothing loads no site stage
    from fadian.project.publish import LinkedCopy

# The stages (check, outputs, editions, site, search) are imported where a build runs them, not
# here: a build that finds nothing changed answers from the fingerprint alone, and importing the
# compiler, lxml, pydantic and mkdocs took 0.8 s of a 0.9 s no-op build.


@dataclass(frozen=True)
class Project(ProjectLayout):
    """A project (its layout: sources/, build/, site/) and what can be done with it."""

    def check(self, paths: Iterable[Path] | None = None) -> BuildResult:
        """Compile every source (reporting on ``paths`` only, when given); writes nothing."""
        from fadian.project.check import check_project

        return check_project(self, paths)

    def build(
        self,
        *,
        site: bool = True,
        editions: bool = True,
        as_of: str | None = None,
        keep_going: bool = False,
        search: bool = True,
    ) -> BuildResult:
        """Check, then write and publish build/ and site/ (only when there is no error, or —
        ``keep_going`` — with the documents that have errors withheld)."""
        return build_project(
            self, site=site, editions=editions, as_of=as_of, keep_going=keep_going, search=search
        )


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
    if "withheld" in manifest.reports:  # a --keep-going build: the same texts are still withheld
        for w in json.loads(Manifest.path(current, manifest.reports["withheld"]).read_text("utf-8")):
            own = [d for d in diagnostics if d.location.path == w["source"]]
            result.withheld.append(Withheld(w["source"], w["slug"], own, w["previous_version_kept"]))
        result.diagnostics = [d for d in diagnostics if not any(d in w.diagnostics for w in result.withheld)]
    result.written = [e.akn for e in manifest.documents] + [e.akn for e in manifest.bulletins]
    return result


def foreign_site(root: Path) -> Diagnostic | None:
    """site/ as something fadian did not make (a folder or a file, not its link into build/):
    never deleted nor written into; the editor moves it away."""
    site = root / "site"
    if site.is_symlink() or not os.path.lexists(site):
        return None
    kind = "folder" if site.is_dir() else "file"
    return diag(
        "F608",
        f"site is a {kind} fadian did not make; it is left as it is and nothing is built",
        "site",
    )


def withhold(result: BuildResult) -> None:
    """Take every document with an error (its own, or one reported at its path) out of what is
    published, into ``result.withheld`` with its diagnostics."""
    paths = {doc.path for doc in result.documents}
    failing = {doc.path for doc in result.documents if has_errors(doc.diagnostics)}
    failing |= {d.location.path for d in result.diagnostics if d.is_error and d.location.path in paths}
    if not failing:
        return
    kept = []
    for doc in result.documents:
        if doc.path not in failing:
            kept.append(doc)
            continue
        own = [d for d in result.diagnostics if d.location.path == doc.path]
        slug = doc.meta.slug if doc.meta is not None else ""
        result.withheld.append(Withheld(doc.path, slug, [*doc.diagnostics, *own]))
        result.histories.pop(slug, None)
    result.documents = kept
    result.diagnostics = [d for d in result.diagnostics if d.location.path not in failing]


def build_project(
    project: Project,
    progress: Callable[[str], None] | None = None,
    site: bool = True,
    editions: bool = True,
    scheduler: str | None = None,
    as_of: str | None = None,
    keep_going: bool = False,
    search: bool = True,
) -> BuildResult:
    """Check everything; when there is no error, replace build/ (AKN, reports, manifest, site
    sources) and, with ``site``, site/. Everything is made in a staging folder first, so any
    failure leaves the previous build/ and site/ as they were. When nothing that a build reads
    has changed since the published one (project/fingerprint), nothing is done again. Statuses
    are stated as of ``as_of`` (else the newest commit, else the newest date the texts print).
    With ``keep_going``, a document with errors is withheld (its previously published version
    stays) and listed in build/reports/withheld.json and on the site's page for editors; only an
    error that belongs to no document stops the build. A site is indexed for search (Pagefind)
    unless ``search`` is False; without Pagefind that is an error before anything is done. A
    build/ or site/ that cannot be written is the user's problem (F605), not fadian's."""
    try:
        return _build_project(project, progress, site, editions, scheduler, as_of, keep_going, search)
    except OSError as exc:
        where = project.rel(Path(exc.filename)) if exc.filename else "build"
        reason = exc.strerror or str(exc)
        return BuildResult(diagnostics=[diag("F605", f"cannot write the build: {reason}", where)])


def _build_project(
    project: Project,
    progress: Callable[[str], None] | None,
    site: bool,
    editions: bool,
    scheduler: str | None,
    as_of: str | None,
    keep_going: bool,
    search: bool,
) -> BuildResult:
    if site and (problem := foreign_site(project.root)):
        return BuildResult(diagnostics=[problem])
    if scheduler and (problem := scheduler_problem(scheduler)):
        return BuildResult(diagnostics=[diag("F907", problem, "build")])
    if site and search and pagefind_tool() is None:
        return BuildResult(diagnostics=[diag("F905", "Pagefind is not installed", "build")])
    options = {
        "site": site,
        "editions": editions,
        **({"as_of": as_of} if as_of else {}),
        **({"keep_going": True} if keep_going else {}),
        **({"search": False} if not search else {}),
    }
    digests = source_digests(project.root, read_source_digests(project.build_dir))
    fingerprint = build_fingerprint(project.root, options, digests)
    keep_source_digests(project.build_dir, digests)
    checkpoint("fingerprint")
    if (project.build_dir / ".current").exists():
        with build_lock(project.build_dir):
            unchanged = _unchanged_build(project, fingerprint)
            if unchanged is not None:
                clean_leftovers(project.root, project.build_dir)  # what a killed build left
                return unchanged
            # the previous generation, whole until now, goes to the trash: its site, AKN and
            # history folders are brought up to date for this build's (the second edit after a
            # full build linked 22,000 files anew: a second of the other core's time)
            clean_leftovers(project.root, project.build_dir, keep=1)
    from fadian.pipeline import heap_frozen
    from fadian.project.outputs import start_outputs_copy
    from fadian.project.publish import discard_copy
    from fadian.project.site_stage import start_site_copy

    # the published site is linked into build/ on the other core while this one compiles: an
    # edit's build takes it for its new site (cp -al of ~20,000 files took a second)
    copy = start_site_copy(project.build_dir, current_generation(project.build_dir)) if site else None
    outputs = start_outputs_copy(project.build_dir)
    try:
        with heap_frozen():
            return _build(
                project,
                progress,
                site,
                editions,
                scheduler,
                as_of,
                keep_going,
                search,
                fingerprint,
                copy,
                outputs,
                digests,
            )
    finally:
        discard_copy(copy)
        discard_copy(outputs)


def _build(
    project: Project,
    progress: Callable[[str], None] | None,
    site: bool,
    editions: bool,
    scheduler: str | None,
    as_of: str | None,
    keep_going: bool,
    search: bool,
    fingerprint: str,
    copy: LinkedCopy | None,
    outputs: LinkedCopy | None,
    sources: dict[str, list],
) -> BuildResult:
    """build_project's work once the build is known not to be a no-op."""
    from fadian.pipeline import freeze_heap
    from fadian.project.check import check_project
    from fadian.project.doc_cache import CACHE_DIR as DOC_CACHE
    from fadian.project.doc_cache import DocumentCache
    from fadian.project.editions_stage import make_editions
    from fadian.project.outputs import (
        RECYCLED,
        STAGED,
        OutsideBuild,
        plan_staging,
        reuse_outputs,
        write_plan,
    )
    from fadian.project.pages_stage import learn_shells, write_document_pages
    from fadian.project.search_stage import (
        CACHE_DIR,
        cancel_search_index,
        finish_search_index,
        start_search_index,
    )
    from fadian.project.site_stage import (
        TEMPLATE_CACHE,
        SiteBuildError,
        build_site,
        link_previous_site,
        read_site_state,
        remove_stale,
        site_epoch,
        site_key,
    )
    from fadian.render.html import templates_cached_in

    cache = DocumentCache(project.build_dir / DOC_CACHE)
    result = check_project(
        project, progress=progress, history=True, cache=cache, as_of=as_of, sources=sources
    )
    if not result.ok and keep_going:
        withhold(result)
    if not result.ok or (result.withheld and not result.documents and not result.bulletins):
        return result
    build = project.build_dir
    freeze_heap()  # (the documents checked: what staging and the site read)
    with (
        build_lock(build),
        templates_cached_in(build / TEMPLATE_CACHE / "pages"),  # (apart from the theme's)
        contextlib.ExitStack() as deleting,
    ):
        clean_leftovers(project.root, build)
        checkpoint("cleaned-before")
        gen = new_generation(build)
        recycled = reuse_outputs(build, gen, outputs)  # an old generation's, before the trash goes
        deleting.enter_context(removing_trash(build))
        published, spare = False, None
        try:
            plan = plan_staging(result, current_generation(build))
            manifest, staged = plan.manifest, plan.digests  # (each file's digest: not read again)
            # the search index is made while the generation is written, and the editions and
            # the pages are made
            index = start_search_index(plan, build / CACHE_DIR) if site and search else []
            try:
                reports = write_plan(plan, result, gen, current_generation(build), recycled)
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
                    key, epoch = site_key(project), site_epoch(manifest)
                    sources = site_sources(
                        gen, scheduler, state, key, render_documents=False, digests=staged, reports=reports
                    )
                    checkpoint("site-sources")
                    if sources.unchanged and previous is not None:
                        link_previous_site(previous, gen / "site", copy)
                        checkpoint("previous-site-linked")
                    shells = learn_shells(project, sources, key, build, epoch)
                    write_document_pages(sources, gen / "site", shells, scheduler)
                    remove_stale(gen / "site", sources.stale)
                    (gen / SITE_STATE).write_text(json.dumps(sources.state, ensure_ascii=False), "utf-8")
                    checkpoint("pages")
                    if sources.pages:  # else the site's own pages are the previous build's
                        build_site(project, sources, gen / "site", epoch, dirty=True)
                    checkpoint("site-pages")
                else:
                    carry_site(build, gen)
                # written while Pagefind indexes (a search that then fails publishes nothing,
                # and the cache's entries and state hold only what was compiled from sources)
                withheld = [d for w in result.withheld for d in w.diagnostics]
                diagnostics = diagnostics_json(withheld + result.all_diagnostics)
                (gen / DIAGNOSTICS_FILE).write_text(diagnostics, "utf-8")
                (gen / FINGERPRINT_FILE).write_text(fingerprint, "utf-8")
                cache.prune()
                cache.save_state()
                if site:
                    result.diagnostics += finish_search_index(index, gen / "site")
                    if not result.ok:  # the search could not be indexed: nothing is published
                        return result
            finally:
                cancel_search_index(index)
            checkpoint("site")
            publish(project.root, build, gen, with_site=site)
            published = True
            # (the first build of a project: a copy of what it published, for the next one)
            spare = start_spare(build, gen, (*RECYCLED, "site")) if site else None
        except OutsideBuild as exc:
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
        keep_spare(spare, (STAGED, ".published"))
        checkpoint("cleaned-after")
    result.written = [entry.akn for entry in manifest.documents] + [entry.akn for entry in manifest.bulletins]
    return result
