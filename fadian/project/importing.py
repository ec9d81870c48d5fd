"""`fadian import`: an editor's files (plain text, LawRefBook Markdown, .docx; folders walked)
written as sources of a project, with front matter read from each text (read/collection).

An import never overwrites a source an editor has changed: a file already there under the same
slug and title is left alone when it is the same, and refused when it differs (unless
``force``). It never writes outside the folder it writes into: a source's file is named from a
checked slug, never from a path a file spells; links and special files are refused (as the
build refuses them); sizes are checked before anything large is read or inflated; and each
source is written whole or not at all (a temporary file renamed over it).
"""

from __future__ import annotations

import contextlib
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from fadian.names import is_slug
from fadian.project.publish import checkpoint
from fadian.read.collection import ImportedText, body_text, from_markdown, import_text
from fadian.read.sources import read_source

SUFFIXES = (".txt", ".md", ".markdown", ".docx")
MAX_TEXT_BYTES = 20 * 1024 * 1024  # the build's limit on a source (check.MAX_SOURCE_BYTES)
MAX_DOCX_BYTES = 20 * 1024 * 1024  # a Word file as stored
MAX_DOCX_INFLATED = 64 * 1024 * 1024  # all its parts unpacked: a law's DOCX is a few MB
_TEMP_PREFIX = ".fadian-import-"


class Refusal(Exception):
    """A file that cannot be imported, and why (shown to the editor)."""


