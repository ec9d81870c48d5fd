"""Issue 21: the instruction forms of real instruments beyond the first one fadian was built
with, one test each, written by hand (instruction + small text → expected text); and the cases
that used to apply silently as a no-op."""

from __future__ import annotations

from fadian.amend.apply import apply_instrument

from amend_texts import LAW, article, instrument, one

SPC_TEXT = """最高人民法院关于审理测试纠纷案件适用法律若干问题的解释

2010年1月4日 最高人民法院审判委员会第1次会议通过

为正确审理测试纠纷案件，根据有关法律规定，制定本解释。

第一条 测试纠纷适用本解释。

第二条 当事人可以提起诉讼。

第三条 人民法院应当审查。

第四条 依照本解释第三条审查后，作出裁判。

第五条 本解释自公布之日起施行。
"""
SPC_TITLE = "最高人民法院关于审理测试纠纷案件适用法律若干问题的解释"

CONSTITUTION = """中华人民共和国宪法

1982年12月4日 第五届全国人民代表大会第五次会议通过

序言

中国是世界上历史最悠久的国家之一。

一九四九年以后，中国人民掌握了国家的权力。

第一章 总纲

第一条 中华人民共和国是社会主义国家。

第二条 中华人民共和国的一切权力属于人民。

第二章 公民的基本权利和义务

第三条 公民在法律面前一律平等。

第三章 国家机构

第一节 全国人民代表大会

第四条 全国人民代表大会是最高国家权力机关。

第二节 人民法院

第五条 人民法院是国家的审判机关。

第六条 依照第五条设立的人民法院独立行使审判权。
"""


def applied(old: str, inst_text: str, **kwargs) -> str:
    parsed, diags = instrument(inst_text)
    assert not [d for d in diags if d.is_error], [d.format() for d in diags]
    result = apply_instrument("old.txt", old.encode(), parsed, **kwargs)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.text


def spc(body: str, alias: bool = False) -> str:
    named = f"《{SPC_TITLE}》" + ("（以下简称《解释》）" if alias else "")
    return (
        f"最高人民法院关于修改《{SPC_TITLE}》的决定\n\n2021年11月24日 最高人民法院审判委员会第2次会议通过\n\n"
        f"最高人民法院审判委员会第2次会议决定，对{named}作如下修改：\n\n{body}\n\n本决定自2022年1月1日起施行。\n"
    )


def constitution(body: str) -> str:
    return f"中华人民共和国宪法修正案\n\n2004年3月14日 第十届全国人民代表大会第二次会议通过\n\n{body}\n"


def lines(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.strip()]


# -- 刑法修正案 forms -----------------------------------------------------------------------------
def test_instruction_inside_the_preamble():
    """刑法修正案（十）: no numbered provision, the instruction ends the preamble's sentence."""
    text = applied(
        LAW,
        "测试法修正案\n\n2024年1月1日 第二次会议通过\n\n"
        "为了测试，在测试法第三条中增加一款作为第二款，将该条修改为：\n\n"
        "“本法适用于测试活动。\n\n“其他活动参照本法。”\n\n本修正案自公布之日起施行。\n",
    )
    assert article(text, "第三条") == ["第三条 本法适用于测试活动。", "其他活动参照本法。"]
    assert "2024年1月1日 第二次会议通过的《测试法修正案》" in text


def test_insert_article_after_without_a_leading_zai():
    text = one("一、第三条后增加一条，作为第三条之一：“测试应当公开。”")
    assert article(text, "第三条之一") == ["第三条之一 测试应当公开。"]


def test_insert_two_paragraphs():
    text = one("一、在第三条中增加两款作为第二款、第三款：“甲活动参照本法。\n\n“乙活动参照本法。”")
    assert article(text, "第三条") == [
        "第三条 本法适用于测试活动和相关活动。",
        "甲活动参照本法。",
        "乙活动参照本法。",
    ]


def test_substitute_a_run_of_paragraphs():
    text = one("一、将第二条第一款、第二款修改为：“有违法情形的，予以处罚。”")
    assert article(text, "第二条") == ["第二条 有违法情形的，予以处罚。"]


