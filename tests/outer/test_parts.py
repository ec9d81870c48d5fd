"""A work kept as several part files (as 民法典's 编 are kept, each a file): 刑法 2023 split in
three — 第一编, 第二编 第一章 to 第五章, 第六章 to the 附则 — with a text that cites it. The parts
are one work and one version: their AKN apart (each a component of the expression), no gap
warned where a part continues the one before, 本法 and citations of the law landing in the part
that holds the article, one row in the lists, each part named by its division and listing the
others with their articles, a law + article search opening the right part, and 引用核验 checking
against the whole law."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from conftest import SHARED, run_fadian, run_git, serve_dir

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
FRONT = "---\nslug: {slug}\ntype: act\ntitle: 中华人民共和国刑法\ndate: '1979-07-01'\nexpression_date: '2023-12-29'\n---\n"
CITING = """---
slug: citing-rules
type: act
title: 某某省刑事案件办理规定
date: '2024-05-01'
---
某某省刑事案件办理规定

第一条 依照《中华人民共和国刑法》第三百条和第一百零二条的规定，制定本规定。

第二条 本规定自2024年6月1日起施行。
"""
PARTS = ("xing-fa-1", "xing-fa-2", "xing-fa-3")


def split_law() -> list[str]:
    """The three parts, each with the law's header: at 第二编 and at 第六章 of 第二编."""
    lines = (SHARED / "corpus" / "laws" / "criminal-law-2023.txt").read_text("utf-8").splitlines()
    book_2 = next(k for k, line in enumerate(lines) if line.startswith("第二编"))
    chapter_6 = next(k for k, line in enumerate(lines) if k > book_2 and line.startswith("第六章"))
    header = lines[: next(k for k, line in enumerate(lines) if line.startswith("第一编"))]
    # the last part prints only the title: its 题注 (dates) is the first part's
    chunks = [lines[:book_2], header + lines[book_2:chapter_6], header[:2] + lines[chapter_6:]]
    return ["\n".join(chunk) + "\n" for chunk in chunks]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parts") / "p"
    documents = root / "sources" / "documents"
    documents.mkdir(parents=True)
    for slug, text in zip(PARTS, split_law(), strict=True):
        (documents / f"{slug}.txt").write_text(FRONT.format(slug=slug) + text, "utf-8")
    (documents / "citing-rules.txt").write_text(CITING, "utf-8")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "刑法分三个文件", date="2024-06-01T12:00:00")
    built = run_fadian("build", "--root", str(root), "--no-editions")
    assert built.returncode == 0, built.stderr.decode()[-3000:]
    (root / "build.log").write_bytes(built.stderr)
    return root


def akn(root: Path, slug: str) -> etree._Element:
    return etree.parse(str(root / "build" / "akn" / f"{slug}.xml")).getroot()


def test_the_parts_are_one_version_of_one_work(project):
    log = (project / "build.log").read_text("utf-8")
    assert "F302" not in log  # each part continues the one before: no gap, no numbering warning
    things = [akn(project, slug).xpath("//a:FRBRExpression/a:FRBRthis/@value", namespaces=NS)[0] for slug in PARTS]
    expression = "/akn/cn/act/1979-07-01/xing-fa/zho@2023-12-29"
    assert things[0] == f"{expression}/!main" and things[1] == f"{expression}/!book_2"
    assert re.fullmatch(re.escape(expression) + r"/!art_\d+", things[2])
    site_akn = sorted(p.name for p in (project / "site" / expression.lstrip("/")).glob("*.xml"))
    assert site_akn == sorted(Path(t).name + ".xml" for t in things)  # each part's AKN published
    assert not list((project / "site" / "history").glob("*/compare-*"))  # parts are not versions


def test_citations_land_in_the_part_that_holds_the_article(project):
    # 本法第三百一十三条 in 第一编 is an article of the third part
    first = (project / "site" / "documents" / "xing-fa-1" / "index.html").read_text("utf-8")
    assert re.search(r'href="\.\./xing-fa-3/#art_313"[^>]*>本法第三百一十三条', first)
    citing = (project / "site" / "documents" / "citing-rules" / "index.html").read_text("utf-8")
    assert re.search(r'href="\.\./xing-fa-3/#art_300"', citing)
    assert re.search(r'href="\.\./xing-fa-2/#art_102"', citing)


