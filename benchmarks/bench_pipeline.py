"""Median time of read + parse + citations + AKN + XSD validation, in process, by stage.

Run: .venv/bin/python benchmarks/bench_pipeline.py [--runs N]
Targets: the seed law under 3 ms and criminal-law-2023 (217 KB, 505 articles) under 60 ms,
judged on the median ("total ms"); citation finding and resolution adding under
30% to the conversion without it. "best ms" is the fastest run: the gap to the
median is noise from other work on a shared machine.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fadian.akn.meta import meta_from_front_matter
from fadian.akn.validate import lxml_schema, validate_akn
from fadian.akn.write import build_akn
from fadian.eids import assign_eids
from fadian.pipeline import infer_meta, link_toc
from fadian.read.parse import parse_document
from fadian.read.sources import read_source
from fadian.refs.registry import load_registry, registry_index
from fadian.refs.resolve import resolve_refs

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
STAGES = ("read", "parse", "refs", "akn", "validate")


def stage_times(path: Path, front_matter: bool, runs: int) -> dict[str, float]:
    data = path.read_bytes()
    source = read_source(str(path), data, front_matter=front_matter)
    meta = meta_from_front_matter(source)[0] if front_matter else infer_meta(source, "bench")
    registry = ROOT / "sources" / "registry.yaml"
    index = registry_index(load_registry(str(registry), registry.read_bytes())[0])
    times: dict[str, list[float]] = {key: [] for key in (*STAGES, "total")}
    for _ in range(runs):
        t0 = time.perf_counter()
        source = read_source(str(path), data, front_matter=front_matter)
        t1 = time.perf_counter()
        tree, _ = parse_document(source.lines, str(path))
        assign_eids(tree)
        link_toc(tree, str(path))
        t2 = time.perf_counter()
        refs = resolve_refs(tree, str(path), index)
        t3 = time.perf_counter()
        root = build_akn(tree, meta, refs.terms)
        t4 = time.perf_counter()
        diags = validate_akn(root, str(path))
        t5 = time.perf_counter()
        assert not diags, diags
        for key, value in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0), strict=True):
            times[key].append(value)
    result = {key: statistics.median(values) * 1000 for key, values in times.items()}
    result["best"] = min(times["total"]) * 1000
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
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
    head = " ".join(f"{s:>7}" for s in STAGES)
    print(f"{'document':34} {'chars':>7} {head} {'total ms':>9} {'best ms':>8} {'chars/s':>10}  target")
    for label, path, front, target in cases:
        chars = len(path.read_text(encoding="utf-8"))
        ms = stage_times(path, front, args.runs)
        stages = " ".join(f"{ms[s]:7.2f}" for s in STAGES)
        verdict = "ok" if ms["total"] < target else "MISSED"
        print(
            f"{label:34} {chars:7d} {stages} {ms['total']:9.2f} {ms['best']:8.2f} "
            f"{chars / ms['total'] * 1000:10,.0f}  <{target:.0f} ms {verdict}"
        )
        share = ms["refs"] / (ms["total"] - ms["refs"]) * 100
        print(
            f"{'':34} citations add {share:.1f}% to the conversion without them "
            f"(target <30%: {'ok' if share < 30 else 'MISSED'})"
        )


if __name__ == "__main__":
    main()
