"""The website: built by `fadian build` from the AKN, checked by a link checker and in a real
browser (Debian's chromium driven by playwright)."""

from __future__ import annotations

import html.parser
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from conftest import REPO, run_fadian, serve_dir

LAW = "digital-economy-promotion-law-expert-draft"


@pytest.fixture(scope="module")
def built(built_project):
    return built_project


@pytest.fixture(scope="module")
def server(built):
    with serve_dir(built / "site") as url:
        yield url


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def parse_pages(site: Path) -> dict[str, _Links]:
    pages = {}
    for path in site.rglob("*.html"):
        parser = _Links()
        parser.feed(path.read_text("utf-8"))
        pages[path.relative_to(site).as_posix()] = parser
    return pages


def test_every_internal_link_and_anchor_resolves(built):
    site = built / "site"
    pages = parse_pages(site)
    broken = []
    checked = 0
    for page, links in pages.items():
        base = "http://site/" + page
        for href in links.hrefs:
            url = urlparse(urljoin(base, href))
            if url.netloc != "site":
                continue
            target = unquote(url.path.lstrip("/"))
            if target == "" or target.endswith("/"):
                target += "index.html"
            file = site / target
            if not file.exists():
                broken.append((page, href))
                continue
            checked += 1
            if url.fragment and file.suffix == ".html" and url.fragment not in pages[target].ids:
                broken.append((page, href))
    assert checked > 100
    assert broken == []


def test_every_document_page_and_article_anchor_exists(built):
    site = built / "site"
    manifest = json.loads((built / "build" / "manifest.json").read_text("utf-8"))
    pages = parse_pages(site)
    for doc in manifest["documents"]:
        page = f"documents/{doc['slug']}/index.html"
        assert page in pages
        xml = (built / doc["akn"]).read_text("utf-8")
        for eid in re.findall(r'<(?:article|chapter|section|paragraph|point)\b[^>]*eId="([^"]+)"', xml):
            assert eid in pages[page].ids, (doc["slug"], eid)
        # its AKN at its expression's FRBR address (also the page's AKN download)
        published = site / doc["expression_uri"].lstrip("/") / "!main.xml"
        assert published.read_bytes() == (built / doc["akn"]).read_bytes()
    assert "bulletins/dsj-2023-18/index.html" in pages


def test_page_count_and_size_are_linear(built):
    """One page per document (not per article), a few browse pages, and a navigation that lists
    no document: a page carries its own text, not the whole collection."""
    site = built / "site"
    html_pages = [p for p in site.rglob("index.html") if "akn" not in p.relative_to(site).parts]
    manifest = json.loads((built / "build" / "manifest.json").read_text("utf-8"))
    browse = [p for p in html_pages if "browse" in p.relative_to(site).parts]
    assert (site / "browse" / "index.html") in browse and (
        site / "browse" / "kind-bill" / "index.html"
    ) in browse
    assert len(html_pages) == len(manifest["documents"]) + len(manifest["bulletins"]) + 4 + len(
        browse
    )  # home, registry, 搜索, 引用核验
    for page in html_pages:
        html = page.read_text("utf-8")
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S)
        assert nav is None or "documents/" not in nav.group(0), page
    # and at the FRBR addresses, for each work and expression, a page of a few hundred bytes
    # that opens the text (no theme, no navigation)
    openers = [p for p in site.rglob("index.html") if "akn" in p.relative_to(site).parts]
    assert len(openers) == 2 * len(manifest["documents"])
    assert max(p.stat().st_size for p in openers) < 1000


