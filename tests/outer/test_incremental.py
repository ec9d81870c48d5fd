"""Incremental and distributed builds give the same bytes: the seed built cold, rebuilt after a
source was touched and reverted, and built on a Dask LocalCluster, publishes identical trees;
a build with nothing changed parses nothing and keeps the published generation."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from fadian.project.publish import GENERATIONS

from conftest import REPO, run_fadian, run_git, seed_repository, walk_files

LAW = "sources/documents/digital-economy-promotion-law-expert-draft.txt"


def published_digest(root) -> dict[str, str]:
    """Every published file (build/ and site/ through their links), by path."""
    out = {}
    for base in ("build", "site"):
        for path in walk_files(root / base):
            out[f"{base}/{path.relative_to(root / base).as_posix()}"] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return out


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory):
    return seed_repository(tmp_path_factory.mktemp("incremental"))


def build(root, *args):
    proc = run_fadian("build", "--root", str(root), "--no-editions", *args)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return proc


def test_touch_and_revert_and_dask_give_the_cold_bytes(seed_project):
    from distributed import LocalCluster

    root = seed_project
    build(root)
    cold = published_digest(root)
    assert any(k.startswith("site/documents/") for k in cold)

    law = root / LAW
    original = law.read_bytes()
    law.write_bytes(original + b"\n")  # touched: a real rebuild
    assert "nothing changed" not in build(root).stderr.decode()
    law.write_bytes(original)  # reverted: rebuilt again, to the cold bytes
    assert "nothing changed" not in build(root).stderr.decode()
    assert published_digest(root) == cold

    shutil.rmtree(root / "build")
    (root / "site").unlink()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        before = sum(cluster.scheduler.transition_counter for _ in [0])
        build(root, "--scheduler", cluster.scheduler_address)
        ran = cluster.scheduler.transition_counter - before
    assert ran > 0  # the pages were rendered on the cluster's workers
    assert published_digest(root) == cold


def test_a_build_with_nothing_changed_keeps_the_published_generation(seed_project):
    root = seed_project
    build(root)
    current = (root / "build" / ".current").resolve()
    before = published_digest(root)
    proc = build(root)
    assert "nothing changed since the last build" in proc.stderr.decode()
    assert "warning[F309]" in proc.stderr.decode()  # its diagnostics are reported again
    assert (root / "build" / ".current").resolve() == current
    assert published_digest(root) == before
    # a new commit (history is an input) is not "nothing changed"
    run_git(root, "commit", "-q", "--allow-empty", "-m", "note")
    assert "nothing changed" not in build(root).stderr.decode()


def test_a_build_with_nothing_changed_loads_no_compiler(seed_project):
    """The no-op answer comes from the fingerprint alone: the parser, the AKN writer, lxml and
    mkdocs are not even imported (they were 0.8 s of a 0.9 s no-op build)."""
    root = seed_project
    build(root)
    probe = (
        "import sys\n"
        "from fadian.cli import cli\n"
        "try:\n"
        f"    cli.main(['build', '--root', {str(root)!r}, '--no-editions'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "heavy = [m for m in ('fadian.pipeline', 'fadian.read.parse', 'lxml.etree', 'mkdocs', 'properdocs')"
        " if m in sys.modules]\n"
        "print('exit', code, 'loaded', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, cwd=REPO)
    err = proc.stderr.decode()
    assert "nothing changed since the last build" in err
    assert "exit 0 loaded []" in err, err[-1500:]


def test_an_unreachable_scheduler_is_a_clear_error_and_keeps_the_build(seed_project):
    root = seed_project
    build(root)
    before = published_digest(root)
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = run_fadian("build", "--root", str(root), "--no-editions", "--scheduler", f"tcp://127.0.0.1:{port}")
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "error[F907]" in err and "Traceback" not in err
    assert published_digest(root) == before


def test_a_build_from_inside_the_project_has_its_search(seed_project):
    """`fadian build` run in the project folder (root ".") indexes the site like any other."""
    law = seed_project / LAW
    law.write_bytes(law.read_bytes() + b"\n")  # a real build, not a no-op
    proc = subprocess.run(
        [sys.executable, "-m", "fadian", "build", "--no-editions", "--root", "."],
        cwd=seed_project,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    err = proc.stderr.decode()
    assert proc.returncode == 0 and "F905" not in err and "nothing changed" not in err, err[-1500:]
    bundles = json.loads((seed_project / "site" / "pagefind" / "bundles.json").read_text("utf-8"))
    assert bundles and all(
        list((seed_project / "site" / "pagefind" / b).glob("pagefind.*.pf_meta")) for b in bundles
    )


def _files(folder) -> dict[str, tuple[int, str]]:
    """Every file of a generation: inode and content digest, by path."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def test_an_edit_remakes_only_its_pages_and_gives_the_cold_bytes(tmp_path):
    """After an edit the other documents are not compiled again (the build cache) and their pages
    not made again (the new site holds the previous build's files, hard-linked), the previous
    generation is left exactly as it was, and the result is byte for byte the cold build of the
    edited sources."""
    root = seed_repository(tmp_path / "edited")
    build(root)
    previous = (root / "build" / ".current").resolve()
    previous_files = _files(previous)

    wuhan = root / "sources" / "documents" / "wuhan-digital-economy-promotion-regulations-draft.txt"
    text = wuhan.read_text("utf-8")
    at = text.index("第五条")
    wuhan.write_text(text[:at] + text[at:].replace("。", "，并定期评估。", 1), "utf-8")
    run_git(root, "commit", "-q", "-am", "第五条 增加定期评估", date="2023-06-01T12:00:00")
    err = build(root).stderr.decode()
    assert "6 unchanged document(s) taken from the build cache" in err  # only Wuhan compiled
    # the published site was linked while the build compiled, and taken whole: no copy is left
    assert not list((root / "build").glob(".site-copy-*"))
    current = (root / "build" / ".current").resolve()
    assert current != previous
    assert _files(previous) == previous_files  # nothing written through a hard link

    now = _files(current)
    kept = "site/documents/fujian-data-centre-computing-subsidy-points/index.html"
    remade = "site/documents/wuhan-digital-economy-promotion-regulations-draft/index.html"
    assert now[kept][0] == previous_files[kept][0]  # the same file: not made again
    assert now[remade][0] != previous_files[remade][0] and now[remade][1] != previous_files[remade][1]
    assert "定期评估" in (current / remade).read_text("utf-8")

    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    build(cold)
    assert published_digest(cold) == published_digest(root)


