"""What the clause forms of amendment instructions build: the places an instruction names
(第X条第Y款第（Z）项, 该条, 序言第N自然段) and, for each form, a builder that turns its match into
typed :class:`~fadian.amend.model.Operation` values, or None when the match does not make sense
(a 款 of no article). The forms themselves, in the order they are tried, are the table in
:mod:`fadian.amend.clause_forms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fadian.amend.model import ANNEX, PART, PREAMBLE, QUOTE_MARK, TITLE, Operation, OpKind, Quote, Target
from fadian.read.numerals import cn_to_int
from fadian.read.patterns import ARTICLE_RE

N = "[零〇一二两三四五六七八九十百千0-9]+"
_LOC = (
    rf"第(?P<{{p}}a>{N})条(?:之(?P<{{p}}s>{N}))?(?:第(?P<{{p}}k>{N})款)?(?:第[（(]?(?P<{{p}}i>{N})[）)]?项)?"
)
_QREF = QUOTE_MARK + r"(?P<{p}>\d+)" + QUOTE_MARK
QUOTED = rf"{QUOTE_MARK}\d+{QUOTE_MARK}"
COLON = "[：:]?"
# the amended work named before a place in it: 刑法第X条, 《中华人民共和国刑事诉讼法》第X条,
# 《解释》原第X条 (原: the numbering before the change), 修改后《解释》第X条
_WORK_PREFIX = re.compile(
    r"(?P<lead>将|在|删去|删除|对|作为|改为|修改为|[、和，,；;。]|^)"
    r"(?:修改后)?(?P<work>《(?:[^《》]|《[^《》]*》)+》|该法|本法|本解释|本决定|宪法|刑法"
    r"|[\u4e00-\u9fff]{0,14}?(?:法|条例|规定|解释|办法))?原?(?=第)"
)


def loc(prefix: str = "") -> str:
    return _LOC.format(p=prefix)


def qref(name: str) -> str:
    return _QREF.format(p=name)


TARGET_RE = re.compile(
    rf"(?:(?:刑法|宪法)(?=第))?第(?P<a>{N})条(?:之(?P<s>{N}))?(?:第(?P<k>{N})款)?(?:第[（(]?(?P<i>{N})[）)]?项)?"
)


def number(text: str) -> int:
    """A printed number: 一百二十, 两, 12."""
    return cn_to_int(text.replace("两", "二"))


def target_of(m: re.Match) -> Target:
    out = _target(m)
    assert out is not None
    return out


def _target(m: re.Match, prefix: str = "", context: Target | None = None) -> Target | None:
    """The Target a clause names: its own 第X条…, or a 款/项 of the article in ``context``."""

    def group(name: str) -> str | None:
        return m.group(name) if name in m.re.groupindex else None

    a, s = group(prefix + "a"), group(prefix + "s")
    k, i = group(prefix + "k") or group(prefix + "ck"), group(prefix + "i") or group(prefix + "ci")
    if a:
        return Target(number(a), number(s) if s else 0, number(k) if k else None, number(i) if i else None)
    if context is None:
        return None
    return Target(
        context.article,
        context.sub,
        number(k) if k else (context.para if i else None),
        number(i) if i else None,
    )


def normalise_clause(clause: str) -> tuple[str, list[str]]:
    """The clause without the names of the amended work before the places it cites (刑法第X条 →
    第X条, 《解释》原第六条 → 第六条), and the 《titles》 it named (for a decision whose
    instructions each name the text they amend)."""
    named: list[str] = []

    def strip(m: re.Match) -> str:
        work = m.group("work")
        if work and work.startswith("《"):
            named.append(work[1:-1])
        return m.group("lead")

    clause = re.sub(r"^此外[，,]?|^宪法(?=序言)", "", clause)
    clause = _MISSING_DI.sub(r"\1第", clause)  # 将十一条修改为 (a 第 the drafter left out)
    return _WORK_PREFIX.sub(strip, clause), named


# a place named without its 第 right after the verb: 将十一条, 删去二十条; never 将一条 (one article)
_MISSING_DI = re.compile(r"^(将|在|删去|删除)(?=[二三四五六七八九十][零〇一二三四五六七八九十百]*条)")


@dataclass
class ClauseState:
    """What the clauses of one provision share while they are read: its quotations, where the
    clause is, the provision last named (该条, 这一自然段 and a bare 第二款 refer to it), and the
    款 an instruction announced for the whole-article substitution that follows it."""

    quotes: list[Quote]
    line: int
    col: int = 1
    context: Target | None = None
    new_para: int | None = None
    work: str = ""  # the text the current clause names, if any

    def quoted(self, m: re.Match, name: str = "q") -> list[str]:
        index = m.group(name) if name in m.re.groupindex else None
        return list(self.quotes[int(index)].paragraphs) if index is not None else []

    def words(self, m: re.Match, name: str) -> str:
        return "\n".join(self.quotes[int(m.group(name))].paragraphs)

    def op(self, kind: OpKind, target: Target | None, **fields) -> Operation:
        return Operation(kind, target, self.line, self.col, work=self.work, **fields)

    def target(self, m: re.Match) -> Target | None:
        return _target(m, "", self.context)


Builder = Callable[[re.Match, ClauseState], "list[Operation] | None"]


def with_target(kind: OpKind) -> Builder:
    """An instruction on the provision it names (or the one in context): its quoted text."""

    def build(m: re.Match, c: ClauseState) -> list[Operation] | None:
        target = c.target(m)
        return None if target is None else [c.op(kind, target, quoted=c.quoted(m))]

    return build


def insertion(kind: OpKind, needs_target: bool = True) -> Builder:
    """增加一款/一项（两款…），作为第N款/项: the number the (first) new one takes."""

    def build(m: re.Match, c: ClauseState) -> list[Operation] | None:
        target = c.target(m)
        if target is None and needs_target:
            return None
        return [c.op(kind, target, quoted=c.quoted(m), new_number=number(m.group("n")))]

    return build


def announce_para(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """在第X条中增加一款作为第N款 (then 将该条修改为“…”): one substitution of the article."""
    target = c.target(m)
    if target is not None:
        c.context = Target(target.article, target.sub)
    if c.new_para is None:
        c.new_para = number(m.group("n"))
    return []


def renumber_list(m: re.Match, c: ClauseState) -> list[Operation] | None:
    op = c.op(OpKind.RENUMBER, None)
    ids = [int(x) for x in re.findall(f"{QUOTE_MARK}(\\d+){QUOTE_MARK}", m.group("pairs"))]
    for a, b in zip(ids[::2], ids[1::2], strict=False):
        old = re.fullmatch(rf"第({N})条", c.quotes[a].paragraphs[0])
        new = re.fullmatch(rf"第({N})条", c.quotes[b].paragraphs[0])
        if old is None or new is None:
            return None
        op.mapping.append((number(old.group(1)), number(new.group(1))))
    return [op]


def renumber_division(m: re.Match, c: ClauseState) -> list[Operation] | None:
    mapping = [(number(m.group("f")), number(m.group("t")))]
    return [c.op(OpKind.RENUMBER_DIVISION, None, new_number=number(m.group("ch")), mapping=mapping)]


def renumber_range(m: re.Match, c: ClauseState) -> list[Operation] | None:
    f, t, g = (number(m.group(x + "a")) for x in ("f", "t", "g"))
    mapping = [(old, g + (old - f)) for old in range(f, t + 1)]
    return [c.op(OpKind.RENUMBER, c.target(m), mapping=mapping)]


def insert_article(m: re.Match, c: ClauseState) -> list[Operation] | None:
    return [c.op(OpKind.INSERT_ARTICLE, c.target(m), quoted=c.quoted(m), new_number=number(m.group("ns")))]


def insert_sub_articles(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """在第X条后增加五条，作为第X条之二、…之六：“第X条之二 …” — one insertion per article,
    each with its own text (the quotation holds them all, each under its number)."""
    base = c.target(m)
    if base is None:
        return None
    wanted = [number(s) for s in re.findall(rf"之({N})", m.group("subs"))]
    articles: list[tuple[int, list[str]]] = []
    for line in c.quoted(m):
        head = ARTICLE_RE.match(line)
        if head and head.group("sub"):
            rest = line[head.end() :].lstrip(" \u3000")
            articles.append((number(head.group("sub")), [rest]))
        elif articles:
            articles[-1][1].append(line)
        else:
            return None
    if [sub for sub, _lines in articles] != wanted:
        return None
    return [c.op(OpKind.INSERT_ARTICLE, base, quoted=lines, new_number=sub) for sub, lines in articles]


def insert_articles(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """增加N条，分别作为第X条至第Y条(。内容如下)：“…” (or 增加一条，作为第X条。内容如下：): whole
    articles, perhaps under a new 节's heading, numbered as printed."""
    first = m.group("from") or m.group("one")
    mapping = [(number(first), number(m.group("to") or first))]
    return [c.op(OpKind.INSERT_ARTICLES, None, quoted=c.quoted(m), mapping=mapping)]