def test_insert_several_zhi_articles():
    text = one(
        "一、在第三条后增加两条，作为第三条之一、第三条之二：\n\n"
        "“第三条之一 测试应当公开。\n\n“第三条之二 测试应当记录。”"
    )
    numbered = [ln for ln in lines(text) if ln.startswith("第三条")]
    assert numbered == [
        "第三条 本法适用于测试活动和相关活动。",
        "第三条之一 测试应当公开。",
        "第三条之二 测试应当记录。",
    ]


def test_insert_point_with_the_following_points_renumbered():
    text = one("一、第二条第一款增加一项，作为第二项：“丙；”原第二项改为第三项。")
    assert article(text, "第二条")[1:4] == ["（一）甲；", "（二）丙；", "（三）乙。"]


# -- Supreme People's Court forms ------------------------------------------------------------
def test_replace_the_introduction():
    text = applied(SPC_TEXT, spc("一、将引言修改为：“为正确审理测试纠纷案件，根据民法典，制定本解释。”"))
    assert "为正确审理测试纠纷案件，根据民法典，制定本解释。" in lines(text)
    assert "为正确审理测试纠纷案件，根据有关法律规定，制定本解释。" not in text


def test_shanchu_deletes_like_shanqu():
    text = applied(SPC_TEXT, spc("一、删除第二条。\n\n二、条文顺序作相应调整。"))
    assert [ln[:3] for ln in lines(text) if ln.startswith("第")] == ["第一条", "第二条", "第三条", "第四条"]
    assert "第二条 人民法院应当审查。" in text
    # the citation of the old 第三条 follows it to 第二条
    assert "第三条 依照本解释第二条审查后，作出裁判。" in text


def test_add_an_article_numbered_as_in_the_new_text():
    text = applied(SPC_TEXT, spc("一、增加一条作为第二条：“当事人应当诚信。”\n\n二、条文顺序作相应调整。"))
    numbered = [ln for ln in lines(text) if ln.startswith("第")]
    assert numbered[:3] == [
        "第一条 测试纠纷适用本解释。",
        "第二条 当事人应当诚信。",
        "第三条 当事人可以提起诉讼。",
    ]
    assert numbered[-1] == "第六条 本解释自公布之日起施行。"
    assert "第五条 依照本解释第四条审查后，作出裁判。" in numbered


def test_an_article_moved_to_a_new_number_with_new_text():
    text = applied(
        SPC_TEXT,
        spc(
            "一、将第二条修改为第四条：“当事人可以依法提起诉讼。”\n\n二、原第三条作为第二条。\n\n三、原第四条作为第三条。"
        ),
    )
    numbered = [ln for ln in lines(text) if ln.startswith("第")]
    assert numbered == [
        "第一条 测试纠纷适用本解释。",
        "第二条 人民法院应当审查。",
        "第三条 依照本解释第二条审查后，作出裁判。",
        "第四条 当事人可以依法提起诉讼。",
        "第五条 本解释自公布之日起施行。",
    ]


def test_the_amended_text_named_by_its_short_title():
    text = applied(SPC_TEXT, spc("一、将《解释》原第二条修改为：“当事人可以依法提起诉讼。”", alias=True))
    assert article(text, "第二条") == ["第二条 当事人可以依法提起诉讼。"]


def test_unnumbered_single_instruction_applies():
    """An SPC decision whose one instruction has no number (it used to change nothing)."""
    text = applied(SPC_TEXT, spc("将第二条修改为：“当事人可以依法提起诉讼。”"))
    assert article(text, "第二条") == ["第二条 当事人可以依法提起诉讼。"]
    assert (
        f"2021年11月24日 最高人民法院审判委员会第2次会议通过的《最高人民法院关于修改〈{SPC_TITLE}〉的决定》修正"
        in lines(text)
    )


def test_provisions_no_longer_applied_are_marked_with_the_instrument():
    text = applied(SPC_TEXT, spc("一、第三条不再适用。"))
    assert article(text, "第三条") == [
        "第三条 人民法院应当审查。",
        f"（本条根据《最高人民法院关于修改〈{SPC_TITLE}〉的决定》不再适用。）",
    ]


# -- 宪法修正案 forms ------------------------------------------------------------------------------
def test_words_in_a_preamble_paragraph_then_the_whole_paragraph():
    text = applied(
        CONSTITUTION,
        constitution(
            "第一条 宪法序言第二自然段中“中国人民掌握了国家的权力”修改为“中国人民掌握了国家的权力，成为国家的主人”。\n\n"
            "第二条 宪法序言第一自然段“中国是世界上历史最悠久的国家之一。”修改为：“中国是历史悠久的国家。”"
        ),
    )
    assert "一九四九年以后，中国人民掌握了国家的权力，成为国家的主人。" in lines(text)
    assert "中国是历史悠久的国家。" in lines(text)