@dataclass
class ImportReport:
    written: list[tuple[Path, Path, ImportedText]] = field(default_factory=list)
    unchanged: list[tuple[Path, Path]] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def files_to_import(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The files named, and those under the folders named (sub-folders too), in a stable order;
    and the entries refused on the way: links (to a file or a folder) and special files are
    never followed nor read."""
    out: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for path in paths:
        kind = _kind(path)
        if kind == "dir":
            found, bad = _walk(path)
            out += found
            refused += bad
            if not found and not bad:  # a folder that holds nothing to import is not a silent no-op
                refused.append((path, f"no {', '.join(SUFFIXES)} file in this folder or below it"))
        elif kind == "file":
            out.append(path)
        else:
            refused.append((path, kind))
    return out, refused


def _kind(path: Path) -> str:
    """'file', 'dir', or why the entry is refused."""
    try:
        st = os.lstat(path)
    except OSError:
        return "no such file"
    if stat.S_ISLNK(st.st_mode):
        return f"is a symbolic link (to {os.readlink(path)}): copy the file in instead of linking it"
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a pipe, socket or device)"
    return "file"


def _walk(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for here, dirs, files in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in [*dirs]:
            if os.path.islink(os.path.join(here, name)):
                dirs.remove(name)
                refused.append((Path(here, name), _kind(Path(here, name))))
        for name in sorted(files):
            path = Path(here, name)
            if path.suffix.lower() not in SUFFIXES:
                continue
            kind = _kind(path)
            (found.append(path) if kind == "file" else refused.append((path, kind)))
    return found, refused


def read_text(path: Path) -> str:
    """A file's text: UTF-8 (a BOM tolerated); Markdown cleaned; a .docx through pandoc. Its
    size is checked first (a .docx's unpacked size from its zip directory, then as it unpacks)."""
    size = os.stat(path).st_size
    suffix = path.suffix.lower()
    if suffix == ".docx":
        if size > MAX_DOCX_BYTES:
            raise Refusal(f"is {size:,} bytes (limit {MAX_DOCX_BYTES:,} for a .docx)")
        _check_docx(path)
        import pypandoc

        text = pypandoc.convert_file(str(path), "plain", format="docx", extra_args=["--wrap=none"])
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise Refusal(f"its text is over {MAX_TEXT_BYTES:,} bytes (the limit of a source)")
        return text
    if size > MAX_TEXT_BYTES:
        raise Refusal(f"is {size:,} bytes (limit {MAX_TEXT_BYTES:,}, as for every source): split it")
    text = path.read_bytes().decode("utf-8-sig")
    return from_markdown(text) if suffix in (".md", ".markdown") else text


def _check_docx(path: Path) -> None:
    """Refuse a .docx that unpacks to more than MAX_DOCX_INFLATED: the zip directory's sizes
    first, then each part unpacked and counted (a directory can lie), before pandoc sees it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > MAX_DOCX_INFLATED:
                raise Refusal(
                    f"unpacks to {declared:,} bytes (limit {MAX_DOCX_INFLATED:,}): not a text's Word file"
                )
            total = 0
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(1 << 20):
                        total += len(chunk)
                        if total > MAX_DOCX_INFLATED:
                            raise Refusal(f"unpacks to over {MAX_DOCX_INFLATED:,} bytes: not a law's .docx")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError) as exc:
        raise Refusal(f"is not a readable .docx (zip): {exc}") from None


def import_files(paths: list[Path], into: Path, force: bool = False) -> ImportReport:
    """Each file made a source in ``into``; what was written, left as it was, or refused."""
    report = ImportReport()
    files, report.refused = files_to_import(paths)
    _remove_stale_temporaries(into)
    taken: set[str] = set()
    for path in files:
        try:
            text = read_text(path)
        except Refusal as exc:
            report.refused.append((path, str(exc)))
            continue
        except (UnicodeDecodeError, OSError, RuntimeError) as exc:
            report.refused.append((path, f"cannot be read as UTF-8 text or DOCX ({exc.__class__.__name__})"))
            continue
        imported = _place(text, into, taken, path, report, force)
        if imported is not None:
            target, made = imported
            try:
                write_source(target, made.text)
            except OSError as exc:
                report.refused.append((path, f"cannot write {target}: {exc.strerror or exc}"))
                continue
            report.written.append((path, target, made))
    return report


def write_source(target: Path, text: str) -> None:
    """``text`` as ``target``, whole or not at all: written to a hidden temporary file beside it
    (which the build does not read) and renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{_TEMP_PREFIX}{os.getpid()}-{target.name}")
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        checkpoint("import-written")  # (a test kills the import here: nothing half-written is left)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()


def _remove_stale_temporaries(into: Path) -> None:
    """What an import killed while it wrote left behind (never a source: the name is hidden)."""
    try:
        stale = [e.path for e in os.scandir(into) if e.name.startswith(_TEMP_PREFIX) and e.is_file()]
    except OSError:
        return
    for name in stale:
        pid = name.rsplit("/", 1)[-1][len(_TEMP_PREFIX) :].split("-", 1)[0]
        if not (pid.isdigit() and _alive(int(pid))):
            with contextlib.suppress(OSError):
                os.unlink(name)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _place(
    text: str, into: Path, taken: set[str], path: Path, report: ImportReport, force: bool
) -> tuple[Path, ImportedText] | None:
    """The source made of ``text`` and where it goes: under a new slug, or over the file of the
    same title already there (only when it is the same, or with ``force``)."""
    while True:
        made = import_text(str(path), text, taken)
        if made.refused is not None or not is_slug(made.slug):
            report.refused.append((path, made.refused or f"slug {made.slug!r} is not a safe name"))
            return None
        target = into / f"{made.slug}.txt"
        taken.add(made.slug)
        kind = _kind(target)
        if kind == "no such file":
            return target, made
        if kind != "file":
            report.refused.append((path, f"{target} {kind}; it is not written through"))
            return None
        existing = read_source(str(target), target.read_bytes()).front or {}
        if existing.get("title") != made.title:  # another text has this slug: the next one
            if body_text(text).startswith("---\n"):  # its own front matter names the slug
                report.refused.append((path, f"its slug {made.slug!r} is {target}'s, another text's"))
                return None
            continue
        if target.read_text("utf-8") == made.text:
            report.unchanged.append((path, target))
            return None
        if not force:
            report.refused.append((path, f"{target} exists and differs (edited?): --force to overwrite it"))
            return None
        return target, made
