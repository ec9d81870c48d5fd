"""A build that has work to do, as a list of stages over one context (`BuildRun`): check the
sources, then — in a new generation, under the build lock — stage the AKN and histories, make
the editions, the site and its search index, record what was built, and publish.

Each stage reads what the stages before it left on the run and adds its own; a stage that finds
an error says so by returning False, and nothing is published: the generation is removed and
the published build stays as it was. This module is imported only by a build that is not a
no-op (project/build answers those from the fingerprint alone, without loading any stage).
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fadian.diagnostics import diag, has_errors
from fadian.manifest import Manifest
from fadian.pipeline import freeze_heap

# the pages and site stages are called through their modules: a test may stand in for one of
# their functions (every page through mkdocs; a count of mkdocs runs)
from fadian.project import pages_stage, site_stage
from fadian.project.check import check_project
from fadian.project.doc_cache import CACHE_DIR as DOC_CACHE
from fadian.project.doc_cache import DocumentCache
from fadian.project.editions_stage import make_editions
from fadian.project.fingerprint import DIAGNOSTICS_FILE, FINGERPRINT_FILE, diagnostics_json
from fadian.project.model import BuildOptions, BuildResult, ProjectLayout, Withheld
from fadian.project.outputs import (
    RECYCLED,
    STAGED,
    OutsideBuild,
    StagingPlan,
    plan_staging,
    reuse_outputs,
    write_plan,
)
from fadian.project.publish import (
    LinkedCopy,
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
from fadian.project.release_stage import (
    ReleaseJob,
    cancel_release,
    finish_release,
    release_paths,
    start_release,
)
from fadian.project.search_stage import (
    CACHE_DIR,
    cancel_search_index,
    finish_search_index,
    start_search_index,
)
from fadian.project.site_stage import TEMPLATE_CACHE, SiteBuildError
from fadian.render.html import templates_cached_in
from fadian.render.site_sources import SITE_STATE, site_sources


@dataclass
class BuildRun:
    """One build as its stages see it: the project and its options, what was known before it
    started (the inputs' fingerprint and digests, the published generation's folders being linked
    on the other core), and what each stage adds."""

    project: ProjectLayout
    options: BuildOptions
    fingerprint: str
    sources: dict[str, list]  # sources/'s digests (project/fingerprint)
    site_copy: LinkedCopy | None = None  # the published site, linked while the texts compile
    outputs_copy: LinkedCopy | None = None  # the published AKN and history folders, likewise
    progress: Callable[[str], None] | None = None
    result: BuildResult = field(default_factory=BuildResult)
    cache: DocumentCache | None = None
    gen: Path | None = None  # the generation being made
    recycled: dict[str, str] = field(default_factory=dict)  # an old generation's staged digests
    plan: StagingPlan | None = None
    reports: dict = field(default_factory=dict)
    search: object = field(default_factory=list)  # the search index being made (search_stage)
    release: ReleaseJob | None = None  # the bulk release being made (release_stage)
    published: bool = False
    spare: LinkedCopy | None = None

    @property
    def build(self) -> Path:
        return self.project.build_dir

    @property
    def manifest(self) -> Manifest:
        assert self.plan is not None
        return self.plan.manifest


def run_build(run: BuildRun) -> BuildResult:
    """Every stage of a build that is not a no-op, in order."""
    if not check(run):
        return run.result
    freeze_heap()  # (the documents checked: what staging and the site read)
    with (
        build_lock(run.build),
        templates_cached_in(run.build / TEMPLATE_CACHE / "pages"),  # (apart from the theme's)
        contextlib.ExitStack() as deleting,
    ):
        clean_leftovers(run.project.root, run.build)
        checkpoint("cleaned-before")
        run.gen = new_generation(run.build)
        # an old generation's AKN and history folders, taken before the trash is deleted
        run.recycled = reuse_outputs(run.build, run.gen, run.outputs_copy)
        deleting.enter_context(removing_trash(run.build))
        if not _in_generation(run):
            return run.result
        clean_leftovers(run.project.root, run.build)
        keep_spare(run.spare, (STAGED, ".published"))
        checkpoint("cleaned-after")
    manifest = run.manifest
    run.result.written = [e.akn for e in manifest.documents] + [e.akn for e in manifest.bulletins]
    return run.result


def _in_generation(run: BuildRun) -> bool:
    """The stages that make and publish the generation; a problem of the machine (a path that
    leaves the build, mkdocs failing, a disk that cannot be written) is a diagnostic, and the
    generation is removed unless it was published."""
    try:
        return all(stage(run) for stage in GENERATION_STAGES)  # (each in turn, until one stops)
    except OutsideBuild as exc:
        run.result.diagnostics.append(diag("F602", str(exc), "build"))
    except SiteBuildError as exc:
        own = (run.project.root / "mkdocs.yml").is_file()
        config = "mkdocs.yml" if own else "fadian/render/mkdocs_site.yml"
        run.result.diagnostics.append(diag("F604", str(exc), config))
    except OSError as exc:
        run.result.diagnostics.append(diag("F605", f"cannot publish the build: {exc}", "build"))
    finally:
        cancel_search_index(run.search)
        cancel_release(run.release)
        if not run.published and run.gen is not None:
            shutil.rmtree(run.gen, ignore_errors=True)
    return False


def check(run: BuildRun) -> bool:
    """Every source compiled (from the build cache where its inputs are unchanged); with
    ``keep_going``, the texts with errors withheld. False: nothing to publish."""
    run.cache = DocumentCache(run.build / DOC_CACHE)
    run.result = check_project(
        run.project,
        progress=run.progress,
        history=True,
        cache=run.cache,
        as_of=run.options.as_of,
        sources=run.sources,
    )
    result = run.result
    if not result.ok and run.options.keep_going:
        withhold(result)
    return result.ok and not (result.withheld and not result.documents and not result.bulletins)


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


def stage_outputs(run: BuildRun) -> bool:
    """The staging plan (every file of the AKN, histories and reports, with its digest), the
    search index started from it, and the generation's AKN, histories and reports written."""
    assert run.gen is not None
    run.plan = plan_staging(run.result, current_generation(run.build))
    if run.options.site and run.options.search:
        run.search = start_search_index(run.plan, run.build / CACHE_DIR)
    run.reports = write_plan(run.plan, run.result, run.gen, current_generation(run.build), run.recycled)
    checkpoint("staged")
    return True