def test_this_paragraph_accordingly_replaced():
    text = applied(
        CONSTITUTION,
        constitution(
            "第一条 宪法序言第二自然段“国家的权力”修改为“国家权力”；这一自然段相应修改为：“一九四九年，中华人民共和国成立。”"
        ),
    )
    assert "一九四九年，中华人民共和国成立。" in lines(text)
    assert "一九四九年以后" not in text


def test_article_gains_a_provision_at_its_end():
    text = applied(CONSTITUTION, constitution("第一条 宪法第二条增加规定：“人民依照法律规定管理国家事务。”"))
    assert article(text, "第二条") == [
        "第二条 中华人民共和国的一切权力属于人民。",
        "人民依照法律规定管理国家事务。",
    ]


def test_chapter_heading_words_replaced():
    text = applied(
        CONSTITUTION, constitution("第一条 宪法第二章章名“公民的基本权利和义务”修改为“公民的权利和义务”。")
    )
    assert "第二章 公民的权利和义务" in lines(text)


def test_new_section_given_unquoted_is_payload_not_the_instruments_own_structure():
    inst = constitution(
        "第一条 宪法第三章“国家机构”中增加一节，作为第二节“监察委员会”；增加一条，作为第五条。内容如下：\n\n"
        "第二节 监察委员会\n\n第五条 监察委员会是国家的监察机关。\n\n"
        "第二条 宪法第三章第二节“人民法院”相应改为第三节；宪法第五条至第六条相应改为第六条至第七条。"
    )
    parsed, diags = instrument(inst)
    assert not diags and [p.num for p in parsed.provisions] == ["第一条", "第二条"]
    text = applied(CONSTITUTION, inst)
    assert lines(text)[lines(text).index("第二节 监察委员会") :][:5] == [
        "第二节 监察委员会",
        "第五条 监察委员会是国家的监察机关。",
        "第三节 人民法院",
        "第六条 人民法院是国家的审判机关。",
        "第七条 依照第六条设立的人民法院独立行使审判权。",
    ]


# -- never a silent no-op ----------------------------------------------------------------------
def test_instrument_that_changes_nothing_is_an_error():
    parsed, _ = instrument(spc("一、将第二条修改为：“当事人可以提起诉讼。”"))
    result = apply_instrument("old.txt", SPC_TEXT.encode(), parsed)
    assert not result.ok and [d.code for d in result.diagnostics] == ["F329"]


def test_instrument_for_another_text_is_an_error_naming_it():
    parsed, _ = instrument(spc("一、删除第二条。"))
    result = apply_instrument("old.txt", LAW.encode(), parsed)
    assert not result.ok and [d.code for d in result.diagnostics] == ["F328"]
    assert SPC_TITLE in result.diagnostics[0].message


def test_commencement_is_read_as_such_not_as_a_change():
    parsed, diags = instrument(spc("一、删除第二条。"))
    assert not diags and [c.text for c in parsed.closing] == ["本决定自2022年1月1日起施行。"]
    assert [op.kind.value for op in parsed.operations] == ["repeal"]


def test_articles_added_at_a_place_and_numbered_as_in_the_new_text():
    """在第X条后增加一条，作为第Y条 / 在第X条前增加一条, with the order adjusted: each new
    article where it is said to go, the others numbered after it, citations following."""
    text = applied(
        SPC_TEXT,
        spc(
            "一、在第一条后增加一条，作为第二条：“当事人应当诚信。”\n\n"
            "二、在第五条前增加一条，作为第六条：“本解释由最高人民法院负责解释。”\n\n"
            "三、条文顺序作相应调整。"
        ),
    )
    assert [ln for ln in lines(text) if ln.startswith("第")] == [
        "第一条 测试纠纷适用本解释。",
        "第二条 当事人应当诚信。",
        "第三条 当事人可以提起诉讼。",
        "第四条 人民法院应当审查。",
        "第五条 依照本解释第四条审查后，作出裁判。",
        "第六条 本解释由最高人民法院负责解释。",
        "第七条 本解释自公布之日起施行。",
    ]


