"""The site's 引用核验 page (check/): a reader pastes a text and picks a date; chromium lists every
citation with what `fadian cite-check --json` says of it — the verdict, the law, the version in
force that day and its 时效性 then, the later versions that changed the article — on 刑法 2020 +
修正案（十二） + 2023 in git, in both numeral styles, with lists, ranges, 之一, 款 and 项, before
and after the amendment took effect, and on the 322 texts of the shared corpus (laws kept in two
versions as separate files among them); the page fetches little, and is linked from every page."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from conftest import run_fadian, serve_dir

TEXT = (
    "依照刑法第一百六十五条、第一百六十六条的规定，\n"
    "参照《中华人民共和国刑法》第165条第二款和第九百条，以及《某某管理法》第三条。\n"
    "第一条　根据《中华人民共和国刑法》，制定本规定。\n"
    "刑法第一百二十条之一第二款、第三款，刑法第一百六十五条至第一百六十七条。\n"
    "本法第三条和前款；《中华人民共和国刑法》第三十三条第（四）项、第（五）项、第（六）项。\n"
)


def from_the_page(browser, base: str, day: str, text: str = TEXT) -> tuple[list[dict], int]:
    """The rows the page lists for ``text`` on ``day``, and the bytes it fetched for them."""
    page = browser.new_page()
    fetched = []
    page.on("response", lambda r: fetched.append(len(r.body())) if r.ok and r.request.method == "GET" else None)
    page.goto(base + "check/")
    expect(page.locator("#fadian-check textarea")).to_be_visible()
    before = len(fetched)
    page.fill("#fadian-check textarea", text)
    page.fill("#fadian-check input[type=date]", day)
    page.click("#fadian-check button[type=submit]")
    expect(page.locator("ol.fadian-check-results[data-done]")).to_be_attached()
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('ol.fadian-check-results > li')).map(li => li.dataset.verdict)"""
    )
    answers = page.evaluate("([text, day]) => fadianCheckText(text, day)", [text, day])
    assert [a["verdict"] for a in answers] == rows  # the list shows the engine's answers
    page.close()
    return answers, sum(fetched[before:])


def from_the_command(root, tmp_path, day: str, text: str = TEXT) -> list[dict]:
    (tmp_path / "brief.txt").write_text(text, "utf-8")
    done = run_fadian("cite-check", str(tmp_path / "brief.txt"), "--root", str(root), "--as-of", day, "--json")
    return json.loads(done.stdout)["citations"]


def essentials(row: dict) -> tuple:
    version = row.get("version") or {}
    later = [(c["version"], c["from"], c["change"], c.get("article")) for c in row.get("changed_later") or []]
    return (row["text"], row["line"], row["col"], row["verdict"], row.get("law") or "", version.get("date"),
            row.get("status_on_date") or "", later, row.get("renumbered") or "")


@pytest.mark.parametrize("day", ["2023-06-01", "2024-06-01", "1980-01-01"])
def test_the_page_says_what_the_command_says(criminal_project, browser, tmp_path, day):
    with serve_dir(criminal_project / "site") as base:
        answers, fetched = from_the_page(browser, base, day)
    command = from_the_command(criminal_project, tmp_path, day)
    assert [essentials(a) for a in answers] == [essentials(c) for c in command]
    assert fetched <= 500_000, fetched


def test_the_verdicts_follow_the_day(criminal_project, browser):
    with serve_dir(criminal_project / "site") as base:
        before, _ = from_the_page(browser, base, "2023-06-01")
        after, _ = from_the_page(browser, base, "2024-06-01")
    verdict = lambda rows, text: next(r["verdict"] for r in rows if r["text"] == text)  # noqa: E731
    assert verdict(before, "《中华人民共和国刑法》第165条第二款") == "missing"  # the 款 修正案（十二） added
    assert verdict(after, "《中华人民共和国刑法》第165条第二款") == "ok"
    assert verdict(after, "第九百条") == "missing" and verdict(after, "《某某管理法》第三条") == "uncollected"
    assert verdict(after, "本法第三条") == "unclear"  # which 本法, a pasted text does not say
    assert verdict(after, "第（五）项") == "ok" and verdict(after, "第（六）项") == "missing"  # 第三十三条 has five
    first = before[0]
    assert first["version"]["date"] == "2020-12-26" and first["changed_later"][0]["from"] == "2024-03-01"
    assert first["changed_later"][0]["compare"] == "history/criminal-law/compare-v1-v2/#art_165"  # the 新旧对照 row
    assert "第一条" not in [r["text"] for r in after]  # the pasted text's own heading
    # 刑法第一百六十五条至第一百六十七条: 第一百六十六条 inside it was changed too, said at its end
    end = next(r for r in before if r["text"] == "第一百六十七条")
    inside = [(c["article"], c["from"]) for c in end["changed_later"] if c.get("article")]
    assert inside == [("第一百六十六条", "2024-03-01")]