def test_reader_journey_in_a_real_browser(server, browser):
    page = browser.new_page()
    page.goto(server)
    assert "法典" in page.title()
    from playwright.sync_api import expect

    page.click(f".md-content a[href$='documents/{LAW}/']")
    page.wait_for_url(f"**/documents/{LAW}/")
    # instant navigation changes the address before the page: wait for the new page's heading
    expect(page.locator("h1")).to_have_text(re.compile("^中华人民共和国数字经济促进法"))
    # the permalink of 第五十三条, opened as a reader opens a copied link (a new tab), shows the
    # page at that article (a goto on the same page could race the theme's instant loading)
    page.close()
    page = browser.new_page()
    page.goto(server + f"documents/{LAW}/#art_53")
    heading = page.locator("#art_53")
    heading.wait_for()
    assert "第五十三条" in heading.inner_text()
    # the browser scrolls to the anchor once the page has laid out: wait for that state
    page.wait_for_function(
        "() => { const r = document.getElementById('art_53').getBoundingClientRect();"
        " return r.top >= 0 && r.top < 400; }"
    )
    assert heading.is_visible()
    button = heading.locator(".fadian-permalink")
    assert button.is_visible()
    button.click()
    # the URL is recorded when the clipboard call settles (a promise): wait for that state
    expect(button).to_have_attribute("data-url", re.compile(rf"/documents/{LAW}/#art_53$"))
    # a citation link lands on its target: 《反垄断法》 → the registry entry
    page.click("#art_53 a.fadian-ref >> nth=0")
    page.wait_for_url("**/registry/#anti-monopoly-law")
    expect(page.locator("#anti-monopoly-law")).to_be_visible()
    # a short title in an editor's note → the document it names
    page.goto(server + "bulletins/dsj-2023-18/")
    page.click("a.fadian-ref:text('《计划》') >> nth=0")
    page.wait_for_url("**/documents/shandong-manufacturing-innovation-plan-2023-2025/")
    page.close()


def test_internal_citation_link_lands_on_article(tmp_path, browser):
    law = REPO.parent / "shared" / "corpus" / "laws" / "foreign-trade-law-2022.txt"
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    text = law.read_text("utf-8")
    front = (
        "---\nslug: foreign-trade-law\ntype: act\ntitle: 中华人民共和国对外贸易法\ndate: 2022-12-30\n---\n"
    )
    (tmp_path / "sources" / "documents" / "ftl.txt").write_text(front + text, "utf-8")
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    page = browser.new_page()
    page.goto((tmp_path / "site" / "documents" / "foreign-trade-law" / "index.html").as_uri() + "#art_17")
    page.click("#art_17 a.fadian-ref:text('本法第十五条')")
    assert page.url.endswith("#art_15")
    assert page.locator("#art_15").is_visible()
    # 第十五条 lists who cites it
    cited = page.locator("#art_15 .fadian-cited-by >> nth=0")
    assert (
        "第17条" in cited.inner_text()
        or "第十七条" in cited.inner_text()
        or "art_17" in (cited.locator("a").first.get_attribute("href"))
    )
    page.close()


