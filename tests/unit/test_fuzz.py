"""A short run of the mutation fuzzer (benchmarks/fuzz.py runs 10,000): no mutant of a real
law ends in an exception, and nothing reported as converted fails the schema."""

from __future__ import annotations

import sys

from conftest import REPO, SHARED

sys.path.insert(0, str(REPO / "benchmarks"))

from fuzz import load_texts, run_fuzz


def test_three_hundred_mutants_never_crash():
    texts = load_texts([SHARED / "corpus" / "laws", SHARED / "corpus" / "national-sample"])
    report = run_fuzz(texts, 300, seed=7)
    assert sum(report.outcomes.values()) >= 300
    assert report.crashes == [], report.crashes[0][1]
    assert report.invalid == []
    assert report.outcomes["internal error"] == 0
    # the mutants exercise both outcomes: some convert, some are refused with a diagnostic
    assert any(k.startswith("converted") for k in report.outcomes)
    assert any(k.startswith("refused") for k in report.outcomes)
