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
