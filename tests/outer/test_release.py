"""The bulk release: one archive of every version's AKN, every work's data, the catalogue and
openapi.json, linked from the home page, with a SHA-256 for every file in it and for itself; the
same sources give the same bytes, a build that changed no text keeps the archive (the same
file), and a commit that changed a text makes a new one under the commit's date."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_fadian, run_git, seed_repository


def build(root: Path) -> None:
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()


def release_of(site: Path) -> Path:
    """The archive the home page links."""
    home = (site / "index.html").read_text("utf-8")
    (href,) = re.findall(r'<a href="(downloads/fadian-akn-[^"]+\.zip)" download>', home)
    return site / href


def site_data(site: Path) -> dict[str, bytes]:
    """What the archive must hold: the site's AKN and data files, and openapi.json."""
    files = {
        p.relative_to(site).as_posix(): p
        for p in (site / "akn").rglob("*")
        if p.suffix in (".xml", ".json") and p.name != "articles.json"  # (the check page's: the site's own)
    }
    files["openapi.json"] = site / "openapi.json"
    return {name: path.read_bytes() for name, path in files.items()}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = seed_repository(tmp_path_factory.mktemp("release"))
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")  # the site's settings, with their footer
    (root / "fadian" / "render").mkdir(parents=True)
    shutil.copy(REPO / "fadian" / "render" / "mkdocs_site.yml", root / "fadian" / "render")
    build(root)
    return root


def test_the_archive_holds_the_sites_data_with_their_digests(project):
    site = project / "site"
    archive = release_of(site)
    digest, name = (archive.parent / (archive.name + ".sha256")).read_text("utf-8").split()
    assert name == archive.name and digest == hashlib.sha256(archive.read_bytes()).hexdigest()
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names[:2] == ["README.txt", "SHA256SUMS"]
        sums = dict(reversed(line.split("  ", 1)) for line in z.read("SHA256SUMS").decode().splitlines())
        held = {n: z.read(n) for n in names[2:]}
    expected = site_data(site)
    assert held == expected  # every AKN and data file, byte for byte, and nothing else
    assert sum(n.endswith("/!main.xml") for n in held) >= 7  # every text of the bulletin
    assert sums == {n: hashlib.sha256(data).hexdigest() for n, data in held.items()}


def test_the_same_sources_give_the_same_archive(project, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build", "site"), symlinks=True)
    build(copy)
    assert release_of(copy / "site").read_bytes() == release_of(project / "site").read_bytes()


def test_a_build_that_changed_no_text_keeps_the_archive(project):
    before = release_of(project / "site")
    inode = os.stat(before).st_ino
    settings = (project / "mkdocs.yml").read_text("utf-8")
    (project / "mkdocs.yml").write_text(re.sub(r"source: .*", "source: 测试来源", settings), "utf-8")
    build(project)
    after = release_of(project / "site")
    assert "测试来源" in (project / "site" / "index.html").read_text("utf-8")  # the site was built again
    assert after == before and os.stat(after).st_ino == inode  # not written again


def test_a_commit_that_changes_a_text_makes_a_new_archive(project):
    before = release_of(project / "site")
    text = next((project / "sources" / "documents").glob("*expert-draft*.txt"))
    text.write_text(text.read_text("utf-8").replace("数字经济", "數字經濟", 1), "utf-8")
    run_git(project, "commit", "-q", "-am", "一处修改", date="2024-02-03T12:00:00")
    build(project)
    after = release_of(project / "site")
    assert after.name == "fadian-akn-2024-02-03.zip"  # named by the date the site states
    assert not before.exists()  # the earlier release is not left beside it
    with zipfile.ZipFile(after) as z:
        assert any("數字經濟".encode() in z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_the_archive_after_a_commit_is_a_cold_builds(project, tmp_path):
    """(after the commit above: most members were copied from the previous archive)"""
    copy = tmp_path / "cold"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build", "site"), symlinks=True)
    build(copy)
    assert release_of(copy / "site").read_bytes() == release_of(project / "site").read_bytes()
