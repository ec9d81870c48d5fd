"""A collection laid out as LawRefBook keeps the national one, made from the texts the shared
corpus has, with what a cycled sample lacks:

- works with several versions as separate files, as LawRefBook names them (`X.md` the newest,
  `X(2019-07-26).md` an older one): the shared laws' pairs and the 29 version pairs;
- texts that cite the same laws: the national sample's texts cite 刑法, 公司法, 民法典 …; its
  copies (``copies`` of each, retitled as texts of other places, so each is a work of its own)
  cite them too, so a few laws are cited by hundreds of texts, as in the national collection;
- the amendment instruments.

Run: .venv/bin/python benchmarks/realistic_corpus.py FOLDER [--copies N]

An edit to measure is then a commit dated after every other, to the law most texts cite
(bench_collection.py --realistic).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
# places the copies of a local text are retitled as (none is a place the sample has)
PLACES = ("甲州市", "乙州市", "丙州市", "丁州市", "戊州市", "己州市", "庚州市", "辛州市", "壬州市", "癸州市")


def make_realistic_collection(folder: Path, copies: int = 0) -> int:
    """Write the collection into ``folder``; returns how many files it holds."""
    count = 0
    sample = SHARED / "national-sample"
    documents = json.loads((sample / "manifest.json").read_text("utf-8"))["documents"]
    for d in documents:
        text = (sample / d["file"]).read_text("utf-8")
        count += _write(folder / "Laws" / d["source_path"], text)
        for k in range(copies):
            place = PLACES[k % len(PLACES)] + (str(k // len(PLACES)) if k >= len(PLACES) else "")
            name = Path(d["source_path"]).name
            title = text.strip().split("\n", 1)[0].strip()
            retitled = text.replace(title, f"{place}{title}", 1)
            count += _write(folder / "Copies" / place / f"{place}{name}", retitled)
    count += _laws(folder / "Laws" / "法律")
    count += _version_pairs(folder / "Laws" / "版本")
    for path in sorted((SHARED / "instruments").glob("*.txt")):
        count += _write(folder / "Laws" / "修正案" / path.name, path.read_text("utf-8"))
    return count


def _laws(folder: Path) -> int:
    """The shared laws: of a work with two files, the newest is `X.md`, the older `X(date).md`."""
    manifest = json.loads((SHARED / "laws" / "manifest.json").read_text("utf-8"))["documents"]
    by_title: dict[str, list[dict]] = {}
    for d in manifest:
        by_title.setdefault(d["title"], []).append(d)
    count = 0
    for title, versions in by_title.items():
        versions.sort(key=lambda d: d.get("version_date") or "")
        for k, d in enumerate(versions):
            newest = k == len(versions) - 1
            name = f"{title}.md" if newest else f"{title}({d.get('version_date')}).md"
            count += _write(folder / name, (SHARED / "laws" / d["file"]).read_text("utf-8"))
    return count


def _version_pairs(folder: Path) -> int:
    """The version pairs: the text after the change as `X.md`, the one before it as `X(旧).md`."""
    pairs = json.loads((SHARED / "version-pairs" / "manifest.json").read_text("utf-8"))["pairs"]
    count = 0
    for pair in pairs:
        title = re.sub(r"[\\/:*?\"<>|]", "", pair["title"])
        before = (SHARED / "version-pairs" / pair["before"]).read_text("utf-8")
        after = (SHARED / "version-pairs" / pair["after"]).read_text("utf-8")
        count += _write(folder / f"{title}(旧).md", before) + _write(folder / f"{title}.md", after)
    return count


def _write(path: Path, text: str) -> int:
    if path.exists():
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return 1


def main() -> None:
    """Write the corpus into a folder, to import it by hand (bench_collection.py --realistic
    makes and measures it itself)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--copies", type=int, default=0, help="retitled copies of the sample")
    args = parser.parse_args()
    print(f"{make_realistic_collection(args.folder, args.copies)} files written into {args.folder}")


if __name__ == "__main__":
    main()