def test_every_page_links_the_check(criminal_project):
    site = criminal_project / "site"
    for page in (site / "index.html", site / "documents" / "criminal-law" / "index.html"):
        html = page.read_text("utf-8")
        assert re.search(r'<a href="[./]*check/"[^>]*>\s*(<span[^>]*>\s*)?引用核验', html), page


SHARED_TEXT = (
    "依照《中华人民共和国公司法》第一百四十九条、第一百五十条，\n"
    "根据刑法第一百六十五条和《中华人民共和国个人信息保护法》第十三条第一款第（二）项，\n"
    "参照《中华人民共和国对外贸易法》第十条至第十二条、《中华人民共和国宪法》第三十三条和《某某法》第一条；\n"
    "《中华人民共和国行政复议法》第九十条，公司法第266条。\n"
)


@pytest.fixture(scope="module")
def shared_project(tmp_path_factory):
    """The 322 texts of the shared corpus imported as an editor would (the laws kept in two
    versions as separate files among them), committed and built."""
    from conftest import SHARED, run_git

    root = tmp_path_factory.mktemp("check-shared") / "p"
    assert run_fadian("init", str(root)).returncode == 0
    corpus = SHARED / "corpus"
    folders = [str(corpus / f) for f in ("national-sample", "laws", "instruments")]
    assert run_fadian("import", "--root", str(root), *folders).returncode == 0
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "import", date="2024-01-01T12:00:00")
    built = run_fadian("build", "--root", str(root), "--no-editions", "--no-search", "--keep-going")
    assert b"build failed" not in built.stderr, built.stderr.decode()[-2000:]
    return root


@pytest.mark.parametrize("day", ["2020-06-01", "2024-06-01"])
def test_the_page_says_what_the_command_says_on_the_shared_corpus(shared_project, browser, tmp_path, day):
    with serve_dir(shared_project / "site") as base:
        answers, _fetched = from_the_page(browser, base, day, SHARED_TEXT)
    command = from_the_command(shared_project, tmp_path, day, SHARED_TEXT)
    assert [essentials(a) for a in answers] == [essentials(c) for c in command]
    verdicts = {a["verdict"] for a in answers}
    assert {"ok", "uncollected"} <= verdicts and len(answers) >= 10


def test_an_article_renumbered_later_is_followed_to_its_number_now(shared_project, browser, tmp_path):
    """对外贸易法 2022 deleted an article before 第十条 of 2016: 第十一条 of 2016 is 第十条 now, word
    for word; 第十条 of 2016 is 第九条; 第十六条 is 第十五条, reworded. A brief of 2020 citing them
    is told their numbers now — on the page and by the command alike — and 第十条 is not said to
    have been 修改 (another article stands under its number now)."""
    text = "依照《中华人民共和国对外贸易法》第十条、第十一条第一款的规定。\n对外贸易法第十六条。\n"
    with serve_dir(shared_project / "site") as base:
        answers, _fetched = from_the_page(browser, base, "2020-06-01", text)
    command = from_the_command(shared_project, tmp_path, "2020-06-01", text)
    assert [essentials(a) for a in answers] == [essentials(c) for c in command]
    by_text = {row["text"]: row for row in command}
    tenth, eleventh = by_text["《中华人民共和国对外贸易法》第十条"], by_text["第十一条第一款"]
    assert tenth["verdict"] == "ok" and tenth["renumbered"] == "第九条"
    assert [c["change"] for c in tenth["changed_later"]] == ["条号变为第九条"]
    assert eleventh["renumbered"] == "第十条"
    assert eleventh["changed_later"][0]["compare"].endswith("#art_10")  # its row in the 新旧对照 now
    # 第十六条 of 2016 is 第十五条 of 2022 and reworded: the build's comparison says so (the page
    # and the command read it from the version's data), not 修改 of the article now at 第十六条
    sixteenth = by_text["对外贸易法第十六条"]
    assert sixteenth["renumbered"] == "第十五条"
    assert [c["change"] for c in sixteenth["changed_later"]] == ["条号变为第十五条，内容修改"]
