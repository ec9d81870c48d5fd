"""A project and its build: what stops a build before it starts, the no-op build (nothing
changed since the published generation: answered from the inputs' fingerprint alone), and the
entry to a build with work to do, whose stages are project/stages.

Every build writes a new generation and publishes it in one atomic step (project/publish) only
when nothing is wrong, so a failing build leaves the published build/ and site/ as they were.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from fadian.diagnostics import Diagnostic, diag
from fadian.executor import scheduler_problem
from fadian.manifest import Manifest
from fadian.project.fingerprint import (
    DIAGNOSTICS_FILE,
    FINGERPRINT_FILE,
    build_fingerprint,
    diagnostics_from_json,
    keep_source_digests,
    read_source_digests,
    source_digests,
)
from fadian.project.model import BuildOptions, BuildResult, ProjectLayout, Withheld
from fadian.project.publish import (
    build_lock,
    checkpoint,
    clean_leftovers,
    current_generation,
)
from fadian.project.tools import pagefind_tool

# The stages (project/stages: check, outputs, editions, site, search) are imported where a build
# runs them, not here: a build that finds nothing changed answers from the fingerprint alone, and
# importing the compiler, lxml, pydantic and mkdocs would be most of a no-op build's time.


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
    asked = BuildOptions(site, editions, scheduler, as_of, keep_going, search)
    try:
        return _build_project(project, asked, progress)
    except OSError as exc:
        where = project.rel(Path(exc.filename)) if exc.filename else "build"
        reason = exc.strerror or str(exc)
        return BuildResult(diagnostics=[diag("F605", f"cannot write the build: {reason}", where)])


def _build_project(
    project: Project, asked: BuildOptions, progress: Callable[[str], None] | None
) -> BuildResult:
    if problem := _cannot_start(project, asked):
        return BuildResult(diagnostics=[problem])
    digests = source_digests(project.root, read_source_digests(project.build_dir))
    fingerprint = build_fingerprint(project.root, asked.fingerprinted(), digests)
    keep_source_digests(project.build_dir, digests)
    checkpoint("fingerprint")
    if (project.build_dir / ".current").exists():
        with build_lock(project.build_dir):
            unchanged = _unchanged_build(project, fingerprint)
            if unchanged is not None:
                clean_leftovers(project.root, project.build_dir)  # what a killed build left
                return unchanged
            # the previous generation, whole until now, goes to the trash: its site, AKN and
            # history folders are brought up to date for this build's
            clean_leftovers(project.root, project.build_dir, keep=1)
    return _build_with_work(project, asked, fingerprint, digests, progress)


def _cannot_start(project: Project, asked: BuildOptions) -> Diagnostic | None:
    """What stops a build before it reads anything: a site folder fadian did not make, an
    unreachable Dask scheduler, no Pagefind for the search index."""
    if asked.site and (problem := foreign_site(project.root)):
        return problem
    if asked.scheduler and (problem := scheduler_problem(asked.scheduler)):
        return diag("F907", problem, "build")
    if asked.site and asked.search and pagefind_tool() is None:
        return diag("F905", "Pagefind is not installed", "build")
    return None


def _build_with_work(
    project: Project,
    asked: BuildOptions,
    fingerprint: str,
    digests: dict[str, list],
    progress: Callable[[str], None] | None,
) -> BuildResult:
    """A build that is not a no-op: its stages (project/stages), loaded only now, while the
    published site and AKN are linked on the other core for the new generation to take."""
    from fadian.pipeline import heap_frozen
    from fadian.project.outputs import start_outputs_copy
    from fadian.project.publish import discard_copy
    from fadian.project.site_stage import start_site_copy
    from fadian.project.stages import BuildRun, run_build

    copy = start_site_copy(project.build_dir, current_generation(project.build_dir)) if asked.site else None
    outputs = start_outputs_copy(project.build_dir)
    run = BuildRun(project, asked, fingerprint, digests, copy, outputs, progress)
    try:
        with heap_frozen():
            return run_build(run)
    finally:
        discard_copy(copy)
        discard_copy(outputs)
