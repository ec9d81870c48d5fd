"""A build's inputs in one digest: fadian's own code, every file under sources/, the project's
mkdocs.yml, the git history the versions come from, and the options. A build whose digest is
the published generation's has nothing to do: it reports that generation's diagnostics again
and parses nothing (a no-op build of thousands of texts takes well under two seconds).
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from pathlib import Path

from fadian.diagnostics import Diagnostic, Location
from fadian.manifest import JSON_ENCODER

FINGERPRINT_FILE = ".fingerprint"
DIAGNOSTICS_FILE = "reports/diagnostics.json"
_CODE_SUFFIXES = {".py", ".j2", ".css", ".js", ".mjs", ".lua", ".typ", ".yml", ".xsd", ".html"}


# the libraries whose version changes what a build makes (the theme's HTML, the XML writer…)
_LIBRARIES = ("properdocs", "mkdocs-material", "lxml", "Jinja2", "Markdown", "pypandoc-binary", "typst")


# the settings that change what a build makes; diagnostic switches (FADIAN_TIMINGS, FADIAN_KILL_AT)
# do not, so they never turn a no-op build into a full one
OUTPUT_SETTINGS = ("FADIAN_MAX_EDITION_CHARS", "FADIAN_FONT_DIR", "FADIAN_SEARCH_SHARD_DOCS")


@cache
def tools_state() -> str:
    """The outside tools a build runs and their versions: Pagefind (and the Node.js that runs
    it) — installing it makes the next build index the site's search, not keep one without."""
    from fadian.project.tools import pagefind_tool

    tool = pagefind_tool()
    return json.dumps(tool.describe() if tool is not None else None)


@cache
def code_digest() -> str:
    """fadian's code and package data, and the versions of the libraries that shape its
    outputs: a changed renderer, parser or theme is a changed input."""
    from importlib import metadata

    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in _LIBRARIES:
        try:
            h.update(f"{name}=={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} missing\0".encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _git_state(root: Path) -> str:
    """HEAD and the tags (with the commits they point at): what the version history is read
    from. `git show-ref` answers in milliseconds; importing GitPython would be most of a no-op
    build."""
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "show-ref", "--head", "--tags", "--dereference"],
            cwd=root,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return "unreadable"
    # 128: not a repository; 1: no commit yet; 0: HEAD and the tags listed
    return f"{proc.returncode}\n" + proc.stdout.decode("utf-8", "replace")


# what a file's digest was, by its stat, so a build that changes nothing need not read every source
STAT_CACHE = ".source-digests.json"
RACY_NS = 2_000_000_000  # a file changed this close to when its digest was kept is read again


def source_digests(root: Path, known: dict[str, list]) -> dict[str, list]:
    """rel path → [size, mtime_ns, inode, sha256] of every file under sources/. A file whose size,
    mtime and inode are those ``known`` gives is not read again (git's index does the same),
    unless it changed within RACY_NS of the moment its digest was kept (``known["."]``): two
    writes in one timestamp tick must not look unchanged."""
    kept_at = known.get(".", [0])[0]
    out: dict[str, list] = {}
    base = str(root / "sources")  # paths as strings: 3,000 Path objects were half a no-op's time
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        prefix = ("sources" + folder[len(base) :]).replace(os.sep, "/") + "/"
        for name in sorted(files):
            path, rel = os.path.join(folder, name), prefix + name
            try:
                st = os.stat(path)
                old = known.get(rel)
                stat = [st.st_size, st.st_mtime_ns, st.st_ino]
                if old is not None and old[:3] == stat and st.st_mtime_ns < kept_at - RACY_NS:
                    out[rel] = old
                else:
                    with open(path, "rb") as source:
                        out[rel] = [*stat, hashlib.sha256(source.read()).hexdigest()]
            except OSError:  # unreadable: never a no-op, the build reports it
                out[rel] = [0, 0, 0, os.urandom(16).hex()]
    return out


def read_source_digests(build_dir: Path) -> dict[str, list]:
    try:
        known = json.loads((build_dir / STAT_CACHE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def keep_source_digests(build_dir: Path, digests: dict[str, list]) -> None:
    """Kept beside the generations (never published), once there is a build/; a failure to keep
    them costs only time."""
    import time

    if not build_dir.is_dir():
        return
    try:
        tmp = build_dir / f"{STAT_CACHE}.{os.getpid()}"
        tmp.write_text(json.dumps({".": [time.time_ns()], **digests}), "utf-8")
        tmp.replace(build_dir / STAT_CACHE)
    except OSError:
        pass


def build_fingerprint(root: Path, options: dict, digests: dict[str, list] | None = None) -> str:
    """The digest of everything a build of ``root`` reads (``digests``: its sources', from
    :func:`source_digests`; computed here when not given)."""
    h = hashlib.sha256()
    h.update(code_digest().encode())
    h.update(json.dumps(options, sort_keys=True).encode())
    settings = {k: os.environ[k] for k in OUTPUT_SETTINGS if k in os.environ}
    h.update(json.dumps([os.environ.get("SOURCE_DATE_EPOCH", ""), sorted(settings.items())]).encode())
    h.update(tools_state().encode())
    h.update(_git_state(root).encode())
    for name in ("mkdocs.yml",):
        path = root / name
        h.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"-") + b"\0")
    for rel, entry in (digests if digests is not None else source_digests(root, {})).items():
        h.update(rel.encode() + b"\0" + entry[3].encode() + b"\0")
    return h.hexdigest()


def diagnostics_json(diagnostics: list[Diagnostic]) -> str:
    """The diagnostics as ``json.dumps(..., ensure_ascii=False, indent=1)`` lays them out, each
    value through json's C encoder (``indent`` takes the pure-Python path, slow for the
    thousands of warnings of a collection, on every build)."""
    if not diagnostics:
        return "[]"
    one = JSON_ENCODER.encode
    items = [
        f' {{\n  "code": {one(d.code)},\n  "message": {one(d.message)},\n  "path": {one(d.location.path)},'
        f'\n  "line": {one(d.location.line)},\n  "col": {one(d.location.col)},\n  "hint": {one(d.hint)}\n }}'
        for d in diagnostics
    ]
    return "[\n" + ",\n".join(items) + "\n]"


def diagnostics_from_json(text: str) -> list[Diagnostic]:
    return [
        Diagnostic(d["code"], d["message"], Location(d["path"], d["line"], d["col"]), d["hint"])
        for d in json.loads(text)
    ]
