"""Amendment instruments (issue 10): 修正案 and 修改决定 read as data, applied to the text they
amend, and written as AKN amendments."""

from __future__ import annotations

import pytest

from fadian.akn.validate import lxml_schema
from fadian.amend.apply import apply_instrument, renumber_citations
from fadian.amend.model import OpKind
from fadian.pipeline import compile_source, compile_standalone

from amend_texts import LAW, NS, apply, article, instrument, one
from conftest import CORPUS

CHANGED_BY_XII = ["art_165", "art_166", "art_169", "art_387", "art_390", "art_391", "art_393"]


def provisions(data: bytes) -> dict[str, str]:
    """eId → text of every article and annex of a converted law, footnote (①) lines left out."""
    doc = compile_standalone("law.txt", data, "law")
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    out = {}
    for el in doc.root.xpath("//a:article | //a:hcontainer[@name='annex']", namespaces=NS):
        paragraphs = el.xpath(".//a:p[not(@class='footnote')]", namespaces=NS)
        out[el.get("eId")] = "".join("".join(p.itertext()) for p in paragraphs)
    return out


# -- the real instrument ------------------------------------------------------------------
@pytest.fixture(scope="module")
def criminal_law_xii():
    parsed, diags = instrument((CORPUS / "criminal-law-amendment-12-2023.txt").read_text("utf-8"))
    assert not diags
    return apply_instrument("criminal-law-2020.txt", (CORPUS / "criminal-law-2020.txt").read_bytes(), parsed)


def test_amendment_xii_gives_the_official_2023_text(criminal_law_xii):
    assert criminal_law_xii.ok, [d.format() for d in criminal_law_xii.diagnostics]
    applied = provisions(criminal_law_xii.text.encode())
    official = provisions((CORPUS / "criminal-law-2023.txt").read_bytes())
    assert len(official) >= 505 and set(applied) == set(official)
    different = [eid for eid in official if applied[eid] != official[eid]]
    assert different == [], [(eid, applied[eid][:60], official[eid][:60]) for eid in different]


def test_amendment_xii_changes_exactly_seven_articles(criminal_law_xii):
    before = provisions((CORPUS / "criminal-law-2020.txt").read_bytes())
    after = provisions(criminal_law_xii.text.encode())
    assert [eid for eid in before if before[eid] != after[eid]] == CHANGED_BY_XII
    assert [(c.provision, c.target) for c in criminal_law_xii.changes][:2] == [
        ("一、", "第一百六十五条"),
        ("二、", "第一百六十六条"),
    ]


def test_applied_text_records_the_instrument_and_refuses_a_second_application(criminal_law_xii):
    text = criminal_law_xii.text
    assert (
        "2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议通过的《中华人民共和国刑法修正案（十二）》"
        in text
    )
    parsed, _ = instrument((CORPUS / "criminal-law-amendment-12-2023.txt").read_text("utf-8"))
    again = apply_instrument("new.txt", text.encode(), parsed)
    assert not again.ok and [d.code for d in again.diagnostics] == ["F324"]


def test_railway_decision_every_instruction_is_a_mod():
    data = (CORPUS / "spc-decision-amending-railway-injury-interpretation-2021.txt").read_bytes()
    doc = compile_standalone("decision.txt", data, "decision", _registry_index())
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    assert lxml_schema().validate(doc.root)
    root = doc.root
    assert root.xpath("/a:akomaNtoso/a:act/@name", namespaces=NS) == ["amendment"]
    assert len(root.xpath("//a:body/a:article", namespaces=NS)) == 10
    assert len(root.xpath("//a:body/a:article//a:mod", namespaces=NS)) == 10
    mods = root.xpath("//a:activeModifications/a:textualMod", namespaces=NS)
    work = "/akn/cn/act/judicial-interpretation/2010-01-04/railway-personal-injury-interpretation"
    kinds = [
        (m.get("type"), [d.get("href").removeprefix(work + "/~") for d in m.iterfind("a:destination", NS)])
        for m in mods
        if m.get("type") != "renumbering"
    ]
    assert kinds == [
        ("insertion", ["art_1__para_2"]),
        ("repeal", ["art_2"]),
        ("repeal", ["art_3__para_1"]),
        ("insertion", ["art_3__para_2"]),
        ("substitution", ["art_5"]),
        ("insertion", ["art_5__para_1__point_3"]),
        ("join", ["art_6", "art_7"]),
        ("repeal", ["art_8__para_1"]),
        ("repeal", ["art_8__para_2"]),
        ("substitution", ["art_8__para_2"]),
        ("substitution", ["art_9__para_1"]),
        ("substitution", ["art_9__para_2"]),
        ("repeal", ["art_12", "art_13"]),
        ("repeal", ["art_16__para_2"]),
    ]
    renumbered = [m for m in mods if m.get("type") == "renumbering"]
    assert len(renumbered) == 7
    assert renumbered[0].find("a:previous", NS).get("href").endswith("~art_8")
    assert renumbered[0].find("a:destination", NS).get("href").endswith("~art_7")
    # every mod's source is a mod of this document
    mod_ids = set(root.xpath("//a:mod/@eId", namespaces=NS))
    assert {m.find("a:source", NS).get("href")[1:] for m in mods} <= mod_ids
    # the merged article's new text is a quoted structure, the deleted words quoted text
    art5 = root.xpath("//a:article[@eId='art_5']", namespaces=NS)[0]
    assert art5.xpath(".//a:quotedStructure//a:point/a:num/text()", namespaces=NS) == ["（一）", "（二）"]
    assert root.xpath("//a:article[@eId='art_2']//a:quotedText/text()", namespaces=NS) == [
        "依法由受害人承担扶养义务的被扶养人"
    ]


