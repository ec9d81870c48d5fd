"""project/site_sync: an old site brought up to date by relinking only what differs."""

from __future__ import annotations

import os
import subprocess
import sys

from fadian.project.site_sync import mirror


def _tree(root) -> dict[str, tuple]:
    """Every entry under ``root``: a file's inode, a folder, a link's target."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir",)
            else:
                out[rel] = ("file", os.stat(path).st_ino)
    return out


def test_mirror_makes_the_target_the_sources_links_and_keeps_what_is_the_same(tmp_path):
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "documents" / "a").mkdir(parents=True)
    (source / "documents" / "a" / "index.html").write_text("a", "utf-8")
    (source / "documents" / "b").mkdir()
    (source / "documents" / "b" / "index.html").write_text("b", "utf-8")
    (source / "index.html").write_text("home", "utf-8")
    (source / "was-a-folder").write_text("now a file", "utf-8")
    (source / "latest").symlink_to("documents/a")
    # the old site: a's page is the same file, b's an older one, a page that is no more, a
    # folder where the source has a file, a link to elsewhere
    (target / "documents" / "a").mkdir(parents=True)
    os.link(source / "documents" / "a" / "index.html", target / "documents" / "a" / "index.html")
    (target / "documents" / "b").mkdir()
    (target / "documents" / "b" / "index.html").write_text("old b", "utf-8")
    (target / "documents" / "gone").mkdir()
    (target / "documents" / "gone" / "index.html").write_text("gone", "utf-8")
    (target / "was-a-folder").mkdir()
    (target / "was-a-folder" / "x").write_text("x", "utf-8")
    (target / "latest").symlink_to("documents/b")
    kept = (target / "documents" / "a").stat().st_ino
    before = _tree(source)

    mirror(str(source), str(target))

    assert _tree(target) == _tree(source) == before  # same names, same files; source untouched
    assert (target / "documents" / "a").stat().st_ino == kept  # a folder that was there is kept
    assert (target / "documents" / "b" / "index.html").read_text("utf-8") == "b"


def test_site_sync_says_when_it_could_not_finish(tmp_path):
    """Exit status 0 only for a whole copy: a build takes nothing else."""
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "page.html").write_text("p", "utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "fadian.project.site_sync", str(tmp_path / "source"), str(tmp_path / "t")]
    )
    assert ok.returncode == 0 and (tmp_path / "t" / "page.html").read_text("utf-8") == "p"
    missing = subprocess.run(
        [sys.executable, "-m", "fadian.project.site_sync", str(tmp_path / "nowhere"), str(tmp_path / "u")],
        capture_output=True,
    )
    assert missing.returncode == 1 and b"site_sync:" in missing.stderr
