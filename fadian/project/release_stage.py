"""The bulk release written while mkdocs and Pagefind work: the archive of render/release read
from the site's data once its pages are written, on a thread (zlib and hashlib work outside the
GIL), linked into the site before it is published. The previous generation's archive is kept —
linked, not written again — when every file in it has the same SHA-256, so a build that changed
no text (a setting, the theme) does not rewrite a file of a hundred megabytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fadian.render.release import README_FILE, SUMS_FILE, release_members, release_readme
from fadian.render.site_sources import SiteSources

RELEASE_DIR = "release"  # in a generation: the archive and its SHA256SUMS
_EPOCH = (1980, 1, 1, 0, 0, 0)  # every member's time: the same bytes from the same files
# zlib's fastest level: three times the speed of its default for a tenth more bytes — the
# archive is made again on every commit that changes a text, beside the build's critical path
COMPRESSION = 1


@dataclass
class ReleaseJob:
    """The archive being made: its path in the site, and the thread making it."""

    site_path: str
    made: Future[Path]
    pool: ThreadPoolExecutor


def release_paths(sources: SiteSources) -> None:
    """The release's two files are the site's (``placed``: not stale, not handed to mkdocs)."""
    if sources.release:
        sources.placed |= {sources.release, sources.release + ".sha256"}


def start_release(sources: SiteSources, gen: Path, previous: Path | None) -> ReleaseJob | None:
    """Start the archive of the site in ``gen`` (None: the site has no release, having no text)."""
    site_path = sources.release
    if not site_path:
        return None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="release")
    made = pool.submit(_listed_and_written, gen, Path(site_path).name, previous)
    return ReleaseJob(site_path, made, pool)


def finish_release(job: ReleaseJob | None, site_dir: Path) -> None:
    """The archive linked into the site, and its own SHA-256 beside it (for ``sha256sum -c``)."""
    from fadian.project.pages_stage import link_into_site
    from fadian.project.publish import same_bytes

    if job is None:
        return
    try:
        archive = job.made.result()
    finally:
        job.pool.shutdown()
    target = site_dir / job.site_path
    link_into_site(archive, target)
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    line = f"{digest}  {archive.name}\n".encode()
    check = target.with_name(target.name + ".sha256")
    if not same_bytes(check, line):
        check.unlink(missing_ok=True)
        check.write_bytes(line)


def cancel_release(job: ReleaseJob | None) -> None:
    """A build that stops: the thread is let finish (it writes in the generation only)."""
    if job is not None:
        job.pool.shutdown(wait=True, cancel_futures=True)


def _listed_and_written(gen: Path, name: str, previous: Path | None) -> Path:
    """The archive of the site in ``gen``: its files listed (a walk of thousands of folders) and
    written, both on the release's thread."""
    return write_release(release_members(gen / "site"), gen / RELEASE_DIR, name, previous)


def write_release(members: dict[str, Path], folder: Path, name: str, previous: Path | None) -> Path:
    """``folder/name``: the archive of ``members`` with README.txt and SHA256SUMS, or the previous
    generation's when its SHA256SUMS is these bytes."""
    listing = "".join(f"{_sha(source.read_bytes())}  {path}\n" for path, source in members.items())
    sums = listing.encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / name
    (folder / SUMS_FILE).write_bytes(sums)
    kept = _previous_archive(previous, sums)
    if kept is not None:
        try:
            os.link(kept, archive)
        except OSError:  # another file system
            shutil.copyfile(kept, archive)
        return archive
    partial = folder / (name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as out:
        _add(out, README_FILE, release_readme(len(members)))
        _add(out, SUMS_FILE, sums)
        for path, source in members.items():
            _add(out, path, source.read_bytes())
    partial.replace(archive)
    return archive


def _previous_archive(previous: Path | None, sums: bytes) -> Path | None:
    """The previous generation's archive when it holds the same files."""
    if previous is None:
        return None
    folder = previous / RELEASE_DIR
    try:
        if (folder / SUMS_FILE).read_bytes() != sums:
            return None
    except OSError:
        return None
    archives = sorted(folder.glob("*.zip"))
    return archives[0] if len(archives) == 1 else None


def _add(out: zipfile.ZipFile, path: str, data: bytes) -> None:
    info = zipfile.ZipInfo(path, _EPOCH)
    info.external_attr = 0o100644 << 16  # a plain file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED
    out.writestr(info, data, compresslevel=COMPRESSION)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