def test_each_part_is_named_and_lists_the_others(project):
    pages = {slug: (project / "site" / "documents" / slug / "index.html").read_text("utf-8") for slug in PARTS}
    assert "<h1 id=\"title\">中华人民共和国刑法 · 第二编　分则</h1>" in pages["xing-fa-2"]
    assert "<h1 id=\"title\">中华人民共和国刑法 · 第一编　总则</h1>" in pages["xing-fa-1"]
    for slug, page in pages.items():
        listed = re.search(r'<ol class="fadian-parts-list">(.*?)</ol>', page, re.S)
        assert listed is not None, slug
        items = re.findall(r"<li>(.*?)</li>", listed.group(1))
        assert len(items) == 3 and "（第一条至第一百零一条）" in items[0] and "第四百五十二条）" in items[2]
    panel = {slug: re.search(r'<dl class="fadian-legal-meta">.*?</dl>', page).group(0) for slug, page in pages.items()}
    assert "公布日期" in panel["xing-fa-1"] and panel["xing-fa-3"] == panel["xing-fa-1"]  # the work's, on every part
    from fadian.render.edition_html import document_html

    manifest = json.loads((project / "build" / "manifest.json").read_text("utf-8"))
    assert {d["slug"]: d.get("component") for d in manifest["documents"]}["xing-fa-1"] == "main"
    akns = [project / "build" / "akn" / f"{slug}.xml" for slug in PARTS[:2]]
    titles = [document_html(akns[0], part=True)[1]["title"], document_html(akns[1])[1]["title"]]
    assert titles == ["中华人民共和国刑法 · 第一编　总则", "中华人民共和国刑法 · 第二编　分则"]  # the editions' too
    browse = "".join(p.read_text("utf-8") for p in (project / "site" / "browse").rglob("*.html"))
    assert browse.count("../../documents/xing-fa-1/") >= 1
    assert "documents/xing-fa-2/" not in browse and "documents/xing-fa-3/" not in browse  # one row


def test_the_check_data_and_the_command_know_the_whole_law(project, tmp_path):
    expression = project / "site" / "akn" / "cn" / "act" / "1979-07-01" / "xing-fa" / "zho@2023-12-29"
    articles = json.loads((expression / "articles.json").read_text("utf-8"))["articles"]
    assert {"1", "102", "300", "452"} <= set(articles)
    (tmp_path / "brief.txt").write_text("依照刑法第三百条、第五十条和第九百条。\n", "utf-8")
    done = run_fadian("cite-check", str(tmp_path / "brief.txt"), "--root", str(project), "--json")
    rows = {r["text"]: r for r in json.loads(done.stdout)["citations"]}
    assert rows["刑法第三百条"]["verdict"] == "ok" and rows["刑法第三百条"]["page"] == "documents/xing-fa-3/#art_300"
    assert rows["第五十条"]["page"] == "documents/xing-fa-1/#art_50"
    assert rows["第九百条"]["verdict"] == "missing"


def test_the_reader_finds_the_article_in_its_part(project, browser):
    with serve_dir(project / "site") as base:
        page = browser.new_page()
        page.goto(base + "search/?q=" + "刑法第三百条")
        expect(page.locator(".fadian-result-link").first).to_have_attribute("href", re.compile(r"/xing-fa-3/#art_300$"))
        page.goto(base + "check/")
        page.fill("#fadian-check textarea", "依照刑法第三百条和第一百零二条。")
        page.click("#fadian-check button[type=submit]")
        expect(page.locator("ol.fadian-check-results[data-done]")).to_be_attached()
        verdicts = page.locator("ol.fadian-check-results > li").evaluate_all("els => els.map(e => e.dataset.verdict)")
        links = page.locator("ol.fadian-check-results a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        page.close()
    assert verdicts == ["ok", "ok"]
    assert any(h.endswith("/xing-fa-3/#art_300") for h in links) and any(h.endswith("/xing-fa-2/#art_102") for h in links)


def test_an_edit_of_one_part_keeps_the_work_whole(project):
    """(last: it commits) One sentence of the second part changed and committed: the next build
    (the other parts taken from the build cache, their files not read) still has one work in
    three parts, no gap warned, and the citing text's links where they were."""
    part = project / "sources" / "documents" / "xing-fa-2.txt"
    text = part.read_text("utf-8")
    k = text.index("。", text.index("第一百零二条"))
    part.write_text(text[:k] + "，此句为测试而改" + text[k:], "utf-8")
    run_git(project, "commit", "-q", "-am", "改第二部分一句", date="2024-06-02T12:00:00")
    built = run_fadian("build", "--root", str(project), "--no-editions", "--no-search")
    assert built.returncode == 0 and b"F302" not in built.stderr, built.stderr.decode()[-2000:]
    assert "此句为测试而改" in (project / "site" / "documents" / "xing-fa-2" / "index.html").read_text("utf-8")
    citing = (project / "site" / "documents" / "citing-rules" / "index.html").read_text("utf-8")
    assert re.search(r'href="\.\./xing-fa-3/#art_300"', citing)
    third = (project / "site" / "documents" / "xing-fa-3" / "index.html").read_text("utf-8")
    assert third.count("<li>") >= 3 and "第二编　分则" in third
