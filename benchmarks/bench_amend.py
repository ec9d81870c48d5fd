"""Parsing 刑法修正案（十二） and applying it to criminal-law-2020 (505 articles, 217 KB),
in process, as `fadian apply` does.

Run: .venv/bin/python benchmarks/bench_amend.py [--runs N]
Target: under 0.2 s for parse + apply, judged on the median.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from fadian.amend.apply import apply_instrument
from fadian.amend.grammar import parse_instrument
from fadian.read.sources import read_source

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "laws"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    inst_path = CORPUS / "criminal-law-amendment-12-2023.txt"
    old_path = CORPUS / "criminal-law-2020.txt"
    inst_data, old_data = inst_path.read_bytes(), old_path.read_bytes()
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        source = read_source(str(inst_path), inst_data, front_matter=False)
        instrument, _ = parse_instrument(source.lines, str(inst_path))
        result = apply_instrument(str(old_path), old_data, instrument)
        times.append(time.perf_counter() - t0)
        assert result.ok and len(result.changes) == 7
    median, best = statistics.median(times) * 1000, min(times) * 1000
    print(f"parse + apply 刑法修正案（十二） → criminal-law-2020: median {median:.1f} ms, best {best:.1f} ms")
    print(f"({args.runs} runs; target < 200 ms)")


if __name__ == "__main__":
    main()
