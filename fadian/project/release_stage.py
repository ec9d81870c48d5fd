"""The bulk release written while mkdocs and Pagefind work: the archive of render/release
read from the site's data once its pages are written, on a thread (zlib and hashlib work outside
the GIL), linked into the site before it is published. The previous
generation's archive is kept — linked, not written again — when every file in it has the same
SHA-256, so a build that changed no text (a setting, the theme) does not rewrite it; after a
commit that changed a few texts, every other member's compressed bytes are copied from it as
they are (DEFLATE at one level gives one output for one input: the archive is the bytes a
cold build makes), so the archive costs what changed, not the whole collection again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import struct
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fadian.render.release import README_FILE, SUMS_FILE, release_members, release_readme
from fadian.render.site_sources import SiteSources

RELEASE_DIR = "release"  # in a generation: the archive and its SHA256SUMS
_EPOCH = (1980, 1, 1, 0, 0, 0)  # every member's time: the same bytes from the same files
# zlib's default level: an eighth fewer bytes than its fastest, at twice its time — paid once
# per member, since a commit compresses only the members it changed (the others are copied)
COMPRESSION = 6
MADE_BY = "MADE-BY"  # in a generation's RELEASE_DIR: the zlib and level its members were made with


def made_by() -> bytes:
    """What a member's compressed bytes depend on besides its own: the archive of a previous
    build is reused (linked, or its members copied) only when it was made the same way, so the
    archive is always the bytes a build from nothing makes."""
    return f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {COMPRESSION}\n".encode()


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
    """Start the archive of the site in ``gen`` once its pages and data are written (None: the
    site has no release, having no text). Its members are named by the site's sources (a walk
    of the site's thousands of folders would cost more than the archive)."""
    site_path = sources.release
    if not site_path:
        return None
    site = gen / "site"
    members = {path: site / path for path in release_members(sources.paths())}
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="release")
    made = pool.submit(write_release, members, gen / RELEASE_DIR, Path(site_path).name, previous)
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


def write_release(members: dict[str, Path], folder: Path, name: str, previous: Path | None) -> Path:
    """``folder/name``: the archive of ``members`` with README.txt and SHA256SUMS, or the previous
    generation's when its SHA256SUMS is these bytes. A member that is the previous site's file
    (linked from it: the same inode, never written through) keeps its line of the previous
    SHA256SUMS without being read."""
    old_sums, old_archive = _previous_release(previous)
    old_lines = _listed(old_sums)
    lines = [
        old_lines[path]
        if path in old_lines and previous is not None and _same_file(source, previous / "site" / path)
        else f"{_sha(source.read_bytes())}  {path}"
        for path, source in members.items()
    ]
    sums = "".join(line + "\n" for line in lines).encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / name
    (folder / SUMS_FILE).write_bytes(sums)
    (folder / MADE_BY).write_bytes(made_by())
    if old_archive is not None and old_sums == sums:
        try:
            os.link(old_archive, archive)
        except OSError:  # another file system
            shutil.copyfile(old_archive, archive)
        return archive
    partial = folder / (name + ".part")
    with contextlib.ExitStack() as stack:
        old = _opened(old_archive)  # (none without a previous listing: _previous_release)
        if old is not None:
            stack.enter_context(old)
        out = stack.enter_context(zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED))
        _add(out, README_FILE, release_readme(len(members)))
        _add(out, SUMS_FILE, sums)
        for (path, source), line in zip(members.items(), lines, strict=True):
            reused = old is not None and old_lines.get(path) == line
            if not (reused and _copy_compressed(old, out, _member(path))):
                _add(out, path, source.read_bytes())
    partial.replace(archive)
    return archive


def _opened(archive: Path | None) -> zipfile.ZipFile | None:
    """The previous archive, read (None when it cannot be: its members are then compressed)."""
    try:
        return zipfile.ZipFile(archive) if archive is not None else None
    except (OSError, zipfile.BadZipFile):
        return None


def _previous_release(previous: Path | None) -> tuple[bytes, Path | None]:
    """The previous generation's SHA256SUMS and archive (empty, None: it has none, or several)."""
    if previous is None:
        return b"", None
    folder = previous / RELEASE_DIR
    archives = sorted(folder.glob("*.zip"))
    try:
        sums = (folder / SUMS_FILE).read_bytes()
        if (folder / MADE_BY).read_bytes() != made_by():  # its members' bytes would not be ours
            return b"", None
    except OSError:
        return b"", None
    return (sums, archives[0]) if len(archives) == 1 else (b"", None)


def _same_file(one: Path, other: Path) -> bool:
    try:
        a, b = one.stat(), other.stat()
    except OSError:
        return False
    return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


def _listed(sums: bytes) -> dict[str, str]:
    """A SHA256SUMS's lines by the path they name."""
    return {line.split("  ", 1)[1]: line for line in sums.decode("utf-8").splitlines() if "  " in line}


def _member(path: str) -> zipfile.ZipInfo:
    """A member's entry as every member of the archive is made: one time, a plain file."""
    info = zipfile.ZipInfo(path, _EPOCH)
    info.external_attr = 0o100644 << 16  # a plain file, rw-r--r--
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _add(out: zipfile.ZipFile, path: str, data: bytes) -> None:
    out.writestr(_member(path), data, compresslevel=COMPRESSION)


def _copy_compressed(old: zipfile.ZipFile, out: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """The member ``info`` names, its compressed bytes copied from ``old`` as they are. zipfile
    can read a member's stored bytes but offers no way to write them: this writes the local
    header zipfile's own writer writes (``FileHeader``) and enters the member in the central
    directory as its writer does (``filelist``, ``NameToInfo``, ``start_dir``); the release
    test holds the result to a cold build's bytes."""
    found = old.NameToInfo.get(info.filename)
    if found is None or old.fp is None or out.fp is None:
        return False
    old.fp.seek(found.header_offset)
    header = old.fp.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        return False  # (a damaged archive: the member is compressed again)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    old.fp.seek(found.header_offset + zipfile.sizeFileHeader + name_length + extra_length)
    stored = old.fp.read(found.compress_size)
    if len(stored) != found.compress_size:
        return False
    info.CRC, info.compress_size, info.file_size = found.CRC, found.compress_size, found.file_size
    out.fp.seek(out.start_dir)
    info.header_offset = out.start_dir
    out.fp.write(info.FileHeader(False))
    out.fp.write(stored)
    out.start_dir = out.fp.tell()
    out.filelist.append(info)
    out.NameToInfo[info.filename] = info
    return True


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
