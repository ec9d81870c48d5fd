"""The site stage of a build: mkdocs-material run on the generated pages, with the project's
mkdocs.yml (or fadian's own settings) and a fixed SOURCE_DATE_EPOCH."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from fadian.manifest import Manifest
from fadian.project.model import ProjectLayout
from fadian.project.publish import TRASH, LinkedCopy, start_copy, start_linking
from fadian.render.site import SITE_SETTINGS
from fadian.render.site_sources import SiteSources
from fadian.uri import FrbrUri


class SiteBuildError(Exception):
    """mkdocs could not build the site."""


def site_epoch(manifest: Manifest) -> str:
    """SOURCE_DATE_EPOCH for the site (the sitemap's dates): given, else the newest expression."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    import datetime as dt

    dates = [
        FrbrUri.parse(e.expression_uri).expression_date or ""
        for e in [*manifest.documents, *manifest.bulletins]
    ]
    newest = max((d for d in dates if len(d) == 10), default="1970-01-01")
    day = dt.date.fromisoformat(newest)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


def site_key(project: ProjectLayout) -> str:
    """What every page of the site depends on besides its own inputs: fadian's code (templates,
    assets, the renderer) and the site's settings."""
    import hashlib

    from fadian.project.fingerprint import code_digest

    config = project.root / "mkdocs.yml"
    settings = config.read_bytes() if config.is_file() else b"-"
    return hashlib.sha256(code_digest().encode() + b"\0" + settings).hexdigest()


def read_site_state(generation: Path | None) -> dict | None:
    """The site state a published generation recorded (None: none, or unreadable)."""
    import json

    from fadian.render.site_sources import SITE_STATE

    if generation is None or not (generation / "site").is_dir():
        return None
    try:
        return json.loads((generation / SITE_STATE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


SITE_COPY = ".site-copy-"  # in build/, with the building process's id
TEMPLATE_CACHE = ".template-cache"  # in build/: the theme's templates compiled (Jinja's bytecode)


def _site_entries(generation: Path) -> list[Path]:
    """What a new site takes of a published one: all of it (an unchanged search shard too)."""
    return sorted((generation / "site").iterdir())


def _spare_site(build: Path) -> Path | None:
    """An old site waiting in the trash, if any: a copy a build did not take, or the site of
    the newest old generation (whatever it holds, site_sync makes it whole)."""
    spares = [*sorted(build.glob(f"{TRASH}*/site")), *sorted(build.glob(f"{TRASH}{SITE_COPY.lstrip('.')}*"))]
    spares = [p for p in spares if p.is_dir() and not p.is_symlink()]
    return spares[-1] if spares else None


def start_site_copy(build: Path, generation: Path | None) -> LinkedCopy | None:
    """Start linking ``generation``'s site into build/ (None: nothing to link, or not on
    Linux). Started before the build holds its lock: link_previous_site takes it only if it is
    a whole copy of the generation the build then finds published."""
    if generation is None or not sys.platform.startswith("linux"):
        return None
    try:
        entries = _site_entries(generation)
    except OSError:
        return None
    if not entries:
        return None
    target = build / f"{SITE_COPY}{os.getpid()}"
    shutil.rmtree(target, ignore_errors=True)
    command = _synced_spare(build, generation, target)
    if command is None:  # no old site to bring up to date: linked anew
        return start_linking(generation, entries, target)
    path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
    return start_copy(generation, target, command, env={**os.environ, "PYTHONPATH": path})


def _synced_spare(build: Path, generation: Path, target: Path) -> list[str] | None:
    """An old site taken from the trash as ``target``, and the command that brings it up to
    date with ``generation``'s; None when there is none (or a concurrent build took it)."""
    spare = _spare_site(build)
    if spare is None:
        return None
    try:
        spare.rename(target)
    except OSError:
        return None
    return [*SITE_SYNC, str(generation / "site"), str(target)]


SITE_SYNC = [sys.executable, "-m", "fadian.project.site_sync"]
# fadian's own folder first on the path: site_sync is this fadian's, however it was imported
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent.parent)


def link_previous_site(previous: Path, site_dir: Path, copy: LinkedCopy | None = None) -> None:
    """The previous generation's site as hard links (never written through: the plugin unlinks
    what mkdocs rewrites, the pages stage what it writes, the search stage relinks the shards
    that changed): the ``copy`` started early when it is of that generation and whole."""
    if copy is not None and copy.whole_copy_of(previous):
        try:
            copy.target.rename(site_dir)
            return
        except OSError:
            pass
    entries = _site_entries(previous)
    site_dir.mkdir(parents=True)
    if sys.platform.startswith("linux") and entries and shutil.which("cp"):
        linked = subprocess.run(["cp", "-al", "--", *map(str, entries), str(site_dir)], capture_output=True)
        if linked.returncode == 0:
            return
        shutil.rmtree(site_dir)
        site_dir.mkdir()
    for entry in entries:
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, site_dir / entry.name, copy_function=os.link)
        else:
            os.link(entry, site_dir / entry.name, follow_symlinks=False)


def remove_stale(site_dir: Path, stale: set[str]) -> None:
    """The ``stale`` files (pages and downloads, by source path) a site linked from the
    previous one has and this build no longer has, and the folders they leave empty."""
    from fadian.render.shell import output_path

    for uri in stale:
        page = site_dir / output_path(uri)
        page.unlink(missing_ok=True)
        folder = page.parent
        while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def use_properdocs() -> None:
    """Run the site on ProperDocs, the maintained fork of MkDocs 1.x: once its replacement module
    is imported, every ``mkdocs.*`` import (mkdocs-material's, the fadian plugin's) is
    ProperDocs'. It builds the same pages as MkDocs 1.6 (only the generator meta tag differs)."""
    import properdocs.replacement  # noqa: F401


def build_site(
    project: ProjectLayout, sources: SiteSources, site_dir: Path, epoch: str = "0", dirty: bool = False
) -> None:
    """Run mkdocs (with the project's mkdocs.yml) on the pages in ``sources``, into ``site_dir``
    (``dirty``: which holds pages already, kept; else emptied first).

    The fadian plugin of this mkdocs run is handed the pages (it adds them as generated files),
    so it never calls back into the build. mkdocs's docs folder is the project's sources/."""
    use_properdocs()
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = project.root / "mkdocs.yml"
    if not config_file.is_file():  # a project without its own site settings
        config_file = SITE_SETTINGS
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch  # mkdocs reads the sitemap's dates from it
    try:
        # absolute: mkdocs reads relative folders against the config file's own folder, which
        # for a project without mkdocs.yml is fadian's package
        config = load_config(
            str(config_file), docs_dir=str(project.sources.resolve()), site_dir=str(site_dir.resolve())
        )
        plugin = config.plugins.get("fadian")
        if plugin is None:
            raise SiteBuildError(f"{config_file.name} does not use the fadian plugin (plugins: [fadian])")
        plugin.sources = sources
        plugin.template_cache = project.build_dir / TEMPLATE_CACHE
        with _quiet_dirty_warning():
            mkdocs_build(config, dirty=dirty)
    except (MkDocsException, OSError) as exc:
        raise SiteBuildError(f"mkdocs failed: {exc}") from exc
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch


class _DirtyWarning:
    """mkdocs warns that a dirty build leaves stale navigation; fadian's are not (the pages it
    keeps are the ones whose inputs, navigation included, are unchanged)."""

    def filter(self, record) -> bool:
        return not str(record.msg).startswith("A 'dirty' build")


@contextlib.contextmanager
def _quiet_dirty_warning():
    from mkdocs.commands import build as mkdocs_build_module

    quiet = _DirtyWarning()
    mkdocs_build_module.log.addFilter(quiet)
    try:
        yield
    finally:
        mkdocs_build_module.log.removeFilter(quiet)
