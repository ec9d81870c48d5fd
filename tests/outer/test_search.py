"""Search at corpus scale: Pagefind's index of the current texts, on a site of 300 documents of
the national sample, driven in a real browser. Ground truth is a substring count over the AKN."""

from __future__ import annotations

import importlib.util
import json
import re
import sys

import pytest
from lxml import etree

from conftest import REPO, akn_text, run_fadian, serve_dir

QUERIES = ["安全", "数据安全", "个人信息", "第五十三条", "不可抗力", "抗力", "合法权益", "第三章"]


def _bench_scale():
    spec = importlib.util.spec_from_file_location("_bench_scale", REPO / "benchmarks" / "bench_scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["_bench_scale"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    root = _bench_scale().make_project(tmp_path_factory.mktemp("corpus") / "p", 300)
    # shards of 100 documents: the search box merges three indexes, as on a large corpus
    proc = run_fadian("build", "--root", str(root), "--no-editions", env={"FADIAN_SEARCH_SHARD_DOCS": "100"})
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    bundles = json.loads((root / "site" / "pagefind" / "bundles.json").read_text("utf-8"))
    assert bundles == ["0/", "1/", "2/"]
    # Pagefind's script and worker are published once, in the first shard (the merged ones are
    # read without them: the browser tests below search all three)
    shards = root / "site" / "pagefind"
    assert (shards / "0" / "pagefind.js").is_file() and (shards / "0" / "pagefind-worker.js").is_file()
    assert not list(shards.glob("[12]/pagefind*.js"))
    return root


def _pages_containing(root, query: str) -> set[str]:
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    out = set()
    for d in manifest["documents"]:
        if query in akn_text(etree.parse(str(root / d["akn"])).getroot()):
            out.add(f"/documents/{d['slug']}/")
    return out


SEARCH_ALL = """async (q) => {
  const bundles = await (await fetch("/pagefind/bundles.json")).json();
  const pf = await import("/pagefind/" + bundles[0] + "pagefind.js");
  await pf.options({ baseUrl: "/" });
  for (const b of bundles.slice(1)) await pf.mergeIndex("/pagefind/" + b, { baseUrl: "/" });
  const r = await pf.search(window.fadianSearchTerm(q));  // as the site's search box sends it
  const data = await Promise.all(r.results.map((x) => x.data()));
  return data.map((d) => ({ url: d.url, content: d.content, title: d.meta.title, subs: d.sub_results }));
}"""


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_every_page_containing_the_query(corpus_site, browser, query):
    truth = _pages_containing(corpus_site, query)
    assert truth, query  # the sample has each of these words somewhere
    with serve_dir(corpus_site / "site") as url:
        page = browser.new_page()
        page.goto(url + "search/")
        results = page.evaluate(SEARCH_ALL, query)
        page.close()
    found = {r["url"] for r in results}
    assert truth <= found, (query, len(truth), len(found), sorted(truth - found)[:5])
    assert len(found) == len(results)  # one result per page, its articles under it
    # the first results contain the query itself; their sub-results open the articles that do
    for r in results[:10]:
        assert query in r["content"].replace(" ", ""), (query, r["title"], r["content"][:80])
        assert r["subs"], (query, r["url"])
        for sub in r["subs"]:
            assert sub["url"] == r["url"] or sub["url"].startswith(r["url"] + "#"), sub["url"]
        excerpts = [re.sub(r"</?mark>| ", "", s["excerpt"]) for s in r["subs"]]
        assert any(query in e for e in excerpts), (query, r["url"], excerpts[:3])
    # only current texts: no history page, no old version
    assert not any("/history/" in r["url"] for r in results)


def test_first_query_downloads_little_and_stays_on_the_site(corpus_site, browser):
    """The 搜索 page with a query shows results while downloading well under 1 MB, all of it
    from the site's own host."""
    with serve_dir(corpus_site / "site") as url:
        page = browser.new_page()
        foreign, sizes = [], []
        page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(url) else None)
        # responses of the page and of Pagefind's search worker alike (the index is read there)
        page.on(
            "response",
            lambda r: (
                sizes.append((r.url, int(r.headers.get("content-length") or 0)))
                if "/pagefind/" in r.url
                else None
            ),
        )
        page.goto(url + "search/?q=" + "数据安全")
        page.wait_for_selector(".fadian-result-link")
        results = page.locator(".fadian-result-link").all()
        assert results and results[0].get_attribute("href").startswith("/documents/")
        page.wait_for_load_state("networkidle")
        page.close()
    loaded = sum(n for _url, n in sizes)
    assert any(".pf_index" in u for u, _n in sizes) and any(".pf_fragment" in u for u, _n in sizes)
    assert {u.split("/pagefind/")[1].split("/")[0] for u, _n in sizes if ".pf_meta" in u} == {"0", "1", "2"}
    assert 0 < loaded < 1_000_000, loaded
    assert foreign == []


def test_only_what_the_search_box_uses_is_published(corpus_site):
    """Pagefind writes its own search interfaces beside every index; the site's search box is
    fadian's, on pagefind.js: those files are not published (0.4 MB a shard)."""
    names = {p.name for p in (corpus_site / "site" / "pagefind").rglob("*") if p.is_file()}
    assert {"pagefind.js", "pagefind-entry.json", "bundles.json"} <= names
    unused = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")
    assert not [n for n in names if n.startswith(unused)]
