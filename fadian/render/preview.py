"""`fadian serve`: an editor's live preview that never touches the published build.

Everything the preview makes lives in ``build/.preview/`` (its data, its pages, its site and a
generated mkdocs configuration); the published ``build/`` and ``site/`` stay as they are. When a
source has an error, the preview keeps the last good pages and every page shows the error
(the mkdocs plugin reads it from :data:`ERROR_FILE`), so the open page reloads with the message
instead of hanging; fixing the source brings the pages back.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

PREVIEW = ".preview"
ERROR_FILE = "errors.json"


def preview_dir(root: Path) -> Path:
    return root.resolve() / "build" / PREVIEW


def regenerate(root: Path) -> list[str]:
    """Rebuild the preview pages from sources/; returns the error lines (empty when fine)."""
    from fadian.project.build import Project, check_project
    from fadian.project.outputs import _write_staging
    from fadian.render.site_sources import write_site_sources

    project = Project(root.resolve())
    out = preview_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    result = check_project(project, history=True)
    errors = [d.format() for d in result.all_diagnostics if d.is_error]
    error_file = out / ERROR_FILE
    if errors:
        error_file.write_text(json.dumps(errors, ensure_ascii=False), encoding="utf-8")
        pages = out / "site-src"
        if not (pages / "index.md").exists():  # nothing good yet: a page that shows the error
            pages.mkdir(parents=True, exist_ok=True)
            (pages / "index.md").write_text("# 预览\n", encoding="utf-8")
        return errors
    data = out / f"data-{os.getpid()}"
    new_pages = out / f"site-src-{os.getpid()}"
    for folder in (data, new_pages):
        shutil.rmtree(folder, ignore_errors=True)
    _write_staging(project, result, data).write(data)  # the manifest, as a build writes it
    write_site_sources(data, new_pages)
    shutil.rmtree(out / "data", ignore_errors=True)
    data.rename(out / "data")
    shutil.rmtree(out / "site-src", ignore_errors=True)
    new_pages.rename(out / "site-src")
    error_file.unlink(missing_ok=True)
    return []


def error_banner(root: Path) -> str:
    """The HTML every preview page shows while a source has errors ('' when there are none)."""
    path = preview_dir(root) / ERROR_FILE
    if not path.is_file():
        return ""
    errors = json.loads(path.read_text("utf-8"))
    from fadian.render.html import render

    return render("serve_error.html.j2", errors=errors).strip()


def write_config(root: Path) -> Path:
    """A mkdocs configuration for the preview: the project's (or fadian's) settings, with the
    preview's own folders and the fadian plugin in preview mode."""
    root = root.resolve()
    out = preview_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    base = root / "mkdocs.yml"
    if not base.is_file():
        base = Path(__file__).parent / "mkdocs_site.yml"
    config = {
        "INHERIT": str(base),
        "docs_dir": str(out / "site-src"),
        "site_dir": str(out / "site"),
        "plugins": {
            "search": {"lang": "zh", "fields": {"words": {"boost": 1}}},
            "fadian": {"preview": str(root)},
        },
    }
    path = out / "mkdocs.yml"
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")  # JSON is YAML
    return path
