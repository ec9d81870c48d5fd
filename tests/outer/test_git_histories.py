"""Ordinary git histories publish a truthful history: every listed version is a state of the
text on the first-parent chain of HEAD, with that commit's text, and no version loses a change
that no commit removed. Real repositories in temporary folders, built with the real command."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_fadian
from git_texts import GitHistory, assert_truthful, expected_versions, law_text

A, B, C = "测试条例甲", "测试条例乙", "测试条例丙"


def build(root: Path, *flags: str) -> None:
    done = run_fadian("build", "--no-editions", "--no-search", *flags, cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr


def cli_history(root: Path, slug: str) -> list[dict]:
    done = run_fadian("history", slug, "--json", cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


@pytest.fixture
def history(tmp_path) -> GitHistory:
    h = GitHistory(tmp_path)
    h.add_text(A, "jia")
    h.commit("first")
    return h


def test_a_merge_is_one_version_with_both_sides(history):
    history.checkout("-b", "side")
    history.edit(A, 1, "甲条例的侧枝修改。")
    side = history.commit("side change")
    history.checkout("main")
    history.edit(A, 2, "甲条例的主干修改。")
    history.commit("main change")
    merge = history.merge("side", message="merge side")
    history.edit(A, 3, "合并以后的修改。")
    history.commit("after the merge")
    build(history.root)
    versions = assert_truthful(history, A)
    assert [v["message"] for v in versions] == ["first", "main change", "merge side", "after the merge"]
    assert side not in [v["commit"] for v in versions]  # the side commit is in the merge
    assert merge == versions[2]["commit"]
    record = json.loads((history.root / "build/history/jia/history.json").read_text("utf-8"))
    # the merge changed 第一条 (the side's change) against the main version before it, and the
    # version after it changed only 第三条: no version is credited with re-adding the side's words
    changed = [sorted(c["new_eid"] or c["old_eid"] for c in d["changes"]) for d in record["diffs"]]
    assert changed == [["art_2"], ["art_1"], ["art_3"]]
    labels = [r["version"] for r in cli_history(history.root, "jia")]
    assert labels == [v["version"] for v in versions]


def test_an_octopus_merge(history):
    for k, branch in enumerate(("one", "two", "three"), start=4):
        history.checkout("-b", branch, "main")
        history.edit(A, k, f"分支{branch}的修改。")
        history.commit(f"{branch} change")
        history.checkout("main")
    history.day += 1
    history.git("merge", "-q", "--no-ff", "-m", "octopus", "one", "two", "three")
    history.read_back()
    build(history.root)
    versions = assert_truthful(history, A)
    assert [v["message"] for v in versions] == ["first", "octopus"]
    assert all(f"分支{b}的修改" in (history.root / history.texts[A]["path"]).read_text("utf-8")
               for b in ("one", "two", "three"))


def test_a_revert_is_a_version_that_restores_the_text(history):
    history.edit(A, 5, "一次后来撤回的修改。")
    history.commit("a change")
    history.day += 1
    history.git("revert", "--no-edit", "HEAD")
    build(history.root)
    versions = assert_truthful(history, A)
    assert len(versions) == 3
    assert versions[2]["message"].startswith('Revert "a change"')


def test_a_rename_with_an_edit_keeps_the_history(history):
    history.edit(A, 1, "改名以前的修改。")
    history.commit("before the rename")
    history.rename(A, "jia-renamed")
    history.edit(A, 2, "改名同时的修改。")
    history.commit("rename and edit")
    build(history.root)
    versions = assert_truthful(history, A)
    assert [v["message"] for v in versions] == ["first", "before the rename", "rename and edit"]


def test_a_slug_change_keeps_one_work_and_redirects(history):
    history.edit(A, 1, "改名以前的修改。")
    history.commit("an edit")
    history.change_slug(A, "jia-new")
    history.commit("a new slug")
    done = run_fadian("build", "--no-editions", "--no-search", cwd=history.root)
    assert done.returncode == 0, done.stderr.decode()
    versions = assert_truthful(history, A)
    works = {v["expression_uri"].rsplit("/", 1)[0] for v in versions}
    assert works == {"/akn/cn/act/2020-01-01/jia-new"}  # one work, named by its slug now
    assert not (history.root / "build/history/jia").exists()
    moved = (history.root / "site/documents/jia/index.html").read_text("utf-8")
    assert '"../jia-new/"' in moved and "location.hash" in moved
    assert (history.root / "site/documents/jia-new/index.html").is_file()
    # and a second build, from the state the first one left, is a no-op that stays built
    again = run_fadian("build", "--no-editions", "--no-search", cwd=history.root)
    assert again.returncode == 0, again.stderr.decode()


@pytest.mark.parametrize("control", ["\a", "\x1b[31m", "\x01\x02"])
def test_a_control_character_in_a_message_is_shown_as_text(history, control):
    history.edit(A, 1, "一次修改。")
    history.commit(f"tool{control}message")
    build(history.root)
    versions = assert_truthful(history, A)
    shown = versions[-1]["message"]
    assert shown.startswith("tool") and shown.endswith("message")
    assert not any(ord(c) < 0x20 for c in shown)
    assert all(chr(0x2400 + ord(c)) in shown for c in control if ord(c) < 0x20)
    page = (history.root / "site/history/jia/index.html").read_text("utf-8")
    assert "tool" in page and "\a" not in page and "\x1b" not in page


def test_an_empty_commit_is_no_version(history):
    history.commit("nothing", "--allow-empty")
    history.edit(A, 1, "一次修改。")
    history.commit("a change")
    history.commit("nothing again", "--allow-empty")
    build(history.root)
    versions = assert_truthful(history, A)
    assert [v["message"] for v in versions] == ["first", "a change"]


def test_a_rebased_and_amended_history(history):
    history.checkout("-b", "topic")
    history.edit(A, 6, "主题分支的修改。")
    history.commit("topic change")
    history.checkout("main")
    history.edit(A, 7, "主干上的修改。")
    history.commit("main change")
    history.checkout("topic")
    history.day += 1
    history.git("rebase", "-q", "main")
    history.checkout("main")
    history.git("merge", "-q", "--ff-only", "topic")
    history.read_back()
    history.edit(A, 8, "先写错了。")
    history.commit("a slip")
    history.edit(A, 8, "改正后的修改。")
    history.commit("the slip mended", "--amend")
    build(history.root)
    versions = assert_truthful(history, A)
    assert [v["message"] for v in versions] == ["first", "main change", "topic change", "the slip mended"]


def test_a_commit_that_changes_two_hundred_texts(tmp_path):
    history = GitHistory(tmp_path)
    titles = [f"批量条例第{k}号" for k in range(200)]
    for k, title in enumerate(titles):
        history.add_text(title, f"text-{k}")
    history.commit("two hundred texts")
    for title in titles:
        history.edit(title, 2, "一次改动全部文本的修改。")
    history.commit("one change to all")
    build(history.root)
    for title in titles[::37]:
        versions = assert_truthful(history, title)
        assert [v["message"] for v in versions] == ["two hundred texts", "one change to all"]
    for title in titles:
        slug = history.texts[title]["slug"]
        record = json.loads((tmp_path / f"build/history/{slug}/history.json").read_text("utf-8"))
        assert len(record["versions"]) == 2
        assert [(c["kind"], c["new_eid"]) for c in record["diffs"][0]["changes"]] == [("modified", "art_2")]


def test_a_broken_commit_numbers_no_version(history):
    """A commit whose text has errors is left out, and the versions after it are numbered among
    those published: the CLI's labels and the site's agree."""
    history.edit(A, 1, "一次修改。")
    history.commit("good")
    path = history.root / history.texts[A]["path"]
    path.write_text(path.read_text("utf-8").replace("date: '2020-01-01'", "date: 'not a date'"), "utf-8")
    broken = history.commit("broken front matter")
    history.edit(A, 2, "修好以后的修改。")
    history.commit("mended")
    build(history.root)
    record = json.loads((history.root / "build/history/jia/history.json").read_text("utf-8"))
    assert broken not in [v["commit"] for v in record["versions"]]
    assert [v["version"] for v in record["versions"]] == ["v1", "v2", "v3"]
    assert [v["akn"].rsplit("/", 1)[1] for v in record["versions"]] == ["v1.xml", "v2.xml", "v3.xml"]
    assert [r["version"] for r in cli_history(history.root, "jia")] == ["v1", "v2", "v3"]
    page = (history.root / "site/history/jia/index.html").read_text("utf-8")
    assert 'href="v3/"' in page and 'href="v4/"' not in page


# random histories: commits, branches, merges, renames and slug changes over three texts

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from([A, B, C]), st.integers(1, 10)),
        st.tuples(st.just("branch")),
        st.tuples(st.just("merge")),
        st.tuples(st.just("rename"), st.sampled_from([A, B, C])),
        st.tuples(st.just("slug"), st.sampled_from([A, B, C])),
    ),
    min_size=1,
    max_size=12,
)


def play(history: GitHistory, operations: list[tuple]) -> None:
    """Each operation as an editor does it: an edit, rename or slug change is a commit; a branch
    starts a side branch (one at a time); a merge brings it into main with --no-ff."""
    on_side = False
    for n, op in enumerate(operations):
        if op[0] == "edit":
            history.edit(op[1], op[2], f"第{n}次修改的内容。")
        elif op[0] == "rename":
            history.rename(op[1], f"renamed-{n}")
        elif op[0] == "slug":
            history.change_slug(op[1], f"slug-{n}")
        elif op[0] == "branch" and not on_side:
            history.checkout("-b", f"side-{n}")
            on_side, side = True, f"side-{n}"
            continue
        elif op[0] == "merge" and on_side:
            history.checkout("main")
            history.merge(side, message=f"merge {side}")
            on_side = False
            continue
        else:
            continue
        history.commit(f"operation {n}: {op[0]}")
    if on_side:
        history.checkout("main")
        history.merge(side, message=f"merge {side}")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPERATIONS)
def test_any_small_history_is_published_truthfully(operations):
    from fadian.project.build import Project

    with tempfile.TemporaryDirectory() as folder:
        history = GitHistory(Path(folder))
        for title, slug in ((A, "jia"), (B, "yi"), (C, "bing")):
            history.add_text(title, slug)
        history.commit("three texts")
        play(history, operations)
        cwd = os.getcwd()
        try:
            os.chdir(folder)
            result = Project(Path(folder)).build(site=False, editions=False, search=False)
        finally:
            os.chdir(cwd)
        assert result.ok, [d.format() for d in result.all_diagnostics]
        for title in (A, B, C):
            versions = assert_truthful(history, title)
            latest = (history.root / history.find(title)).read_text("utf-8")
            assert expected_versions(history, title)[-1][1] == latest
            assert versions[-1]["commit"] == expected_versions(history, title)[-1][0]
        shutil.rmtree(Path(folder) / "build", ignore_errors=True)


def test_the_scripted_texts_parse_as_ten_articles(tmp_path):
    """The helper's texts are what the tests above assume: ten articles, the title first."""
    from fadian.api import convert

    result = convert(law_text("jia", A).encode(), path="jia.txt")
    assert result.ok and result.xml.count(b"<article ") == 10