def stage_editions(run: BuildRun) -> bool:
    """Word, PDF and EPUB of every text (unless the editor turned them off); the manifest,
    written once, with them."""
    assert run.gen is not None
    if run.options.editions:
        run.result.diagnostics += make_editions(run.project, run.gen, run.manifest)
        if not run.result.ok:
            return False
    run.manifest.write(run.gen)
    checkpoint("editions")
    return True


def stage_site(run: BuildRun) -> bool:
    """The site: what it is made of, the previous site's unchanged files linked, each text's
    pages filled into the theme's shell, what is no more removed, and the site's own pages
    through mkdocs when one of them changed. Without a site, the published one is carried."""
    assert run.gen is not None and run.plan is not None
    if not run.options.site:
        carry_site(run.build, run.gen)
        return True
    previous = current_generation(run.build)
    key, epoch = site_stage.site_key(run.project), site_stage.site_epoch(run.manifest)
    sources = site_sources(
        run.gen,
        run.options.scheduler,
        site_stage.read_site_state(previous),
        key,
        render_documents=False,
        digests=run.plan.digests,
        reports=run.reports,
        release=True,
    )
    checkpoint("site-sources")
    release_paths(sources)
    if sources.unchanged and previous is not None:
        site_stage.link_previous_site(previous, run.gen / "site", run.site_copy)
        checkpoint("previous-site-linked")
    shells = pages_stage.learn_shells(run.project, sources, key, run.build, epoch)
    pages_stage.write_document_pages(sources, run.gen / "site", shells, run.options.scheduler)
    site_stage.remove_stale(run.gen / "site", sources.stale)
    run.release = start_release(sources, run.gen, previous)  # made while mkdocs and Pagefind work
    (run.gen / SITE_STATE).write_text(json.dumps(sources.state, ensure_ascii=False), "utf-8")
    checkpoint("pages")
    if sources.pages:  # else the site's own pages are the previous build's
        site_stage.build_site(run.project, sources, run.gen / "site", epoch, dirty=True)
    checkpoint("site-pages")
    return True


def stage_record(run: BuildRun) -> bool:
    """What was built, written while Pagefind indexes: the diagnostics and the fingerprint of
    the generation, and the build cache's entries and state (only what was compiled from
    sources: a search that then fails publishes nothing)."""
    assert run.gen is not None and run.cache is not None
    result = run.result
    withheld = [d for w in result.withheld for d in w.diagnostics]
    (run.gen / DIAGNOSTICS_FILE).write_text(diagnostics_json(withheld + result.all_diagnostics), "utf-8")
    (run.gen / FINGERPRINT_FILE).write_text(run.fingerprint, "utf-8")
    run.cache.prune()
    run.cache.save_state()
    return True


def stage_search(run: BuildRun) -> bool:
    """The search index and the bulk release finished into the site; a site whose search could
    not be indexed is not published."""
    assert run.gen is not None
    if run.options.site:
        run.result.diagnostics += finish_search_index(run.search, run.gen / "site")
        finish_release(run.release, run.gen / "site")
        run.release = None
    cancel_search_index(run.search)
    return run.result.ok


def stage_publish(run: BuildRun) -> bool:
    """The generation published in one atomic step; a project's first build leaves a linked
    copy of it for its next build (the spare)."""
    assert run.gen is not None
    checkpoint("site")
    publish(run.project.root, run.build, run.gen, with_site=run.options.site)
    run.published = True
    if run.options.site:
        run.spare = start_spare(run.build, run.gen, (*RECYCLED, "site"))
    return True


# the stages that write and publish the generation, in order (the search index is made beside
# the ones between stage_outputs, which starts it, and stage_search, which finishes it)
GENERATION_STAGES: tuple[Callable[[BuildRun], bool], ...] = (
    stage_outputs,
    stage_editions,
    stage_site,
    stage_record,
    stage_search,
    stage_publish,
)
