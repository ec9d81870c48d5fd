"""What an edit's build does early so that it ends sooner: its search shard handed to Pagefind
before the build goes on, the AKN schema compiled beside the build's work, the templates'
compiled code kept between builds, the checked documents out of the cyclic collector's sight."""

from __future__ import annotations

import gc
import shutil

from lxml import etree

from fadian.project.build import Project

from conftest import REPO


def test_an_edits_search_shard_is_with_pagefind_when_the_search_stage_returns(tmp_path):
    """A shard with few pages to make is made and given to Pagefind by the build's own thread:
    when start_search_index returns, Pagefind runs on a complete folder (in a pool thread, its
    ~500 file calls each waited for the build's thread: Pagefind started a second late)."""
    from fadian.project.check import check_project
    from fadian.project.outputs import plan_staging
    from fadian.project.search_stage import (
        PAGEFIND_DIR,
        SITES_DIR,
        cancel_search_index,
        finish_search_index,
        start_search_index,
    )

    root = tmp_path / "p"
    shutil.copytree(REPO / "sources", root / "sources")
    result = check_project(Project(root))
    assert result.ok
    plan = plan_staging(result)
    cache = tmp_path / "search-cache"
    job = start_search_index(plan, cache)
    try:
        assert not isinstance(job, list) and len(job.keys) == 1  # 8 pages: one shard
        assert len(job.procs) == 1  # Pagefind started here, not in the pool
        pages = list((cache / SITES_DIR / "0-of-1").glob("*/*/index.html"))
        assert len(pages) == len(result.documents) + len(result.bulletins) == 8
        site = tmp_path / "site"
        assert finish_search_index(job, site) == []
        assert (site / PAGEFIND_DIR / "0" / "pagefind-entry.json").is_file()
        assert job.procs[0].returncode == 0
    finally:
        cancel_search_index(job)


def test_the_schema_compiled_aside_is_the_one_validation_uses():
    """Compiled in a thread, the schema validates in the build's thread exactly as one compiled
    there: a valid document passes, an invalid one fails with the same messages."""
    from fadian.akn import validate

    validate._compiled_schema.cache_clear()
    validate.compile_schema_aside()
    aside = validate.lxml_schema()  # (waits for the thread's compilation)
    assert validate.lxml_schema() is aside
    here = etree.XMLSchema(etree.parse(str(validate.schema_path())))
    from fadian.pipeline import compile_standalone

    doc = compile_standalone(
        "x.txt", "测试法\n\n第一条 为了测试，制定本法。\n".encode(), "x", date="2024-01-01"
    )
    assert aside.validate(doc.root) and here.validate(doc.root)
    doc.root[0].set("bogus", "1")
    assert not aside.validate(doc.root) and not here.validate(doc.root)
    assert [e.message for e in aside.error_log] == [e.message for e in here.error_log]
    assert [d.code for d in validate.validate_akn(doc.root, "x.txt")][:1] == ["F501"]


def test_the_templates_compiled_code_is_kept_and_a_folder_that_cannot_hold_it_costs_nothing(tmp_path):
    from fadian.render import html

    """A template compiled once is kept in the build's folder for the next build (compiling the
    pages' templates was a sixth of an edit's pages); an unwritable folder is only no cache."""
    html.environment.cache_clear()  # a fresh environment: every template compiled again
    kept = tmp_path / "templates"
    with html.templates_cached_in(kept):
        html.environment().get_template("page.html.j2")
    made = list(kept.iterdir())
    assert made and {p.suffix for p in made} == {".cache"}
    html.environment.cache_clear()
    with html.templates_cached_in(kept):  # read back, not written again
        html.environment().get_template("page.html.j2")
    assert sorted(kept.iterdir()) == sorted(made)
    assert html.environment().bytecode_cache is None  # as it was, once the build ends
    html.environment.cache_clear()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    with html.templates_cached_in(blocked):
        assert html.environment().get_template("page.html.j2") is not None
    html.environment.cache_clear()


def test_what_a_build_froze_is_unfrozen_when_it_ends_and_a_check_freezes_nothing():
    from fadian.pipeline import freeze_heap, heap_frozen

    before = gc.get_freeze_count()
    freeze_heap()  # outside a build: nothing
    assert gc.get_freeze_count() == before
    with heap_frozen():
        kept = [object() for _ in range(10)]  # noqa: F841  (alive while frozen)
        freeze_heap()
        assert gc.get_freeze_count() > before
    assert gc.get_freeze_count() == 0


class _Ended(Exception):
    """os._exit, as the test sees it."""


