"""Corpus sweep speed: every text of ../shared/corpus/national-sample converted in process
(read, parse, citations, AKN, XSD validation), as `fadian sweep` does.

Run: .venv/bin/python benchmarks/bench_sweep.py [--runs N] [FOLDER]
Target: the whole sample at >= 1.5 M chars/s, judged on the median of the warm
runs; the first (cold) run also pays for compiling regular expressions and filling caches. The
time is the conversion's (`compile_standalone` per text); the sweep's own checks of each result
(Han characters, article counts) are not timed.

It also times reading the legal metadata (read/legalmeta: the 题注, commencement article,
效力级别) alone over the same texts, and prints its share of the conversion (<= 5 %).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fadian.project.sweep import sweep_folder
from fadian.read.legalmeta import read_legal_metadata
from fadian.read.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "corpus" / "national-sample"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    manifest = args.folder / "manifest.json"
    reports = [sweep_folder(args.folder, manifest if manifest.is_file() else None) for _ in range(args.runs)]
    first = reports[0]
    for line in first.summary_lines()[:4]:
        print(line)
    chars = sum(t.chars for t in first.texts)
    warm = [r.seconds for r in reports[1:]] or [first.seconds]
    median = statistics.median(warm)
    print(f"cold run: {first.seconds:.2f} s, {chars / first.seconds / 1e6:.2f} M chars/s")
    print(f"warm runs: median {median:.2f} s, {chars / median / 1e6:.2f} M chars/s (target >= 1.5)")
    sources = [
        read_source(p.name, p.read_bytes(), front_matter=False) for p in sorted(args.folder.glob("*.txt"))
    ]
    runs = []
    for _ in range(max(args.runs, 3)):
        start = time.perf_counter()
        for source in sources:
            read_legal_metadata(source.lines, source.lines[0].text if source.lines else "")
        runs.append(time.perf_counter() - start)
    legal = statistics.median(runs)
    share = f"{legal / median:.1%} of the conversion (target <= 5 %)"
    print(f"legal metadata alone: median {legal * 1000:.0f} ms, {share}")


if __name__ == "__main__":
    main()
