"""Issue 21: `fadian draft OLD NEW` writes the 修改决定 that turns OLD into NEW. The property that
makes it trustworthy — apply(draft(OLD, NEW), OLD) == NEW, article by article — on every real
pair of consecutive versions of the corpus, checked here independently of the draft's own
check (each text converted to AKN, its articles compared)."""

from __future__ import annotations

import json

import pytest

from fadian.amend.apply import apply_instrument
from fadian.amend.draft import draft_amendment
from fadian.amend.grammar import parse_instrument
from fadian.pipeline import compile_standalone
from fadian.read.sources import read_source

from amend_texts import LAW, NS
from conftest import CORPUS, SHARED

PAIRS_DIR = SHARED / "corpus" / "version-pairs"
MANIFEST = json.loads((PAIRS_DIR / "manifest.json").read_text("utf-8"))["pairs"]
LAW_PAIRS = [
    ("administrative-reconsideration-law-2017", "administrative-reconsideration-law-2023"),
    ("company-law-2018", "company-law-2023"),
    ("criminal-law-2020", "criminal-law-2023"),
    ("foreign-trade-law-2016", "foreign-trade-law-2022"),
]
PAIRS = [(PAIRS_DIR / p["before"], PAIRS_DIR / p["after"], p["articles_changed"]) for p in MANIFEST] + [
    (CORPUS / f"{a}.txt", CORPUS / f"{b}.txt", None) for a, b in LAW_PAIRS
]


def articles(data: bytes) -> dict[str, str]:
    """eId → text of every article of a converted text, editors' notes (①) left out."""
    doc = compile_standalone("law.txt", data, "law")
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    out = {}
    for el in doc.root.xpath("//a:article", namespaces=NS):
        paragraphs = el.xpath(".//a:p[not(@class='footnote')]", namespaces=NS)
        out[el.get("eId")] = "".join("".join("".join(p.itertext()).split()) for p in paragraphs)
    return out


def apply_draft(old, instrument_text: str):
    parsed, diags = parse_instrument(
        read_source("draft.txt", instrument_text.encode(), front_matter=False).lines, "draft.txt"
    )
    assert not [d for d in diags if d.is_error], [d.format() for d in diags]
    return apply_instrument(str(old), old.read_bytes(), parsed, None, "draft.txt")


@pytest.mark.parametrize("old,new,changed", PAIRS, ids=lambda x: x.stem if hasattr(x, "stem") else None)
def test_round_trip_apply_of_the_draft_gives_the_new_text(old, new, changed):
    drafted = draft_amendment(str(old), old.read_bytes(), str(new), new.read_bytes())
    want = articles(new.read_bytes())
    if changed == 0 and not drafted.items:
        # the earlier file already carries the amended provisions (the pair differs in its
        # header only): nothing to draft, and the draft says so
        assert [d.code for d in drafted.diagnostics] == ["F331"]
        assert articles(old.read_bytes()) == want
        return
    result = apply_draft(old, drafted.text())
    assert result.ok, [d.format() for d in result.diagnostics]
    got = articles(result.text.encode())
    assert sorted(got) == sorted(want)
    different = [eid for eid in want if got[eid] != want[eid]]
    assert different == [], [(eid, got[eid][:40], want[eid][:40]) for eid in different]
    # what the draft cannot say (a chapter structure rebuilt by a revision) is a warning naming it,
    # never an article
    for d in drafted.diagnostics:
        assert d.code == "F332" and "“第" in d.message and "条 " not in d.message, d.format()


def test_draft_of_criminal_law_amendment_xii_names_its_seven_articles():
    old, new = CORPUS / "criminal-law-2020.txt", CORPUS / "criminal-law-2023.txt"
    drafted = draft_amendment(str(old), old.read_bytes(), str(new), new.read_bytes())
    assert drafted.diagnostics == []
    assert drafted.title == "中华人民共和国刑法修正案（十二）"
    assert drafted.adopted == "2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议通过"
    named = [row.old_num for row in drafted.rows]
    assert named == [
        "第一百六十五条",
        "第一百六十六条",
        "第一百六十九条",
        "第三百八十七条",
        "第三百九十条",
        "第三百九十一条",
        "第三百九十三条",
    ]
    assert len(drafted.items) == 7 and not drafted.renumbers


SMALL_NEW = (
    LAW.replace("第三条 本法适用于测试活动和相关活动。", "第三条 本法适用于测试活动。")
    .replace("第四条 依照本法第三条的规定执行。\n\n", "")
    .replace("第五条 本法自公布之日起施行。", "第四条 本法自公布之日起施行。")
)


def test_smallest_faithful_forms():
    """Words where only words changed, 删去 for a deleted article, the renumbering closing."""
    drafted = draft_amendment("old.txt", LAW.encode(), "new.txt", SMALL_NEW.encode())
    assert drafted.items == ["删去第三条中的“和相关活动”。", "删去第四条。"]
    assert drafted.renumbers and "此外，对条文顺序作相应调整。" in drafted.text()
    parsed, _ = parse_instrument(read_source("d.txt", drafted.text().encode(), front_matter=False).lines)
    result = apply_instrument("old.txt", LAW.encode(), parsed)
    assert result.ok and "第四条 本法自公布之日起施行。" in result.text


def test_inserted_articles_are_placed_and_numbered():
    new = LAW.replace(
        "第三条 本法适用于测试活动和相关活动。",
        "第三条 本法适用于测试活动和相关活动。\n\n第三条之一 测试应当公开。\n\n第三条之二 测试应当记录。",
    )
    drafted = draft_amendment("old.txt", LAW.encode(), "new.txt", new.encode())
    assert [i.split("：")[0] for i in drafted.items] == [
        "在第三条后增加一条，作为第三条之一",
        "在第三条后增加一条，作为第三条之二",
    ]
    assert not drafted.renumbers and drafted.diagnostics == []


def test_a_new_first_article_of_a_chapter_is_placed_before_the_next():
    new = LAW.replace("第二章 附则\n\n第四条", "第二章 附则\n\n第四条 附则适用于测试。\n\n第五条").replace(
        "第五条 本法自公布之日起施行。", "第六条 本法自公布之日起施行。"
    )
    drafted = draft_amendment("old.txt", LAW.encode(), "new.txt", new.encode())
    assert drafted.items[0].startswith("在第四条前增加一条，作为第四条：")
    assert drafted.diagnostics == []


def test_a_one_line_header_names_its_last_event():
    """A 题注 on one line that holds the adoption and 「根据…决定修正」: the draft is that decision,
    adopted on its day by its meeting (not the law's adoption with the rest of the line)."""
    adopted = "（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过）"
    both = (
        "（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过　根据2023年4月26日第十四届"
        "全国人民代表大会常务委员会第二次会议《关于修改〈测试法〉的决定》修正）"
    )
    old = LAW.replace("2020年1月1日 第一次会议通过", adopted)
    new = LAW.replace("2020年1月1日 第一次会议通过", both).replace("和相关活动", "")
    drafted = draft_amendment("old.txt", old.encode(), "new.txt", new.encode())
    assert drafted.title == "全国人民代表大会常务委员会关于修改《测试法》的决定"
    assert drafted.adopted == "2023年4月26日 第十四届全国人民代表大会常务委员会第二次会议通过"