def test_script_in_source_is_shown_as_text(tmp_path, browser):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    doc = (
        "---\nslug: xss\ntype: act\ntitle: 测试<script>alert(2)</script>法\ndate: 2024-01-01\n---\n"
        "测试法\n\n第一条 本法<script>alert(1)</script>适用于测试。\n"
    )
    (tmp_path / "sources" / "documents" / "xss.txt").write_text(doc, "utf-8")
    proc = run_fadian("build", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    html_text = (tmp_path / "site" / "documents" / "xss" / "index.html").read_text("utf-8")
    assert "<script>alert(" not in html_text
    (linked,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html_text)
    assert json.loads(linked)[0]["name"] == "测试<script>alert(2)</script>法"  # the title, as data
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto((tmp_path / "site" / "documents" / "xss" / "index.html").as_uri())
    assert (
        "本法<script>alert(1)</script>适用于测试。" in page.locator("#art_1").locator("xpath=..").inner_text()
    )
    assert dialogs == []
    page.close()


def test_no_request_leaves_the_site(server, browser, built):
    """Every page loads from the site's own host only (no web fonts, no CDN): readers in
    mainland China would otherwise wait on a blocked request before the first paint."""
    page = browser.new_page()
    foreign = []
    page.on(
        "request",
        lambda r: foreign.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None,
    )
    pages = sorted(
        p.relative_to(built / "site").parent.as_posix() for p in (built / "site").rglob("index.html")
    )
    assert len(pages) >= 10
    for rel in pages:
        page.goto(server + ("" if rel == "." else rel + "/"), wait_until="networkidle")
    page.close()
    assert foreign == []
    html = (built / "site" / "index.html").read_text("utf-8")
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_copied_link_survives_renumbering(tmp_path, browser):
    """The 复制链接 of 第五十三条 copies the stable w/<slug>/#<wId> link; after an article is
    inserted before it and the site rebuilt, that link still opens the same article (now
    第五十四条)."""
    import git
    from test_history import renumber_after_9

    law_path = f"sources/documents/{LAW}.txt"
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    text = (REPO / law_path).read_text("utf-8")
    (tmp_path / law_path).write_text(text, encoding="utf-8")
    repo = git.Repo.init(tmp_path, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Editor")
        cw.set_value("user", "email", "editor@example.org")
    repo.index.add([law_path])
    repo.index.commit("v1", author_date="2023-05-05T12:00:00", commit_date="2023-05-05T12:00:00")
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    with serve_dir(tmp_path / "site") as url:
        page = browser.new_page()
        page.goto(url + f"documents/{LAW}/#art_53")
        old_num = page.locator("#art_53 [role=heading]").inner_text()
        old_text = page.locator("#art_53__para_1").inner_text().replace("复制链接", "").strip()
        button = page.locator("#art_53 .fadian-permalink")
        button.click()
        from playwright.sync_api import expect

        expect(button).to_have_attribute("data-url", re.compile(rf"/w/{LAW}/#art_53$"))
        copied = button.get_attribute("data-url")
        # an article inserted after 第九条: 第十条 … 第六十五条 become 第十一条 … 第六十六条
        (tmp_path / law_path).write_text(renumber_after_9(text), encoding="utf-8")
        repo.index.add([law_path])
        repo.index.commit("v2", author_date="2023-06-01T12:00:00", commit_date="2023-06-01T12:00:00")
        assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
        page.goto(copied)
        page.wait_for_url(f"**/documents/{LAW}/#art_54")
        new_num = page.locator("#art_54 [role=heading]").inner_text()
        new_text = page.locator("#art_54__para_1").inner_text().replace("复制链接", "").strip()
        assert (old_num, new_num) == ("第五十三条", "第五十四条")
        # only a renumbered article says its wId; the others' anchor is their wId
        assert page.locator("#art_54").get_attribute("data-wid") == "art_53"
        assert page.locator("#art_5").get_attribute("data-wid") is None
        assert new_text.removeprefix(new_num) == old_text.removeprefix(old_num)
        page.close()


def test_home_page_names_the_issue_as_readers_cite_it(built):
    html = (built / "site" / "index.html").read_text("utf-8")
    assert "大数据发展动态 2023年第18期（总第129期）" in html
    assert "2023-05-052023-05-05" not in re.sub(r"<[^>]+>", "", html)


def test_bulletin_page_offers_its_downloads(built):
    html = (built / "site" / "bulletins" / "dsj-2023-18" / "index.html").read_text("utf-8")
    links = re.findall(r'<a class="md-button fadian-download" href="([^"]+)" download="[^"]+">([^<]+)</a>', html)
    assert [label for _href, label in links] == [
        "Word",
        "PDF",
        "EPUB",
        "AKN XML",
    ]  # Word first, as the national database
    for href, _label in links:
        assert (built / "site" / "bulletins" / "dsj-2023-18" / href).resolve().is_file(), href


def test_metadata_panel_from_front_matter(tmp_path):
    """效力, 发布机关, 文号 and the dates: front matter → AKN <proprietary> → the page's panel."""
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    front = (
        "---\nslug: law\ntype: act\ntitle: 测试法\ndate: 2024-01-01\nstatus: 尚未生效\n"
        "issuer: 全国人民代表大会常务委员会\ndocument_number: 主席令第十号\nadopted: 2024-01-01\n"
        "promulgated: 2024-01-02\neffective: 2024-03-01\n---\n\n"
    )
    (tmp_path / "sources" / "documents" / "law.txt").write_text(
        front + "测试法\n\n第一条 为了测试，制定本法。\n", "utf-8"
    )
    proc = run_fadian("build", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    xml = (tmp_path / "build" / "akn" / "law.xml").read_text("utf-8")
    assert '<fd:date name="effective" date="2024-03-01"/>' in xml and "<fd:status>尚未生效</fd:status>" in xml
    html = (tmp_path / "site" / "documents" / "law" / "index.html").read_text("utf-8")
    panel = re.search(r'<dl class="fadian-legal-meta">(.*?)</dl>', html, re.S).group(1)
    text = re.sub(r"<[^>]+>", " ", panel).split()
    assert text == [
        "时效性",
        "尚未生效（2024-03-01",  # dated by the text's own period, never the build's day
        "起施行）",
        "制定机关",
        "全国人民代表大会常务委员会",
        "文号",
        "主席令第十号",
        "通过日期",
        "2024-01-01",
        "公布日期",
        "2024-01-02",
        "施行日期",
        "2024-03-01",
    ]
    bad = front.replace("status: 尚未生效", "status: valid")
    (tmp_path / "sources" / "documents" / "law.txt").write_text(bad + "测试法\n\n第一条 甲。\n", "utf-8")
    proc = run_fadian("check", "--root", str(tmp_path))
    assert proc.returncode == 1 and b"law.txt:6:9: error[F206]: status 'valid'" in proc.stderr


def test_registry_entry_links_its_official_text(tmp_path):
    """A registry entry may give the official text's address: the registry page links it; an
    address that is not http(s) is refused (no javascript: link can reach a page)."""
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "rules.txt").write_text(
        "---\nslug: rules\ntype: act\ntitle: 测试规定\ndate: 2024-01-01\n---\n\n测试规定\n\n"
        "第一条 依照《中华人民共和国反垄断法》制定本规定。\n",
        encoding="utf-8",
    )
    registry = tmp_path / "sources" / "registry.yaml"
    url = "https://flk.npc.gov.cn/detail2.html?anti-monopoly-law"
    registry.write_text(
        f"works:\n- title: 中华人民共和国反垄断法\n  uri: /akn/cn/act/2007-08-30/anti-monopoly-law\n  url: '{url}'\n",
        encoding="utf-8",
    )
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    page = (tmp_path / "site" / "registry" / "index.html").read_text("utf-8")
    assert f'<a class="fadian-official" href="{html.escape(url)}" rel="external">原文</a>' in page
    registry.write_text(registry.read_text("utf-8").replace(url, "javascript:alert(1)"), encoding="utf-8")
    proc = run_fadian("check", "--root", str(tmp_path))
    assert proc.returncode == 1 and b"error[F703]" in proc.stderr and b"http(s)" in proc.stderr


def test_untitled_policy_items_run_into_their_sentence(tmp_path):
    """（一）贯彻执行…: a policy item without a title is printed with its number before its
    sentence, not as a bare "（一）" heading with the sentence detached (and not in the TOC)."""
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    text = (
        "---\nslug: note\ntype: doc\nname: policyNote\ntitle: 管理规定\ndate: 2024-01-01\n---\n\n管理规定\n\n"
        "一、国家教育委员会的主要职责是：\n\n（一）贯彻执行党和国家有关高等教育的方针政策；\n\n"
        "（二）组织进行全国专门人才需求预测。\n\n二、保障措施\n\n各部门要加强协作。\n"
    )
    (tmp_path / "sources" / "documents" / "note.txt").write_text(text, encoding="utf-8")
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    page = (tmp_path / "site" / "documents" / "note" / "index.html").read_text("utf-8")
    item = re.search(r'<(?:p|div) id="sec_1__subsec_1">(.*?)</(?:p|div)>', page, re.S)
    assert item and re.sub(r"<[^>]+>", "", item.group(1)).startswith("（一）贯彻执行")
    assert not re.search(r'<h\d id="sec_1__subsec_1"', page)
    assert re.search(r'<h2 [^>]*id="sec_2"[^>]*>二、', page)  # a titled section stays a heading


def test_every_paragraph_of_every_document_is_on_its_page(built):
    """Rendering never drops text: each <p> of a document's AKN body appears on its page."""
    from lxml import etree

    ns = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
    for akn in sorted((built / "build" / "akn").glob("*.xml")):
        root = etree.parse(str(akn)).getroot()
        page = (built / "site" / "documents" / akn.stem / "index.html").read_text("utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        text = re.sub(r"\s+", "", text)
        for p in root.xpath("//a:body//a:p | //a:mainBody//a:p", namespaces=ns):
            words = re.sub(r"\s+", "", "".join(p.itertext()))
            assert words in text, (akn.stem, words[:40])


def test_sitemap_lists_every_page_under_the_site_url(tmp_path):
    """With the deploy address in the project's mkdocs.yml (site_url), sitemap.xml lists every
    page under it and the 404 page links the assets through it (not from the host's root)."""
    import shutil

    shutil.copytree(REPO / "sources", tmp_path / "sources")
    (tmp_path / "fadian" / "render").mkdir(parents=True)
    shutil.copy(REPO / "fadian" / "render" / "mkdocs_site.yml", tmp_path / "fadian" / "render")
    config = (REPO / "mkdocs.yml").read_text("utf-8") + "site_url: https://laws.example.org/fadian/\n"
    (tmp_path / "mkdocs.yml").write_text(config, "utf-8")
    assert run_fadian("build", "--root", str(tmp_path), "--no-editions").returncode == 0
    site = tmp_path / "site"
    listed = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text("utf-8")))
    pages = {
        "https://laws.example.org/fadian/"
        + ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
        for p in site.rglob("index.html")
        if "akn" not in p.relative_to(site).parts  # the FRBR addresses' openers are noindex
    }
    data = {
        "https://laws.example.org/fadian/" + p.relative_to(site).as_posix()
        for pattern in ("index.json", "!main.xml")
        for p in (site / "akn").rglob(pattern)  # the catalog (akn/index.json), works, AKN
    }
    assert len(pages) > 10 and len(data) >= 14 and listed == pages | data
    not_found = (site / "404.html").read_text("utf-8")
    assert 'href="/fadian/assets/fadian.css"' in not_found


def test_articles_read_as_printed(built):
    """第X条 (bold) and its first 款 are one paragraph; a second 款 is its own indented paragraph;
    articles are not headings, so the contents list names chapters, not 60 bare 第X条."""
    html = (
        built / "site" / "documents" / "wuhan-digital-economy-promotion-regulations-draft" / "index.html"
    ).read_text("utf-8")
    first = re.search(r'<p id="art_2__para_1">(.*?)</p>', html, re.S).group(1)
    # the number looks like text, and is a heading to assistive technology
    assert re.match(r'<strong role="heading" aria-level="\d">第二条</strong>', first)
    assert "本条例适用于" in first  # the first 款 runs on after the number
    second = re.search(r'<p id="art_2__para_2">(.*?)</p>', html, re.S).group(1)
    assert 'role="heading"' not in second and second.startswith("数字经济发展")
    assert not re.search(r"<h\d[^>]*>第[一二三四五六七八九十百]+条", html)
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>', html, re.S).group()
    assert "第一章" in toc and "第二条" not in toc
    css = (built / "site" / "assets" / "fadian.css").read_text("utf-8")
    assert "text-indent: 2em" in css


def test_plain_mkdocs_build_makes_the_pages_from_memory(tmp_path, built):
    """`mkdocs build` on the project (no `fadian build` around it): the plugin compiles the
    sources and adds every page as a generated file; the docs folder mkdocs is given stays
    empty, and the pages are the ones `fadian build` publishes."""
    import shutil
    import subprocess
    import sys

    root = tmp_path / "project"
    shutil.copytree(built / "sources", root / "sources")
    config = (built / "mkdocs.yml").read_text("utf-8")  # inherits fadian's settings, from the package
    config = config.replace("fadian/render/mkdocs_site.yml", str(REPO / "fadian/render/mkdocs_site.yml"))
    (root / "mkdocs.yml").write_text(config, "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "out")],
        cwd=root,
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert not (root / "build" / "site-src").exists()  # no page was written to or read from a folder
    pages = sorted(p.relative_to(built / "site") for p in (built / "site").glob("documents/*/index.html"))
    assert len(pages) == 7
    ids = lambda path: re.findall(r' id="([^"]+)"', path.read_text("utf-8"))  # noqa: E731
    for page in pages:  # the published pages' anchors, in order (that build also made editions)
        assert ids(tmp_path / "out" / page) == ids(built / "site" / page), page
    assert not (tmp_path / "out" / "nav.json").exists()  # the navigation is not a page of the site


def test_browse_pages_list_every_document_under_its_kind_and_level(built):
    from fadian.read.collection import slug_for

    site = built / "site"
    manifest = json.loads((built / "build" / "manifest.json").read_text("utf-8"))
    for doc in manifest["documents"]:
        kind = (site / "browse" / f"kind-{doc['type']}" / "index.html").read_text("utf-8")
        assert f"documents/{doc['slug']}/" in kind, doc["slug"]
        level = doc.get("legal", {}).get("level")
        if level:
            listed = (site / "browse" / f"level-{slug_for(level, set())}" / "index.html").read_text("utf-8")
            assert f"documents/{doc['slug']}/" in listed, (doc["slug"], level)
    home = (site / "index.html").read_text("utf-8")
    assert "按类别" in home and "最近修改" in home and 'href="browse/' in home
