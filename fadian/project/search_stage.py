"""The search stage of a build: Pagefind indexes the current text of every document (records
from render/search) into site/pagefind/, a chunked index of which a reader downloads only the
parts a query needs.

Pagefind is the pinned 1.6.0 npm package that scripts/setup.sh installs into .tools/, driven
through its own Node API (assets/pagefind-index.mjs; the PyPI API waits 0.1 s per record);
without it the site is built without search and the build says so.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from fadian.diagnostics import Diagnostic, diag
from fadian.project.manifest import Manifest
from fadian.render.search import SEARCH_LANGUAGE, SearchRecord, bulletin_records, document_records

PAGEFIND_VERSION = "1.6.0"
PAGEFIND_DIR = "pagefind"  # in site/


def pagefind_module() -> Path | None:
    """Pagefind's Node API: the npm package setup.sh installed into .tools/ beside fadian."""
    tools = Path(__file__).resolve().parents[2] / ".tools" / f"pagefind-{PAGEFIND_VERSION}"
    module = tools / "node_modules" / "pagefind" / "lib" / "index.js"
    return module if module.is_file() and shutil.which("node") else None


def search_records(build_dir: Path, manifest: Manifest) -> list[SearchRecord]:
    """Every record of the site's index, in a stable order (documents, then bulletins)."""
    records: list[SearchRecord] = []
    for d in sorted(manifest.documents, key=lambda d: d.slug):
        document = etree.parse(str(Manifest.path(build_dir, d.akn))).getroot()[0]
        records += document_records(document, d.title, f"/documents/{d.slug}/")
    for b in sorted(manifest.bulletins, key=lambda b: b.slug):
        collection = etree.parse(str(Manifest.path(build_dir, b.akn))).getroot()[0]
        records += bulletin_records(collection, b.title, f"/bulletins/{b.slug}/")
    return records


@dataclass
class SearchJob:
    """Pagefind indexing in its own process, run while mkdocs builds the pages."""

    proc: subprocess.Popen
    out: Path  # where the index is written (inside the generation, outside site/)


def start_search_index(build_dir: Path, manifest: Manifest) -> SearchJob | list[Diagnostic]:
    """Start indexing the current documents of ``build_dir`` (a generation); a warning when
    Pagefind is not there. The records are made here; Node and Pagefind do the rest."""
    module = pagefind_module()
    if module is None:
        return [diag("F905", f"Pagefind {PAGEFIND_VERSION} (npm) not found", "site")]
    work = build_dir.resolve() / ".search-index"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    records = [
        {"url": r.url, "title": r.title, "content": r.content} for r in search_records(build_dir, manifest)
    ]
    listing = work / "records.json"
    listing.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    script = Path(__file__).resolve().parent.parent / "render" / "assets" / "pagefind-index.mjs"
    out = work / PAGEFIND_DIR
    # absolute: node runs in the work folder, and the project root may be given as "."
    cmd = ["node", str(script), str(module), str(listing.resolve()), str(out.resolve()), SEARCH_LANGUAGE]
    proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return SearchJob(proc, out)


def finish_search_index(job: SearchJob | list[Diagnostic], site_dir: Path) -> list[Diagnostic]:
    """Wait for the index and move it into ``site_dir``/pagefind."""
    if isinstance(job, list):
        return job
    _out, err = job.proc.communicate()
    if job.proc.returncode != 0:
        message = err.decode("utf-8", "replace").strip()[-300:]
        return [diag("F905", f"Pagefind could not index the site: {message}", "site")]
    target = site_dir / PAGEFIND_DIR
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(job.out), str(target))
    shutil.rmtree(job.out.parent, ignore_errors=True)
    return []


def cancel_search_index(job: SearchJob | list[Diagnostic]) -> None:
    if not isinstance(job, list) and job.proc.poll() is None:
        job.proc.kill()
        job.proc.wait()
