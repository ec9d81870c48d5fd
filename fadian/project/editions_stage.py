"""The editions stage of a build: DOCX, PDF and EPUB of every document, bulletin and tagged version,
made in parallel worker processes (which die with the build), cached by content, bounded in size."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fadian.diagnostics import Diagnostic, diag
from fadian.manifest import EDITION_KINDS, Manifest, TaggedEdition
from fadian.names import is_tag_name
from fadian.project.model import ProjectLayout
from fadian.project.outputs import safe_output_path
from fadian.project.publish import (
    checkpoint,
    die_with_parent,
)

# above this an edition is skipped with a warning: 民法典 renders to ~1.5 M characters of HTML,
# and pandoc and typst took 6.5 and 8.9 GB for a 50 MB text
MAX_EDITION_CHARS = int(os.environ.get("FADIAN_MAX_EDITION_CHARS", 8_000_000))


def make_editions(project: ProjectLayout, staging: Path, manifest: Manifest) -> list[Diagnostic]:
    """DOCX, PDF and EPUB for every document and bulletin, in parallel, reusing unchanged ones.

    Adds their paths to ``manifest``; returns diagnostics for editions that failed."""
    from fadian.render.editions import EditionError, corpus_font, font_dir

    try:
        font_dir()
    except EditionError as exc:
        return [diag("F901", str(exc), "build/editions")]
    cache = project.build_dir / ".edition-cache"
    cache.mkdir(parents=True, exist_ok=True)
    rendered = [(entry, *render()) for entry, render in _edition_sources(staging, manifest)]
    rendered, diags = _within_size(rendered)
    import html as html_module

    all_text = "".join(html_module.unescape(body) + meta["title"] for _e, body, meta in rendered)
    font = corpus_font(all_text, cache)
    jobs, entries = _edition_jobs(rendered, staging, cache, font)
    for (entry, kind, rel), (_target, error) in zip(entries, _run_jobs(jobs), strict=True):
        if error:
            diags.append(diag("F901", f"{kind.upper()} of {entry.slug}: {error}", rel))
        else:
            setattr(entry, kind, rel)
    _prune_cache(cache, {Path(j.cache).name for j in jobs} | {font.name})
    return diags


def _edition_sources(staging: Path, manifest: Manifest) -> list[tuple]:
    """(manifest entry, what renders its book HTML) of every edition to make: the bulletin
    issues first (the longest jobs), each document, and each published (tagged) version."""
    from fadian.render.edition_html import bulletin_html, document_html

    by_uri = {d.expression_uri: Manifest.path(staging, d.akn) for d in manifest.documents}
    # the amending instruments' names, by the URIs an amended text's AKN cites them with
    titles = {uri: d.title for d in manifest.documents for uri in (d.work_uri, d.expression_uri)}
    sources: list[tuple] = [
        (b, lambda b=b: bulletin_html(Manifest.path(staging, b.akn), by_uri, titles))
        for b in manifest.bulletins
    ]
    sources += [
        (d, lambda d=d: document_html(Manifest.path(staging, d.akn), titles, bool(d.component)))
        for d in manifest.documents
    ]
    for d in manifest.documents:
        if not d.history:
            continue
        record = json.loads(Manifest.path(staging, d.history).read_text("utf-8"))
        for version in record["versions"]:
            for tag in version["tags"]:
                if not is_tag_name(tag):
                    continue
                tagged = TaggedEdition(
                    slug=f"{d.slug}@{tag}", tag=tag, version=version["version"], date=version["date"]
                )
                d.tagged_editions.append(tagged)
                akn = Manifest.path(staging, version["akn"])
                sources.append((tagged, lambda akn=akn: document_html(akn, titles)))
    return sources


def _within_size(rendered: list[tuple]) -> tuple[list[tuple], list[Diagnostic]]:
    """The books pandoc and typst can make in bounded memory (~60x the text): a longer one is
    skipped with warning F902."""
    kept, skipped = [], []
    for entry, body, meta in rendered:
        if len(body) <= MAX_EDITION_CHARS:
            kept.append((entry, body, meta))
            continue
        where = getattr(entry, "source", None) or f"build/editions/{entry.slug}"
        size = f"{len(body):,} characters of HTML (limit {MAX_EDITION_CHARS:,})"
        message = f"{entry.slug}: {size}; no edition made"
        skipped.append(diag("F902", message, where))
    return kept, skipped


def _edition_jobs(rendered: list[tuple], staging: Path, cache: Path, font: Path) -> tuple[list, list]:
    """One job per book and kind (DOCX, PDF, EPUB), keyed by its content in the cache."""
    from fadian.render.editions import EditionJob, content_key

    jobs, entries = [], []
    for entry, body, meta in rendered:
        meta["date"] = meta.get("date") or getattr(entry, "date", None)
        for kind in EDITION_KINDS:
            name = f"{entry.slug}.{kind}"
            target = safe_output_path(staging, "editions", name)
            key = content_key(kind, body, meta, font.name if kind == "epub" else "")
            jobs.append(EditionJob(kind, body, meta, str(target), str(cache / f"{key}.{kind}"), str(font)))
            entries.append((entry, kind, f"build/editions/{name}"))
    return jobs, entries


def _run_jobs(jobs: list) -> list:
    """The jobs on every core, in spawned workers that die with the build."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from fadian.render.editions import run_job

    workers = min(len(jobs), os.cpu_count() or 1) or 1
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent
    ) as pool:
        pending = pool.map(run_job, jobs)
        checkpoint("editions-running")  # a kill here must take the workers with it
        return list(pending)


def _prune_cache(cache: Path, keep: set[str]) -> None:
    for path in cache.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)
