"""The reader's site in a real browser: axe-core (bundled by axe-playwright-python, nothing
fetched) finds no WCAG violation on the home, bulletin, law, versions, 新旧对照 and search
pages, on a desktop and on a 390 px phone; a screenshot of each is kept in
build/test-artifacts/ for a person to look at."""

from __future__ import annotations

import pytest

from conftest import REPO, run_fadian, run_git, seed_repository, serve_dir

LAW = "digital-economy-promotion-law-expert-draft"
ARTIFACTS = REPO / "build" / "test-artifacts"
PAGES = {
    "home": "",
    "bulletin": "bulletins/dsj-2023-18/",
    "law": f"documents/{LAW}/",
    "versions": f"history/{LAW}/",
    "compare": f"history/{LAW}/compare-v1-v2/",
    "old-version": f"history/{LAW}/v1/",
    "search": "search/?q=数据安全",
    "check": "check/",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seed in git, with a second version of the law (an article inserted after 第九条)."""
    from test_history import renumber_after_9

    root = seed_repository(tmp_path_factory.mktemp("reader"), "专家建议稿发布")
    law = root / "sources" / "documents" / f"{LAW}.txt"
    law.write_text(renumber_after_9(law.read_text("utf-8")), "utf-8")
    run_git(root, "commit", "-q", "-am", "增加第十条（算力网络）", date="2023-06-01T12:00:00")
    proc = run_fadian("build", "--root", str(root), "--no-editions")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    return root / "site"


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_accessibility_violation(site, browser, name, width):
    from axe_playwright_python.sync_playwright import Axe

    with serve_dir(site) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url + PAGES[name], wait_until="networkidle")
        if name == "search":
            page.wait_for_selector(".fadian-result-link")
        violations = Axe().run(page).response["violations"]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}px.png"), full_page=False)
        page.close()
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == [], found


def test_current_text_marks_what_the_latest_version_changed(site):
    """The inserted 第十条 carries 新增 with the version's date, linking its 新旧对照 row; an
    article only renumbered carries no mark; old versions carry the 历史版本 banner."""
    import re

    html = (site / "documents" / LAW / "index.html").read_text("utf-8")
    article = re.search(
        r'<div class="fadian-article" id="art_10".*?(?=<div class="fadian-article")', html, re.S
    )
    mark = re.search(r'<p class="fadian-change-mark"><a href="([^"]+)">(.*?)</a>', article.group())
    assert mark and "新增" in mark.group(2) and "2023-06-01" in mark.group(2)
    assert mark.group(1).endswith("history/" + LAW + "/compare-v1-v2/#art_10_v2")
    renumbered = re.search(
        r'<div class="fadian-article" id="art_11".*?(?=<div class="fadian-article")', html, re.S
    )
    assert "fadian-change-mark" not in renumbered.group()
    old = (site / "history" / LAW / "v1" / "index.html").read_text("utf-8")
    assert "历史版本" in old and "fadian-change-mark" not in old


READER_WORDS = {
    "AKN",
    "XML",
    "EPUB",
    "PDF",
    "DOCX",
    "Akoma",
    "Ntoso",
    "Atom",
    "fadian",
    "JavaScript",
    "Material",
    "MkDocs",
}


def _visible_text(html: str) -> str:
    import re

    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"&[a-z]+;|&#\d+;", " ", html)


def test_reader_pages_speak_chinese_and_show_no_internal_identifiers(site):
    """No English words and no eIds/wIds (art_165) in what a reader sees; every page, the 404
    included, says it is zh-CN; a 新旧对照 names its versions by date and lists the changed
    articles first, the header's changes folded."""
    import re

    pages = [
        p for p in site.rglob("*.html") if not {"akn", "pagefind", "assets"} & set(p.relative_to(site).parts)
    ]
    # the texts' own words (an English name in a bulletin) are the text, not a leak
    sources = " ".join(p.read_text("utf-8") for p in (site.parent / "sources").rglob("*") if p.is_file())
    in_texts = set(re.findall(r"[A-Za-z]{4,}", sources))
    leaks = []
    for page in pages:
        html = page.read_text("utf-8")
        text = _visible_text(html)
        words = {w for w in re.findall(r"[A-Za-z]{4,}", text)} - READER_WORDS - in_texts
        ids = re.findall(r"\b(?:art|para|point|chp|sec)_\d+", text)
        if words or ids:
            leaks.append((page.relative_to(site).as_posix(), sorted(words)[:5], ids[:3]))
        if html.lstrip().lower().startswith("<!doctype html>") and "<html" in html:
            assert re.search(r'<html lang="zh-CN"', html), page
    assert leaks == [], leaks[:5]
    compare = (site / "history" / LAW / "compare-v1-v2" / "index.html").read_text("utf-8")
    assert re.search(r"新旧对照（\d{4}-\d{2}-\d{2} 版 → \d{4}-\d{2}-\d{2} 版", compare)
    assert (
        'class="fadian-changed-list"' in compare and "第十条" in compare.split("fadian-changed-list")[1][:400]
    )
