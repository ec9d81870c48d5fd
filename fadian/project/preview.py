"""`fadian serve`: an editor's live preview that never touches the published build.

Everything the preview makes lives in ``build/.preview/`` (its data, its site and a generated
mkdocs configuration; the pages themselves stay in memory); the published ``build/`` and
``site/`` stay as they are. When a source has an error, the preview keeps the last good pages
and every page shows the error
(the mkdocs plugin reads it from :data:`ERROR_FILE`), so the open page reloads with the message
instead of hanging; fixing the source brings the pages back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

from fadian.project.check import check_project
from fadian.project.model import ProjectLayout
from fadian.project.outputs import write_staging
from fadian.render.html import render
from fadian.render.site import SITE_SETTINGS
from fadian.render.site_sources import SiteSources, site_sources

PREVIEW = ".preview"
ERROR_FILE = "errors.json"


def preview_dir(root: Path) -> Path:
    return root.resolve() / "build" / PREVIEW


_LAST_GOOD: dict[Path, SiteSources] = {}  # per project: the pages of its last good sources


def preview_sources(root: Path) -> SiteSources:
    """The preview's pages from sources/, in memory. With a source error, the last good pages
    (this process's, else those of the preview data a previous `fadian serve` left), and the
    error is written where every page's banner reads it."""
    project = ProjectLayout(root.resolve())
    out = preview_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    result = check_project(project, history=True)
    errors = [d.format() for d in result.all_diagnostics if d.is_error]
    error_file = out / ERROR_FILE
    if errors:
        for line in errors:
            print(line, file=sys.stderr)
        error_file.write_text(json.dumps(errors, ensure_ascii=False), encoding="utf-8")
        if project.root in _LAST_GOOD:
            return _LAST_GOOD[project.root]
        if (out / "data" / "manifest.json").is_file():
            return site_sources(out / "data")
        return SiteSources(pages={"index.md": "# 预览\n"}, nav=[{"预览": "index.md"}])
    data = out / f"data-{os.getpid()}"
    shutil.rmtree(data, ignore_errors=True)
    write_staging(result, data).write(data)  # the manifest, as a build writes it
    shutil.rmtree(out / "data", ignore_errors=True)
    data.rename(out / "data")
    error_file.unlink(missing_ok=True)
    _LAST_GOOD[project.root] = sources = site_sources(out / "data")
    return sources


def error_banner(root: Path) -> str:
    """The HTML every preview page shows while a source has errors ('' when there are none)."""
    path = preview_dir(root) / ERROR_FILE
    if not path.is_file():
        return ""
    errors = json.loads(path.read_text("utf-8"))

    return render("serve_error.html.j2", errors=errors).strip()


def write_config(root: Path) -> Path:
    """A mkdocs configuration for the preview: the project's (or fadian's) settings, with the
    preview's own folders and the fadian plugin in preview mode."""
    root = root.resolve()
    out = preview_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    base = root / "mkdocs.yml"
    if not base.is_file():
        base = SITE_SETTINGS
    config = {
        "INHERIT": str(base),
        "docs_dir": str(root / "sources"),  # the pages come from the plugin, made from them
        "site_dir": str(out / "site"),
        "plugins": {"fadian": {"preview": str(root)}},
    }
    path = out / "mkdocs.yml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return path


_BAD_PATH = re.compile(r"[\x00-\x1f\x7f]")


def guard_requests() -> None:
    """Make the preview server answer any malformed request plainly: a path with a control
    character (``GET /%00``) is 400, a method other than GET or HEAD 405, and a path the file
    system cannot open 404 — never a 500 with a traceback in the editor's terminal. The server
    is mkdocs' (ProperDocs'), made inside its serve command, so its request method is wrapped."""
    from mkdocs.livereload import LiveReloadServer

    serve = LiveReloadServer._serve_request
    if getattr(serve, "fadian_guarded", False):
        return

    def guarded(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "GET, HEAD")])
            return [b"405 Method Not Allowed"]
        if _BAD_PATH.search(path):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"400 Bad Request"]
        try:
            return serve(self, environ, start_response)
        except (OSError, ValueError, UnicodeError):
            return None  # the server answers 404

    guarded.fadian_guarded = True  # type: ignore[attr-defined]
    LiveReloadServer._serve_request = guarded