def _registry_index():
    from fadian.refs.registry import load_registry, registry_index

    from conftest import REPO

    path = REPO / "sources" / "registry.yaml"
    works, diags = load_registry(str(path), path.read_bytes())
    assert not diags
    return registry_index(works)


CONSTITUTION_AMENDMENT = """---
slug: constitution-amendment-2018
type: amendment
title: 中华人民共和国宪法修正案（2018年）
date: 2018-03-11
---

中华人民共和国宪法修正案（2018年）

2018年3月11日 第十三届全国人民代表大会第一次会议通过

第三十二条 宪法第三章“国家机构”中增加一节，作为第七节“监察委员会”；增加五条，分别作为第一百二十三条至第一百二十七条。内容如下：

“第七节 监察委员会

“第一百二十三条 中华人民共和国各级监察委员会是国家的监察机关。

“第一百二十四条 中华人民共和国设立国家监察委员会和地方各级监察委员会。

“监察委员会由下列人员组成：

“主任，

“副主任若干人，

“委员若干人。

“第一百二十五条 中华人民共和国国家监察委员会是最高监察机关。

“第一百二十六条 国家监察委员会对全国人民代表大会和全国人民代表大会常务委员会负责。

“第一百二十七条 监察委员会依照法律规定独立行使监察权。”

第三十三条 宪法第三章第七节“人民法院和人民检察院”相应改为第八节；宪法第一百二十三条至第一百三十八条相应改为第一百二十八条至第一百四十三条。
"""


def test_constitution_amendment_quotes_a_section_and_keeps_its_own_articles():
    doc = compile_source("constitution-amendment.txt", CONSTITUTION_AMENDMENT.encode(), _registry_index())
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    root = doc.root
    assert root.xpath("//a:body/a:article/@eId", namespaces=NS) == ["art_32", "art_33"]
    quoted = root.xpath("//a:quotedStructure", namespaces=NS)
    assert len(quoted) == 1
    section = quoted[0].find("a:section", NS)
    assert (
        section.findtext("a:num", namespaces=NS) == "第七节"
        and section.findtext("a:heading", namespaces=NS) == "监察委员会"
    )
    assert section.xpath("a:article/a:num/text()", namespaces=NS) == [
        "第一百二十三条",
        "第一百二十四条",
        "第一百二十五条",
        "第一百二十六条",
        "第一百二十七条",
    ]
    # quoted articles are not the instrument's: only art_32 and art_33 outside quotations
    outside = root.xpath("//a:article[not(ancestor::a:quotedStructure)]/@eId", namespaces=NS)
    assert outside == ["art_32", "art_33"]
    assert not [d for d in doc.diagnostics if d.code in ("F302", "F303")]
    renumbering = root.xpath("//a:textualMod[@type='renumbering']", namespaces=NS)
    assert len(renumbering) == 17  # the old 第七节, and 第一百二十三条 to 第一百三十八条
    assert renumbering[0].find("a:previous", NS).get("href").endswith("~chp_3__sec_7")


CONSTITUTION = """中华人民共和国宪法

第三章 国家机构

第六节 民族自治地方的自治机关

第一百二十二条 国家从财政、物资、技术等方面帮助各少数民族加速发展经济建设和文化建设事业。

第七节 人民法院和人民检察院

第一百二十三条 中华人民共和国人民法院是国家的审判机关。

第一百二十四条 中华人民共和国设立最高人民法院。依照第一百二十三条的规定。
"""


