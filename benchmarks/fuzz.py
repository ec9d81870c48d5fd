"""A seeded mutation fuzzer over real Chinese laws: what a careless editor or a broken PDF
export does to a text, fed through the whole compile (read, front matter, parse, citations,
AKN, validation) in process.

Run: .venv/bin/python benchmarks/fuzz.py [--mutants N] [--seed S] [FOLDER …]
Prints outcomes by class. Target: 0 internal errors, 0 outputs reported as success
that the schema rejects; every crash class found gets a case in tests/outer/test_bad_input.py.
The test suite runs a short run of the same harness (tests/unit/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
DEFAULT_FOLDERS = (SHARED / "laws", SHARED / "national-sample", SHARED / "instruments")

FRONT = "---\nslug: fuzz\ntype: act\ntitle: {title}\ndate: 2024-01-01\n---\n\n"
LOOKALIKES = {"第": "笫", "条": "絛", "一": "—", "〇": "○", "（": "(", "）": ")", "、": "，"}
NUMERALS = "一二三四五六七八九十百千零〇0123456789５"
BAD_CHARS = ["\x00", "\x07", "\x1b", "\ufffe", "\uffff", "\u200b", "\ufeff", "\u2028", "\r", "\x85"]
BAD_FRONT = [
    "subtype: 3",
    "source: {a: 1}",
    "short_titles: 5",
    "short_titles: [1, {x: 2}]",
    'title: "\\x07"',
    "title: [a, b]",
    "date: 2024-02-30",
    "expression_date: [1]",
    "type: 5",
    "name: {a: b}",
    "jurisdiction: 7",
    "first_article: -4",
    "slug: ../x",
    "a: &x [1]\nb: *x",
    "number: 五",
    ": :",
]


def _mutate_lines(rng: random.Random, lines: list[str]) -> list[str]:
    k = rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        del lines[k]
    elif choice == 1 and len(lines) > 1:
        j = rng.randrange(len(lines))
        lines[k], lines[j] = lines[j], lines[k]
    elif choice == 2:
        lines.insert(k, lines[rng.randrange(len(lines))])
    else:
        cut = rng.randrange(len(lines[k]) + 1)
        lines[k : k + 1] = [lines[k][:cut], lines[k][cut:]]
    return lines


def _mutate_numeral(rng: random.Random, text: str) -> str:
    spots = [i for i, c in enumerate(text) if c in NUMERALS]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + rng.choice(NUMERALS) + text[i + 1 :]


def _mutate_lookalike(rng: random.Random, text: str) -> str:
    spots = [i for i, c in enumerate(text) if c in LOOKALIKES]
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + LOOKALIKES[text[i]] + text[i + 1 :]


def _mutate_char(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice(BAD_CHARS) + text[i:]


def _mutate_space(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + rng.choice([" ", "\u3000", "\u2002", "\t"]) + text[i:]


@dataclass
class Mutant:
    source: str
    kinds: list[str]
    data: bytes


def make_mutant(rng: random.Random, name: str, text: str) -> Mutant:
    """One to three random mutations of a text, with front matter (sometimes broken)."""
    kinds: list[str] = []
    body = text
    for _ in range(rng.randint(1, 3)):
        kind = rng.choice(["lines", "numeral", "lookalike", "char", "space", "front"])
        kinds.append(kind)
        if kind == "lines":
            body = "\n".join(_mutate_lines(rng, body.split("\n")))
        elif kind == "numeral":
            body = _mutate_numeral(rng, body)
        elif kind == "lookalike":
            body = _mutate_lookalike(rng, body)
        elif kind == "char":
            body = _mutate_char(rng, body)
        elif kind == "space":
            body = _mutate_space(rng, body)
    title = body.strip().split("\n", 1)[0].strip()[:60] or "无题"
    front = FRONT.format(title='"' + title.replace("\\", "").replace('"', "") + '"')
    if "front" in kinds:
        line = rng.choice(BAD_FRONT)
        key = line.split(":", 1)[0] + ":"
        kept = [ln for ln in front.split("\n") if not ln.startswith(key) or key == ": :"]
        kept.insert(1, line)
        front = "\n".join(kept)
    return Mutant(name, kinds, (front + body).encode("utf-8", errors="surrogatepass"))


@dataclass
class FuzzReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    crashes: list[tuple[Mutant, str]] = field(default_factory=list)
    invalid: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0


def run_fuzz(
    texts: list[tuple[str, str]], mutants: int, seed: int, progress: Callable[[int], None] | None = None
) -> FuzzReport:
    """Compile ``mutants`` mutants of ``texts`` (name, text); classify every outcome."""
    from fadian.akn.validate import lxml_schema
    from fadian.pipeline import compile_source

    rng = random.Random(seed)
    report = FuzzReport()
    started = time.perf_counter()
    for n in range(mutants):
        name, text = texts[rng.randrange(len(texts))]
        mutant = make_mutant(rng, name, text)
        try:
            doc = compile_source(f"{name}:fuzz{n}", mutant.data)
        except Exception:  # what the fuzzer is for: any exception is a bug to fix
            report.outcomes["internal error"] += 1
            report.crashes.append((mutant, traceback.format_exc(limit=3)))
            continue
        if doc.ok:
            if not lxml_schema().validate(doc.root):
                report.outcomes["schema-invalid reported as success"] += 1
                report.invalid.append(mutant)
            else:
                warned = any(not d.is_error for d in doc.diagnostics)
                report.outcomes["converted with warnings" if warned else "converted clean"] += 1
        else:
            codes = sorted({d.code for d in doc.diagnostics if d.is_error})
            report.outcomes["refused: " + ",".join(codes)] += 1
            if "F999" in codes:
                report.outcomes["internal error"] += 1
            if "F501" in codes:  # fadian wrote AKN its own schema rejects: fadian's fault, not the text's
                report.outcomes["schema-invalid (F501)"] += 1
                report.invalid.append(mutant)
        if progress:
            progress(n)
    report.seconds = time.perf_counter() - started
    return report


def load_texts(folders: list[Path]) -> list[tuple[str, str]]:
    texts = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            texts.append((f"{folder.name}/{path.name}", path.read_text(encoding="utf-8")))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*", type=Path, default=list(DEFAULT_FOLDERS))
    parser.add_argument("--mutants", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=None, help="default: a new one each run (printed)")
    args = parser.parse_args()
    texts = load_texts(args.folders)
    if args.seed is None:  # a new seed each run (CI explores further every time), printed to replay it
        args.seed = random.SystemRandom().randrange(1, 2**31)
    report = run_fuzz(texts, args.mutants, args.seed)
    print(f"{args.mutants} mutants of {len(texts)} texts, seed {args.seed}, {report.seconds:.1f} s")
    for outcome, count in sorted(report.outcomes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:6d}  {outcome}")
    for mutant, trace in report.crashes[:10]:
        print(f"\nCRASH {mutant.source} {mutant.kinds}\n{trace}")
    for mutant in report.invalid[:10]:
        print(f"\nINVALID {mutant.source} {mutant.kinds}")
        out = Path("build") / "fuzz" / f"invalid-{report.invalid.index(mutant)}.txt"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(mutant.data)
        print(f"  written to {out}")
    sys.exit(1 if report.crashes or report.invalid else 0)


if __name__ == "__main__":
    main()
