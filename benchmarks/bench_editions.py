"""Edition speed: each EPUB and PDF of the seed, and the whole set built in parallel.

Run: .venv/bin/python benchmarks/bench_editions.py   (after `fadian build`, which makes the AKN)
Target: the whole set for the seed bulletin (eight EPUBs, eight PDFs) under 5 s on 2 cores.
The corpus-wide font subset, made once per corpus and cached, is timed separately.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fadian.render.edition_html import bulletin_html, document_html
from fadian.render.editions import EditionJob, corpus_font, run_job

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    build = ROOT / "build"
    manifest = json.loads((build / "manifest.json").read_text("utf-8"))
    by_uri = {d["expression_uri"]: ROOT / d["akn"] for d in manifest["documents"]}
    rendered = [(b["slug"], *bulletin_html(ROOT / b["akn"], by_uri)) for b in manifest["bulletins"]]
    rendered += [(d["slug"], *document_html(ROOT / d["akn"])) for d in manifest["documents"]]
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        start = time.perf_counter()
        font = corpus_font("".join(html.unescape(body) + meta["title"] for _s, body, meta in rendered), cache)
        print(f"corpus font subset (once per corpus, cached): {time.perf_counter() - start:.2f} s")
        jobs = [
            EditionJob(
                kind, body, meta, str(cache / f"{slug}.{kind}"), str(cache / f"c-{slug}.{kind}"), str(font)
            )
            for slug, body, meta in rendered
            for kind in ("epub", "pdf")
        ]
        for job in jobs[:4]:
            start = time.perf_counter()
            run_job(job)
            print(f"  {Path(job.target).name:58} {time.perf_counter() - start:6.2f} s")
            Path(job.cache).unlink()
        start = time.perf_counter()
        with ProcessPoolExecutor(
            max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("spawn")
        ) as pool:
            errors = [e for _t, e in pool.map(run_job, jobs) if e]
        seconds = time.perf_counter() - start
        assert not errors, errors
        print(
            f"all {len(jobs)} editions ({len(rendered)} EPUB + {len(rendered)} PDF) "
            f"on {os.cpu_count()} cores: "
            f"{seconds:.2f} s; target <5 s: {'ok' if seconds < 5 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