def test_a_finished_build_ends_its_process_without_the_teardown(tmp_path, monkeypatch, capfd):
    """`fadian build` ends with os._exit once it has printed everything (the interpreter's teardown
    freed the loaded state object by object: 0.2 s of an edit at 3,000 texts), with the exit code
    `sys.exit` would give and nothing of its output lost; another command ends as usual."""
    from fadian import cli

    def ended(status: int) -> None:
        raise _Ended(status)

    root = tmp_path / "p"
    shutil.copytree(REPO / "sources", root / "sources")
    monkeypatch.setattr(cli.os, "_exit", ended)
    monkeypatch.setattr(cli, "_END_AT_ONCE", [])
    monkeypatch.setattr("sys.argv", ["fadian", "check", "--root", str(root)])
    try:
        cli.main()
    except SystemExit as exc:  # a check: the usual way out
        assert exc.code == 0
    argv = ["fadian", "build", "--root", str(root), "--no-editions", "--no-search"]
    monkeypatch.setattr("sys.argv", argv)
    try:
        cli.main()
    except _Ended as exc:
        assert exc.args == (0,)
    else:
        raise AssertionError("the build's process was not ended at once")
    assert "built 8 AKN file(s): 0 error(s)" in capfd.readouterr().err
    (root / "sources" / "documents" / "broken.txt").write_text("---\nslug: [\n---\n", "utf-8")
    monkeypatch.setattr(cli, "_END_AT_ONCE", [])
    try:
        cli.main()
    except _Ended as exc:
        assert exc.args == (1,)  # the build's errors: the same code as before
    else:
        raise AssertionError("the build's process was not ended at once")
    assert "build failed" in capfd.readouterr().err


def test_the_second_edit_after_a_full_build_brings_the_first_generation_up_to_date(tmp_path):
    """The previous generation stays whole until the next build starts; that build moves it to the
    trash and brings its folders up to date (the second edit after a full build found none there
    and linked the whole site anew: 22,000 files at 3,000 texts)."""
    from fadian.project.build import build_project
    from fadian.project.publish import GENERATIONS

    root = tmp_path / "p"
    shutil.copytree(REPO / "sources", root / "sources")
    project = Project(root)
    source = sorted((root / "sources" / "documents").glob("*.txt"))[0]
    built = []
    for k in range(3):  # the full build, then two edits
        if k:
            source.write_text(source.read_text("utf-8") + f"\n第{k}次编辑增加的一段文字。\n", "utf-8")
        assert build_project(project, editions=False, search=False).ok
        current = (root / "build" / ".current").resolve()
        built.append((current, (current / "site" / "documents").stat().st_ino))
        gens = sorted((root / "build" / GENERATIONS).iterdir())
        assert gens[-1] == current and len(gens) == min(k + 1, 2)
        assert all((g / ".published").is_file() and (g / "site" / "index.html").is_file() for g in gens)
    (first, first_folder), (second, _), (_third, third_folder) = built
    assert not first.exists() and second.is_dir()  # the first reused, the previous kept whole
    assert third_folder == first_folder  # the first generation's site folders, not new ones


def test_no_edit_learns_shells_even_the_first_after_an_import(tmp_path, monkeypatch):
    """A project imported with one version of each text has no version pages: its first build
    checks their shells on real pages placed at their depth, and links the (empty) feed of
    changes, so no edit learns a shell or puts a text's page through mkdocs (the site's own pages
    go only when what they show changed), and the site is the one a cold build makes."""
    import hashlib
    import json

    from fadian.project import pages_stage, site_stage
    from fadian.project.build import build_project

    from conftest import seed_repository, walk_files

    def published(root) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in walk_files(root / "site")
        }

    runs: list[list[str]] = []
    real = site_stage.build_site

    def counted(project, sources, site_dir, *args, **kwargs):
        runs.append(sorted(sources.pages))
        return real(project, sources, site_dir, *args, **kwargs)

    monkeypatch.setattr(site_stage, "build_site", counted)
    monkeypatch.setattr(pages_stage, "build_site", counted)
    root = seed_repository(tmp_path / "p")
    project = Project(root)
    assert build_project(project, editions=False, search=False).ok
    shells = json.loads((root / "build" / ".page-shells.json").read_text("utf-8"))
    assert {s["depth"] for s in shells["shells"]} == {2, 3}  # no version pages yet, all kinds checked
    assert len(shells["seen"]) == 4
    assert 'href="feed.xml"' in (root / "site" / "index.html").read_text("utf-8")
    feed = (root / "site" / "feed.xml").read_text("utf-8")
    assert "<entry>" not in feed and "<updated>" in feed  # no change yet, dated as the site is
    edits = []
    for text in sorted((root / "sources" / "documents").glob("*.txt"))[:3]:
        runs.clear()
        text.write_text(text.read_text("utf-8") + "\n本条为测试而增加的一段文字。\n", "utf-8")
        assert build_project(project, editions=False, search=False).ok
        edits.append(list(runs))
    # no shell learnt again, no text's page through mkdocs: the first edit hands it only the site's
    # own pages whose content changed (the edited text is listed with its new version's date)
    pages = [p for run in edits[0] for p in run]
    assert not any(p.startswith(("fadian-shell-probe", "documents/", "history/", "w/")) for p in pages), pages
    assert len(edits[0]) <= 1 and edits[1:] == [[], []], edits  # the next edits: no mkdocs at all
    assert "<entry>" in (root / "site" / "feed.xml").read_text("utf-8")  # the edits are changes
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    assert build_project(Project(cold), editions=False, search=False).ok
    assert published(cold) == published(root)


