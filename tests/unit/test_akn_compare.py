"""The 新旧对照 of two files of one work is read from their AKN (akn/compare): on real pairs of
consecutive versions it finds exactly what comparing the two parsed texts finds (history/align,
which `fadian diff` and the git history use) — every change's kind, numbers, eIds and redline,
the 项 of each changed article, and the 题注's redline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from fadian.akn.compare import diff_akn
from fadian.history.align import diff_trees
from fadian.pipeline import compile_standalone

from conftest import SHARED

PAIRS = SHARED / "corpus" / "version-pairs"
CHANGED = [p["id"] for p in json.loads((PAIRS / "manifest.json").read_text("utf-8"))["pairs"] if p["articles_changed"]]


def compiled(path: Path):
    doc = compile_standalone(str(path), path.read_bytes(), path.stem)
    assert doc.tree is not None and doc.ok, doc.diagnostics
    return doc.tree, etree.fromstring(doc.xml_bytes())[0]


@pytest.mark.parametrize("pair", CHANGED[:8])
def test_the_akn_comparison_finds_what_the_parsed_one_finds(pair):
    old_tree, old_akn = compiled(PAIRS / f"{pair}-before.txt")
    new_tree, new_akn = compiled(PAIRS / f"{pair}-after.txt")
    parsed, read_back = diff_trees(old_tree, new_tree), diff_akn(old_akn, new_akn)
    assert parsed.changes  # (the pair changes articles: the test compares something)
    assert [c.to_json() for c in read_back.changes] == [c.to_json() for c in parsed.changes]
    assert read_back.header == parsed.header


def test_an_article_changed_in_a_point_is_itemised():
    old = "测试条例\n\n第一条　有下列情形之一的，予以处罚：\n（一）甲；\n（二）乙。\n\n第二条　本条例自公布之日起施行。\n"
    new = "测试条例\n\n第一条　有下列情形之一的，予以处罚：\n（一）甲；\n（二）丙；\n（三）丁。\n\n第二条　本条例自公布之日起施行。\n"
    roots = [etree.fromstring(compile_standalone("t.txt", text.encode(), "t").xml_bytes())[0] for text in (old, new)]
    (change,) = diff_akn(*roots).changes
    assert (change.kind, change.old.num, change.new.num) == ("modified", "第一条", "第一条")
    assert [(i.kind, i.old and i.old.num, i.new and i.new.num) for i in change.items] == [
        ("modified", "（二）", "（二）"),
        ("added", None, "（三）"),
    ]
