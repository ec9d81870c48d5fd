"""时效性 for the reader's day: a page says the status its build found, dated by the text's own
period (never by the build's date), and in a browser the status is judged again for the reader's
day and says that day. The tests set the browser's clock before and after a text takes effect,
and before and after a later version takes over; the search's 时效性 filter is the reader's day's
too, from an index that holds no status of any day."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import run_fadian, run_git, serve_dir

FUTURE = """---
slug: future-law
type: act
title: 测试未来法
date: '2029-06-01'
---

测试未来法

（2029年6月1日全国人民代表大会常务委员会第一次会议通过）

第一条 为了测试，制定本法。

第二条 本法自2030年1月1日起施行。
"""
OLD = """---
slug: trade-law-2016
type: act
title: 测试贸易法
date: '2016-01-01'
---

测试贸易法

（2016年1月1日全国人民代表大会常务委员会第一次会议通过）

第一条 为了测试贸易，制定本法。

第二条 本法自2016年7月1日起施行。
"""
NEW = """---
slug: trade-law-2022
type: act
title: 测试贸易法
date: '2016-01-01'
expression_date: '2022-12-30'
effective: '2023-03-01'
---

测试贸易法

（2016年1月1日全国人民代表大会常务委员会第一次会议通过　根据2022年12月30日全国人民代表大会常务委员会《关于修改〈测试贸易法〉的决定》修正）

第一条 为了测试贸易，促进开放，制定本法。

第二条 本法自2016年7月1日起施行。
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A project committed long before the reader's day: its build found 测试未来法 not yet in
    force and the 2016 测试贸易法 in force (its new version not yet in force on the commit's day)."""
    root = tmp_path_factory.mktemp("status-today")
    docs = root / "sources" / "documents"
    docs.mkdir(parents=True)
    for name, text in (("future-law", FUTURE), ("trade-law-2016", OLD), ("trade-law-2022", NEW)):
        (docs / f"{name}.txt").write_text(text, "utf-8")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "collection", date="2023-01-02T12:00:00")
    done = run_fadian("build", "--no-editions", cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    return root / "site"


def status_line(browser, base: str, page: str, day: dt.date) -> str:
    context = browser.new_context()
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime(day.year, day.month, day.day, 12, 0))
    tab.goto(base + page)
    text = tab.locator(".fadian-legal-meta .fadian-legal-status").inner_text()
    context.close()
    return text


def test_the_page_dates_its_status_by_the_texts_own_period(site):
    """Without a script the status is the build's, dated by the text's own dates; the page
    never prints the build's date (which would rewrite every page when it moves)."""
    html = (site / "documents" / "future-law" / "index.html").read_text("utf-8")
    assert "尚未生效（2030-01-01 起施行）" in html
    assert "2023-01-02" not in html and "截至" not in html


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2029, 12, 31), "截至 2029年12月31日：尚未生效（2030-01-01 起施行）"),
        (dt.date(2030, 1, 1), "截至 2030年1月1日：现行有效（2030-01-01 起施行）"),
        (dt.date(2031, 5, 6), "截至 2031年5月6日：现行有效（2030-01-01 起施行）"),
    ],
)
def test_the_status_is_judged_for_the_readers_day(site, browser, day, expected):
    with serve_dir(site) as base:
        assert status_line(browser, base, "documents/future-law/", day) == expected


def test_a_version_is_in_force_until_the_next_takes_over_on_the_readers_day(site, browser):
    built = (site / "documents" / "trade-law-2016" / "index.html").read_text("utf-8")
    assert re.search(r'data-status="现行有效"[^>]*data-until="2023-03-01"', built)  # as the commit's day saw it
    with serve_dir(site) as base:
        before = status_line(browser, base, "documents/trade-law-2016/", dt.date(2023, 2, 28))
        after = status_line(browser, base, "documents/trade-law-2016/", dt.date(2024, 6, 1))
        newer = status_line(browser, base, "documents/trade-law-2022/", dt.date(2024, 6, 1))
    assert before == "截至 2023年2月28日：现行有效（2016-07-01 起施行）"
    assert after == "截至 2024年6月1日：已修改（2023-03-01 起施行新版本）"
    assert newer == "截至 2024年6月1日：现行有效（2023-03-01 起施行）"


def filter_index(site: Path) -> str:
    """The search index's filter values, as Pagefind keeps them (gzip-compressed files)."""
    files = (site / "pagefind").rglob("*.pf_filter")
    return "".join(gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in files)


def filtered_titles(browser, base: str, day: dt.date, status: str, version: str = "全部") -> tuple[list[str], str]:
    """The texts a search for 测试 lists with 时效性 = ``status`` (every version, or 版本 =
    ``version``), on ``day``, and the 时效性 filter's options."""
    context = browser.new_context()
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime(day.year, day.month, day.day, 12, 0))
    query = urllib.parse.urlencode({"q": "测试", "版本": version, **({"时效性": status} if status else {})})
    tab.goto(f"{base}search/?{query}")
    expect(tab.locator(".fadian-search-status")).to_have_text(re.compile(r"^(找到 \d+ 件文本|没有找到.*)$"))
    expect(tab.locator("ol.fadian-results[data-complete]")).to_be_attached()  # every result shown
    expect(tab.locator("select[name='时效性'] option").nth(1)).to_be_attached()
    options = tab.locator("label:has(select[name='时效性'])").inner_text()
    hrefs = [a.get_attribute("href") for a in tab.locator(".fadian-result-link").all()]
    context.close()
    return sorted(h.strip("/").split("/")[-1] for h in hrefs), options


def test_the_search_filter_is_judged_for_the_readers_day(site, browser):
    index = filter_index(site)
    assert "|2016-07-01|2023-03-01" in index  # the facts a status follows from
    assert "现行有效" not in index and "尚未生效" not in index  # no status of any day is indexed
    with serve_dir(site) as base:
        before, options = filtered_titles(browser, base, dt.date(2029, 12, 31), "现行有效")
        assert before == ["trade-law-2022"]
        assert "截至 2029年12月31日" in options and "尚未生效（1）" in options and "已修改（1）" in options
        after, options = filtered_titles(browser, base, dt.date(2031, 5, 6), "现行有效")
        assert after == ["future-law", "trade-law-2022"] and "尚未生效" not in options
        amended, _options = filtered_titles(browser, base, dt.date(2023, 2, 28), "已修改")
        assert amended == []  # the 2016 text was still in force that day
        amended, _options = filtered_titles(browser, base, dt.date(2024, 6, 1), "已修改")
        assert amended == ["trade-law-2016"]


def test_the_search_lists_the_file_in_force_on_the_readers_day(site, browser):
    """One row per work: of the two 测试贸易法 files, the one in force that day (the 2022 file
    takes effect on 2023-03-01), judged in the browser from an index that says neither."""
    index = filter_index(site)
    assert "至|2023-03-01" in index and "自|2023-03-01" in index and "历史" not in index
    with serve_dir(site) as base:
        before, _ = filtered_titles(browser, base, dt.date(2023, 2, 28), "", "现行")
        after, _ = filtered_titles(browser, base, dt.date(2024, 6, 1), "", "现行")
        old, _ = filtered_titles(browser, base, dt.date(2024, 6, 1), "", "历史")
    assert before == ["future-law", "trade-law-2016"]
    assert after == ["future-law", "trade-law-2022"]
    assert old == ["trade-law-2016"]
