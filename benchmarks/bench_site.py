"""Site build time and size: the seed, and corpora of N documents copied from ../shared/corpus/laws.

Run: .venv/bin/python benchmarks/bench_site.py [--sizes 50,100,200]
Prints, per corpus: documents, pages, build seconds, seconds per page, site bytes, bytes per page.
Linear growth shows as flat per-page figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from fadian.project.build import Project, build_project

ROOT = Path(__file__).resolve().parent.parent
LAWS = sorted((ROOT.parent / "shared" / "corpus" / "laws").glob("*.txt"))


def make_corpus(root: Path, n: int) -> None:
    docs = root / "sources" / "documents"
    docs.mkdir(parents=True)
    for k in range(n):
        law = LAWS[k % len(LAWS)]
        text = law.read_text("utf-8")
        title = text.strip().split("\n", 1)[0].strip()
        front = (
            f"---\nslug: doc-{k:04d}\ntype: act\ntitle: {title}（副本{k}）\n"
            f"date: 2024-01-{1 + k % 28:02d}\n---\n"
        )
        (docs / f"doc-{k:04d}.txt").write_text(front + text, "utf-8")
    shutil.copy(ROOT / "sources" / "registry.yaml", root / "sources" / "registry.yaml")


def measure(root: Path) -> tuple[int, int, float, int]:
    start = time.perf_counter()
    result = build_project(Project(root), editions=False)  # the site alone: editions have their own benchmark
    seconds = time.perf_counter() - start
    assert result.ok, [d.format() for d in result.all_diagnostics if d.is_error][:5]
    site = root / "site"
    pages = len(list(site.rglob("index.html")))
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return len(result.documents), pages, seconds, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="50,100,200")
    args = parser.parse_args()
    print(
        f"{'corpus':>12} {'docs':>5} {'pages':>6} {'build s':>8} {'s/page':>7} {'site MB':>8} {'KB/page':>8}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed"
        shutil.copytree(ROOT / "sources", seed / "sources")
        rows = [("seed", seed)]
        for n in (int(x) for x in args.sizes.split(",")):
            root = Path(tmp) / f"n{n}"
            make_corpus(root, n)
            rows.append((f"{n} laws", root))
        for label, root in rows:
            os.chdir(root)
            docs, pages, seconds, size = measure(root)
            print(
                f"{label:>12} {docs:5d} {pages:6d} {seconds:8.1f} {seconds / pages:7.3f} "
                f"{size / 1e6:8.1f} {size / pages / 1e3:8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
