"""refs/review on made-up versions: what became of a cited article (修改, 删除, 重新编号), judged
against the version in force now, from files or from a git history (with or without 时效性)."""

from __future__ import annotations

from fadian.refs.index import Citation, RefIndex
from fadian.refs.review import citations_to_review, work_versions

WORK = "/akn/cn/act/2010-01-01/test-law"
V1, V2 = f"{WORK}/zho@2010-01-01", f"{WORK}/zho@2020-01-01"
HISTORY = {
    "slug": "test-law",
    "versions": [{"expression_uri": V1}, {"expression_uri": V2, "legal": {"effective": "2020-07-01"}}],
    "wids": [{"art_1": "art_1", "art_2": "art_2"}, {"art_1": "art_1", "art_2": "art_2-new", "art_3": "art_2"}],
}
TEXTS = {(V1, "art_1"): "甲", (V1, "art_2"): "乙", (V2, "art_1"): "甲改", (V2, "art_3"): "乙"}


def review(as_of: str, cited_on: str, *eids: str) -> list[dict]:
    citations = [Citation(f"测试法第{e}", "art_1", [f"{WORK}/~{e}"], "corpus", 3, 4) for e in eids]
    works = work_versions(RefIndex(), [HISTORY])  # a history whose first version states no 时效性
    places = [("rules", "sources/documents/rules.txt", "现行有效", cited_on, citations)]
    return citations_to_review(places, works, as_of, lambda uri, eid: TEXTS.get((uri, eid)))


def test_the_version_in_force_now_decides():
    assert review("2020-06-30", "2015-01-01", "art_1") == []  # the 2020 text is not in force yet
    (entry,) = review("2020-07-01", "2015-01-01", "art_1")
    assert (entry["change"], entry["since"], entry["cited_version"]) == ("修改", "2020-07-01", V1)
    assert review("2021-01-01", "2020-08-01", "art_1") == []  # it cited the new version already


def test_a_moved_article_is_named_by_its_number_now():
    (entry,) = review("2021-01-01", "2015-01-01", "art_2")
    assert (entry["change"], entry["provision"], entry["now"]) == ("重新编号", "第二条", "第三条")


def test_a_citing_text_no_longer_in_force_is_not_reviewed():
    works = work_versions(RefIndex(), [HISTORY])
    citation = Citation("测试法第一条", "art_1", [f"{WORK}/~art_1"], "corpus", 3, 4)
    places = [("old", "sources/documents/old.txt", "已废止", "2015-01-01", [citation])]
    assert citations_to_review(places, works, "2021-01-01", lambda uri, eid: TEXTS.get((uri, eid))) == []