def test_the_build_cache_keeps_each_akn_once_and_compiles_again_without_it(tmp_path):
    """The cache keeps every published AKN and history.json once, under its sha256; an edit
    drops the edited text's old files; a cache file gone makes its text compiled again, and
    the result is still the cold build's."""
    root = seed_repository(tmp_path / "cached")
    build(root)
    blobs = root / "build" / ".doc-cache" / "blobs"

    def published() -> set[str]:
        files = [*(root / "build" / "akn").glob("*.xml"), *(root / "build" / "history").rglob("*.*")]
        return {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}

    assert published() == {p.name for p in blobs.iterdir()}
    fujian = hashlib.sha256(
        (root / "build" / "akn" / "fujian-data-centre-computing-subsidy-points.xml").read_bytes()
    ).hexdigest()
    (blobs / fujian).unlink()
    wuhan = root / "sources" / "documents" / "wuhan-digital-economy-promotion-regulations-draft.txt"
    wuhan.write_text(wuhan.read_text("utf-8").replace("。", "，并定期评估。", 1), "utf-8")
    run_git(root, "commit", "-q", "-am", "增加定期评估", date="2023-06-01T12:00:00")
    err = build(root).stderr.decode()
    assert "5 unchanged document(s) taken from the build cache" in err  # Wuhan and Fujian compiled
    assert published() == {p.name for p in blobs.iterdir()}  # Wuhan's old files pruned, Fujian's back

    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    build(cold)
    assert published_digest(cold) == published_digest(root)