def insert_numbered(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """增加一条(，)作为第N条：“…”: a new article numbered as in the new text; 在第X条后(前)增加一
    条，作为第N条: placed after (before) an article of the old text as well."""
    target = c.target(m) if "a" in m.groupdict() and m.group("a") else None
    op = c.op(OpKind.INSERT_NUMBERED, target, quoted=c.quoted(m), new_number=number(m.group("n")))
    op.before = m.groupdict().get("side") == "前"
    return [op]


def move(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """将第二条修改为第六条(：“…”), 原第四条作为第五条: an article of the old text takes a new
    number (and, when quoted, a new text)."""
    target = c.target(m)
    if target is None:
        return None
    return [c.op(OpKind.MOVE, target, quoted=c.quoted(m), new_number=number(m.group("n")))]


def insert_section(m: re.Match, c: ClauseState) -> list[Operation] | None:
    op = c.op(OpKind.INSERT_SECTION, None, quoted=c.quoted(m), new_number=number(m.group("n")))
    if m.group("t") is not None:
        op.new_words = c.words(m, "t")
    return [op]


def join(m: re.Match, c: ClauseState) -> list[Operation] | None:
    other = Target(number(m.group("oa")), number(m.group("os")) if m.group("os") else 0)
    return [c.op(OpKind.JOIN, c.target(m), quoted=c.quoted(m), others=[other])]


def repeal(m: re.Match, c: ClauseState) -> list[Operation] | None:
    target = c.target(m)
    if target is None:
        return None
    others = [_target(x, "m", target) for x in _MORE_PLACES.finditer(m.group("more") or "")]
    if any(o is None for o in others):
        return None
    return [c.op(OpKind.REPEAL, target, others=[o for o in others if o is not None])]


def repeal_annex(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """删去附件 (附录, 附表): what the text prints after its last article."""
    n = m.group("n")
    return [c.op(OpKind.REPEAL, Target(ANNEX, 0, number(n) if n else None))]


def suspend(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """…第X条(、第Y条)不再适用 / 停止执行: the provisions stay, marked as no longer applied."""
    target = c.target(m)
    if target is None:
        return None
    others = [_target(x, "m", target) for x in _MORE_PLACES.finditer(m.group("more") or "")]
    return [c.op(OpKind.SUSPEND, target, others=[o for o in others if o is not None])]


def delete_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    target = c.target(m)
    if target is None:
        return None
    ops = [c.op(OpKind.DELETE_WORDS, target, old_words=c.words(m, "q"))]
    within = Target(target.article, target.sub)
    for extra in _MORE_WORDS_RE.finditer(m.group("more") or ""):
        other = _target(extra, "x", within)
        if other is None:
            return None
        ops.append(c.op(OpKind.DELETE_WORDS, other, old_words=c.words(extra, "xq")))
    return ops


def replace_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    target = c.target(m)
    return [c.op(OpKind.REPLACE_WORDS, target, old_words=c.words(m, "q"), new_words=c.words(m, "r"))]


def replace_more_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """“A”修改为“B” after another such change: in the same place (the one in context), or
    anywhere in the text when no place was named."""
    return [c.op(OpKind.REPLACE_WORDS, c.context, old_words=c.words(m, "q"), new_words=c.words(m, "r"))]


def add_words_after(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """(第X条)“A”(之)后增加“B”: B written after A, in the place named or in context."""
    old = c.words(m, "q")
    return [c.op(OpKind.REPLACE_WORDS, c.target(m), old_words=old, new_words=old + c.words(m, "r"))]


def append_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """宪法序言第十自然段末尾增加：“…” (or 第X条第Y款末尾增加): words written at the end of the
    place named (an empty “A” replaced: apply writes them after its last line)."""
    pp = m.group("pp")
    target = Target(PREAMBLE, 0, number(pp)) if pp else c.target(m)
    if target is None:
        return None
    c.context = target
    return [c.op(OpKind.REPLACE_WORDS, target, old_words="", new_words=c.words(m, "q"))]


def add_words_before(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """(在)(第X条中)“A”前增写“B”: B written before A, in the place named or in context."""
    old = c.words(m, "q")
    return [c.op(OpKind.REPLACE_WORDS, c.target(m), old_words=old, new_words=c.words(m, "r") + old)]


def replace_paragraphs(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """宪法第十三条“A”“B”修改为：“C”“D”“E”: the 款 quoted replaced by the 款 quoted after."""
    target = c.target(m)
    if target is None:
        return None
    old = [
        c.quotes[int(x)].paragraphs[0] for x in re.findall(rf"{QUOTE_MARK}(\d+){QUOTE_MARK}", m.group("olds"))
    ]
    new = [
        c.quotes[int(x)].paragraphs[0] for x in re.findall(rf"{QUOTE_MARK}(\d+){QUOTE_MARK}", m.group("news"))
    ]
    return [c.op(OpKind.REPLACE_WORDS, target, old_words="\n".join(old), new_words="\n".join(new))]


def replace_in_places(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """将名称、第一条、第三条中的“侵犯”修改为“侵害”: the same words changed in each place (the
    title as 名称)."""
    places = []
    for name in re.split("、", m.group("places")):
        if name in ("名称", "标题", "题目"):
            places.append(Target(TITLE))
            continue
        at = re.fullmatch(loc(), name)
        if at is None:
            return None
        places.append(_target(at))
    old, new = c.words(m, "q"), c.words(m, "r")
    return [c.op(OpKind.REPLACE_WORDS, t, old_words=old, new_words=new) for t in places]


def point_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """宪法第六十七条全国人民代表大会常务委员会职权第二十项“…”修改为“…”: words of a 项 of an
    article named by its place in a list."""
    target = c.target(m)
    if target is None:
        return None
    point = Target(target.article, target.sub, target.para, number(m.group("i2")))
    return [c.op(OpKind.REPLACE_WORDS, point, old_words=c.words(m, "q"), new_words=c.words(m, "r"))]


def paras(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """将第三百五十条第一款、第二款修改为：“…”: a run of 款 replaced by the quotation."""
    target = c.target(m)
    if target is None or target.para is None:
        return None
    run = Target(target.article, target.sub, target.para, para_to=number(m.group("k2")))
    return [c.op(OpKind.SUBSTITUTE, run, quoted=c.quoted(m))]


def preamble_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """宪法序言第七自然段(第二句)中“A”修改为“B”."""
    target = Target(PREAMBLE, 0, number(m.group("pp")))
    c.context = target
    return [c.op(OpKind.REPLACE_WORDS, target, old_words=c.words(m, "q"), new_words=c.words(m, "r"))]


def preamble(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """将引言修改为：“…” / 序言第N自然段修改为 / 这一自然段相应修改为：“…”."""
    pp = m.group("pp") if "pp" in m.re.groupindex else None
    if pp:
        target = Target(PREAMBLE, 0, number(pp))
    elif "this" in m.re.groupindex and m.group("this"):
        if c.context is None or c.context.article != PREAMBLE:
            return None
        target = c.context
    else:
        target = Target(PREAMBLE)
    return [c.op(OpKind.SUBSTITUTE, target, quoted=c.quoted(m))]


def retitle(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """将名称修改为：“…”: the text's title, as a 批复 or 通知 is renamed."""
    return [c.op(OpKind.SUBSTITUTE, Target(TITLE), quoted=c.quoted(m))]


def part_heading(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """将第一部分标题修改为：“…”: the heading of a part (一、…) of a text without articles."""
    return [c.op(OpKind.SUBSTITUTE, Target(PART, 0, number(m.group("pp"))), quoted=c.quoted(m))]


def rename_division(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """宪法第四章章名“国旗、国徽、首都”修改为“国旗、国歌、国徽、首都”."""
    return [
        c.op(
            OpKind.RENAME_DIVISION,
            None,
            new_number=number(m.group("ch")),
            old_words=c.words(m, "q"),
            new_words=c.words(m, "r"),
        )
    ]


def append(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """宪法第十一条增加规定：“…”: a new 款 at the end of the article."""
    target = c.target(m)
    return None if target is None else [c.op(OpKind.APPEND, target, quoted=c.quoted(m))]


def note(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """原第三项改为第四项, 第三款相应地改为第四款, …重新公布: what follows from the instructions
    before it (款 and 项 renumber with an insertion), nothing to change by itself."""
    return [c.op(OpKind.NOTE, None)]


def para_moved_and_changed(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """原第三款作为第四款，修改为：“…”: the 款 now at that place (after the insertion before
    it) replaced."""
    if c.context is None:
        return None
    target = Target(c.context.article, c.context.sub, number(m.group("t")))
    return [c.op(OpKind.SUBSTITUTE, target, quoted=c.quoted(m))]


def commence(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """本修正案自…施行: the instrument's commencement, nothing to change in the text."""
    return [c.op(OpKind.COMMENCE, None)]


def renumber(m: re.Match, c: ClauseState) -> list[Operation] | None:
    return [c.op(OpKind.RENUMBER, None)]


_MORE_WORDS_RE = re.compile(
    rf"和(?:{loc('x')}|第(?P<xck>{N})款)(?:中|末尾|开始部分)?(?:规定)?的{QUOTE_MARK}(?P<xq>\d+){QUOTE_MARK}"
)
_MORE_PLACES = re.compile(rf"(?:和|、)(?:{loc('m')}|第(?P<mck>{N})款)")
