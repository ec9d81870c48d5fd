"""The clause grammar of amendment instructions: one clause of a provision (its quotations taken
out) → the operations it orders.

The grammar is a table of clause forms, tried in order: each a pattern, the builder of its
operations (fadian.amend.clauses) and an instruction written in that form. A clause no form
reads is reported by the instrument reader with its line, never skipped. The examples are the
reference's list of forms (docs/reference/amendment-forms.md), and a test checks that each is
read by its own row, so no earlier row shadows a later one.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from fadian.amend.clauses import (
    COLON,
    QUOTED,
    Builder,
    ClauseState,
    N,
    add_words_after,
    add_words_before,
    announce_para,
    append,
    append_words,
    commence,
    delete_words,
    insert_article,
    insert_articles,
    insert_numbered,
    insert_section,
    insert_sub_articles,
    insertion,
    join,
    loc,
    move,
    normalise_clause,
    note,
    para_moved_and_changed,
    paras,
    part_heading,
    point_words,
    preamble,
    preamble_words,
    qref,
    rename_division,
    renumber,
    renumber_division,
    renumber_list,
    renumber_range,
    repeal,
    repeal_annex,
    replace_in_places,
    replace_more_words,
    replace_paragraphs,
    replace_words,
    retitle,
    suspend,
    with_target,
)
from fadian.amend.model import QUOTE_MARK, Operation, OpKind


class ClauseForm(NamedTuple):
    """One row of the grammar: a clause pattern (quotations as marks), what builds its
    operations, and an instruction in that form as printed (its quotations in “”, a new
    paragraph inside one as a line break)."""

    pattern: str
    build: Builder
    example: str


# a location in the amended text, or a 款/项 of the article in context
_WHERE = rf"(?:{loc()}|该条|第(?P<ck>{N})款(?:第[（(]?(?P<ci>{N})[）)]?项)?)"
_PLACES = rf"(?P<more>(?:(?:和|、)(?:{loc('m')}|第{N}款))*)"
_ARTICLES = rf"{QUOTED}调整为{QUOTED}[，、 ]*"
_RENUMBERED = (
    r"^(?:将?(?:《[^《》]+》|本法|本解释)?的?条文顺序作相应调整|相应调整条文顺序|对条文(?:序号|顺序)作相应调整"
    r"|条文(?:序号|顺序)作相应调整|(?:其他)?条文(?:序号|顺序)相应调整)$"
)
# The grammar, tried in order (compiled on first use, not when fadian is imported).
CLAUSE_FORMS: list[ClauseForm] = [
    ClauseForm(
        rf"^将?(?:《[^《》]+》|本法|本解释)?的?条文顺序作相应调整{COLON}(?P<pairs>(?:{_ARTICLES})+)$",
        renumber_list,
        "条文顺序作相应调整：“第五条”调整为“第六条”，“第六条”调整为“第七条”",
    ),
    ClauseForm(
        _RENUMBERED,
        renumber,
        "条文顺序作相应调整",
    ),
    ClauseForm(
        rf"^第(?P<ch>{N})章第(?P<f>{N})节(?:{QUOTED})?相应改为第(?P<t>{N})节$",
        renumber_division,
        "第三章第二节相应改为第三节",
    ),
    ClauseForm(
        rf"^{loc('f')}至{loc('t')}相应改为{loc('g')}至{loc('h')}$",
        renumber_range,
        "第十条至第二十条相应改为第十一条至第二十一条",
    ),
    ClauseForm(
        rf"^在{loc()}中增加(?:一|{N})款作为第(?P<n>{N})款(?:、第{N}款)*$",
        announce_para,
        "在第五条中增加一款作为第二款",
    ),
    # old number → new number (and text): 将第二条修改为第六条：“…”, 原第四条作为第五条
    ClauseForm(
        rf"^将?{loc()}(?:修改为|改为|作为)第(?P<n>{N})条(?:(?:[，,]?修改为)?{COLON}{qref('q')})?$",
        move,
        "将第二条修改为第六条",
    ),
    ClauseForm(
        rf"^第(?P<f>{N})款作为第(?P<t>{N})款[，,]?修改为{COLON}{qref('q')}$",
        para_moved_and_changed,
        "第三款作为第四款，修改为：“新的第四款。”",
    ),
    ClauseForm(
        rf"^将?{loc()}、第(?P<k2>{N})款修改为{COLON}{qref('q')}$",
        paras,
        "将第三百五十条第一款、第二款修改为：“新的两款。”",
    ),
    ClauseForm(
        rf"^将?{_WHERE}修改为{COLON}{qref('q')}$",
        with_target(OpKind.SUBSTITUTE),
        "将第十条修改为：“第十条　新的条文。”",
    ),
    ClauseForm(
        rf"^将?(?:引言|序言)修改为{COLON}{qref('q')}$",
        preamble,
        "将序言修改为：“新的序言。”",
    ),
    ClauseForm(
        rf"^(?:将)?序言第(?P<pp>{N})自然段修改为{COLON}{qref('q')}$",
        preamble,
        "序言第七自然段修改为：“新的自然段。”",
    ),
    # a text without articles (a 批复, a 通知) edited by paragraph and by name
    ClauseForm(
        rf"^将?(?:正文)?第(?P<pp>{N})段修改为{COLON}{qref('q')}$",
        preamble,
        "将正文第二段修改为：“新的一段。”",
    ),
    ClauseForm(
        rf"^将?(?:名称|标题)修改为{COLON}{qref('q')}$",
        retitle,
        "将名称修改为：“新的名称”",
    ),
    ClauseForm(
        rf"^将?第(?P<pp>{N})部分的?标题修改为{COLON}{qref('q')}$",
        part_heading,
        "将第一部分标题修改为：“一、新的标题”",
    ),
    ClauseForm(
        rf"^(?:这一|该)条相应地?修改为{COLON}{qref('q')}$",
        with_target(OpKind.SUBSTITUTE),
        "这一条相应修改为：“新的条文。”",
    ),
    ClauseForm(
        rf"^(?P<this>这一|该)自然段相应地?修改为{COLON}{qref('q')}$",
        preamble,
        "这一自然段相应修改为：“新的自然段。”",
    ),
    ClauseForm(
        rf"^(?:将)?序言第(?P<pp>{N})自然段(?:第{N}句|[前后]{N}句|最后一句)?(?:中的?|{COLON})?{qref('q')}修改为{COLON}{qref('r')}$",
        preamble_words,
        "宪法序言第七自然段中“旧的词语”修改为“新的词语”",
    ),
    ClauseForm(
        rf"^(?:将)?(?:序言第(?P<pp>{N})自然段|{_WHERE})的?(?:末尾|最后)增加{COLON}{qref('q')}$",
        append_words,
        "宪法序言第十自然段末尾增加：“新的一句。”",
    ),
    ClauseForm(
        rf"^第(?P<ch>{N})章章名{qref('q')}修改为{COLON}{qref('r')}$",
        rename_division,
        "第四章章名“国旗、国徽、首都”修改为“国旗、国歌、国徽、首都”",
    ),
    ClauseForm(
        rf"^在?{loc()}后增加一条{COLON}[，,]?作为第(?P<n>{N})条之(?P<ns>{N}){COLON}{qref('q')}$",
        insert_article,
        "在第十条后增加一条，作为第十条之一：“第十条之一　新的条文。”",
    ),
    ClauseForm(
        rf"^在?{loc()}后增加(?P<count>{N})条[，,]?(?:分别)?作为(?P<subs>第{N}条之{N}(?:、第{N}条之{N})*){COLON}{qref('q')}$",
        insert_sub_articles,
        "在第十条后增加两条，分别作为第十条之一、第十条之二：“第十条之一　甲。\n第十条之二　乙。”",
    ),
    ClauseForm(
        rf"^增加一条[，,]?作为第(?P<n>{N})条{COLON}{qref('q')}$",
        insert_numbered,
        "增加一条，作为第十一条：“第十一条　新的条文。”",
    ),
    ClauseForm(
        rf"^在?{loc()}(?P<side>后|前)增加一条[，,]?作为第(?P<n>{N})条{COLON}{qref('q')}$",
        insert_numbered,
        "在第十条后增加一条，作为第十一条：“第十一条　新的条文。”",
    ),
    ClauseForm(
        rf"^增加(?:(?P<count>{N})条[，,]?分别作为第(?P<from>{N})条至第(?P<to>{N})条(?:[。，]?内容如下)?"
        rf"|一条[，,]?作为第(?P<one>{N})条[。，]?内容如下){COLON}{qref('q')}?$",
        insert_articles,
        "增加两条，分别作为第十一条至第十二条：“第十一条　甲。第十二条　乙。”",
    ),
    ClauseForm(
        rf"^(?:在{loc()}中)?增加(?:一|{N})款[，,]?作为第(?P<n>{N})款(?:、第{N}款)*(?:规定)?{COLON}{qref('q')}$",
        insertion(OpKind.INSERT_PARA),
        "在第十条中增加一款，作为第二款：“新的一款。”",
    ),
    ClauseForm(
        rf"^(?:在{_WHERE}中)?增加一项[，,]?作为第(?P<n>{N})项(?:规定)?{COLON}{qref('q')}$",
        insertion(OpKind.INSERT_POINT),
        "在第十条第一款中增加一项，作为第三项：“（三）新的一项；”",
    ),
    ClauseForm(
        rf"^{loc()}增加一项[，,]?作为第(?P<n>{N})项(?:规定)?{COLON}{qref('q')}$",
        insertion(OpKind.INSERT_POINT),
        "第十条第一款增加一项，作为第三项：“（三）新的一项；”",
    ),
    ClauseForm(
        rf"^在?(?:第{N}章(?:{QUOTED})?中)?增加一节[，,]?作为第(?P<n>{N})节(?:{qref('t')})?(?:{COLON}{qref('q')})?$",
        insert_section,
        "在第二章中增加一节，作为第三节：“第三节　新的一节”",
    ),
    ClauseForm(
        rf"^{_WHERE}开始部分增加规定{COLON}{qref('q')}$",
        with_target(OpKind.PREPEND),
        "第十条开始部分增加规定：“新的开头。”",
    ),
    ClauseForm(
        rf"^{_WHERE}增加规定{COLON}{qref('q')}$",
        append,
        "第十一条增加规定：“新的一款。”",
    ),
    ClauseForm(
        rf"^{_WHERE}条首部分修改为{COLON}{qref('q')}$",
        with_target(OpKind.REPLACE_LEAD),
        "第十条条首部分修改为：“新的条首。”",
    ),
    ClauseForm(
        rf"^将{loc()}和{loc('o')}合并修改为{COLON}{qref('q')}$",
        join,
        "将第十条和第十一条合并修改为：“第十条　合并后的条文。”",
    ),
    ClauseForm(
        rf"^(?:删去|删除){loc()}{_PLACES}$",
        repeal,
        "删去第十条",
    ),
    ClauseForm(
        rf"^(?:删去|删除)(?:本[\u4e00-\u9fff]{{1,3}}的?)?(?:附件|附录|附表)(?P<n>{N})?$",
        repeal_annex,
        "删去附件二",
    ),
    ClauseForm(
        rf"^(?:删去|删除)第(?P<ck>{N})款{_PLACES}$",
        repeal,
        "删去第二款",
    ),
    ClauseForm(
        rf"^(?:删去|删除){_WHERE}(?:中|末尾|开始部分)?(?:规定)?的{qref('q')}"
        rf"(?P<more>(?:和(?:第{N}条)?(?:第{N}款)?(?:中|末尾|开始部分)?(?:规定)?的{QUOTED})*)$",
        delete_words,
        "删去第十条中的“有关”",
    ),
    ClauseForm(
        rf"^{loc()}[^第{QUOTE_MARK}]{{1,30}}?第(?P<i2>{N})项{qref('q')}修改为{COLON}{qref('r')}$",
        point_words,
        "第六十七条全国人民代表大会常务委员会职权第二十项“旧的词语”修改为“新的词语”",
    ),
    # 宪法第十条第三款“旧的条文”修改为：“新的条文”
    ClauseForm(
        rf"^{_WHERE}(?:中的?)?{qref('q')}修改为{COLON}{qref('r')}$",
        replace_words,
        "第十条第三款“旧的条文”修改为：“新的条文”",
    ),
    ClauseForm(
        rf"^{loc()}(?P<olds>(?:{QUOTED}){{2,}})修改为{COLON}(?P<news>(?:{QUOTED})+)$",
        replace_paragraphs,
        "第十三条“旧的一款”“旧的二款”修改为：“新的一款”“新的二款”“新的三款”",
    ),
    ClauseForm(
        rf"^将?{qref('q')}修改为{COLON}{qref('r')}$",
        replace_more_words,
        "将“旧的词语”修改为“新的词语”",
    ),
    ClauseForm(
        rf"^(?:在)?(?:{_WHERE}(?:中的?)?)?{qref('q')}之?后增(?:加|写){COLON}{qref('r')}$",
        add_words_after,
        "第十条“旧的词语”后增加“新的词语”",
    ),
    ClauseForm(
        rf"^(?:在)?(?:{_WHERE}(?:中的?)?)?{qref('q')}之?前增(?:加|写){COLON}{qref('r')}$",
        add_words_before,
        "在第十条中“旧的词语”前增写“新的词语”",
    ),
    ClauseForm(
        rf"^将(?P<places>(?:名称|标题|第{N}条)(?:、(?:名称|标题|第{N}条))+)中的{qref('q')}修改为{COLON}{qref('r')}$",
        replace_in_places,
        "将名称、第一条、第三条中的“侵犯”修改为“侵害”",
    ),
    # 宪法第十四条增加一款，作为第四款：“…”
    ClauseForm(
        rf"^{loc()}增加(?:一|{N})款[，,]?作为第(?P<n>{N})款(?:、第{N}款)*(?:[，,]?规定)?{COLON}{qref('q')}$",
        insertion(OpKind.INSERT_PARA, needs_target=False),
        "宪法第五条增加一款，作为第一款，规定：“新的一款。”",
    ),
    ClauseForm(
        rf"^第(?P<f>{N})(?:款|项)相应地?(?:改为|作为)第(?P<t>{N})(?:款|项)$",
        note,
        "第三款相应地改为第四款",
    ),
    ClauseForm(
        rf"^第(?P<f>{N})(?:款|项)(?:改为|作为)第(?P<t>{N})(?:款|项)$",
        note,
        "原第三项改为第四项",
    ),
    ClauseForm(
        rf"^将{_WHERE}(?:中|末尾)?的{qref('q')}[，,]?修改为{qref('r')}$",
        replace_words,
        "将第十条中的“旧的词语”，修改为“新的词语”",
    ),
    ClauseForm(
        rf"^{loc()}{_PLACES}(?:的规定)?(?:不再适用|停止执行|停止适用)$",
        suspend,
        "第十条、第十一条不再适用",
    ),
    ClauseForm(
        r"^本(?:修正案|决定|规定|解释|法)自.+?(?:起)?(?:施行|生效)$",
        commence,
        "本决定自公布之日起施行",
    ),
    ClauseForm(
        r"^.*(?:作相应修改|调整条文顺序).*(?:重新公布|重新发布)$|^.*(?:重新公布|重新发布)$",
        note,
        "本法根据本决定作相应修改，重新公布",
    ),
]
SPLIT_RE = re.compile(
    r"[。，,；;]同时[，,]?|[；;]并?|[，,]并(?=将|删去|删除|在|增加)|。(?=.)|[，,](?=将|删去|删除|增加一|原第)"
    r"|[，,](?=在[^，。；]{0,20}?第)"  # …，在刑法第二百九十九条中增加一款
    r"|[，,](?=\ue000\d+\ue000(?:修改为|之后增加|之前增加))"  # “A”修改为“B”，“C”之后增加“D”
    r"|(?<=\d\ue000)(?=第|将|删去|删除|在|增加|原)"  # a quotation closed, a new instruction right after it
)
INTRODUCTIONS = re.compile(r".*(?:内容如下|作如下(?:补充)?修改|修改如下)[：:]?$")


@functools.cache
def clause_patterns() -> list[tuple[re.Pattern, Builder]]:
    """The grammar's patterns, compiled, in order."""
    return [(re.compile(form.pattern), form.build) for form in CLAUSE_FORMS]


def read_clause(clause: str, state: ClauseState) -> list[Operation] | None:
    """The operations of one clause (its quotations taken out), or None when no pattern of the
    grammar reads it."""
    normalised, named = normalise_clause(clause)
    state.work = named[0] if named else ""
    for regex, build in clause_patterns():
        m = regex.match(normalised)
        if m is not None:
            return build(m, state)
    return None