def test_unchanged_documents_are_taken_from_the_last_builds_state(tmp_path):
    """The last build's documents are kept together by path (build/.doc-cache/state): after an
    edit and a commit, a text whose bytes and commits are unchanged is taken from there — its
    own cache file is not needed (deleted here) — a broken state file only costs time, and the
    result is the cold build's (also where the edited text's pages go through mkdocs and the
    site's own pages are kept: their navigation is whole)."""
    root = seed_repository(tmp_path / "stated")
    build(root)
    cache = root / "build" / ".doc-cache"
    state = cache / "state"
    assert state.is_file()
    entries = {p for p in cache.iterdir() if p.is_file() and p.name not in ("state", "drafts")}
    assert len(entries) == 7  # the seed's seven documents
    for entry in entries:
        entry.unlink()  # the state holds what the next build needs
    wuhan = root / "sources" / "documents" / "wuhan-digital-economy-promotion-regulations-draft.txt"
    wuhan.write_text(wuhan.read_text("utf-8").replace("。", "，并定期评估。", 1), "utf-8")
    run_git(root, "commit", "-q", "-am", "增加定期评估", date="2023-06-01T12:00:00")
    err = build(root).stderr.decode()
    assert "6 unchanged document(s) taken from the build cache" in err, err[-2000:]
    kept = {p.name for p in cache.iterdir() if p.is_file() and p.name not in ("state", "drafts")}
    assert len(kept) == 1  # Wuhan's new entry; the others live in the state only

    state.write_bytes(b"not a pickle")
    wuhan.write_text(wuhan.read_text("utf-8").replace("定期评估", "定期评价", 1), "utf-8")
    err = build(root).stderr.decode()
    assert "taken from the build cache" not in err.replace("1 unchanged", "")  # read and compiled
    assert "定期评价" in (
        root / "build" / "akn" / "wuhan-digital-economy-promotion-regulations-draft.xml"
    ).read_text("utf-8")

    # the edited text's history pages went through mkdocs beside the kept home and browse pages:
    # their navigation still leads to those pages, not to Markdown files
    history = root / "site" / "history" / "wuhan-digital-economy-promotion-regulations-draft"
    pages = [p.read_text("utf-8") for p in history.rglob("*.html")]
    assert pages and not any(re.search(r'href="[^"]*\.md"', html) for html in pages)

    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    build(cold)
    assert published_digest(cold) == published_digest(root)


def test_an_old_generations_site_is_brought_up_to_date_for_the_next_build(tmp_path):
    """From the second build on, the previous generation is kept whole until the next build
    starts, which moves it to the trash: its site is taken as that build's copy of the published
    one and only what differs is relinked (its folders are the new site's), instead of a new
    tree of links and a deletion of the old one. The published generation is never written
    through, and the result is the cold build's."""
    root = seed_repository(tmp_path / "recycled")
    extra = root / "sources" / "documents" / "cited.txt"  # a text that is gone by the last build
    extra.write_text(CITED, "utf-8")
    wuhan = root / "sources" / "documents" / "wuhan-digital-economy-promotion-regulations-draft.txt"
    for k, article in enumerate(("第五条", "第六条", "第七条")):
        text = wuhan.read_text("utf-8")
        at = text.index(article)
        wuhan.write_text(text[:at] + text[at:].replace("。", "，并定期评估。", 1), "utf-8")
        run_git(root, "commit", "-q", "-am", f"{article} 增加定期评估", date=f"2023-06-0{k + 1}T12:00:00")
        build(root)
    build_dir = root / "build"
    published = (build_dir / ".current").resolve()
    previous = [g for g in sorted((build_dir / GENERATIONS).iterdir()) if g != published]
    assert len(previous) == 1 and (previous[0] / ".published").is_file()
    documents = (previous[0] / "site" / "documents").stat().st_ino
    history = (previous[0] / "history").stat().st_ino
    published_files = _files(published)

    fujian = root / "sources" / "documents" / "fujian-data-centre-computing-subsidy-points.txt"
    fujian.write_text(fujian.read_text("utf-8").replace("。", "，逐年评估。", 1), "utf-8")
    extra.unlink()
    run_git(root, "commit", "-q", "-am", "逐年评估", date="2023-07-01T12:00:00")
    build(root)
    current = (build_dir / ".current").resolve()
    assert (current / "site" / "documents").stat().st_ino == documents  # the old site, brought up to date
    assert (current / "history").stat().st_ino == history  # and its histories, with AKN beside them
    assert not (current / "history" / "cited").exists() and not (current / "akn" / "cited.xml").exists()
    assert _files(published) == published_files  # nothing written through a hard link
    assert not list(build_dir.glob(".site-copy-*"))
    assert "逐年评估" in (
        current / "site" / "documents" / "fujian-data-centre-computing-subsidy-points" / "index.html"
    ).read_text("utf-8")

    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    build(cold)
    assert published_digest(cold) == published_digest(root)


