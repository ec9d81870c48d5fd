"""The site's 引用核验 page at collection scale: a pasted text of 50 citations checked in
Debian's chromium on a site of N texts (bench_scale's cycled national sample, N = 3,000 by
default), and what it costs the reader.

Run: .venv/bin/python benchmarks/bench_check.py [--n 3000] [--project DIR]
The text cites 25 works of the site chosen at random (a fixed seed): each by its full title and
an article, then a second article of the same work in a list (《X》第N条、第M条), some articles
beyond the work's last (无此条). Prints: KB the page itself loads (HTML, theme, scripts), KB and
seconds from pressing 核验 to the answer (the titles' buckets, the works' data files, the
versions' articles), the same for a second check of the same text (what the browser kept), and
whether every verdict equals `fadian cite-check --json` on the same text and day.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import CHROMIUM, _served, make_project

DAY = "2024-06-01"


def citations_text(site: Path, count: int = 50) -> str:
    """``count`` citations of the site's works, two per work, a line per work."""
    catalogue = json.loads((site / "akn" / "index.json").read_text("utf-8"))
    rng = random.Random(7)
    works = rng.sample(catalogue["works"], count // 2)
    lines = []
    for work in works:
        data = json.loads((site / work["data"]).read_text("utf-8"))
        newest = data["expressions"][-1]["akn"].rsplit("/", 1)[0] + "/articles.json"
        articles = json.loads((site / newest).read_text("utf-8"))["articles"]
        last = max((int(k.split("-")[0]) for k in articles), default=1)
        first, second = rng.randint(1, last), rng.choice([rng.randint(1, last), last + 5])
        lines.append(f"依照《{work['title']}》第{first}条、第{second}条的规定。")
    return "\n".join(lines) + "\n"


def check_in_browser(site: Path, text: str) -> dict:
    from playwright.sync_api import sync_playwright

    server = _served(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            page.on("response", lambda r: fetched.append(len(r.body())) if r.ok else None)
            page.goto(base + "check/", wait_until="networkidle")
            loaded = sum(fetched)
            page.fill("#fadian-check textarea", text)
            page.fill("#fadian-check input[type=date]", DAY)
            runs = []
            for _ in range(2):
                before = len(fetched)
                start = time.perf_counter()
                page.click("#fadian-check button[type=submit]")
                page.wait_for_selector("ol.fadian-check-results[data-done]")
                runs.append((time.perf_counter() - start, sum(fetched[before:])))
                page.evaluate("document.querySelector('ol.fadian-check-results').removeAttribute('data-done')")
            answers = "([t, d]) => fadianCheckText(t, d).then(rs => rs.map(r => r.verdict))"
            verdicts = page.evaluate(answers, [text, DAY])
            browser.close()
    finally:
        server.shutdown()
    return {"page": loaded, "runs": runs, "verdicts": verdicts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--project", type=Path, help="a project built already (else one is made)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.project
        if root is None:
            root = make_project(Path(tmp) / "p", args.n)
            build = ["build", "--root", str(root), "--no-editions", "--no-search"]
            done = subprocess.run([sys.executable, "-m", "fadian", *build], capture_output=True)
            if done.returncode != 0:
                sys.exit(done.stderr.decode()[-2000:])
        site = root / "site"
        text = citations_text(site)
        (Path(tmp) / "brief.txt").write_text(text, "utf-8")
        found = check_in_browser(site, text)
        command = subprocess.run(
            [sys.executable, "-m", "fadian", "cite-check", str(Path(tmp) / "brief.txt"), "--root", str(root),
             "--as-of", DAY, "--json"],
            capture_output=True,
        )
        expected = [c["verdict"] for c in json.loads(command.stdout)["citations"]]
    (first_s, first_b), (again_s, again_b) = found["runs"]
    wrong = sum(v in ("missing", "not_in_force") for v in found["verdicts"])
    texts = args.n if args.project is None else "given"
    print(f"texts {texts}: {len(found['verdicts'])} citations, {wrong} wrong")
    print(f"page load: {found['page'] / 1024:.0f} KB")
    print(f"first check: {first_s:.2f} s, {first_b / 1024:.0f} KB")
    print(f"again: {again_s:.2f} s, {again_b / 1024:.0f} KB")
    print(f"same verdicts as cite-check: {found['verdicts'] == expected}")


if __name__ == "__main__":
    main()
