"""The pages stage of a build: every document's pages written into site/ by fadian, on every core.

A document's page is its body (rendered from its AKN: render/site_sources) in the theme's shell
(render/shell). The shell is learnt once from probe pages mkdocs renders, and trusted only when
real pages filled through it are byte for byte what mkdocs makes of them; it is kept in
build/ under a key of everything it depends on (fadian's code, the site's settings and
navigation, the theme's and ProperDocs' versions). Handing the pages to mkdocs instead costs
milliseconds a page and holds every page in memory until it writes them; a page the shell cannot take
(a theme that prints a page's values in another form, a kind of page not verified) still goes
through mkdocs, with the site's other pages.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import replace
from functools import partial
from importlib import metadata
from pathlib import Path

from fadian.executor import build_executor, run_chunks
from fadian.project.model import ProjectLayout
from fadian.project.outputs import safe_output_path
from fadian.project.publish import same_bytes, timing_mark
from fadian.project.site_stage import build_site
from fadian.render.shell import (
    PROBE_NAME,
    PageShell,
    output_path,
    page_fields,
    page_url,
    probe_page,
    shell_from_probe,
)
from fadian.render.site import SiteContext
from fadian.render.site_model import PageTask, nav_pages
from fadian.render.site_sources import SiteSources, render_pages

SHELL_CACHE = ".page-shells.json"  # in build/
DEPTHS = (2, 3)  # documents/x.md, history/x.md; history/x/v2.md
SCAN_DOCUMENTS = 12  # documents rendered to find real pages of every kind to check the shell on

STAND_IN = "# 页面\n"  # a page of the navigation in a run that does not make it again

Variant = tuple[int, bool]  # a page's folder depth, and whether it has a contents list


def variant(uri: str, toc: list) -> Variant:
    """A page's kind for its shell: how many folders deep its URL is (documents/x/: 2; an
    index page, documents/index.md → documents/: 1), and whether it has a contents list."""
    return page_url(uri).count("/"), bool(toc)


def _probe_uri(depth: int, with_toc: bool, name: str = "") -> str:
    """A page of the probes' folder at ``depth``: a probe, or (``name`` "check-") a real page
    placed there."""
    return f"{PROBE_NAME}/" + "x/" * (depth - 2) + name + ("toc.md" if with_toc else "plain.md")


def shell_key(site_key: str, nav: list) -> str:
    """Everything a page's shell depends on besides the page: the site key (fadian's code and
    the site's settings), the navigation, and the theme and site generator installed."""
    versions = []
    for dist in ("mkdocs-material", "properdocs"):
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=-")
    text = json.dumps([site_key, nav, versions], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def learn_shells(
    project: ProjectLayout, sources: SiteSources, site_key: str, build_dir: Path, epoch: str
) -> dict[Variant, PageShell]:
    """The page shells by kind of page, verified on real pages: from build/ when made for the
    same key and this build has no kind of page they were not checked on, else from a run of
    mkdocs on probe pages and a few real pages (empty when the theme's pages cannot be filled:
    every page then goes through mkdocs). A kind of page the build has none of (a project
    imported with one version of each text has no version pages) is checked on a real page of
    another depth placed at its depth (_relocated_checks), so its first edit runs no mkdocs."""
    key = shell_key(site_key, sources.nav)
    cache = build_dir / SHELL_CACHE
    kept, seen = _kept_shells(cache, key)
    if sources.ctx is None or not sources.deferred or len(seen) == 2 * len(DEPTHS):
        return kept
    checks = _check_pages(sources.deferred, sources.ctx)
    found = {variant(uri, fields.toc) for uri, page in checks.items() if (fields := page_fields(page))}
    if seen and found <= seen:  # every kind of page here was checked when they were learnt
        return kept
    checks.update(_relocated_checks(checks))
    probes = {(d, t): _probe_uri(d, t) for d in DEPTHS for t in (True, False)}
    # the pages the navigation leads to are there (a missing one would be printed as a bare
    # link, on the check pages too); one this build does not make again stands in as a title
    # only: the navigation shows the titles it gives, not the pages' own
    linked = {uri: sources.pages.get(uri, STAND_IN) for uri in nav_pages(sources.nav)}
    probe_pages = {uri: probe_page(t) for (_d, t), uri in probes.items()}
    run = SiteSources(pages={**linked, **checks, **probe_pages}, nav=sources.nav)
    with tempfile.TemporaryDirectory(prefix="fadian-shell-") as tmp:
        build_site(project, run, Path(tmp) / "site", epoch)
        made = lambda uri: (Path(tmp) / "site" / output_path(uri)).read_text("utf-8")  # noqa: E731
        shells = {v: s for v, uri in probes.items() if (s := shell_from_probe(made(uri), uri, v[1]))}
        # a kind checked before, which the probe still gives the same shell of (same key: same
        # theme and settings), stays verified
        verified: set[Variant] = {v for v, s in kept.items() if v in shells and shells[v].parts == s.parts}
        for uri, markdown in checks.items():
            fields = page_fields(markdown)
            kind = variant(uri, fields.toc) if fields is not None else None
            relocated = uri.startswith(f"{PROBE_NAME}/")  # (seen only once verified)
            if kind is not None and not relocated:
                seen.add(kind)
            shell = shells.get(kind) if kind is not None else None
            if fields is None or shell is None:  # no shell of this kind: mkdocs makes these pages
                continue
            if shell.fill(uri, fields) != made(uri):
                if relocated:  # learnt from a real page of its kind, in the first build with one
                    continue
                shells = {}  # the theme prints something fadian does not fill: mkdocs makes all
                break
            verified.add(kind)  # type: ignore[arg-type]
            seen.add(kind)  # type: ignore[arg-type]
    shells = {v: s for v, s in shells.items() if v in verified}
    record = {
        "key": key,
        "shells": [{"depth": d, "toc": t, "parts": list(s.parts)} for (d, t), s in sorted(shells.items())],
        "seen": sorted([d, t] for d, t in seen),
    }
    cache.write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    return shells


def _kept_shells(cache: Path, key: str) -> tuple[dict[Variant, PageShell], set[Variant]]:
    """The shells build/ keeps for ``key`` and the kinds of page they were checked on (none:
    nothing kept for it)."""
    try:
        kept = json.loads(cache.read_text("utf-8"))
        if kept["key"] != key:
            return {}, set()
        shells = {(s["depth"], s["toc"]): PageShell(tuple(s["parts"]), s["toc"]) for s in kept["shells"]}
        return shells, {(d, t) for d, t in kept.get("seen", list(shells))} | set(shells)
    except (OSError, ValueError, KeyError, TypeError):
        return {}, set()


def _relocated_checks(checks: dict[str, str]) -> dict[str, str]:
    """For each kind of page no real page here is of (a project imported with one version of
    each text has no version pages, history/x/v2.md), a real page of another depth with the
    same kind of contents list, placed at that depth in the probes' folder: mkdocs makes it
    there, and the shell is trusted for that kind only when filling it gives the same bytes
    (its HTML is mkdocs' as it is, wherever it sits). Else the first build that has such a page
    ran mkdocs once more to learn it (the first edit after an import: a third of a second)."""
    found = {variant(uri, f.toc): uri for uri, page in checks.items() if (f := page_fields(page))}
    out = {}
    for depth in DEPTHS:
        for toc in (True, False):
            donor = next((found[(d, toc)] for d in DEPTHS if (d, toc) in found), None)
            if (depth, toc) not in found and donor is not None:
                out[_probe_uri(depth, toc, "check-")] = checks[donor]
    return out


def _check_pages(tasks: list[PageTask], ctx: SiteContext) -> dict[str, str]:
    """Real pages to check the shells on: a page of each kind found among the first documents
    (those with several versions first: their history pages are the deeper kind)."""
    found: dict[Variant, tuple[str, str]] = {}
    ordered = sorted(tasks, key=lambda t: not (t.record and len(t.record["versions"]) > 1))
    for task in ordered[:SCAN_DOCUMENTS]:
        for uri, text in render_pages([task], ctx):
            fields = page_fields(text) if uri.endswith(".md") else None
            if fields is not None:
                found.setdefault(variant(uri, fields.toc), (uri, text))
        if len(found) == 2 * len(DEPTHS):
            break
    return dict(found.values())


def write_document_pages(
    sources: SiteSources, site_dir: Path, shells: dict[Variant, PageShell], scheduler: str | None
) -> None:
    """Every deferred document's pages into ``site_dir`` (the ones its shell cannot take into
    ``sources.pages``, for mkdocs), and the downloads linked there; ``sources`` learns what is
    placed and finishes its state. Local workers write the files themselves; a Dask cluster's
    send them back."""
    tasks, ctx = sources.deferred, sources.ctx
    assert ctx is not None
    timing_mark(f"pages-of {len(tasks)} documents rendered")
    local = scheduler is None
    slugs = {t.doc.page: t.doc.slug for t in tasks}
    pages: list[str] = []
    if not local:  # a worker on another machine reads no build/: each AKN goes with its task
        tasks = [replace(t, doc=replace(t.doc, akn_xml=t.doc.akn_path.read_bytes())) for t in tasks]
    with build_executor(len(tasks), scheduler) as executor:
        parts = 4 * (os.cpu_count() or 1)
        fn = partial(fill_pages, ctx=ctx, shells=shells, site_dir=str(site_dir) if local else None)
        for uri, text, through_mkdocs in run_chunks(executor, fn, tasks, parts):
            if through_mkdocs:
                sources.pages[uri] = text
            else:
                if text is not None:  # made on another machine
                    _write(site_dir, uri, _utf8(text))
                sources.placed.add(uri)
            if uri in slugs:  # a document's own page comes first, then its other pages
                pages = sources.pages_of[slugs[uri]] = []
            pages.append(uri)
    sources.deferred = []
    for uri, path in sources.files.items():
        if uri not in sources.unchanged:  # (a kept document's AKN is in the site already)
            link_into_site(path, safe_output_path(site_dir, uri))
        sources.placed.add(uri)
    for uri, data in sources.blobs.items():  # the stylesheet, script, feed, catalogues
        _write(site_dir, uri, data)
        sources.placed.add(uri)
    sources.placed |= sources.unchanged
    sources.finish()


def fill_pages(
    tasks: list[PageTask], ctx: SiteContext, shells: dict[Variant, PageShell], site_dir: str | None
) -> list[tuple[str, str | None, bool]]:
    """Some documents' pages, each filled into its shell: (path, text, through mkdocs). With
    ``site_dir`` the filled pages are written there and come back without their text; a page
    no shell takes comes back as its Markdown, for mkdocs."""
    out: list[tuple[str, str | None, bool]] = []
    for uri, text in render_pages(tasks, ctx):
        if uri.endswith(".md"):
            filled = _filled(uri, text, shells)
            if filled is None:
                out.append((uri, text, True))
                continue
            text = filled
        if site_dir is None:
            out.append((uri, text, False))
        else:
            _write(Path(site_dir), uri, _utf8(text))
            out.append((uri, None, False))
    return out


def _filled(uri: str, markdown: str, shells: dict[Variant, PageShell]) -> str | None:
    """A generated page in its shell (None: no shell of its kind, or not such a page)."""
    fields = page_fields(markdown)
    if fields is None:
        return None
    shell = shells.get(variant(uri, fields.toc))
    return shell.fill(uri, fields) if shell is not None else None


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "xmlcharrefreplace")  # as mkdocs writes a page


def _write(site_dir: Path, uri: str, data: bytes) -> None:
    """One page or file of the site; a file there (a link into the previous site) is replaced,
    never written through — unless it holds these bytes already: then it stays, so a build
    rewrites only the files whose bytes change (a deploy that copies by inode or time copies
    only those)."""
    path = safe_output_path(site_dir, output_path(uri))
    if same_bytes(path, data):
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def link_into_site(source: Path, target: Path) -> None:
    """A download in the site: a hard link to the build's file (it is never written again),
    unless the previous site's link is that file already; a copy across file systems."""
    try:
        if target.exists() and os.path.samefile(source, target):
            return
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
