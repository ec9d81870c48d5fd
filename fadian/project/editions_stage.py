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
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from fadian.render.edition_html import bulletin_html, document_html
    from fadian.render.editions import EditionError, EditionJob, content_key, corpus_font, font_dir, run_job

    try:
        font_dir()
    except EditionError as exc:
        return [diag("F901", str(exc), "build/editions")]
    cache = project.build_dir / ".edition-cache"
    cache.mkdir(parents=True, exist_ok=True)
    jobs: list[EditionJob] = []
    entries: list[tuple[dict, str, str]] = []
    by_uri = {d.expression_uri: Manifest.path(staging, d.akn) for d in manifest.documents}
    # the amending instruments' names, by the URIs an amended text's AKN cites them with
    titles = {uri: d.title for d in manifest.documents for uri in (d.work_uri, d.expression_uri)}
    # the whole issues first: they are the longest jobs
    sources = [
        (b, lambda b=b: bulletin_html(Manifest.path(staging, b.akn), by_uri, titles))
        for b in manifest.bulletins
    ]
    sources += [
        (d, lambda d=d: document_html(Manifest.path(staging, d.akn), titles)) for d in manifest.documents
    ]
    # one edition per published (tagged) version too
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
    rendered = [(entry, *render()) for entry, render in sources]
    skipped = []
    for item in list(rendered):  # pandoc and typst need ~60x the text in memory: bounded
        entry, body, _meta = item
        if len(body) > MAX_EDITION_CHARS:
            rendered.remove(item)
            skipped.append(
                diag(
                    "F902",
                    f"{entry.slug}: {len(body):,} characters of HTML (limit {MAX_EDITION_CHARS:,});"
                    " no edition made",
                    getattr(entry, "source", None) or f"build/editions/{entry.slug}",
                )
            )
    import html as html_module

    all_text = "".join(html_module.unescape(body) + meta["title"] for _e, body, meta in rendered)
    font = corpus_font(all_text, cache)
    for entry, body, meta in rendered:
        meta["date"] = meta.get("date") or getattr(entry, "date", None)
        for kind in EDITION_KINDS:
            name = f"{entry.slug}.{kind}"
            target = safe_output_path(staging, "editions", name)
            key = content_key(kind, body, meta, font.name if kind == "epub" else "")
            jobs.append(EditionJob(kind, body, meta, str(target), str(cache / f"{key}.{kind}"), str(font)))
            entries.append((entry, kind, f"build/editions/{name}"))
    workers = min(len(jobs), os.cpu_count() or 1) or 1
    diags = skipped
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=die_with_parent
    ) as pool:
        pending = pool.map(run_job, jobs)
        checkpoint("editions-running")  # a kill here must take the workers with it
        results = list(pending)
    for (entry, kind, rel), (_target, error) in zip(entries, results, strict=True):
        if error:
            diags.append(diag("F901", f"{kind.upper()} of {entry.slug}: {error}", rel))
        else:
            setattr(entry, kind, rel)
    _prune_cache(cache, {Path(j.cache).name for j in jobs} | {font.name})
    return diags


def _prune_cache(cache: Path, keep: set[str]) -> None:
    for path in cache.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)
