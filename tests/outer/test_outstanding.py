"""Outstanding changes: 刑法 2020 and 修正案（十二） committed, the amendment not applied — the
build's report lists it and 刑法's page says 「有尚未纳入本文的修改」 with the instrument linked;
once the 2023 text is committed, neither does."""

from __future__ import annotations

import json

from conftest import AMENDMENT_12_FRONT, CRIMINAL_FRONT, SHARED, run_fadian, run_git

LAWS = SHARED / "corpus" / "laws"


def build(root) -> dict:
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return json.loads((root / "build" / "reports" / "outstanding-changes.json").read_text("utf-8"))


def test_an_amendment_not_yet_in_the_text_is_said_until_it_is(tmp_path):
    documents = tmp_path / "sources" / "documents"
    documents.mkdir(parents=True)
    law = documents / "criminal-law.txt"
    law.write_text(CRIMINAL_FRONT + (LAWS / "criminal-law-2020.txt").read_text("utf-8"), "utf-8")
    amendment = AMENDMENT_12_FRONT + (LAWS / "criminal-law-amendment-12-2023.txt").read_text("utf-8")
    (documents / "amendment-12.txt").write_text(amendment, "utf-8")
    run_git(tmp_path, "init", "-q", "-b", "main")
    run_git(tmp_path, "add", "-A")
    run_git(tmp_path, "commit", "-q", "-m", "刑法与修正案（十二）", date="2024-01-02T12:00:00")
    report = build(tmp_path)
    assert report == {
        "criminal-law": [
            {
                "title": "中华人民共和国刑法修正案（十二）",
                "adopted": "2023-12-29",
                "uri": "/akn/cn/act/2023-12-29/amendment-12",
            }
        ]
    }
    page = (tmp_path / "site" / "documents" / "criminal-law" / "index.html").read_text("utf-8")
    assert "有尚未纳入本文的修改" in page
    assert '<a href="../amendment-12/">《中华人民共和国刑法修正案（十二）》</a>（2023-12-29 通过）' in page
    instrument = (tmp_path / "site" / "documents" / "amendment-12" / "index.html").read_text("utf-8")
    assert "有尚未纳入本文的修改" not in instrument
    editors = (tmp_path / "site" / "editors" / "review" / "index.html").read_text("utf-8")
    assert '<a href="../../documents/criminal-law/">中华人民共和国刑法</a>：<a href="../../documents/amendment-12/">' in editors
    assert "1 件文本有尚未纳入的修改" in (tmp_path / "site" / "index.html").read_text("utf-8")
    feed = (tmp_path / "site" / "feed.xml").read_text("utf-8")
    assert "中华人民共和国刑法：有尚未纳入本文的修改" in feed and "2023-12-29T00:00:00+00:00" in feed

    law.write_text(CRIMINAL_FRONT + (LAWS / "criminal-law-2023.txt").read_text("utf-8"), "utf-8")
    run_git(tmp_path, "commit", "-q", "-am", "根据修正案（十二）修改", date="2024-01-05T12:00:00")
    assert build(tmp_path) == {}  # the 2023 text records the amendment in its header
    page = (tmp_path / "site" / "documents" / "criminal-law" / "index.html").read_text("utf-8")
    assert "有尚未纳入本文的修改" not in page  # the page was made again without it
    assert not (tmp_path / "site" / "editors" / "review").exists()  # nothing left to review
    assert "有尚未纳入本文的修改" not in (tmp_path / "site" / "feed.xml").read_text("utf-8")


def test_the_version_in_force_lists_what_the_next_one_will_change(criminal_project, browser):
    """刑法 2020 in force, the 2023 text adopted and in force from 2024-03-01: the 2020 version's
    page lists the articles the 2023 text changes, each linking its row of the 新旧对照, and says
    「将于 2024-03-01 施行的修改」 to a reader before that day, 「2024-03-01 起施行的修改」 after."""
    import datetime as dt
    import re

    from lxml import html as lxml_html
    from playwright.sync_api import expect

    from conftest import serve_dir

    site = criminal_project / "site"
    history = json.loads((criminal_project / "build" / "history" / "criminal-law" / "history.json").read_text("utf-8"))
    changed = [c for c in history["diffs"][0]["changes"] if not (c["kind"] == "renumbered" and not c["modified"])]
    page = lxml_html.fromstring((site / "history" / "criminal-law" / "v1" / "index.html").read_bytes())
    (notice,) = page.xpath("//div[contains(@class, 'fadian-next-version')]")
    assert f"修改了本文本的 {len(changed)} 条" in notice.text_content()
    links = notice.xpath(".//a/@href")
    assert links[0].endswith(f"compare-v1-v2/#{changed[0]['wid']}") and links[-1].endswith("compare-v1-v2/")
    assert "第一百六十五条" in notice.text_content()
    with serve_dir(site) as base:
        for day, title in (
            (dt.datetime(2024, 2, 1, 12), "将于 2024-03-01 施行的修改"),
            (dt.datetime(2024, 6, 1, 12), "2024-03-01 起施行的修改"),
        ):
            context = browser.new_context()
            tab = context.new_page()
            tab.clock.set_fixed_time(day)
            tab.goto(base + "history/criminal-law/v1/")
            expect(tab.locator(".fadian-next-version .admonition-title")).to_have_text(title)
            context.close()
    assert not re.search("fadian-next-version", (site / "documents" / "criminal-law" / "index.html").read_text("utf-8"))
