"""Atomic publish (issue 14): a build killed at any step leaves build/ and site/ as the complete
old tree or the complete new one; the next build succeeds and leaves no leftovers; concurrent
builds are serialized."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fadian.project.publish import GENERATIONS

from conftest import REPO, run_fadian, walk_files

FRONT = "---\nslug: law\ntype: act\ntitle: 测试法\ndate: 2024-01-01\n---\n\n"
TEXT_A = FRONT + "测试法\n\n第一条 为了测试，制定本法。\n\n第二条 本法自公布之日起施行。\n"
TEXT_B = (
    FRONT
    + "测试法\n\n第一条 为了检验，制定本法。\n\n第二条 本法适用于检验。\n\n第三条 本法自公布之日起施行。\n"
)
# every checkpoint of the publish sequence (build.py after the lock, publish.py), in order
CHECKPOINTS = [
    "locked",
    "cleaned-before",
    "staged",
    "editions",
    "site-sources",
    "pages",
    "site-pages",
    "site",
    "marked",
    "linked",
    "site-linked",
    "switching",
    "switched",
    "cleaned-after",
]


def published(root) -> dict[str, str]:
    """What a reader or a deploy step sees: build/ and site/ through their symlinks."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("build", "site")
        if (root / folder).exists()
        for p in walk_files(root / folder)
    }


def build(root, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fadian", "build", "--root", str(root)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        timeout=300,
    )


def no_leftovers(root) -> None:
    build_dir = root / "build"
    gens = sorted((build_dir / GENERATIONS).iterdir())
    assert 1 <= len(gens) <= 2 and all((g / ".published").exists() for g in gens)
    assert not list(build_dir.glob(".current.tmp-*")) and not list(build_dir.glob(".staging-*"))
    assert not list(root.glob(".site-staging-*"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("publish")
    (root / "sources" / "documents").mkdir(parents=True)
    source = root / "sources" / "documents" / "law.txt"
    trees = {}
    for name, text in (("B", TEXT_B), ("A", TEXT_A)):
        source.write_text(text, encoding="utf-8")
        proc = build(root)
        assert proc.returncode == 0, proc.stderr.decode()
        trees[name] = published(root)
    assert trees["A"] != trees["B"] and any(k.startswith("site/") for k in trees["A"])
    return root, trees


def test_a_build_killed_at_any_step_leaves_the_old_or_the_new_tree(project):
    root, trees = project
    source = root / "sources" / "documents" / "law.txt"
    current = "A"
    outcomes = []
    for point in CHECKPOINTS:
        target = "B" if current == "A" else "A"
        source.write_text(TEXT_B if target == "B" else TEXT_A, encoding="utf-8")
        killed = build(root, FADIAN_KILL_AT=point)
        assert killed.returncode == -9, (point, killed.returncode, killed.stderr.decode()[-500:])
        seen = published(root)
        assert seen in (trees[current], trees[target]), point
        outcomes.append((point, "new" if seen == trees[target] else "old"))
        repaired = build(root)
        assert repaired.returncode == 0, repaired.stderr.decode()
        assert published(root) == trees[target], point
        no_leftovers(root)
        current = target
    # before the switch a reader still sees the old tree, from the switch on the new one
    assert [o for _p, o in outcomes] == ["old"] * 12 + ["new"] * 2, outcomes


def test_two_builds_at_once_are_serialized(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(TEXT_A, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "fadian", "build", "--root", str(tmp_path)]
    first = subprocess.Popen(cmd, cwd=REPO, env=env, stderr=subprocess.PIPE)
    second = subprocess.Popen(cmd, cwd=REPO, env=env, stderr=subprocess.PIPE)
    errs = [p.communicate(timeout=300)[1].decode() for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, errs
    tree = published(tmp_path)
    assert any(k.startswith("build/editions/") for k in tree) and any(k.startswith("site/") for k in tree)
    no_leftovers(tmp_path)
    # a third, quiet build gives the same tree: the two did not mix their outputs
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    assert published(tmp_path) == tree


def test_a_build_over_the_layout_before_generations_replaces_it(tmp_path):
    """build/ is fadian's: the layout before generations is replaced. A real site/ folder is
    not (fadian may not have made it): the build refuses and leaves it; once the editor has
    moved it away, the build publishes."""
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(TEXT_A, encoding="utf-8")
    (tmp_path / "build" / "akn").mkdir(parents=True)
    (tmp_path / "build" / "akn" / "stale.xml").write_text("<old/>", encoding="utf-8")
    (tmp_path / "build" / ".staging-123" / "akn").mkdir(parents=True)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old", encoding="utf-8")
    (tmp_path / ".site-staging-99").mkdir()
    refused = run_fadian("build", "--root", str(tmp_path))
    assert refused.returncode == 1 and b"error[F608]" in refused.stderr
    assert (tmp_path / "site" / "index.html").read_text("utf-8") == "old"
    (tmp_path / "site").rename(tmp_path / "site.old")
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    assert (tmp_path / "build" / "akn").is_symlink() and (tmp_path / "site").is_symlink()
    assert not (tmp_path / "build" / "akn" / "stale.xml").exists()
    assert (tmp_path / "build" / "akn" / "law.xml").is_file()
    assert (tmp_path / "site" / "index.html").read_text("utf-8") != "old"
    assert (tmp_path / "site.old" / "index.html").read_text("utf-8") == "old"
    no_leftovers(tmp_path)


def test_a_document_too_large_for_editions_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(TEXT_A, encoding="utf-8")
    proc = build(tmp_path, FADIAN_MAX_EDITION_CHARS="100")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "warning[F902]" in err and "law:" in err
    assert list((tmp_path / "build" / "editions").iterdir()) == []
    assert (tmp_path / "build" / "akn" / "law.xml").is_file() and (tmp_path / "site" / "index.html").is_file()


def _processes_with(marker: str) -> list[int]:
    """PIDs of live processes whose environment holds ``marker`` (a build and its workers)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def test_no_edition_worker_outlives_a_killed_build(tmp_path):
    import time
    import uuid

    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(TEXT_B, encoding="utf-8")
    marker = f"FADIAN_TEST_MARK_{uuid.uuid4().hex}"
    killed = build(tmp_path, FADIAN_KILL_AT="editions-running", **{marker: "1"})
    assert killed.returncode == -9, killed.stderr.decode()[-400:]
    deadline = time.monotonic() + 60  # a bound for a broken kill, not a timing assumption
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []
    assert build(tmp_path).returncode == 0
    no_leftovers(tmp_path)
