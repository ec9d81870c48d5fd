"""A commit costs what it changed: on the 322 texts of the shared corpus imported as an editor
would, a commit dated after every other that edits one sentence of a law other texts cite
rewrites at most 40 + 5 × (the texts that cite it) files of the site besides its search index,
and indexes one search shard again. A file is rewritten when its inode or its bytes change (a
deploy that copies by inode or time copies it again)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import pytest

from conftest import SHARED, run_fadian, run_git


def site_files(root: Path) -> dict[str, tuple[int, str]]:
    site = (root / "site").resolve()
    out = {}
    for folder, _dirs, files in os.walk(site):
        for name in files:
            path = Path(folder) / name
            out[str(path.relative_to(site))] = (os.lstat(path).st_ino, hashlib.sha256(path.read_bytes()).hexdigest())
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("commit-cost") / "p"
    assert run_fadian("init", str(root)).returncode == 0
    corpus = SHARED / "corpus"
    done = run_fadian("import", "--root", str(root), *(str(corpus / f) for f in ("national-sample", "laws", "instruments")))
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "import", date="2024-01-01T12:00:00")
    built = run_fadian("build", "--root", str(root), "--no-editions", "--keep-going")
    assert built.returncode in (0, 1) and b"build failed" not in built.stderr, built.stderr.decode()[-2000:]
    return root


def citing(root: Path) -> dict[str, set[str]]:
    """Each text → the other texts that cite it (build/reports/backlinks.json)."""
    backlinks = json.loads((root / "build" / "reports" / "backlinks.json").read_text("utf-8"))
    return {
        slug: {place["document"] for places in eids.values() for place in places} - {slug}
        for slug, eids in backlinks.items()
    }


def legal_records(root: Path) -> dict[str, dict]:
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    return {d["slug"]: d.get("legal", {}) for d in manifest["documents"]}


def linking_to(root: Path, slugs: set[str]) -> set[str]:
    """The texts whose AKN links to the work of one of ``slugs`` (a citation, or an amending
    instrument's change): a link to a work leads to its file in force, which a date can change."""
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    works = {d["work_uri"] for d in manifest["documents"] if d["slug"] in slugs}
    return {
        d["slug"]
        for d in manifest["documents"]
        if any(work in (root / d["akn"]).read_text("utf-8") for work in works)
    }


def commit_and_build(root: Path, slug: str, day: str) -> tuple[list[str], set[str], str]:
    """One sentence of ``slug`` edited and committed on ``day``, then built: the site files
    rewritten besides the search index, the search shards rewritten, and the build's stderr."""
    before = site_files(root)
    law = root / "sources" / "documents" / f"{slug}.txt"
    text = law.read_text("utf-8")
    k = text.index("。", text.index("第一条"))
    law.write_text(text[:k] + f"，此句于{day}修改" + text[k:], "utf-8")
    run_git(root, "commit", "-q", "-am", "one sentence", date=f"{day}T12:00:00")
    done = run_fadian("build", "--root", str(root), "--no-editions", "--keep-going", env={"FADIAN_TIMINGS": "1"})
    err = done.stderr.decode()
    assert done.returncode in (0, 1) and "build failed" not in err, err[-2000:]
    after = site_files(root)
    rewritten = [p for p, v in after.items() if before.get(p) != v]
    shards = {p.split("/")[1] for p in rewritten if re.match(r"pagefind/\d+/", p)}
    assert any(p.startswith(f"documents/{slug}/") for p in rewritten)  # (the edit is published)
    return [p for p in rewritten if not p.startswith("pagefind/")], shards, err


def test_a_next_day_commit_rewrites_what_it_changed(project):
    """The law most texts cite, edited the day after the last commit: its own pages and data,
    its work's, the pages that cite it, the lists and the feed, and one search shard."""
    cited_by = citing(project)
    slug = max(sorted(cited_by), key=lambda s: len(cited_by[s]))
    assert len(cited_by[slug]) >= 5  # a law other texts cite
    pages, shards, err = commit_and_build(project, slug, "2024-01-02")
    assert len(pages) <= 40 + 5 * len(cited_by[slug]), (len(pages), sorted(pages))
    assert len(shards) <= 1 and len(re.findall(r"pagefind-started", err)) == 1
    assert not [p for p in pages if p.startswith("browse/")]  # no list shows what the edit changed


def test_a_commit_that_moves_the_date_rewrites_the_texts_whose_status_changed(project):
    """23 months later, the same edit: besides the edited law's pages, only texts whose status
    (or end of force) changed in those months are rewritten, and the texts that cite them; the
    search indexes only the edited text's shard again."""
    cited_by = citing(project)
    slug = max(sorted(cited_by), key=lambda s: len(cited_by[s]))
    before = legal_records(project)
    pages, shards, _err = commit_and_build(project, slug, "2025-12-01")
    assert len(shards) <= 1  # the search index holds no status of any day: only the edit's shard
    after = legal_records(project)
    changed = {s for s in after if before.get(s) != after[s]}
    allowed = {slug, *cited_by[slug], *changed, *linking_to(project, changed)}
    documents = {p.split("/")[1] for p in pages if p.startswith(("documents/", "w/", "history/"))}
    assert documents <= allowed, sorted(documents - allowed)
    assert changed  # (texts of the corpus took effect in those months: the test sees a change)


def test_the_lists_follow_a_changed_title(project):
    """A commit that retitles a text: the browse pages that list it are made again (the lists
    are kept only while no record they show changed)."""
    cited_by = citing(project)
    slug = min(sorted(cited_by), key=lambda s: len(cited_by[s]))
    source = project / "sources" / "documents" / f"{slug}.txt"
    text = source.read_text("utf-8")
    title = re.search(r'^title: "?([^"\n]+)"?$', text, re.M).group(1)
    source.write_text(text.replace(f"title: \"{title}\"", f"title: \"{title}（改题）\""), "utf-8")
    run_git(project, "commit", "-q", "-am", "retitled", date="2026-01-01T12:00:00")
    done = run_fadian("build", "--root", str(project), "--no-editions", "--keep-going")
    assert done.returncode in (0, 1) and b"build failed" not in done.stderr
    site = (project / "site").resolve()
    lists = [p.read_text("utf-8") for p in (site / "browse").rglob("*.html")]
    assert sum(f"{title}（改题）" in page for page in lists) >= 2  # its kind, level, region or year
