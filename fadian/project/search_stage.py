"""The search stage of a build: Pagefind indexes the current text of every document (records
from render/search) into site/pagefind/, chunked indexes of which a reader downloads only the
parts a query needs.

The documents are cut into shards by a hash of their slug (a shard per SHARD_DOCS documents:
an edit indexes a hundred-odd pages again, Pagefind's time being linear in them, while an edit's
build does the rest of its work; a query loads two dozen shards at 3,000),
each indexed by its own Pagefind run, in parallel, and kept in build/.search-cache/ under the
digest of everything it was made from: a build after an edit indexes only the edited
document's shard again. The site's search box merges the shards (Pagefind's mergeIndex),
listed in site/pagefind/bundles.json.

Pagefind runs as its own command-line binary (the "extended" build; the text it is given is
already cut into words, one per Han character, and indexed as of no language): the
one the `pagefind-bin-extended` wheel installs with fadian, or — preferred when there —
Pagefind 1.6.0 from npm that scripts/setup.sh puts in .tools/ (FADIAN_PAGEFIND names another).
Each shard's pages are written as small HTML files and indexed in one run. Without Pagefind a
build fails (error F905) unless it is asked for no search.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from fadian.diagnostics import Diagnostic, diag
from fadian.manifest import Manifest
from fadian.pipeline import StoredBytes
from fadian.project.outputs import StagingPlan
from fadian.project.publish import same_bytes, timing_mark
from fadian.project.tools import PagefindTool, pagefind_tool
from fadian.render.parts import part_label
from fadian.render.search import (
    SEARCH_LANGUAGE,
    bulletin_records,
    document_records,
    search_filters,
    search_page_html,
    version_values,
)
from fadian.uri import FrbrUri

PAGEFIND_DIR = "pagefind"  # in site/
BUNDLES_FILE = "bundles.json"  # in site/pagefind/: the shards' folders, for the search box
CACHE_DIR = ".search-cache"  # in build/
SHARD_DOCS = int(os.environ.get("FADIAN_SEARCH_SHARD_DOCS", "125"))


def shard_of(slug: str, shards: int) -> int:
    """A page's shard: stable while the number of shards is (adding a document moves none)."""
    return int(hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8], 16) % shards


@dataclass(frozen=True)
class SearchSource:
    """One page of the index before it is made: its AKN (where the build cache keeps it, or
    its bytes), and what it is made from."""

    url: str
    title: str
    akn: bytes | StoredBytes
    bulletin: bool
    digest: str  # of the AKN bytes (of its text, without <meta>, once the search stage has it)
    filters: tuple[tuple[str, str], ...] = ()  # 效力级别, 时效性, 地区, 年份: what a search narrows by
    part: bool = False  # a part of a work kept in several files: titled by its part too


