"""Issue 22: finding the law the way readers ask for it, on a site of the 300 texts of the
national sample, in a real browser, against the dev query set (tests/data/search_queries.json,
made by scripts/make_search_queries.py): a law and an article opens that article first; a
title opens the work first; a topic lists every document containing it and, under each, every
article that does (ground truth from the AKN); filters narrow the results."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from lxml import etree
from playwright.sync_api import expect

from conftest import REPO, SHARED, run_fadian, serve_dir

QUERIES = json.loads((REPO / "tests" / "data" / "search_queries.json").read_text("utf-8"))
SAMPLE = sorted((SHARED / "corpus" / "national-sample").glob("*.txt"))
NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def slug_of(file: str) -> str:
    """The slug bench_scale's project gives a sample text (t-<its index in the sample>)."""
    return f"t-{[p.name for p in SAMPLE].index(file):05d}"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("_bench_scale_s", REPO / "benchmarks" / "bench_scale.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["_bench_scale_s"] = module
    spec.loader.exec_module(module)
    root = module.make_project(tmp_path_factory.mktemp("reader") / "p", 300)
    proc = run_fadian("build", "--root", str(root), "--no-editions")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return root


@pytest.fixture(scope="module")
def site_url(sample_site):
    with serve_dir(sample_site / "site") as url:
        yield url


def first_result(page, url: str, query: str, expected: str) -> None:
    page.goto(url + "search/?q=" + urllib.parse.quote(query))
    expect(page.locator(".fadian-result-link").first).to_have_attribute(
        "href", re.compile(re.escape(expected) + "$")
    )


def test_law_and_article_queries_open_the_article_first(site_url, browser):
    page = browser.new_page()
    for q in QUERIES["law_article"]:
        first_result(page, site_url, q["query"], f"/documents/{slug_of(q['file'])}/#{q['eid']}")
    page.close()
    assert len(QUERIES["law_article"]) >= 100


def test_an_article_query_fetches_no_index_until_the_reader_asks(site_url, browser):
    """刑法第X条 is answered from search/titles.json; the index (a chunk per character) is
    fetched only when the reader asks for the full text to be searched too."""
    q = QUERIES["law_article"][0]
    page = browser.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    first_result(page, site_url, q["query"], f"/documents/{slug_of(q['file'])}/#{q['eid']}")
    expect(page.locator("ol.fadian-results[data-complete]")).to_have_count(1)
    assert any(u.endswith("/search/titles.json") for u in fetched)
    assert not [u for u in fetched if "/pagefind/" in u]
    page.get_by_role("button", name="在全部文本中搜索").click()
    expect(page.locator(".fadian-search-status")).to_contain_text("找到")
    assert [u for u in fetched if "/pagefind/" in u]
    page.close()


def test_title_queries_open_the_work_first(site_url, browser):
    page = browser.new_page()
    for q in QUERIES["title"]:
        first_result(page, site_url, q["query"], f"/documents/{slug_of(q['file'])}/")
    # a national regulation before a city's of the same name (物业管理条例, 舟山市物业管理条例)
    titles = {p.name: re.sub(r"\s", "", p.read_text("utf-8").split("\n", 1)[0]) for p in SAMPLE}
    national = next(f for f, t in titles.items() if t == "物业管理条例")
    first_result(page, site_url, "物业管理条例", f"/documents/{slug_of(national)}/")
    page.close()


def _current_pages(root) -> set[str]:
    """The pages a search lists by default: one file per work, the one its address leads to."""
    rows = json.loads((root / "site" / "search" / "titles.json").read_text("utf-8"))
    return {"/" + page for _title, page, _articles, current in rows if current}


def _truth(root, query: str, every_version: bool = False) -> dict[str, set[str]]:
    """Every document whose AKN holds the query, with every article that does (spaces ignored);
    of a work kept as several files only the one in force, unless ``every_version``."""
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    current = _current_pages(root)
    out: dict[str, set[str]] = {}
    for d in manifest["documents"]:
        if not every_version and f"/documents/{d['slug']}/" not in current:
            continue
        doc = etree.parse(str(root / d["akn"])).getroot()
        body = "".join("".join(doc.itertext()).split())
        if query not in body:
            continue
        out[f"/documents/{d['slug']}/"] = {
            a.get("eId")
            for a in doc.iterfind(".//a:article", NS)
            if query in "".join("".join(a.itertext()).split())
        }
    return out


def _every_result(page, site_url: str, query: str, status: str) -> dict[str, set[str]]:
    """Every result the search page lists for ``query`` (each page of them), with the anchors of
    its sub-results."""
    page.goto(site_url + "search/?q=" + urllib.parse.quote(query))
    expect(page.locator(".fadian-search-status")).to_have_text(re.compile(status))
    settled = (
        "() => !document.querySelector('.fadian-more').hidden"
        " || document.querySelector('ol.fadian-results').dataset.complete"
    )
    while True:  # every page of results: "显示更多" until the list says it is complete
        page.wait_for_function(settled)
        if page.locator("ol.fadian-results[data-complete]").count():
            break
        page.locator(".fadian-more").click()
    found: dict[str, set[str]] = {}
    for li in page.locator("ol.fadian-results > li").all():
        href = li.locator(".fadian-result-link").get_attribute("href")
        subs = {s.get_attribute("href").split("#", 1)[1] for s in li.locator(".fadian-sub-link").all()}
        found.setdefault(href, set()).update(subs)
    return found


@pytest.mark.parametrize("query", QUERIES["topic"])
def test_topic_queries_list_every_document_and_every_matching_article(sample_site, site_url, browser, query):
    truth = _truth(sample_site, query)
    assert truth, query
    page = browser.new_page()
    found = _every_result(page, site_url, query, "找到")
    page.close()
    missing = sorted(set(truth) - set(found))
    assert missing == [], (query, missing[:5])
    for doc, articles in truth.items():
        assert articles <= found[doc], (query, doc, sorted(articles - found[doc])[:5])


def test_each_page_of_results_ranks_by_where_the_phrase_stands(site_url, browser):
    """个人信息: on a page of results, the texts whose title holds it first, then those with more
    articles holding it."""
    page = browser.new_page()
    page.goto(site_url + "search/?q=" + urllib.parse.quote("个人信息"))
    expect(page.locator(".fadian-search-status")).to_have_text(re.compile("找到"))
    page.wait_for_function("() => document.querySelectorAll('ol.fadian-results > li').length >= 10")
    rows = page.locator("ol.fadian-results > li").evaluate_all(
        "els => els.slice(0, 10).map(li => [li.querySelector('.fadian-result-link').textContent,"
        " li.querySelectorAll('.fadian-sub-link').length])"
    )
    page.close()
    keys = [("个人信息" in title, units) for title, units in rows]
    assert keys == sorted(keys, reverse=True), keys
    assert len({units for _t, units in keys}) > 1  # (the page has texts of different counts)


def test_a_law_name_is_found_as_a_name(site_url, browser):
    """公司法: the texts that name the law (《中华人民共和国公司法》, 公司法施行…), each with an
    excerpt; not the two that hold the characters only in 公司法定代表人."""
    names = {f: (SHARED / "corpus" / "national-sample" / f).read_text("utf-8") for f in ("037.txt", "152.txt")}
    assert all("公司法定代表人" in t and not re.search("公司法[^定]", t) for t in names.values())
    page = browser.new_page()
    found = _every_result(page, site_url, "公司法", "提及“公司法”")
    excerpts = page.locator("ol.fadian-results .fadian-excerpt mark").all_inner_texts()
    page.close()
    pages = {f"/documents/{slug_of(f)}/" for f in ("186.txt", "212.txt", "265.txt", "296.txt")}
    listed = {h.split("#")[0] for h in found}
    assert pages <= listed, sorted(listed)
    assert not {f"/documents/{slug_of(f)}/" for f in names} & listed
    assert all(found[h] for h in found) and set(excerpts) == {"公司法"}  # an excerpt for every hit


def test_filters_narrow_the_results(site_url, browser):
    page = browser.new_page()
    page.goto(site_url + "search/?q=" + urllib.parse.quote("合法权益"))
    status = page.locator(".fadian-search-status")
    expect(status).to_have_text(re.compile(r"^找到 \d+ 件文本$"))
    total = int(re.search(r"\d+", status.inner_text()).group())
    level = page.locator("select[name='效力级别']")
    level.select_option("法律")
    # "正在搜索……" comes between the two counts: wait for a count other than the first
    expect(status).to_have_text(re.compile(rf"^找到 (?!{total} )\d+ 件文本$"))
    narrowed = int(re.search(r"\d+", status.inner_text()).group())
    assert 0 < narrowed < total
    page.close()