def test_an_edit_that_changes_what_every_page_lists_remakes_the_sites_own_pages(tmp_path):
    """A text edited (its body only): the site's own pages (home, browse, registry) are the
    previous build's files; its title changed: the navigation's pages and those that list it are
    made again, the others (a browse page of other texts) kept. Both give the cold bytes."""
    root = seed_repository(tmp_path / "edited")
    home = "site/index.html"
    wuhan = root / "sources" / "documents" / "wuhan-digital-economy-promotion-regulations-draft.txt"
    for article in ("第五条", "第六条"):  # a version in git (the site gets its feed), then an edit
        text = wuhan.read_text("utf-8")
        at = text.index(article)
        wuhan.write_text(text[:at] + text[at:].replace("。", "，并定期评估。", 1), "utf-8")
        if article == "第五条":
            run_git(root, "commit", "-q", "-am", "第五条 增加定期评估", date="2023-06-01T12:00:00")
            build(root)
    before = (root / "build" / ".current").resolve()
    build(root)
    after = (root / "build" / ".current").resolve()
    assert (after / home).stat().st_ino == (before / home).stat().st_ino  # not made again
    wuhan.write_text(
        wuhan.read_text("utf-8").replace("title: 武汉市数字经济促进条例", "title: 武汉市数字经济发展条例"),
        "utf-8",
    )
    build(root)
    now = (root / "build" / ".current").resolve()
    assert (now / home).stat().st_ino != (after / home).stat().st_ino
    # of the browse pages, those that list the text are made again, the others are kept
    browse = {p.relative_to(now): p.read_text("utf-8") for p in (now / "site" / "browse").rglob("*.html")}
    lists = {p for p, html in browse.items() if "武汉市数字经济发展条例" in html}
    others = {p for p, html in browse.items() if "武汉" not in html and p.parent.name != "browse"}
    assert lists and others
    assert all((now / p).stat().st_ino != (after / p).stat().st_ino for p in lists)
    assert all((now / p).stat().st_ino == (after / p).stat().st_ino for p in others)
    # the theme's templates were compiled once and read back (the cold build below compiles)
    assert list((root / "build" / ".template-cache").iterdir())
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("build", "site"))
    build(cold)
    assert published_digest(cold) == published_digest(root)


CITED = """---
slug: cited
type: act
title: 测试保障法
date: 2024-01-01
---
测试保障法

第一条 为了保障测试，制定本法。

第二条 测试应当依法进行。

第三条 本法自公布之日起施行。
"""
CITING = """---
slug: citing
type: act
title: 测试实施办法
date: 2024-02-01
---
测试实施办法

第一条 根据《测试保障法》第三条，制定本办法。

第二条 本办法自发布之日起施行。
"""


def test_a_document_is_compiled_again_when_what_it_cites_changes(tmp_path):
    """The cache keeps a document only while the index answers its citations as before: when
    the law it cites loses the cited article, the citing document is compiled again and says so."""
    root = tmp_path / "p"
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "documents" / "cited.txt").write_text(CITED, "utf-8")
    (root / "sources" / "documents" / "citing.txt").write_text(CITING, "utf-8")
    first = build(root).stderr.decode()
    assert "taken from the build cache" not in first and "citing.txt" not in first
    link = 'href="/akn/cn/act/2024-01-01/cited/~art_3"'
    assert link in (root / "build" / "akn" / "citing.xml").read_text("utf-8")

    (root / "sources" / "documents" / "cited.txt").write_text(
        CITED.replace("测试应当依法进行", "测试应当依法进行。本法自公布之日起施行").split("\n\n第三条")[0]
        + "\n",
        "utf-8",
    )
    second = build(root).stderr.decode()
    assert "taken from the build cache" not in second  # both compiled: citing.txt's answer changed
    assert re.search(r"citing\.txt:\d+:\d+: warning\[F\d+\].*第三条", second), second[-1500:]
    assert link not in (root / "build" / "akn" / "citing.xml").read_text("utf-8")

    (root / "sources" / "documents" / "cited.txt").write_text(CITED, "utf-8")
    third = build(root).stderr.decode()
    assert "taken from the build cache" not in third  # 第三条 is back: citing.txt compiled again
    assert link in (root / "build" / "akn" / "citing.xml").read_text("utf-8")

    (root / "sources" / "documents" / "cited.txt").write_text(CITED.replace("保障测试", "保障检验"), "utf-8")
    fourth = build(root).stderr.decode()
    assert "1 unchanged document(s) taken from the build cache" in fourth  # the same answers
    cold = tmp_path / "cold"
    shutil.copytree(root / "sources", cold / "sources")
    build(cold)
    assert published_digest(cold) == published_digest(root)


