"""Issue 22: the reader's last mile on a 500-article law (刑法, criminal-law-2023, in a test
project): the 跳转到条 box opens the article typed in any numeral style, the article reached is
marked, axe-core finds no violation on the page, and no page of the site has an empty link; on a
phone the drawer holds the law's 目录, and opening the law from the home page and a chapter from
the drawer raises no error in the page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import CORPUS, run_fadian, serve_dir

SLUG = "criminal-law"


@pytest.fixture(scope="module")
def law_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("criminal")
    docs = root / "sources" / "documents"
    docs.mkdir(parents=True)
    front = f"---\nslug: {SLUG}\ntype: act\ntitle: 中华人民共和国刑法\ndate: 1979-07-01\n---\n\n"
    (docs / f"{SLUG}.txt").write_text(front + (CORPUS / "criminal-law-2023.txt").read_text("utf-8"), "utf-8")
    proc = run_fadian("build", "--root", str(root), "--no-editions")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return root / "site"


@pytest.mark.parametrize("typed", ["第165条", "一百六十五", "165", "第一百六十五条"])
def test_jump_box_opens_the_article(law_site, browser, typed):
    with serve_dir(law_site) as url:
        page = browser.new_page()
        page.goto(url + f"documents/{SLUG}/")
        page.wait_for_selector("form.fadian-jump[data-ready]")  # the page's script is running
        page.fill("form.fadian-jump input", typed)
        page.press("form.fadian-jump input", "Enter")
        page.wait_for_url(re.compile(r"#art_165$"))
        article = page.locator("#art_165")
        expect(article).to_be_in_viewport()
        assert "第一百六十五条" in article.inner_text()
        # the article reached is marked (the :target style)
        expect(article).to_have_css("outline-style", "solid")
        page.close()


def test_jump_box_says_when_there_is_no_such_article(law_site, browser):
    with serve_dir(law_site) as url:
        page = browser.new_page()
        page.goto(url + f"documents/{SLUG}/")
        page.wait_for_selector("form.fadian-jump[data-ready]")
        page.fill("form.fadian-jump input", "第1000条")
        page.press("form.fadian-jump input", "Enter")
        expect(page.locator("form.fadian-jump output")).to_have_text(re.compile("没有"))
        assert "#" not in page.url
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_no_accessibility_violation_on_the_criminal_law(law_site, browser, width):
    from axe_playwright_python.sync_playwright import Axe

    with serve_dir(law_site) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url + f"documents/{SLUG}/", wait_until="networkidle")
        violations = Axe().run(page).response["violations"]
        page.close()
    found = [
        (v["id"], v["impact"], len(v["nodes"]), [n["target"] for n in v["nodes"]][:3]) for v in violations
    ]
    assert found == [], found


def test_no_empty_link_on_any_page(law_site):
    """Every <a href> has text a reader (and a screen reader) can follow."""
    empty = []
    for page in law_site.rglob("*.html"):
        html = page.read_text("utf-8")
        for m in re.finditer(r"<a\b[^>]*\bhref=[^>]*>(.*?)</a>", html, re.S):
            inner = m.group(1)
            if (
                not re.sub(r"<[^>]+>", "", inner).strip()
                and "aria-label" not in m.group(0)
                and "<img" not in inner
            ):
                empty.append((page.relative_to(law_site).as_posix(), m.group(0)[:120]))
    assert empty == [], (len(empty), empty[:5])


def test_the_phone_drawer_holds_the_laws_contents(law_site, browser):
    with serve_dir(law_site) as url:
        context = browser.new_context(viewport={"width": 390, "height": 800}, has_touch=True)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.locator(f"a[href$='documents/{SLUG}/']").first.click()  # the theme's instant navigation
        expect(page.locator("h1")).to_have_text("中华人民共和国刑法")
        page.locator(".md-header label[for=__drawer]").click()
        page.locator(".md-nav--primary label.md-nav__link[for=__toc]").click()
        chapter = page.locator(".md-nav--primary .md-nav--secondary a", has_text="第二章　犯罪").first
        expect(chapter).to_be_visible()
        target = "#" + chapter.get_attribute("href").split("#")[1]
        chapter.click()
        expect(page).to_have_url(re.compile(re.escape(target) + "$"))
        expect(page.locator("#__drawer")).not_to_be_checked()
        heading = page.locator(target)
        expect(heading).to_be_in_viewport()
        header = page.locator(".md-header").bounding_box()
        assert heading.bounding_box()["y"] >= header["y"] + header["height"] - 1  # not under the header
        wide = browser.new_page(viewport={"width": 1280, "height": 800})
        wide.goto(url + f"documents/{SLUG}/")
        expect(wide.locator(".fadian-drawer-contents")).to_be_attached()
        expect(wide.locator(".md-nav--primary label.md-nav__link[for=__toc]")).to_be_hidden()  # the list stands beside
        wide.close()
        context.close()
    assert errors == []
