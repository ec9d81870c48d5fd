"""The reader's site puts nothing into the law's text and reads well on a phone: the version a
citation means is in the link's title and a mark, never in the sentence; the data identifiers are
in a collapsed 数据与下载 block in plain Chinese; downloads are saved under the text's title and
date; an empty menu item is not shown; the footer names the source and the date of the
collection; a jump lands below the sticky header, at phone and desktop widths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import run_fadian, serve_dir

LAW = "wuhan-digital-economy-promotion-regulations-draft"


def article_texts(page: Path) -> list[str]:
    tree = lxml_html.fromstring(page.read_bytes())
    return ["".join(a.itertext()) for a in tree.find_class("fadian-article")]


def test_nothing_is_inserted_into_the_laws_text(built_project):
    pages = sorted((built_project / "site" / "documents").glob("*/index.html"))
    assert pages
    for page in pages:
        for text in article_texts(page):
            for inserted in ("引用时版本", "Akoma Ntoso", "作品标识"):
                assert inserted not in text, (page, inserted)
        html = page.read_text("utf-8")
        assert "作品标识" not in html and "以上为 Akoma Ntoso" not in html
        assert '<details class="fadian-data" id="data"><summary>数据与下载</summary>' in html


def test_downloads_are_saved_under_the_title_and_date(built_project):
    html = (built_project / "site" / "documents" / LAW / "index.html").read_text("utf-8")
    names = re.findall(r'class="md-button fadian-download" href="[^"]+" download="([^"]+)"', html)
    stem = "武汉市数字经济促进条例（草案征求意见稿）-2023-05-05"
    assert sorted(names) == sorted(f"{stem}.{ext}" for ext in ("docx", "pdf", "epub", "xml"))


def test_the_footer_names_the_source_and_the_date_of_the_collection(built_project):
    html = (built_project / "site" / "index.html").read_text("utf-8")
    assert "文本来源：《大数据发展动态》2023年第18期（总第129期） · 收录截至 2023-05-05" in html


def test_an_empty_menu_item_is_not_shown(tmp_path, built_project):
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "law.txt").write_text(
        "---\nslug: law\ntype: act\ntitle: 测试条例\ndate: '2020-01-01'\n---\n\n测试条例\n\n第一条 为了测试，制定本条例。\n",
        "utf-8",
    )
    done = run_fadian("build", "--no-editions", "--no-search", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "引用的外部法规" not in home  # no text cites a work the registry lists
    seed = (built_project / "site" / "index.html").read_text("utf-8")
    assert "引用的外部法规" in seed  # the bulletin's texts cite works the registry lists


@pytest.mark.parametrize("width", [390, 1280])
def test_a_jump_lands_below_the_sticky_header(built_project, browser, width):
    with serve_dir(built_project / "site") as base:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{base}documents/{LAW}/")
        page.fill(".fadian-jump input", "30")
        page.press(".fadian-jump input", "Enter")
        page.wait_for_function("location.hash === '#art_30'")
        header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
        top = page.evaluate("document.getElementById('art_30').getBoundingClientRect().top")
        context.close()
    assert top >= header, (top, header)


OLD_SEA = """---
slug: sea-law-2017
type: act
title: 测试海洋法
date: '2017-01-01'
---

测试海洋法

（2017年1月1日全国人民代表大会常务委员会第一次会议通过）

第一条 为了保护海洋环境，制定本法。

第二条 本法自2017年3月1日起施行。
"""
NEW_SEA = """---
slug: sea-law-2023
type: act
title: 测试海洋法
date: '2017-01-01'
expression_date: '2023-10-24'
effective: '2024-01-01'
---

测试海洋法

（2017年1月1日全国人民代表大会常务委员会第一次会议通过　2023年10月24日修订）

第一条 为了保护和改善海洋环境，制定本法。

第二条 海洋环境保护应当坚持保护优先。

第三条 本法自2024年1月1日起施行。
"""


@pytest.fixture(scope="module")
def two_files(tmp_path_factory) -> Path:
    """A law kept as two files, one a version of the other (the newer in force on the build's day)."""
    root = tmp_path_factory.mktemp("two-files")
    docs = root / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "sea-law-2017.txt").write_text(OLD_SEA, "utf-8")
    (docs / "sea-law-2023.txt").write_text(NEW_SEA, "utf-8")
    done = run_fadian("build", "--no-editions", "--as-of", "2025-01-01", cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    return root / "site"


def test_a_work_kept_as_two_files_is_one_row_of_a_list(two_files):
    lists = [p.read_text("utf-8") for p in (two_files / "browse").glob("*/index.html")]
    rows = [len(re.findall(r">测试海洋法</a>", html)) for html in lists if "测试海洋法" in html]
    assert rows and set(rows) == {1}
    assert all("另有 1 个历史版本" in html for html in lists if "测试海洋法" in html)


def test_every_file_of_the_work_links_its_versions(two_files):
    for slug in ("sea-law-2017", "sea-law-2023"):
        html = (two_files / "documents" / slug / "index.html").read_text("utf-8")
        assert "历史版本（本法规共 2 个版本）" in html


def test_a_law_and_article_query_opens_the_file_that_has_the_article(two_files, browser):
    with serve_dir(two_files) as base:
        page = browser.new_page()
        for query, expected in (("测试海洋法第三条", "sea-law-2023/#art_3"), ("测试海洋法第一条", "sea-law-2023/#art_1")):
            page.goto(base + "search/?q=" + query)
            link = page.locator(".fadian-result-link").first
            link.wait_for()
            assert link.get_attribute("href").endswith(expected), (query, link.get_attribute("href"))
        page.close()


def test_a_search_lists_one_file_of_a_work_unless_asked_for_every_version(two_files, browser):
    with serve_dir(two_files) as base:
        page = browser.new_page()
        page.goto(base + "search/?q=" + "海洋环境")
        page.locator("ol.fadian-results[data-complete]").wait_for(state="attached")
        current = [a.get_attribute("href") for a in page.locator(".fadian-result-link").all()]
        page.goto(base + "search/?q=" + "海洋环境" + "&版本=全部")
        page.locator("ol.fadian-results[data-complete]").wait_for(state="attached")
        every = [a.get_attribute("href") for a in page.locator(".fadian-result-link").all()]
        page.close()
    assert [h for h in current if "sea-law" in h] == ["/documents/sea-law-2023/"]
    assert sorted(h for h in every if "sea-law" in h) == ["/documents/sea-law-2017/", "/documents/sea-law-2023/"]
