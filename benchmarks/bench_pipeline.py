"""Median time of parse + AKN + XSD validation, in process, for the seed law and a big code.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--runs N]
Targets (issue 2): the seed law under 3 ms, criminal-law-2023 (217 KB) under 60 ms, judged on
the median ("total ms"); "best ms" is the fastest run, which shows how much of the median is
noise from other work on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fadian.akn import build_akn
from fadian.ids import assign_eids
from fadian.meta import meta_from_front_matter
from fadian.parse import parse_document
from fadian.pipeline import infer_meta, link_toc
from fadian.sources import read_source
from fadian.validate import lxml_schema, validate_akn

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def stage_times(path: Path, front_matter: bool, runs: int) -> dict[str, float]:
    data = path.read_bytes()
    source = read_source(str(path), data, front_matter=front_matter)
    if front_matter:
        meta, _ = meta_from_front_matter(source)
    else:
        meta = infer_meta(source, "bench")
    times: dict[str, list[float]] = {"read": [], "parse": [], "akn": [], "validate": [], "total": []}
    for _ in range(runs):
        t0 = time.perf_counter()
        source = read_source(str(path), data, front_matter=front_matter)
        t1 = time.perf_counter()
        tree, _ = parse_document(source.lines, str(path))
        assign_eids(tree)
        link_toc(tree, str(path))
        t2 = time.perf_counter()
        root = build_akn(tree, meta)
        t3 = time.perf_counter()
        diags = validate_akn(root, str(path))
        t4 = time.perf_counter()
        assert not diags, diags
        for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
            value_list = times[key]
            value_list.append(value)
    result = {key: statistics.median(values) for key, values in times.items()}
    result["best"] = min(times["total"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    lxml_schema()  # load the schema once, outside the timings
    cases = [
        (
            "seed law (digital economy draft)",
            ROOT / "sources/documents/digital-economy-promotion-law-expert-draft.txt",
            True,
            3.0,
        ),
        ("criminal-law-2023", SHARED / "corpus/laws/criminal-law-2023.txt", False, 60.0),
    ]
    print(
        f"{'document':36} {'chars':>8} {'read':>7} {'parse':>7} {'akn':>7} {'valid':>7} "
        f"{'total ms':>9} {'chars/s':>11} target"
    )
    for label, path, front, target in cases:
        chars = len(path.read_text(encoding="utf-8"))
        t = stage_times(path, front, args.runs)
        ms = {k: v * 1000 for k, v in t.items()}
        verdict = "ok" if ms["total"] < target else "MISSED"
        print(
            f"{label:36} {chars:8d} {ms['read']:7.2f} {ms['parse']:7.2f} {ms['akn']:7.2f} "
            f"{ms['validate']:7.2f} {ms['total']:9.2f} {ms['best']:8.2f} {chars / t['total']:11,.0f} "
            f"<{target:.0f} ms {verdict}"
        )


if __name__ == "__main__":
    main()
