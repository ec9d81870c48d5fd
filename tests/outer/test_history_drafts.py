"""A text's history after a new commit: the changes between earlier commits are not drafted
again (a commit's text never changes; the previous build's drafts, made by the same code, are
kept), and the history published is the one a build from nothing makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fadian.history import versions
from fadian.project.build import Project, build_project

from conftest import SHARED, run_git

FRONT = "---\nslug: foreign-trade\ntype: act\ntitle: 中华人民共和国对外贸易法\ndate: '1994-05-12'\n---\n"


def commit_edit(root: Path, day: str, words: str) -> None:
    law = root / "sources" / "documents" / "foreign-trade.txt"
    text = law.read_text("utf-8")
    k = text.index("。", text.index("第二条"))
    law.write_text(text[:k] + words + text[k:], "utf-8")
    run_git(root, "commit", "-q", "-am", f"edit {day}", date=f"{day}T12:00:00")


def build(root: Path) -> None:
    result = build_project(Project(root), site=False, editions=False)
    assert result.ok, [d.format() for d in result.all_diagnostics if d.is_error]


# an instrument of the project amends the law: the law is then compiled on every build and kept
# in no cache entry (its drafts are kept apart)
DECISION = """---
slug: foreign-trade-decision
type: amendment
title: 全国人民代表大会常务委员会关于修改《中华人民共和国对外贸易法》的决定
date: '2022-12-30'
---
全国人民代表大会常务委员会关于修改《中华人民共和国对外贸易法》的决定

（2022年12月30日第十三届全国人民代表大会常务委员会第三十八次会议通过）

第十三届全国人民代表大会常务委员会第三十八次会议决定对《中华人民共和国对外贸易法》作如下修改：

删去第九条。

本决定自公布之日起施行。
"""


@pytest.mark.parametrize("amended", [False, True], ids=["kept-in-the-cache", "amended-by-an-instrument"])
def test_a_new_commit_drafts_only_its_own_change(tmp_path, monkeypatch, amended):
    root = tmp_path / "p"
    (root / "sources" / "documents").mkdir(parents=True)
    law = (SHARED / "corpus" / "laws" / "foreign-trade-law-2016.txt").read_text("utf-8")
    (root / "sources" / "documents" / "foreign-trade.txt").write_text(FRONT + law, "utf-8")
    if amended:
        (root / "sources" / "documents" / "foreign-trade-decision.txt").write_text(DECISION, "utf-8")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "import", date="2024-01-01T12:00:00")
    drafted: list[str] = []
    real = versions.draft_record
    monkeypatch.setattr(versions, "draft_record", lambda path, old, new: drafted.append(path) or real(path, old, new))
    commit_edit(root, "2024-02-01", "，一处修改")
    build(root)
    commit_edit(root, "2024-03-01", "，二处修改")
    build(root)
    assert len(drafted) == 2  # v1 → v2 at the first build, and v2 → v3 only at the second
    history = root / "build" / "history" / "foreign-trade" / "history.json"
    published = history.read_bytes()
    assert published.count(b'"draft":') == 2  # (both changes are drafted in it)
    shutil.rmtree(root / "build")
    build(root)  # from nothing: every change drafted
    assert len(drafted) == 4
    assert history.read_bytes() == published