def test_a_number_that_does_not_fit_the_place_is_an_error():
    parsed, _ = instrument(
        spc("一、在第一条后增加一条，作为第三条：“当事人应当诚信。”\n\n二、条文顺序作相应调整。")
    )
    result = apply_instrument("old.txt", SPC_TEXT.encode(), parsed)
    assert not result.ok and [d.code for d in result.diagnostics] == ["F322"]
    assert "第三条" in result.diagnostics[0].message


def test_annex_deleted():
    text = applied(SPC_TEXT + "\n附件\n\n测试目录\n", spc("一、删去附件。"))
    assert "测试目录" not in text and lines(text)[-1] == "第五条 本解释自公布之日起施行。"


def test_real_criminal_law_amendment_x_applies_its_preamble_instruction():
    """刑法修正案（十） (national sample), once applied as a silent no-op: its only instruction is
    in the preamble. Applied to the article as it stood before, it gives the 2020 text's article;
    applied to a text that records it already, it is F324 — never exit 0 with nothing changed."""
    from conftest import CORPUS, SHARED

    real = (SHARED / "corpus" / "national-sample" / "157.txt").read_text("utf-8")
    parsed, diags = instrument(real)
    assert not diags and [op.kind.value for op in parsed.operations] == ["substitute"]
    before = (
        "中华人民共和国刑法\n\n1997年3月14日 第八届全国人民代表大会第五次会议修订\n\n"
        "第二百九十九条 在公共场合，故意以焚烧、毁损、涂划、玷污、践踏等方式侮辱中华人民共和国国旗、国徽的，"
        "处三年以下有期徒刑、拘役、管制或者剥夺政治权利。\n\n第三百条 其他。\n"
    )
    result = apply_instrument("old.txt", before.encode(), parsed)
    assert result.ok, [d.format() for d in result.diagnostics]
    official = (CORPUS / "criminal-law-2020.txt").read_text("utf-8")
    assert article(result.text, "第二百九十九条") == article(official, "第二百九十九条")[:2]
    again = apply_instrument("criminal-law-2020.txt", official.encode(), parsed)
    assert not again.ok and [d.code for d in again.diagnostics] == ["F324"]


def test_a_place_named_without_its_di():
    """将三条修改为 (the drafter left out 第) reads as 将第三条修改为; 将一条 is never read so."""
    text = applied(SPC_TEXT, spc("将三条修改为：“当事人应当诚信。”"))
    assert article(text, "第三条") == ["第三条 当事人应当诚信。"]
    from fadian.amend.clauses import normalise_clause

    assert normalise_clause("将一条修改为")[0] == "将一条修改为"
    assert normalise_clause("删去二十一条")[0] == "删去第二十一条"


# -- texts without articles: a 批复 renamed and edited by paragraph ---------------------------------
PIFU = """最高人民法院关于测试问题的批复

（2010年1月4日最高人民法院审判委员会第1次会议通过）

某省高级人民法院：

你院关于测试问题的请示收悉。经研究，批复如下：

测试案件由基层人民法院管辖。

此复。
"""
PIFU_TITLE = "最高人民法院关于测试问题的批复"


def pifu_decision(body: str) -> str:
    return (
        f"最高人民法院关于修改《{PIFU_TITLE}》的决定\n\n2021年11月24日 最高人民法院审判委员会第2次会议通过\n\n"
        f"最高人民法院审判委员会第2次会议决定，对《{PIFU_TITLE}》作如下修改：\n\n{body}\n"
    )


def test_a_reply_renamed_and_a_paragraph_of_it_replaced():
    text = applied(
        PIFU,
        pifu_decision("一、将名称修改为：“最高人民法院关于测试案件管辖问题的批复”\n\n二、将正文第二段修改为：“测试案件由中级人民法院管辖。”"),
    )
    body = lines(text)
    assert body[0] == "最高人民法院关于测试案件管辖问题的批复"
    assert "测试案件由中级人民法院管辖。" in body and "测试案件由基层人民法院管辖。" not in body
    assert "某省高级人民法院：" in body  # the addressee is no paragraph of the reply: it stays
    assert body[-1] == "此复。"


def test_a_paragraph_the_reply_does_not_have_is_an_error():
    parsed, _diags = instrument(pifu_decision("一、将第九段修改为：“新的一段。”"))
    result = apply_instrument("old.txt", PIFU.encode(), parsed)
    assert not result.ok and any(d.code == "F322" for d in result.diagnostics)