def test_a_relocated_check_that_mkdocs_makes_otherwise_leaves_that_kind_to_a_real_page(tmp_path, monkeypatch):
    """A page placed at a depth to check that depth's shell, whose filled shell is not what
    mkdocs makes of it, verifies nothing: the kinds checked on real pages keep their shells, the
    placed kind is not marked as checked, and the first build with a real page of it learns its
    shell from that page."""
    import json

    from fadian.project.build import build_project
    from fadian.render import shell as shell_module
    from fadian.render.shell import PROBE_NAME

    from conftest import seed_repository

    fill = shell_module.PageShell.fill

    def unlike(self, page, fields):  # as a theme would print a placed page otherwise
        filled = fill(self, page, fields)
        return filled + "<!-- -->" if filled is not None and page.startswith(PROBE_NAME) else filled

    monkeypatch.setattr(shell_module.PageShell, "fill", unlike)
    root = seed_repository(tmp_path / "p")
    assert build_project(Project(root), editions=False, search=False).ok
    shells = json.loads((root / "build" / ".page-shells.json").read_text("utf-8"))
    assert {s["depth"] for s in shells["shells"]} == {2}  # the real pages' kinds, kept
    assert {d for d, _toc in shells["seen"]} == {2}
    text = sorted((root / "sources" / "documents").glob("*.txt"))[0]
    text.write_text(text.read_text("utf-8") + "\n本条为测试而增加的一段文字。\n", "utf-8")
    assert build_project(Project(root), editions=False, search=False).ok
    shells = json.loads((root / "build" / ".page-shells.json").read_text("utf-8"))
    assert {s["depth"] for s in shells["shells"]} == {2, 3}  # learnt from the real version pages


def test_the_first_build_leaves_a_linked_copy_for_the_first_edit(tmp_path):
    """A project's first build has no older generation for the next build to bring up to date:
    it leaves a copy of the one it published in the trash (hard links, marked as a generation
    once whole), and the first edit takes its site, AKN and history folders."""
    import hashlib
    import os

    from fadian.project.build import build_project

    from conftest import walk_files

    root = tmp_path / "p"
    shutil.copytree(REPO / "sources", root / "sources")
    project = Project(root)
    assert build_project(project, editions=False, search=False).ok
    build = root / "build"
    first = (build / ".current").resolve()
    spares = sorted(build.glob(".trash-*"))
    assert [p.name for p in spares] == [f".trash-{first.name}-spare"] and not list(build.glob(".spare-*"))
    spare = spares[0]
    assert (spare / ".published").is_file() and (spare / ".staged.json").is_file()
    for name in ("site/index.html", "site/documents", "akn", "history"):
        assert (spare / name).exists(), name
    assert os.path.samefile(spare / "site" / "index.html", first / "site" / "index.html")  # linked
    folders = [(spare / name).stat().st_ino for name in ("site/documents", "history")]

    source = sorted((root / "sources" / "documents").glob("*.txt"))[0]
    source.write_text(source.read_text("utf-8") + "\n本条为测试而增加的一段文字。\n", "utf-8")
    assert build_project(project, editions=False, search=False).ok
    current = (build / ".current").resolve()
    assert [(current / name).stat().st_ino for name in ("site/documents", "history")] == folders
    assert not list(build.glob(".trash-*")) and first.is_dir()  # the spare used up, the first kept

    def published(root) -> dict[str, str]:
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for base in ("build", "site")
            for p in walk_files(root / base)
        }

    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    assert build_project(Project(cold), editions=False, search=False).ok
    assert published(cold) == published(root)


def test_a_builds_own_process_runs_without_the_cyclic_collector_and_its_workers_with_it(
    tmp_path, monkeypatch
):
    """`fadian build` pauses Python's cyclic collector in its own process (and restores it, for a
    build run inside another program); the pool workers it forks collect their garbage."""
    from concurrent.futures import ProcessPoolExecutor

    from fadian import cli
    from fadian.project import build as build_module
    from fadian.project.publish import start_worker

    seen = []
    real = build_module.build_project

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    root = tmp_path / "p"
    shutil.copytree(REPO / "sources", root / "sources")
    monkeypatch.setattr(build_module, "build_project", watched)
    monkeypatch.setattr(cli, "_END_AT_ONCE", [])
    monkeypatch.setattr("sys.argv", ["fadian", "build", "--root", str(root), "--no-editions", "--no-search"])
    assert gc.isenabled()
    try:
        cli.cli.main(standalone_mode=False)
    except SystemExit as exc:
        assert exc.code == 0
    assert seen == [False] and gc.isenabled()  # paused for the build, restored after
    gc.disable()
    try:
        import multiprocessing

        with ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("fork"), initializer=start_worker
        ) as pool:
            assert pool.submit(gc.isenabled).result() is True
    finally:
        gc.enable()