def search_sources(plan: StagingPlan) -> list[list[SearchSource]]:
    """Every page of the index, by shard, each shard in a stable order (nothing parsed yet), from
    what staging is about to write."""
    manifest = plan.manifest
    count = len(manifest.documents) + len(manifest.bulletins)
    shards: list[list[SearchSource]] = [[] for _ in range(max(1, -(-count // max(1, SHARD_DOCS))))]
    entries = [(d, False) for d in sorted(manifest.documents, key=lambda d: d.slug)]
    entries += [(b, True) for b in sorted(manifest.bulletins, key=lambda b: b.slug)]
    versions = version_filter(manifest)
    for entry, bulletin in entries:
        rel = Manifest.in_generation(entry.akn)
        url = f"/{'bulletins' if bulletin else 'documents'}/{entry.slug}/"
        filters = () if bulletin else search_filters(entry.legal, entry.expression_uri)
        if not bulletin:  # one row per work: a superseded file is found only on request
            filters += (("版本", versions[entry.slug]),)
        part = not bulletin and bool(getattr(entry, "component", ""))
        shards[shard_of(entry.slug, len(shards))].append(
            SearchSource(url, entry.title, plan.files[rel], bulletin, plan.digests[rel], filters, part)
        )
    return [shard for shard in shards if shard]


def version_filter(manifest: Manifest) -> dict[str, str]:
    """Each document's 版本 filter value (render/search.version_values), by slug."""
    works: dict[str, dict[str, list[tuple[str, str, dict[str, str]]]]] = {}
    for d in sorted(manifest.documents, key=lambda d: (d.component not in ("", "main"), d.slug)):
        date = FrbrUri.parse(d.expression_uri).expression_date or ""
        works.setdefault(d.work_uri, {}).setdefault(d.expression_uri, []).append((date, d.slug, d.legal))
    out = {}
    for expressions in works.values():  # (the parts of a work kept in several files: one version)
        values = version_values([files[0] for files in expressions.values()])
        out.update((slug, values[files[0][1]]) for files in expressions.values() for _d, slug, _l in files)
    return out


def search_page(source: SearchSource) -> dict:
    """The page Pagefind indexes for one document or bulletin issue, as {url, html}."""
    xml = source.akn.read() if isinstance(source.akn, StoredBytes) else source.akn
    root = etree.fromstring(xml)[0]
    if source.bulletin:  # its editor's notes (an issue without any is found by its title)
        records = bulletin_records(root, source.title, source.url)
    else:
        title = f"{source.title} · {part_label(root)}" if source.part else source.title
        records = document_records(root, title, source.url)
        return {"url": source.url, "html": search_page_html(title, records, dict(source.filters))}
    return {"url": source.url, "html": search_page_html(source.title, records, dict(source.filters))}


PAGES_DIR = "pages"  # in the search cache: each document's page for the index, by its key


def _page_key(source: SearchSource, code: str) -> str:
    """The digest of what one page for the index is made from (its AKN, title, filters, code)."""
    s = source
    text = json.dumps([code, s.url, s.title, s.bulletin, s.digest, s.filters, s.part])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _shard_key(shard: list[SearchSource], tool: PagefindTool, code: str) -> str:
    """The digest of everything a shard's index is made from: the pages' AKN and titles, the
    code that makes pages of them, Pagefind."""
    h = hashlib.sha256(f"pagefind {tool.version} {SEARCH_LANGUAGE}\n{code}\n".encode())
    h.update(
        json.dumps(
            [[s.url, s.title, s.bulletin, s.digest, s.filters, s.part] for s in shard], ensure_ascii=False
        ).encode()
    )
    return h.hexdigest()[:32]


@dataclass
class SearchJob:
    """Pagefind indexing the shards missing from the cache (a thread each, up to one per core,
    each running Pagefind), while mkdocs builds the pages."""

    cache: Path
    keys: list[str]  # every shard's cache entry, in bundle order
    pages: dict[str, str]  # every page's cache entry (in PAGES_DIR), by its URL
    pool: ThreadPoolExecutor
    indexing: list[Future]  # each: None, or why Pagefind failed
    procs: list[subprocess.Popen] = field(default_factory=list)  # to stop them on a failed build


def start_search_index(plan: StagingPlan, cache: Path) -> SearchJob | list[Diagnostic]:
    """Start indexing the documents of a generation (``plan``: what staging writes) into
    ``cache``; an error when there is no Pagefind. The pages are made here; Pagefind does the
    rest."""
    tool = pagefind_tool()
    if tool is None:
        return [diag("F905", "Pagefind not found: the site's search cannot be indexed", "site")]
    cache = cache.resolve()  # absolute: Pagefind runs in the work folder, the root may be "."
    cache.mkdir(parents=True, exist_ok=True)
    for leftover in cache.glob(".*"):  # a killed build's work (builds hold the lock: none runs)
        shutil.rmtree(leftover, ignore_errors=True)
    from fadian.project.fingerprint import code_digest

    code = code_digest()
    shards = _by_text(search_sources(plan), cache)
    keys = [_shard_key(shard, tool, code) for shard in shards]
    pages = {source.url: _page_key(source, code) for shard in shards for source in shard}
    workers = os.cpu_count() or 1
    job = SearchJob(cache, keys, pages, ThreadPoolExecutor(max_workers=workers), [])
    missing = [
        (shard, key, f"{k}-of-{len(shards)}")
        for k, (shard, key) in enumerate(zip(shards, keys, strict=True))
        if not (cache / key).is_dir()
    ]
    # an edit's shard: its folder brought up to date and Pagefind started here, at once (in a
    # thread, each of its ~500 file calls waited for the build's own thread to let go of the
    # interpreter: Pagefind started a second late, on the edit's critical path)
    here = len(missing) <= workers and (
        sum(not _made_path(job, s).is_file() for shard, _key, _place in missing for s in shard) <= MADE_HERE
    )
    for shard, key, place in missing:
        if here:
            proc, work = _start_pagefind(job, tool, _shard_folder(job, shard, place), key)
            job.indexing.append(job.pool.submit(_await_pagefind, job, proc, work, key))
        else:
            job.indexing.append(job.pool.submit(_index_shard, job, tool, shard, key, place))
    return job


MADE_HERE = 32  # pages for the index made before the build goes on (more: made in the pool)
TEXT_DIGESTS = "text-digests.json"  # in the search cache: AKN digest → the digest of its text


def _by_text(shards: list[list[SearchSource]], cache: Path) -> list[list[SearchSource]]:
    """The shards with each page's digest taken of its AKN without ``<meta>``: what its page
    for the index is made of. A text whose legal record changed (a moved date: 尚未生效 →
    现行有效 in the AKN's metadata) keeps its page and its shard's index. Each AKN's text digest
    is kept by the AKN's own, so only new AKN is read."""
    path = cache / TEXT_DIGESTS
    try:
        known = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        known = {}
    kept: dict[str, str] = {}
    out = []
    for shard in shards:
        for k, source in enumerate(shard):
            if source.digest not in known:
                xml = source.akn.read() if isinstance(source.akn, StoredBytes) else source.akn
                known[source.digest] = text_digest(xml)
            kept[source.digest] = known[source.digest]
            shard[k] = replace(source, digest=known[source.digest])
        out.append(shard)
    if kept != known:
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(kept, sort_keys=True), "utf-8")
        partial.replace(path)
    return out


def text_digest(xml: bytes) -> str:
    """The digest of an AKN document without its ``<meta>`` (the legal record, the dates)."""
    start, end = xml.find(b"<meta"), xml.find(b"</meta>")
    body = xml[:start] + xml[end + len(b"</meta>") :] if 0 <= start < end else xml
    return hashlib.sha256(body).hexdigest()


def _index_shard(
    job: SearchJob, tool: PagefindTool, shard: list[SearchSource], key: str, place: str
) -> str | None:
    """One shard's pages made and indexed into the cache entry ``key``; why not, on failure.
    ``place``: the shard's place among the shards (its pages' folder in the cache)."""
    proc, work = _start_pagefind(job, tool, _shard_folder(job, shard, place), key)
    return _await_pagefind(job, proc, work, key)


def _shard_folder(job: SearchJob, shard: list[SearchSource], place: str) -> Path:
    """The folder Pagefind reads for one shard, holding exactly its pages (made when missing)."""
    site = job.cache / SITES_DIR / place
    _shard_site(site, {s.url.strip("/"): _made_page(job, s) for s in shard})
    return site


def _start_pagefind(
    job: SearchJob, tool: PagefindTool, site: Path, key: str
) -> tuple[subprocess.Popen, Path]:
    """Pagefind started on ``site``, writing into a work folder of its own: (process, folder)."""
    work = job.cache / f".{key}.{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    cmd = [str(tool.binary), "--site", str(site), "--output-path", str(work / "index")]
    cmd += ["--force-language", SEARCH_LANGUAGE, "--silent"]
    try:
        proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)
        raise
    job.procs.append(proc)
    timing_mark(f"pagefind-started {site.name}")
    return proc, work


def _await_pagefind(job: SearchJob, proc: subprocess.Popen, work: Path, key: str) -> str | None:
    """The index of a Pagefind run moved into the cache entry ``key``; why not, on failure."""
    try:
        _out, err = proc.communicate()
        timing_mark("pagefind-ended")
        if proc.returncode != 0:
            return err.decode("utf-8", "replace").strip()[-300:]
        if not (job.cache / key).exists():
            (work / "index").rename(job.cache / key)
        return None
    finally:
        shutil.rmtree(work, ignore_errors=True)


SITES_DIR = "sites"  # in the search cache: each shard's pages as Pagefind reads them, by place


def _made_page(job: SearchJob, source: SearchSource) -> Path:
    """The page for the index of one document (made for a build before, it is taken as it is:
    after an edit, one page is made)."""
    made = _made_path(job, source)
    if not made.is_file():
        made.parent.mkdir(exist_ok=True)
        html = search_page(source)["html"].encode("utf-8")
        partial = made.with_name(f".{made.name}.{os.getpid()}")
        partial.write_bytes(html)
        partial.replace(made)
    return made


def _made_path(job: SearchJob, source: SearchSource) -> Path:
    return job.cache / PAGES_DIR / job.pages[source.url]


def _shard_site(site: Path, pages: dict[str, Path]) -> None:
    """``site`` made to hold exactly ``pages`` (documents/<slug> → the made page) as
    <url>/index.html, links to the made pages: the previous build's folder for this shard is
    brought up to date (after an edit, one link), not made anew (250 folders and links)."""
    kinds = {url.split("/", 1)[0] for url in pages}  # documents, bulletins
    for entry in sorted(site.glob("*/*")) if site.is_dir() else []:
        if entry.parent.name in kinds and f"{entry.parent.name}/{entry.name}" in pages:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)  # a page that left this shard
        else:
            entry.unlink()
    for url, made in pages.items():  # /documents/<slug>/ → site/documents/<slug>/index.html
        target = site / url / "index.html"
        try:
            if os.stat(target).st_ino == os.stat(made).st_ino:
                continue
            target.unlink()  # (a link to an older page: never written through)
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        try:  # linked, not copied: Pagefind only reads it, and a page is never changed once made
            os.link(made, target)
        except OSError:
            shutil.copyfile(made, target)


def _sync_shard(entry: Path, target: Path, unused) -> None:
    """``target`` made the shard ``entry`` of the cache, linked file by file: a file the previous
    shard had with the same bytes (most of a shard indexed again: its chunks are named by their
    content) stays as it is, so a site is rewritten only where its bytes change."""
    wanted: set[Path] = set()
    for folder, dirs, files in os.walk(entry):
        ignored = unused(folder, [*dirs, *files])
        dirs[:] = [d for d in dirs if d not in ignored]
        here = Path(folder)
        for name in files:
            if name in ignored:
                continue
            rel = (here / name).relative_to(entry)
            wanted.add(rel)
            made, source = target / rel, here / name
            if made.exists() and (os.path.samefile(made, source) or same_bytes(made, source.read_bytes())):
                continue
            made.parent.mkdir(parents=True, exist_ok=True)
            made.unlink(missing_ok=True)
            os.link(source, made)
    for folder, _dirs, files in os.walk(target):
        for name in files:
            if (Path(folder) / name).relative_to(target) not in wanted:
                (Path(folder) / name).unlink()


def finish_search_index(job: SearchJob | list[Diagnostic], site_dir: Path) -> list[Diagnostic]:
    """Wait for the shards being indexed, then put every shard into ``site_dir``/pagefind
    (linked from the cache: an entry is never changed once made) with the list of bundles."""
    if isinstance(job, list):
        if not job:  # a site built without search: the search box says so
            shutil.rmtree(site_dir / PAGEFIND_DIR, ignore_errors=True)  # (the previous site's links)
            (site_dir / PAGEFIND_DIR).mkdir(parents=True)
            (site_dir / PAGEFIND_DIR / BUNDLES_FILE).write_text("[]\n", "utf-8")
        return job
    for failure in [f.result() for f in job.indexing]:
        if failure is not None:
            return [diag("F905", f"Pagefind could not index the site: {failure}", "site")]
    target = site_dir / PAGEFIND_DIR
    target.mkdir(parents=True, exist_ok=True)
    shards = {str(k): job.cache / key for k, key in enumerate(job.keys)}
    for entry in list(target.iterdir()):  # (the previous site's, when it was linked)
        if entry.name in shards and entry.is_dir() and not entry.is_symlink():
            continue  # brought up to date below, file by file
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()  # bundles.json: a link into the previous generation, never written through
    for name, entry in shards.items():
        if not _same_shard(target / name, entry):
            _sync_shard(entry, target / name, _UNUSED_FILES if name == "0" else _UNUSED_MERGED_FILES)
    bundles = [f"{k}/" for k in range(len(job.keys))]
    (target / BUNDLES_FILE).write_text(json.dumps(bundles) + "\n", "utf-8")
    for entry in job.cache.iterdir():  # what no build uses any more
        if entry.name not in (*job.keys, PAGES_DIR, SITES_DIR) and not entry.name.startswith("."):
            shutil.rmtree(entry, ignore_errors=True)
    places = {f"{k}-of-{len(job.keys)}" for k in range(len(job.keys))}
    if (job.cache / SITES_DIR).is_dir():
        for entry in (job.cache / SITES_DIR).iterdir():
            if entry.name not in places:
                shutil.rmtree(entry, ignore_errors=True)
    if (job.cache / PAGES_DIR).is_dir():
        kept = set(job.pages.values())
        for entry in (job.cache / PAGES_DIR).iterdir():
            if entry.name not in kept:
                entry.unlink(missing_ok=True)
    return []


def _same_shard(linked: Path, entry: Path) -> bool:
    """Whether a shard folder of the site is the search cache's ``entry`` (its files hard links
    to the entry's: an entry is never changed once made, and a site is published whole)."""
    try:
        return os.path.samefile(linked / ENTRY_FILE, entry / ENTRY_FILE)
    except OSError:
        return False


ENTRY_FILE = "pagefind-entry.json"  # in every index Pagefind writes
# Pagefind's own search interfaces, written beside every index: the site's search box is
# fadian's (assets/fadian.js, on pagefind.js's API), so they are not published (0.4 MB a shard)
_UNUSED_PATTERNS = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
_UNUSED_FILES = shutil.ignore_patterns(*_UNUSED_PATTERNS)
# the search box loads Pagefind's script and worker from the first shard only: every other shard
# is merged into it (mergeIndex fetches a shard's entry, metadata, WebAssembly, chunks and
# fragments, never its scripts), so their copies are not published (90 KB a shard)
_UNUSED_MERGED_FILES = shutil.ignore_patterns(*_UNUSED_PATTERNS, "pagefind.js", "pagefind-worker.js")


def cancel_search_index(job: SearchJob | list[Diagnostic]) -> None:
    """Stop what is still indexing (a build that failed, or after finish: nothing)."""
    if isinstance(job, list):
        return
    for future in job.indexing:
        future.cancel()
    for proc in job.procs:
        if proc.poll() is None:
            proc.kill()
    job.pool.shutdown(wait=True)
