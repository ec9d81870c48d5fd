"""An old generation reused: its site brought up to date (project/site_sync), its AKN and history
folders taken by staging (outputs.reuse_outputs)."""

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


def test_only_an_old_generation_published_whole_is_reused(tmp_path):
    """reuse_outputs takes the AKN and history folders of the newest trashed generation that
    still has its .published mark and its staging record: one whose deletion began (the mark
    is removed first) or whose staging never finished is left to be deleted."""
    import json

    from fadian.project.outputs import STAGED, reuse_outputs

    build = tmp_path / "build"

    def old(name: str, published: bool, staged: bool) -> None:
        gen = build / f".trash-{name}"
        (gen / "akn").mkdir(parents=True)
        (gen / "akn" / f"{name}.xml").write_text(name, "utf-8")
        if published:
            (gen / ".published").write_text("", "utf-8")
        if staged:
            (gen / STAGED).write_text(json.dumps({f"akn/{name}.xml": "d", "reports/refs.json": "r"}), "utf-8")

    old("1", published=True, staged=True)
    old("2", published=True, staged=False)  # killed before staging finished
    old("3", published=False, staged=True)  # its deletion had begun
    new = build / "new"
    new.mkdir()
    assert reuse_outputs(build, new) == {"akn/1.xml": "d"}  # what it took, and only that
    assert (new / "akn" / "1.xml").read_text("utf-8") == "1"
    assert (build / ".trash-2" / "akn").is_dir() and (build / ".trash-3" / "akn").is_dir()
    assert reuse_outputs(build, tmp_path / "other") == {}  # nothing whole is left


def test_without_an_old_generation_the_published_ones_outputs_are_linked_for_staging(tmp_path):
    """The first edits after a full build have no old generation to reuse: the published
    generation's AKN and history folders are linked while the build compiles (the same files,
    never written through: staging unlinks what it changes), and taken by reuse_outputs only
    when the copy is whole and of the generation still published; with an old generation in
    the trash no copy is made."""
    import json
    import os

    from fadian.project.outputs import STAGED, reuse_outputs, start_outputs_copy
    from fadian.project.publish import discard_copy

    build = tmp_path / "build"
    published = build / ".generations" / "1"
    (published / "akn").mkdir(parents=True)
    (published / "akn" / "a.xml").write_text("a", "utf-8")
    (published / "history" / "a").mkdir(parents=True)
    (published / "history" / "a" / "history.json").write_text("{}", "utf-8")
    digests = {"akn/a.xml": "da", "history/a/history.json": "dh", "reports/refs.json": "dr"}
    (published / STAGED).write_text(json.dumps(digests), "utf-8")
    (build / ".current").symlink_to(".generations/1")

    copy = start_outputs_copy(build)
    assert copy is not None
    new = build / ".generations" / "2"
    new.mkdir()
    assert reuse_outputs(build, new, copy) == {"akn/a.xml": "da", "history/a/history.json": "dh"}
    for rel in ("akn/a.xml", "history/a/history.json"):
        assert os.stat(new / rel).st_ino == os.stat(published / rel).st_ino  # linked, not copied
    discard_copy(copy)
    assert not copy.target.exists()

    stale = start_outputs_copy(build)  # a copy of a generation no longer the published one
    (build / ".current").unlink()
    (build / ".current").symlink_to(".generations/2")
    other = build / ".generations" / "3"
    other.mkdir()
    assert reuse_outputs(build, other, stale) == {} and not any(other.iterdir())
    discard_copy(stale)

    (build / ".trash-0" / "akn").mkdir(parents=True)  # an old generation waits: no copy
    (build / ".trash-0" / ".published").write_text("", "utf-8")
    (build / ".trash-0" / STAGED).write_text(json.dumps({"akn/b.xml": "db"}), "utf-8")
    assert start_outputs_copy(build) is None
