"""eIds: the AKN naming convention, derived from numbers only, stable under insertion."""

from __future__ import annotations

from fadian.pipeline import compile_source, compile_standalone

from conftest import REPO

LAW = REPO / "sources" / "documents" / "digital-economy-promotion-law-expert-draft.txt"


def eids(doc):
    return [e.get("eId") for e in doc.root.iter() if e.get("eId")]


def test_inserting_article_9_1_changes_no_other_eid():
    text = LAW.read_text(encoding="utf-8")
    anchor = "第十条【数字基础设施体系】"
    inserted = text.replace(anchor, "第九条之一【算力网络】\n\n国家推动算力网络建设。\n\n" + anchor)
    before = compile_source("law.txt", text.encode())
    after = compile_source("law.txt", inserted.encode())
    assert before.ok and after.ok, [d.format() for d in after.diagnostics]
    old, new = eids(before), eids(after)
    added = [e for e in new if e not in old]
    assert added == ["art_9-1", "art_9-1__para_1"]
    assert [e for e in new if e not in added] == old
    assert after.root.xpath("//*[@eId='art_9-1']/*[local-name()='num']/text()") == ["第九条之一"]


def test_eids_are_deterministic():
    first = compile_source("law.txt", LAW.read_bytes()).xml_bytes()
    second = compile_source("law.txt", LAW.read_bytes()).xml_bytes()
    assert first == second


CIVIL_CODE_LIKE = """中华人民共和国民法典（节选）

第一编 总则

第一章 基本规定

第一条 为了保护民事主体的合法权益，制定本法。

第二编 物权

第一分编 通则

第一章 一般规定

第二条 本编调整因物的归属和利用产生的民事关系。

第二章 物权的设立

第一节 不动产登记

第三条 不动产物权的设立，经依法登记，发生效力。

当事人之间订立有关设立不动产物权的合同，有下列情形之一的：

（一）法律另有规定的；

（二）合同另有约定的：

1．约定期限；

2．约定条件。

第二分编 所有权

第三章 所有权的一般规定

第四条 所有权人对自己的不动产或者动产，依法享有占有、使用、收益和处分的权利。
"""


def test_book_part_chapter_section_scheme():
    doc = compile_standalone("civil.txt", CIVIL_CODE_LIKE.encode(), "civil-code-excerpt")
    assert doc.ok, [d.format() for d in doc.diagnostics]
    ids = eids(doc)
    for expected in [
        "book_1",
        "book_1__chp_1",
        "book_2",
        "book_2__part_1",
        "book_2__part_1__chp_1",
        "book_2__part_1__chp_2",
        "book_2__part_1__chp_2__sec_1",
        "book_2__part_2",
        "book_2__part_2__chp_3",
        "art_1",
        "art_2",
        "art_3",
        "art_4",
        "art_3__para_2",
        "art_3__para_2__point_2",
        "art_3__para_2__point_2__point_1",
        "art_3__para_2__point_2__point_2",
    ]:
        assert expected in ids, expected
    # 编/分编 go to AKN book/part
    assert doc.root.xpath("//*[local-name()='book'][@eId='book_2']/*[local-name()='part']/@eId") == [
        "book_2__part_1",
        "book_2__part_2",
    ]


# The Eid value: made, printed and parsed in one place

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fadian.eids import Eid, Step, is_inside, nested, top_of  # noqa: E402

NAMES = st.sampled_from(["art", "para", "point", "chp", "sec", "book", "part", "hcontainer", "mod", "qstr", "p"])
STEPS = st.builds(
    Step,
    NAMES,
    st.one_of(st.none(), st.integers(1, 10_000)),
    st.integers(0, 9),
    st.integers(0, 3),
).filter(lambda s: s.number is not None or (s.sub == 0))


@given(st.lists(STEPS, min_size=1, max_size=6).map(lambda steps: Eid(tuple(steps))))
def test_an_eid_parses_back_to_itself(eid):
    assert Eid.parse(str(eid)) == eid


def test_an_eid_is_built_as_a_citation_names_it():
    assert str(Eid.article(12, sub=1).para(2).point(3)) == "art_12-1__para_2__point_3"
    assert str(Eid.article(5).point(2)) == "art_5__para_1__point_2"  # a 项 is in the first 款
    assert str(Eid.of("chp", 3).child("sec", 2)) == "chp_3__sec_2"
    assert str(Eid.of("preamble").mod(1)) == "preamble__mod_1"
    assert Eid.parse("art_12-1__para_2__point_3").label() == "第十二条之一第二款第（三）项"
    assert Eid.parse("preamble__p_2").label() == "序言第二自然段"
    assert Eid.parse("hcontainer_1").label() == "hcontainer_1"
    assert Eid.parse("art_12 ") is None and Eid.parse("art_x") is None and Eid.parse("") is None
    assert top_of("art_3__para_2") == "art_3" and is_inside("art_3__para_2", "art_3")
    assert not is_inside("art_30", "art_3") and nested("art_1__mod_1__qstr_1", "art_2") == "art_1__mod_1__qstr_1__art_2"
