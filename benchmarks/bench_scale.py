"""A corpus-sized project: N texts of ../shared/corpus/national-sample (cycled, with unique
slugs and titles, for N > 300) built as one fadian project, and what it costs.

Run: .venv/bin/python benchmarks/bench_scale.py [--sizes 100,300,1000,3000] [--scheduler tcp://…]
Prints, per N: cold build (AKN + site + search, editions off), no-op rebuild, one-edit rebuild
(seconds), site MB, HTML KB per document page, peak RSS (MB, this process and its workers),
search index MB; then, in Debian's chromium (unless --no-browser), the search page opened with a
query — a topic (安全) and a law + article (a title of the project and 第三条) —: seconds from
the page's load to the first result shown, and KB the search downloaded (index, titles list).
Linear growth shows as flat per-document figures.

Last, a reader opening a copied permalink (w/<slug>/#<wId>) to 第一百六十五条 of the 刑法
(505 articles, ../shared/corpus/laws/criminal-law-2023.txt, imported with `fadian import`):
KB of the permalink page before the law's page, KB of the law's page itself and of everything
else it loaded, and whether the article was reached (the :target, in view).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "corpus" / "national-sample"


def sample_texts() -> list[Path]:
    return sorted(SAMPLE.glob("*.txt"))


def make_project(root: Path, n: int, git: bool = True) -> Path:
    """A project of ``n`` national-sample texts (cycled for n > 300), committed to git."""
    docs = root / "sources" / "documents"
    docs.mkdir(parents=True, exist_ok=True)
    texts = sample_texts()
    for k in range(n):
        text = texts[k % len(texts)].read_text("utf-8")
        title = re.sub(r"\s+", "", text.strip().split("\n", 1)[0])[:80] or f"文本{k}"
        copy = k // len(texts)
        if copy:
            title = f"{title}（副本{copy}）"
        front = (
            f"---\nslug: t-{k:05d}\ntype: act\ntitle: {title!r}\n"
            f"date: {2000 + k % 24}-{1 + k % 12:02d}-{1 + k % 28:02d}\n---\n"
        )
        (docs / f"t-{k:05d}.txt").write_text(front + text, "utf-8")
    if git:
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", "import", "--date", "2024-01-01T00:00:00")
    return root


def _git(root: Path, *args: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_COMMITTER_DATE": "2024-01-01T00:00:00",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run(["git", *args], cwd=root, check=True, env=env)


def _build(root: Path, scheduler: str | None) -> float:
    cmd = [sys.executable, "-m", "fadian", "build", "--root", str(root), "--no-editions"]
    if scheduler:
        cmd += ["--scheduler", scheduler]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(proc.stderr.decode()[-2000:])
    return seconds


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


CHROMIUM = "/usr/bin/chromium"


def _served(site: Path):
    """An HTTP server on a free port serving ``site``; stop it with shutdown()."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def first_search_result(site: Path, query: str = "安全", fragment: str = "") -> tuple[float, float]:
    """Open site/search/?q=query in chromium: seconds from load to the first result (whose link
    must end with ``#fragment`` when one is given), and KB the search downloaded (the index under
    site/pagefind/ and search/titles.json)."""
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    httpd = _served(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            sizes: list[int] = []  # every response of the index, the search worker's included

            def count(response) -> None:
                if "/pagefind/" in response.url or response.url.endswith("/titles.json"):
                    sizes.append(int(response.headers.get("content-length") or 0))

            page.on("response", count)
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/search/?q={quote(query)}")
            page.wait_for_selector(".fadian-result-link")
            after_load = page.evaluate(
                "() => performance.now() - performance.getEntriesByType('navigation')[0].loadEventEnd"
            )
            first = page.locator(".fadian-result-link").first.get_attribute("href") or ""
            if fragment and not first.endswith("#" + fragment):
                sys.exit(f"{query}: the first result is {first}, not #{fragment}")
            page.wait_for_load_state("networkidle")  # what the first results still fetch
            loaded = sum(sizes)
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    return max(after_load, 0.0) / 1000, loaded / 1000


def law_article_query(root: Path) -> str:
    """A title of the project (its first text printing a 第三条) followed by 第三条."""
    for path in sorted((root / "sources" / "documents").glob("*.txt")):
        text = path.read_text("utf-8")
        if "\n第三条" in text:
            return re.search(r"^title: '?([^'\n]+)'?$", text, re.M).group(1) + "第三条"
    raise SystemExit("no text with a 第三条")


LAW_500 = ROOT.parent / "shared" / "corpus" / "laws" / "criminal-law-2023.txt"


def permalink_weight(tmp: Path) -> tuple[float, float, float, bool]:
    """The 刑法 imported into a project in git and built; a reader opens the permalink of
    第一百六十五条: (KB of the permalink page, KB of the law's page, KB of everything else,
    reached)."""
    from playwright.sync_api import sync_playwright

    root = tmp / "permalink"
    for args in (("init", str(root)), ("import", "--root", str(root), str(LAW_500))):
        proc = subprocess.run([sys.executable, "-m", "fadian", *args], capture_output=True)
        if proc.returncode != 0:
            sys.exit(proc.stderr.decode()[-2000:])
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "import", "--date", "2024-01-01T00:00:00")
    _build(root, None)
    site = (root / "site").resolve()
    law = next(p for p in (site / "w").iterdir() if p.is_dir())
    page_html = (site / "documents" / law.name / "index.html").read_text("utf-8")
    wid = re.search(r'id="art_165" data-wid="([^"]+)"', page_html).group(1)
    httpd = _served(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            sizes: dict[str, int] = {}

            def count(response) -> None:  # the server states every file's length
                sizes[response.url.split("#")[0]] = int(response.headers.get("content-length") or 0)

            page.on("response", count)
            base = f"http://127.0.0.1:{httpd.server_address[1]}"
            page.goto(f"{base}/w/{law.name}/#{wid}")
            page.wait_for_url(f"**/documents/{law.name}/#art_165")
            page.wait_for_function("() => document.querySelector(':target')?.id === 'art_165'")
            page.wait_for_load_state("networkidle")
            reached = page.locator("#art_165").is_visible() and page.evaluate(
                "() => { const r = document.getElementById('art_165').getBoundingClientRect();"
                " return r.top >= 0 && r.top < innerHeight; }"
            )
            browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()
    permalink = sum(v for k, v in sizes.items() if "/w/" in k)
    own = sum(v for k, v in sizes.items() if k.endswith(f"/documents/{law.name}/"))
    rest = sum(sizes.values()) - permalink - own
    return permalink / 1e3, own / 1e3, rest / 1e3, reached


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,300,1000,3000")
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler address")
    parser.add_argument("--no-browser", action="store_true", help="skip the search timing in chromium")
    args = parser.parse_args()
    browser = not args.no_browser and Path(CHROMIUM).exists()
    header = (
        f"{'N':>6} {'cold s':>7} {'no-op s':>8} {'edit s':>7} {'site MB':>8} "
        f"{'KB/page':>8} {'RSS MB':>7} {'search MB':>9}"
    )
    if browser:
        header += f" {'topic 1st s':>11} {'KB':>5} {'law+art 1st s':>13} {'KB':>5}"
    print(header, flush=True)
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = make_project(Path(tmp) / f"n{n}", n)
            cold = _build(root, args.scheduler)
            noop = _build(root, args.scheduler)
            edited = root / "sources" / "documents" / f"t-{n // 2:05d}.txt"
            edited.write_text(edited.read_text("utf-8") + "\n本条为测试而增加的一段文字。\n", "utf-8")
            edit = _build(root, args.scheduler)
            site = (root / "site").resolve()
            pages = sorted((site / "documents").glob("*/index.html"))
            kb_page = sum(p.stat().st_size for p in pages) / max(len(pages), 1) / 1e3
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
            line = (
                f"{n:6d} {cold:7.1f} {noop:8.2f} {edit:7.1f} {_size(site) / 1e6:8.1f} "
                f"{kb_page:8.1f} {rss:7.0f} {_size(site / 'pagefind') / 1e6:9.1f}"
            )
            if browser:  # after the RSS figure: the browser is not the build
                seconds, kb = first_search_result(site)
                line += f" {seconds:11.2f} {kb:5.0f}"
                seconds, kb = first_search_result(site, law_article_query(root), "art_3")
                line += f" {seconds:13.2f} {kb:5.0f}"
            print(line, flush=True)
    if browser:
        with tempfile.TemporaryDirectory() as tmp:
            permalink, own, rest, reached = permalink_weight(Path(tmp))
        print(
            f"permalink to 刑法第一百六十五条: permalink page {permalink:.1f} KB, the law's page "
            f"{own:.0f} KB, everything else {rest:.0f} KB; article reached: {reached}",
            flush=True,
        )


if __name__ == "__main__":
    main()
