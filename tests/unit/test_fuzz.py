"""A short run of the mutation fuzzer (benchmarks/fuzz.py runs 10,000): no mutant of a real
law or instrument ends in an exception, and fadian never writes AKN its own schema rejects
(neither reported as converted nor as the user's error F501). The seed changes every run, so
each CI run explores new mutants; a failure prints it (FADIAN_FUZZ_SEED replays it)."""

from __future__ import annotations

import os
import random
import sys

from conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "benchmarks"))

from fuzz import load_texts, run_fuzz


def test_three_hundred_mutants_never_crash():
    corpus = SHARED / "corpus"
    texts = load_texts([corpus / "laws", corpus / "national-sample", corpus / "instruments"])
    seed = int(os.environ.get("FADIAN_FUZZ_SEED") or random.SystemRandom().randrange(1, 2**31))
    report = run_fuzz(texts, 300, seed=seed)
    replay = f"replay with FADIAN_FUZZ_SEED={seed}"
    assert sum(report.outcomes.values()) >= 300
    assert report.crashes == [], (replay, report.crashes[0][1])
    assert report.invalid == [], (replay, [(m.source, m.kinds) for m in report.invalid])
    assert report.outcomes["internal error"] == 0, replay
    # the mutants exercise both outcomes: some convert, some are refused with a diagnostic
    assert any(k.startswith("converted") for k in report.outcomes)
    assert any(k.startswith("refused") for k in report.outcomes)


def test_a_contents_line_with_no_entries_writes_valid_akn():
    """The fuzzer's self-schema failures: a 目录 with nothing under it (or a list block left with
    no items) made an empty blockList, which fadian then blamed on the text (F501)."""
    from fadian.akn.validate import lxml_schema
    from fadian.akn.write import build_akn
    from fadian.model import Block, DocumentTree
    from fadian.pipeline import compile_source

    text = "测试方案\n\n目录\n\n这是正文，没有目录条目。\n\n一、总体要求\n\n内容。\n"
    front = "---\nslug: x\ntype: doc\nname: plan\ntitle: 测试方案\ndate: 2024-01-01\n---\n\n"
    doc = compile_source("x.txt", (front + text).encode())
    assert doc.ok and lxml_schema().validate(doc.root)
    assert doc.root.xpath("//*[local-name()='p'][@class='tocHeading']/text()") == ["目录"]
    tree = DocumentTree(mode="policy", preamble=[Block("list", "附：", 3), Block("outline", "目录", 4)])
    assert lxml_schema().validate(build_akn(tree, doc.meta))
