"""The reading side's rules: the version in force on a day and its 时效性 then (the site's
script applies the same to the reader's today), and an article named as people write it."""

from __future__ import annotations

import pytest

from fadian.access.site_data import SiteDataError, Version, provision_eid, version_on


def version(label: str, date: str, status: str, effective: str = "", until: str = "") -> Version:
    return Version(f"/akn/cn/act/1979-07-01/x/zho@{date}", date, label, status, effective, until, "p/", "a.xml")


OLD = version("v1", "2020-12-26", "已修改", until="2024-03-01")
NEW = version("v2", "2023-12-29", "现行有效", effective="2024-03-01")


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2019-01-01", None), ("2020-12-26", "v1"), ("2024-02-29", "v1"), ("2024-03-01", "v2"), ("2030-01-01", "v2")],
)
def test_the_version_in_force_on_a_day(day, expected):
    found = version_on([OLD, NEW], day)
    assert (found.label if found else None) == expected


def test_the_status_on_a_day():
    assert OLD.status_on("2023-06-01") == "现行有效" and OLD.status_on("2024-03-01") == "已修改"
    assert NEW.status_on("2024-01-15") == "尚未生效" and NEW.status_on("2024-03-01") == "现行有效"
    open_end = version("v1", "2020-12-26", "已修改")  # the next version's 施行日期 not printed
    later = version("v2", "2023-12-29", "现行有效")
    assert open_end.status_on("2024-06-01") == "已修改"  # not known to have ended: as stated
    assert open_end.status_on("2023-06-01", later) == "现行有效"  # the next was not yet made
    assert version("v1", "2020-01-01", "草案").status_on("2030-01-01") == "草案"  # declared


@pytest.mark.parametrize(
    ("text", "eid"),
    [
        ("第一百六十五条", "art_165"),
        ("165", "art_165"),
        ("一百六十五", "art_165"),
        ("第一百二十条之一第二款第（三）项", "art_120-1__para_2__point_3"),
        ("第 ５ 条", "art_5"),
    ],
)
def test_an_article_as_people_write_it(text, eid):
    assert str(provision_eid(text)) == eid


def test_what_is_not_an_article_is_refused():
    with pytest.raises(SiteDataError, match="not an article"):
        provision_eid("第一章")


def test_the_search_box_ranks_by_the_levels_in_their_order():
    """assets/fadian.js ranks results by 效力级别 in read/schemas.LEVELS' order: the same list."""
    import json
    import re

    from fadian.read.schemas import LEVELS
    from fadian.render.html import ASSETS

    script = (ASSETS / "fadian.js").read_text("utf-8")
    (listed,) = re.findall(r"var FADIAN_LEVELS = (\[[^\]]*\]);", script)
    assert tuple(json.loads(listed)) == LEVELS