def test_constitution_amendment_applied_inserts_the_section_and_renumbers():
    inst_text = CONSTITUTION_AMENDMENT.split("---\n", 2)[2].replace(
        "第一百三十八条相应改为第一百二十八条至第一百四十三条",
        "第一百二十四条相应改为第一百二十八条至第一百二十九条",
    )
    result = apply(CONSTITUTION, inst_text)
    assert result.ok, [d.format() for d in result.diagnostics]
    law = compile_standalone("c.txt", result.text.encode(), "c")
    assert law.ok, [d.format() for d in law.diagnostics if d.is_error]
    nums = law.root.xpath("//a:article/a:num/text()", namespaces=NS)
    assert nums == [
        f"第一百{n}条"
        for n in ("二十二", "二十三", "二十四", "二十五", "二十六", "二十七", "二十八", "二十九")
    ]
    sections = [
        (s.findtext("a:num", namespaces=NS), s.findtext("a:heading", namespaces=NS))
        for s in law.root.iterfind(".//a:section", NS)
    ]
    assert sections == [
        ("第六节", "民族自治地方的自治机关"),
        ("第七节", "监察委员会"),
        ("第八节", "人民法院和人民检察院"),
    ]
    # the moved article's citation of the old 第一百二十三条 follows it
    assert "依照第一百二十八条的规定" in result.text


# -- each instruction kind on a small text ------------------------------------------------------


def test_substitute_article():
    text = one("一、将第三条修改为：“本法适用于一切测试。”")
    assert article(text, "第三条") == ["第三条 本法适用于一切测试。"]


def test_substitute_paragraph():
    text = one("一、将第二条第二款修改为：“违反本法规定的，依法处理。”")
    assert article(text, "第二条")[-1] == "违反本法规定的，依法处理。"
    assert article(text, "第二条")[1] == "（一）甲；"


def test_add_paragraph_then_substitute_the_article():
    text = one("一、在第三条中增加一款作为第二款，将该条修改为：“本法适用于测试。\n\n“其他活动参照本法。”")
    assert article(text, "第三条") == ["第三条 本法适用于测试。", "其他活动参照本法。"]


def test_insert_paragraph():
    text = one("一、在第三条中增加一款，作为第二款：“其他活动参照本法。”")
    assert article(text, "第三条") == ["第三条 本法适用于测试活动和相关活动。", "其他活动参照本法。"]


def test_insert_article_after():
    text = one("一、在第三条后增加一条，作为第三条之一：“测试应当公开。”")
    assert article(text, "第三条之一") == ["第三条之一 测试应当公开。"]
    lines = [ln for ln in text.split("\n") if ln.startswith("第")]
    assert lines.index("第三条之一 测试应当公开。") == lines.index(article(text, "第三条")[0]) + 1


def test_insert_item():
    text = one("一、在第二条第一款中增加一项，作为第三项：“丙”")
    assert article(text, "第二条")[1:4] == ["（一）甲；", "（二）乙；", "（三）丙。"]


def test_repeal_article():
    text = one("一、删去第四条。")
    assert "第四条" not in text and "第五条 本法自公布之日起施行。" in text


def test_delete_words():
    text = one("一、删去第三条中的“和相关活动”。")
    assert article(text, "第三条") == ["第三条 本法适用于测试活动。"]


def test_replace_words():
    text = one("一、将第三条中的“测试活动”修改为“检验活动”。")
    assert article(text, "第三条") == ["第三条 本法适用于检验活动和相关活动。"]


def test_add_at_the_start_of_a_paragraph():
    text = one("一、第二条第二款开始部分增加规定：“情节轻微的，不予处罚”。")
    assert article(text, "第二条")[-1] == "情节轻微的，不予处罚。违反本法第一条规定的，依照第二条处理。"


def test_replace_the_lead_in():
    text = one("一、第二条条首部分修改为：“有下列情形之一的，依法予以处罚”")
    assert article(text, "第二条")[0] == "第二条 有下列情形之一的，依法予以处罚："


def test_join_articles():
    text = one("一、将第三条和第四条合并修改为：\n\n“本法适用于测试活动。”")
    assert article(text, "第三条") == ["第三条 本法适用于测试活动。"]
    assert "第四条" not in text


def test_renumber_after_a_repeal_moves_citations():
    text = one("一、删去第三条。\n\n二、对条文序号作相应调整。")
    assert article(text, "第三条") == ["第三条 依照本法第三条的规定执行。"]  # old 第四条, its citation kept
    assert article(text, "第四条") == ["第四条 本法自公布之日起施行。"]
    assert "违反本法第一条规定的，依照第二条处理。" in text


def test_renumber_by_an_explicit_list():
    text = one(
        "一、删去第三条。\n\n二、将本法的条文顺序作相应调整：“第四条”调整为“第三条”，“第五条”调整为“第四条”。"
    )
    assert article(text, "第三条") == ["第三条 依照本法第三条的规定执行。"]
    assert article(text, "第四条") == ["第四条 本法自公布之日起施行。"]


