"""fadian's converter against bluebell (Laws.Africa's AKN parser, its Rust extension) on the
same law.

bluebell reads its own markup (CHAP, ART, PARA … keywords, indented), not a Chinese text as
printed, so the law is first given to it in that markup: fadian's AKN of the law written back
as bluebell text (every chapter, section, article, 款 and 项, with its number, heading and
words). Both are then timed on the same content, the median of repeated in-process runs:

- fadian: text as printed → read, parse, eIds, citations, AKN, XSD validation (what a build does);
- bluebell-rs: bluebell text → AKN XML (`_bluebell_rs.parse_to_xml`), then the same XSD check
  (lxml, in its process).

bluebell installs from PyPI on Python ≥ 3.12 (`bluebell-akn` and `bluebell-akn-rs`); fadian's
venv is 3.11, so bluebell runs in its own interpreter, given with --bluebell-python:

    python3.12 -m venv /tmp/bb && /tmp/bb/bin/pip install bluebell-akn bluebell-akn-rs
    .venv/bin/python benchmarks/bench_bluebell.py --bluebell-python /tmp/bb/bin/python
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

from fadian.akn.validate import validate_akn
from fadian.pipeline import compile_standalone

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT.parent / "shared" / "corpus" / "laws"
A = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
KEYWORDS = {
    "book": "BOOK",
    "part": "PART",
    "title": "TITLE",
    "chapter": "CHAP",
    "section": "SEC",
    "subsection": "SUBSEC",
    "article": "ART",
    "paragraph": "PARA",
    "point": "POINT",
    "item": "POINT",
}
SCHEMA = next((ROOT / "fadian" / "akn" / "schema").glob("akomantoso30*.xsd"))

BLUEBELL_TIMER = r"""
import json, statistics, sys, time
from lxml import etree
from _bluebell_rs import parse_to_xml
text = open(sys.argv[1], encoding="utf-8").read()
runs = int(sys.argv[2])
schema = etree.XMLSchema(etree.parse(sys.argv[3]))
parse, total = [], []
for _ in range(runs):
    t0 = time.perf_counter()
    xml = parse_to_xml(text, "act", "/akn/cn/act/2023-12-29/criminal-law", "")
    t1 = time.perf_counter()
    root = etree.fromstring(xml)
    ok = schema.validate(root)
    t2 = time.perf_counter()
    parse.append(t1 - t0)
    total.append(t2 - t0)
print(json.dumps({"parse": statistics.median(parse) * 1000, "total": statistics.median(total) * 1000,
                  "valid": ok, "articles": len(root.findall(".//{*}article"))}))
"""


def _words(el: etree._Element) -> str:
    """The words of a block (a <p>, a <content>), on one line, escaped for bluebell."""
    text = " ".join("".join(el.itertext()).split())
    return "".join("\\" + c if c in "*/_{}[\\" else c for c in text)


def bluebell_text(akn: etree._Element) -> str:
    """The law's AKN body as bluebell markup: each unit a keyword line (number - heading), its
    words indented below."""
    lines: list[str] = []

    def unit(el: etree._Element, depth: int) -> None:
        tag = etree.QName(el).localname
        pad = "  " * depth
        if tag in KEYWORDS:
            num = " ".join((el.findtext(f"{A}num") or "").split())
            heading = " ".join((el.findtext(f"{A}heading") or "").split())
            line = f"{pad}{KEYWORDS[tag]}"
            line += f" {num}" if num else ""
            line += f" - {heading}" if heading else ""
            lines.append(line)
            lines.append("")
            for child in el:
                if isinstance(child.tag, str):
                    unit(child, depth + 1)
        elif tag in ("content", "intro", "wrapUp"):
            for p in el.iter(f"{A}p"):
                if _words(p):
                    lines.append(f"{pad}{_words(p)}")
                    lines.append("")
        elif tag not in ("num", "heading"):  # lists and other wrappers: their units
            for child in el:
                if isinstance(child.tag, str):
                    unit(child, depth)

    body = akn.find(f".//{A}body")
    for child in body:
        unit(child, 0)
    return "\n".join(lines) + "\n"


def fadian_times(path: Path, runs: int) -> dict[str, float]:
    """The converter as ``fadian convert`` runs it (validation included), and the XSD check
    alone on its AKN: "to AKN" is the difference."""
    data = path.read_bytes()
    total, check = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        doc = compile_standalone(str(path), data, slug="bench")
        t1 = time.perf_counter()
        assert not validate_akn(doc.root, str(path))
        t2 = time.perf_counter()
        total.append(t1 - t0)
        check.append(t2 - t1)
    total_ms, check_ms = statistics.median(total) * 1000, statistics.median(check) * 1000
    return {"parse": total_ms - check_ms, "total": total_ms}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bluebell-python", required=True, help="a Python ≥ 3.12 with bluebell-akn-rs")
    parser.add_argument("--law", type=Path, default=LAWS / "criminal-law-2023.txt")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    doc = compile_standalone(str(args.law), args.law.read_bytes(), slug="bench")
    articles = len(doc.root.findall(f".//{A}article"))
    with tempfile.TemporaryDirectory() as tmp:
        text = Path(tmp) / "law.bluebell.txt"
        text.write_text(bluebell_text(doc.root), "utf-8")
        proc = subprocess.run(
            [args.bluebell_python, "-c", BLUEBELL_TIMER, str(text), str(args.runs), str(SCHEMA)],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            sys.exit(proc.stderr[-2000:])
        bluebell = json.loads(proc.stdout)
    fadian = fadian_times(args.law, args.runs)
    print(f"{args.law.name}: {args.law.stat().st_size / 1e3:.0f} KB, {articles} articles")
    print(f"{'':24} {'to AKN ms':>10} {'+ XSD ms':>10} {'articles':>9}")
    print(f"{'fadian (text as printed)':24} {fadian['parse']:10.1f} {fadian['total']:10.1f} {articles:9d}")
    print(
        f"{'bluebell-rs (its markup)':24} {bluebell['parse']:10.1f} {bluebell['total']:10.1f} "
        f"{bluebell['articles']:9d}   (its AKN {'valid' if bluebell['valid'] else 'NOT valid'})"
    )
    print(f"fadian / bluebell-rs: {fadian['total'] / bluebell['total']:.2f}x (to validated AKN)")


if __name__ == "__main__":
    main()