# -- the Constitution's forms: words before and after, sentences of the preamble, 这一条 --------------
def test_words_written_before_and_after_words_of_an_article():
    text = applied(
        CONSTITUTION,
        constitution(
            "第一条　宪法第一条中“社会主义国家”前增写“人民民主的”。\n\n"
            "第二条　宪法第二条“属于人民”后增加“，人民行使国家权力”。"
        ),
    )
    assert article(text, "第一条") == ["第一条 中华人民共和国是人民民主的社会主义国家。"]
    assert article(text, "第二条") == ["第二条 中华人民共和国的一切权力属于人民，人民行使国家权力。"]


def test_a_new_first_paragraph_announced_with_guiding_words():
    text = applied(CONSTITUTION, constitution("第一条　宪法第五条增加一款，作为第一款，规定：“国家设立人民法院。”"))
    assert article(text, "第五条") == ["第五条 国家设立人民法院。", "人民法院是国家的审判机关。"]


def test_the_last_sentences_of_a_preamble_paragraph_replaced():
    text = applied(
        CONSTITUTION,
        constitution("第一条　宪法序言第二自然段后一句：“中国人民掌握了国家的权力。”修改为：“中国人民成为国家的主人。”"),
    )
    assert "一九四九年以后，中国人民成为国家的主人。" in lines(text)


def test_this_article_rewritten_after_its_words_changed():
    text = applied(
        CONSTITUTION,
        constitution(
            "第一条　宪法第三条“在法律面前一律平等”修改为“在法律面前人人平等”。"
            "这一条相应修改为：“中华人民共和国公民在法律面前一律平等。”"
        ),
    )
    assert article(text, "第三条") == ["第三条 中华人民共和国公民在法律面前一律平等。"]


def test_an_article_quoted_with_its_own_number_is_not_numbered_twice():
    text = applied(CONSTITUTION, constitution("第一条　将宪法第三条修改为：“第三条　公民在法律面前人人平等。”"))
    assert article(text, "第三条") == ["第三条 公民在法律面前人人平等。"]


def test_words_added_at_the_end_of_a_preamble_paragraph_and_of_an_article():
    text = applied(
        CONSTITUTION,
        constitution(
            "第一条　宪法序言第二自然段末尾增加：“中国人民成为国家的主人。”\n\n"
            "第二条　宪法第二条末尾增加：“人民依照法律规定管理国家事务。”"
        ),
    )
    assert "一九四九年以后，中国人民掌握了国家的权力。中国人民成为国家的主人。" in lines(text)
    assert article(text, "第二条") == ["第二条 中华人民共和国的一切权力属于人民。人民依照法律规定管理国家事务。"]


NOTICE = """某省人民政府关于测试工作的通知

各市人民政府：

为做好测试工作，现通知如下。

一、总体要求

测试工作要稳步推进。

二、主要任务

（一）完善测试制度。

三、保障措施

加强组织领导。
"""
NOTICE_TITLE = "某省人民政府关于测试工作的通知"


def notice_decision(body: str) -> str:
    return (
        f"某省人民政府关于修改《{NOTICE_TITLE}》的决定\n\n2022年3月1日 某省人民政府第5次常务会议通过\n\n"
        f"某省人民政府决定，对《{NOTICE_TITLE}》作如下修改：\n\n{body}\n"
    )


def test_the_heading_of_a_part_of_a_text_without_articles_replaced():
    """将第二部分标题修改为：“…”: with the part's number quoted, or without it (kept)."""
    text = applied(NOTICE, notice_decision("一、将第二部分标题修改为：“二、重点任务”\n\n二、将第三部分的标题修改为：“组织保障”"))
    body = lines(text)
    assert "二、重点任务" in body and "二、主要任务" not in body
    assert "三、组织保障" in body and "三、保障措施" not in body
    assert "一、总体要求" in body and "（一）完善测试制度。" in body  # the rest as it was


def test_a_part_the_text_does_not_have_is_an_error():
    parsed, _diags = instrument(notice_decision("一、将第五部分标题修改为：“五、新的标题”"))
    result = apply_instrument("old.txt", NOTICE.encode(), parsed)
    assert not result.ok and any(d.code == "F322" and "五、" in d.message for d in result.diagnostics)