def test_citations_of_other_laws_are_not_renumbered():
    assert (
        renumber_citations("依照刑法第四条和本法第四条及第五条", {4: 3, 5: 4})
        == "依照刑法第四条和本法第三条及第四条"
    )


# -- errors --------------------------------------------------------------------------------------------
def test_unknown_instruction_is_an_error_at_its_line():
    _parsed, diags = instrument("测试法修正案\n\n一、将第三条翻译为英文。\n")
    (d,) = diags
    assert d.code == "F320" and d.is_error and (d.location.line, d.location.col) == (3, 3)
    assert "翻译为英文" in d.message


def test_unbalanced_quotation_ends_before_the_next_provision_with_a_warning_at_the_quote():
    parsed, diags = instrument(
        "测试法修正案\n\n一、将第三条修改为：“本法适用于一切测试。\n\n二、删去第四条。\n"
    )
    assert [(d.code, d.location.line, d.location.col) for d in diags] == [("F327", 3, 11)]
    assert [op.kind for op in parsed.operations] == [OpKind.SUBSTITUTE, OpKind.REPEAL]
    assert parsed.operations[0].quoted == ["本法适用于一切测试。"]


def test_quotation_never_closed_before_the_end_is_an_error_at_the_quote():
    _parsed, diags = instrument(
        "测试法修正案\n\n一、将第三条修改为：“本法适用于一切测试。\n\n本修正案自公布之日起施行。\n"
    )
    assert [(d.code, d.location.line, d.location.col, d.is_error) for d in diags] == [("F321", 3, 11, True)]


def test_missing_target_is_an_error_naming_it():
    parsed, _ = instrument("测试法修正案\n\n一、将第九条修改为：“新的条文。”\n")
    result = apply_instrument("old.txt", LAW.encode(), parsed)
    assert not result.ok
    (d,) = result.diagnostics
    assert d.code == "F322" and "第九条" in d.message and d.location.line == 3


def test_quoted_words_missing_from_the_target_is_an_error_naming_both():
    parsed, _ = instrument("测试法修正案\n\n一、删去第三条中的“不存在的词”。\n")
    result = apply_instrument("old.txt", LAW.encode(), parsed)
    (d,) = result.diagnostics
    assert d.code == "F323" and "不存在的词" in d.message and "第三条" in d.message


# -- history: the instrument beside the law in sources/ ----------------------------------------


def test_instrument_recognised_by_its_title_keeps_unread_instructions_as_text():
    """`fadian convert` and `sweep` read a collection: a 修正案 whose instruction fadian cannot
    read is converted with warning F326 and that provision kept as text; declared
    `type: amendment` (or `fadian apply`) it stays error F320."""
    text = "测试法修正案\n\n一、将第三条翻译为英文。\n\n二、删去测试法第四条。\n"
    doc = compile_standalone("x.txt", text.encode(), "x")
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    (warning,) = [d for d in doc.diagnostics if d.code == "F326"]
    assert (warning.location.line, warning.location.col) == (3, 3) and "翻译为英文" in warning.message
    art1 = doc.root.xpath("//a:article[@eId='art_1']", namespaces=NS)[0]
    assert not art1.xpath(".//a:mod", namespaces=NS) and "将第三条翻译为英文。" in "".join(art1.itertext())
    assert doc.root.xpath("//a:article[@eId='art_2']//a:mod", namespaces=NS)
    declared = compile_standalone("x.txt", text.encode(), "x", doc_type="amendment")
    assert not declared.ok and [d.code for d in declared.diagnostics if d.is_error] == ["F320"]


def test_constitution_style_instructions():
    """宪法修正案 quote the old words after the provision and add 款 without 在…中."""
    text = one(
        "一、测试法第三条“本法适用于测试活动和相关活动。”修改为：“本法适用于一切测试。”\n\n"
        "二、测试法第五条增加一款，作为第二款：“公布之日即为施行之日。”第二款相应地改为第三款。"
    )
    assert article(text, "第三条") == ["第三条 本法适用于一切测试。"]
    assert article(text, "第五条") == ["第五条 本法自公布之日起施行。", "公布之日即为施行之日。"]


def test_every_operation_kind_has_one_spec_and_the_handlers_agree():
    """An operation kind is described once (amend/model.OP_SPECS: its AKN type, whether its
    quotation holds provisions, what it changes, whether it is applied), and the apply step has
    a handler for exactly the kinds that are applied."""
    from fadian.amend.handlers import Applier
    from fadian.amend.model import OP_SPECS, OpKind

    assert set(OP_SPECS) == set(OpKind)
    assert {kind for kind, spec in OP_SPECS.items() if spec.applies} == set(Applier.HANDLERS)
    assert all(spec.mod_type in ("", "substitution", "insertion", "repeal", "join", "renumbering")
               for spec in OP_SPECS.values())