def test_an_edit_indexes_only_its_search_shard(tmp_path):
    """Search shards are cached by what they are made from: after an edit only the shards whose
    pages changed are indexed again, the others are the same files as before; of the shard
    indexed again, only the edited text's page is made again, and only its link in the folder
    Pagefind reads is new."""
    root = tmp_path / "p"
    shutil.copytree(REPO / "sources", root / "sources")
    small_shards = {"FADIAN_SEARCH_SHARD_DOCS": "2"}  # the 7 documents and the bulletin: 4 shards
    proc = run_fadian("build", "--root", str(root), "--no-editions", env=small_shards)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    cache = root / "build" / ".search-cache"
    before = {p.name for p in cache.iterdir() if p.name not in ("pages", "sites")}
    pages_before = {p.name for p in (cache / "pages").iterdir()}
    linked_before = {p: p.stat().st_ino for p in (cache / "sites").glob("*/*/*/index.html")}
    assert len(linked_before) == 8 and len({p.parts[-4] for p in linked_before}) == 4
    assert len(pages_before) == 8  # a page for the index per document and bulletin issue
    bundles = json.loads((root / "site" / "pagefind" / "bundles.json").read_text("utf-8"))
    assert len(bundles) == len(before) == 4

    fujian = root / "sources" / "documents" / "fujian-data-centre-computing-subsidy-points.txt"
    text = fujian.read_text("utf-8")
    at = text.rindex("。")  # the last sentence: not the title, which the bulletin's contents show
    fujian.write_text(text[:at] + "（测试）" + text[at:], "utf-8")
    proc = run_fadian("build", "--root", str(root), "--no-editions", env=small_shards)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    after = {p.name for p in cache.iterdir() if p.name not in ("pages", "sites")}
    assert len(after) == 4 and len(after - before) == 1  # one shard indexed again, three kept
    linked_after = {p: p.stat().st_ino for p in (cache / "sites").glob("*/*/*/index.html")}
    assert linked_after.keys() == linked_before.keys()
    relinked = [p for p in linked_after if linked_after[p] != linked_before[p]]
    assert [p.parent.name for p in relinked] == ["fujian-data-centre-computing-subsidy-points"]
    pages_after = {p.name for p in (cache / "pages").iterdir()}
    assert len(pages_after) == 8 and len(pages_after - pages_before) == 1  # one page made again
    index = root / "site" / "pagefind"
    kept = [b for b in bundles if (index / b / "pagefind-entry.json").stat().st_nlink > 1]
    assert len(kept) == 4  # every bundle of the site is a link into the cache


def test_a_new_theme_version_is_a_changed_input(monkeypatch):
    """The fingerprint and the caches key on the theme's and the writers' versions too: after an
    upgrade of mkdocs-material no page is taken from the previous site."""
    from importlib import metadata

    from fadian.project import fingerprint

    fingerprint.code_digest.cache_clear()
    before = fingerprint.code_digest()
    real = metadata.version
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "mkdocs-material" else real(name))
    fingerprint.code_digest.cache_clear()
    try:
        assert fingerprint.code_digest() != before
    finally:
        monkeypatch.undo()
        fingerprint.code_digest.cache_clear()
    assert fingerprint.code_digest() == before
