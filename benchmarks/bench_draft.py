"""Drafting an amendment instrument from two versions (`fadian draft`) and applying it: one law's
change (criminal-law 2020 → 2023, 505 articles, 217 KB: the draft is checked by applying it, so
this is draft + apply), and the whole round trip apply(draft(OLD, NEW), OLD) over the 29
version pairs and the four law pairs of the corpus.

Run: .venv/bin/python benchmarks/bench_draft.py [--runs N]
Target: drafting and applying one law's change under 0.2 s (median); the round trip
over the 33 pairs printed with its time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from fadian.amend.apply import apply_instrument
from fadian.amend.draft import draft_amendment
from fadian.amend.grammar import parse_instrument
from fadian.read.sources import read_source

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
LAW_PAIRS = [
    ("administrative-reconsideration-law-2017", "administrative-reconsideration-law-2023"),
    ("company-law-2018", "company-law-2023"),
    ("criminal-law-2020", "criminal-law-2023"),
    ("foreign-trade-law-2016", "foreign-trade-law-2022"),
]


def pairs() -> list[tuple[Path, Path]]:
    folder = SHARED / "version-pairs"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["pairs"]
    laws = SHARED / "laws"
    return [(folder / p["before"], folder / p["after"]) for p in manifest] + [
        (laws / f"{a}.txt", laws / f"{b}.txt") for a, b in LAW_PAIRS
    ]


def round_trip(old: Path, new: Path) -> str:
    """'same' (nothing to draft), 'ok' (the draft applies), or what went wrong."""
    old_data = old.read_bytes()
    drafted = draft_amendment(str(old), old_data, str(new), new.read_bytes())
    if not drafted.items:
        return "same"
    source = read_source("draft.txt", drafted.text().encode(), front_matter=False)
    instrument, _diags = parse_instrument(source.lines, "draft.txt")
    result = apply_instrument(str(old), old_data, instrument, None, "draft.txt")
    return "ok" if result.ok else "does not apply"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    old, new = SHARED / "laws" / "criminal-law-2020.txt", SHARED / "laws" / "criminal-law-2023.txt"
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        outcome = round_trip(old, new)
        times.append(time.perf_counter() - t0)
        assert outcome == "ok"
    median, best = statistics.median(times) * 1000, min(times) * 1000
    print(f"draft + apply criminal-law 2020 → 2023: median {median:.1f} ms, best {best:.1f} ms")
    print(f"({args.runs} runs; target < 200 ms)")
    t0 = time.perf_counter()
    outcomes = [round_trip(a, b) for a, b in pairs()]
    elapsed = time.perf_counter() - t0
    counts = {k: outcomes.count(k) for k in sorted(set(outcomes))}
    print(f"round trip over {len(outcomes)} pairs: {elapsed:.2f} s ({counts})")


if __name__ == "__main__":
    main()
