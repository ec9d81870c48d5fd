"""Amendment instruments (修正案, 关于修改…的决定) → instructions as data.

Pure: source lines in, an :class:`Instrument` and diagnostics out. Each numbered provision
(一、… or 第N条 in a 宪法修正案) is read as one or more :class:`Operation` values: what is
changed (a :class:`Target`: article, 款, 项, or words inside them), how (the AKN textualMod
types: substitution, insertion, repeal, renumbering, join) and the quoted new text. Quoted
provisions are the instrument's payload, never its own structure.

The grammar is a list of small clause patterns, tried in order on each clause of a provision
after its quotations have been taken out; a clause no pattern reads is an error at its line,
never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fadian.amend.model import QUOTE_MARK, Instrument, Operation, OpKind, Provision, Quote, Target
from fadian.amend.reader import InstrumentReader, take_quotes
from fadian.diagnostics import Diagnostic
from fadian.read.numerals import cn_to_int
from fadian.read.sources import SourceLine

N = "[零〇一二三四五六七八九十百千0-9]+"
PROVISION_RE = re.compile(rf"^(?:(?P<cn>[一二三四五六七八九十百]+)、|(?P<art>第(?P<artn>{N})条)[ \u3000]*)")
TITLE_WORK_RE = (
    re.compile(r"^(?P<work>.+?)修正案(?:[（(][^（）()]+[）)])?$"),
    re.compile(r"关于修改《(?P<work>[^《》]+)》(?:等[^的]*)?的决定$"),
)
INSTRUMENT_TITLE_RE = re.compile(r"修正案(?:[（(][^（）()]+[）)])?$|关于修改《[^《》]+》.*的决定$")
_LOC = (
    rf"第(?P<{{p}}a>{N})条(?:之(?P<{{p}}s>{N}))?(?:第(?P<{{p}}k>{N})款)?(?:第[（(]?(?P<{{p}}i>{N})[）)]?项)?"
)
_QREF = QUOTE_MARK + r"(?P<{p}>\d+)" + QUOTE_MARK
# the amended work named before a provision: 刑法第X条, 《中华人民共和国刑事诉讼法》第X条, 测试法第X条
_WORK_PREFIX = re.compile(
    r"(将|在|删去|对|[、和，,；;。]|^)"
    r"(?:《[^《》]+》|该法|本法|本解释|本决定|[\u4e00-\u9fff]{0,14}?(?:法|条例|规定|解释|办法))(?=第)"
)


def loc(prefix: str = "") -> str:
    return _LOC.format(p=prefix)


def qref(name: str) -> str:
    return _QREF.format(p=name)


TARGET_RE = re.compile(
    rf"(?:(?:刑法|宪法)(?=第))?第(?P<a>{N})条(?:之(?P<s>{N}))?(?:第(?P<k>{N})款)?(?:第[（(]?(?P<i>{N})[）)]?项)?"
)


def target_of(m: re.Match) -> Target:
    return _target(m)  # type: ignore[return-value]


def is_instrument_title(title: str) -> bool:
    return bool(INSTRUMENT_TITLE_RE.search("".join(title.split())))


def amended_work(title: str) -> str | None:
    """中华人民共和国刑法修正案（十二） → 中华人民共和国刑法; 关于修改《X》的决定 → X."""
    squashed = "".join(title.split())
    for regex in TITLE_WORK_RE:
        m = regex.search(squashed)
        if m:
            return m.group("work")
    return None


def _target(m: re.Match, prefix: str = "", context: Target | None = None) -> Target | None:
    """The Target a clause names: its own 第X条…, or a 款/项 of the article in ``context``."""

    def group(name: str) -> str | None:
        return m.group(name) if name in m.re.groupindex else None

    a, s = group(prefix + "a"), group(prefix + "s")
    k, i = group(prefix + "k") or group(prefix + "ck"), group(prefix + "i") or group(prefix + "ci")
    if a:
        return Target(
            cn_to_int(a), cn_to_int(s) if s else 0, cn_to_int(k) if k else None, cn_to_int(i) if i else None
        )
    if context is None:
        return None
    return Target(
        context.article,
        context.sub,
        cn_to_int(k) if k else (context.para if i else None),
        cn_to_int(i) if i else None,
    )


# a location in the amended text, or a 款/项 of the article in context
_WHERE = rf"(?:{loc()}|该条|第(?P<ck>{N})款(?:第[（(]?(?P<ci>{N})[）)]?项)?)"
_COLON = "[：:]?"


@dataclass
class ClauseState:
    """What the clauses of one provision share while they are read: its quotations, where the
    clause is, the provision last named (该条 and a bare 第二款 refer to it), and the 款 an
    instruction announced for the whole-article substitution that follows it."""

    quotes: list[Quote]
    line: int
    col: int = 1
    context: Target | None = None
    new_para: int | None = None

    def quoted(self, m: re.Match, name: str = "q") -> list[str]:
        index = m.group(name) if name in m.re.groupindex else None
        return list(self.quotes[int(index)].paragraphs) if index is not None else []

    def words(self, m: re.Match, name: str) -> str:
        return self.quotes[int(m.group(name))].paragraphs[0]

    def op(self, kind: OpKind, target: Target | None, **fields) -> Operation:
        return Operation(kind, target, self.line, self.col, **fields)

    def target(self, m: re.Match) -> Target | None:
        return _target(m, "", self.context)


Builder = Callable[[re.Match, ClauseState], "list[Operation] | None"]


def _with_target(kind: OpKind) -> Builder:
    """An instruction on the provision it names (or the one in context): its quoted text."""

    def build(m: re.Match, c: ClauseState) -> list[Operation] | None:
        target = c.target(m)
        return None if target is None else [c.op(kind, target, quoted=c.quoted(m))]

    return build


def _insertion(kind: OpKind, needs_target: bool = True) -> Builder:
    """增加一款/一项，作为第N款/项: the number it takes."""

    def build(m: re.Match, c: ClauseState) -> list[Operation] | None:
        target = c.target(m)
        if target is None and needs_target:
            return None
        return [c.op(kind, target, quoted=c.quoted(m), new_number=cn_to_int(m.group("n")))]

    return build


def _announce_para(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """在第X条中增加一款作为第N款 (then 将该条修改为“…”): one substitution of the article."""
    target = c.target(m)
    if target is not None:
        c.context = Target(target.article, target.sub)
    if c.new_para is None:
        c.new_para = cn_to_int(m.group("n"))
    return []


def _renumber_list(m: re.Match, c: ClauseState) -> list[Operation] | None:
    op = c.op(OpKind.RENUMBER, None)
    ids = [int(x) for x in re.findall(f"{QUOTE_MARK}(\\d+){QUOTE_MARK}", m.group("pairs"))]
    for a, b in zip(ids[::2], ids[1::2], strict=False):
        old = re.fullmatch(rf"第({N})条", c.quotes[a].paragraphs[0])
        new = re.fullmatch(rf"第({N})条", c.quotes[b].paragraphs[0])
        if old is None or new is None:
            return None
        op.mapping.append((cn_to_int(old.group(1)), cn_to_int(new.group(1))))
    return [op]


def _renumber_division(m: re.Match, c: ClauseState) -> list[Operation] | None:
    mapping = [(cn_to_int(m.group("f")), cn_to_int(m.group("t")))]
    return [c.op(OpKind.RENUMBER_DIVISION, None, new_number=cn_to_int(m.group("ch")), mapping=mapping)]


def _renumber_range(m: re.Match, c: ClauseState) -> list[Operation] | None:
    f, t, g = (cn_to_int(m.group(x + "a")) for x in ("f", "t", "g"))
    mapping = [(old, g + (old - f)) for old in range(f, t + 1)]
    return [c.op(OpKind.RENUMBER, c.target(m), mapping=mapping)]


def _insert_article(m: re.Match, c: ClauseState) -> list[Operation] | None:
    return [c.op(OpKind.INSERT_ARTICLE, c.target(m), quoted=c.quoted(m), new_number=cn_to_int(m.group("ns")))]


def _insert_articles(m: re.Match, c: ClauseState) -> list[Operation] | None:
    mapping = [(cn_to_int(m.group("from")), cn_to_int(m.group("to")))]
    return [c.op(OpKind.INSERT_ARTICLES, None, quoted=c.quoted(m), mapping=mapping)]


def _insert_section(m: re.Match, c: ClauseState) -> list[Operation] | None:
    op = c.op(OpKind.INSERT_SECTION, None, quoted=c.quoted(m), new_number=cn_to_int(m.group("n")))
    if m.group("t") is not None:
        op.new_words = c.words(m, "t")
    return [op]


def _join(m: re.Match, c: ClauseState) -> list[Operation] | None:
    other = Target(cn_to_int(m.group("oa")), cn_to_int(m.group("os")) if m.group("os") else 0)
    return [c.op(OpKind.JOIN, c.target(m), quoted=c.quoted(m), others=[other])]


def _repeal(m: re.Match, c: ClauseState) -> list[Operation] | None:
    others = [Target(cn_to_int(a)) for a in re.findall(rf"第({N})条", m.group("more") or "")]
    return [c.op(OpKind.REPEAL, c.target(m), others=others)]


def _delete_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
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


def _replace_words(m: re.Match, c: ClauseState) -> list[Operation] | None:
    return [c.op(OpKind.REPLACE_WORDS, c.target(m), old_words=c.words(m, "q"), new_words=c.words(m, "r"))]


def _commence(m: re.Match, c: ClauseState) -> list[Operation] | None:
    """本修正案自…施行; 第三款相应地改为第四款 (款 carry no printed number): nothing to change."""
    return [c.op(OpKind.COMMENCE, None)]


def _renumber(m: re.Match, c: ClauseState) -> list[Operation] | None:
    return [c.op(OpKind.RENUMBER, None)]


_MORE_WORDS_RE = re.compile(
    rf"和(?:{loc('x')}|第(?P<xck>{N})款)(?:中|末尾|开始部分)?(?:规定)?的{QUOTE_MARK}(?P<xq>\d+){QUOTE_MARK}"
)
_ARTICLES = rf"{QUOTE_MARK}\d+{QUOTE_MARK}调整为{QUOTE_MARK}\d+{QUOTE_MARK}[，、 ]*"
# The grammar: each clause pattern, tried in order, with what builds its operations.
CLAUSES: list[tuple[re.Pattern, Builder]] = [
    (
        re.compile(
            rf"^将?(?:《[^《》]+》|本法|本解释)?的?条文顺序作相应调整{_COLON}(?P<pairs>(?:{_ARTICLES})+)$"
        ),
        _renumber_list,
    ),
    (
        re.compile(
            r"^(?:将?(?:《[^《》]+》|本法|本解释)?的?条文顺序作相应调整|相应调整条文顺序|对条文(?:序号|顺序)作相应调整"
            r"|条文(?:序号|顺序)作相应调整|(?:其他)?条文(?:序号|顺序)相应调整)$"
        ),
        _renumber,
    ),
    (
        re.compile(rf"^第(?P<ch>{N})章第(?P<f>{N})节(?:{QUOTE_MARK}\d+{QUOTE_MARK})?相应改为第(?P<t>{N})节$"),
        _renumber_division,
    ),
    (re.compile(rf"^{loc('f')}至{loc('t')}相应改为{loc('g')}至{loc('h')}$"), _renumber_range),
    (re.compile(rf"^在{loc()}中增加一款作为第(?P<n>{N})款$"), _announce_para),
    (re.compile(rf"^将?{_WHERE}修改为{_COLON}{qref('q')}$"), _with_target(OpKind.SUBSTITUTE)),
    (
        re.compile(rf"^在{loc()}后增加一条{_COLON}[，,]?作为第(?P<n>{N})条之(?P<ns>{N}){_COLON}{qref('q')}$"),
        _insert_article,
    ),
    (
        re.compile(
            rf"^增加(?P<count>{N})条[，,]?分别作为第(?P<from>{N})条至第(?P<to>{N})条(?:[。，]?内容如下)?{_COLON}{qref('q')}?$"
        ),
        _insert_articles,
    ),
    (
        re.compile(rf"^(?:在{loc()}中)?增加一款[，,]?作为第(?P<n>{N})款(?:规定)?{_COLON}{qref('q')}$"),
        _insertion(OpKind.INSERT_PARA),
    ),
    (
        re.compile(rf"^(?:在{_WHERE}中)?增加一项[，,]?作为第(?P<n>{N})项(?:规定)?{_COLON}{qref('q')}$"),
        _insertion(OpKind.INSERT_POINT),
    ),
    (
        re.compile(
            rf"^在?(?:第{N}章(?:{QUOTE_MARK}\d+{QUOTE_MARK})?中)?增加一节[，,]?作为第(?P<n>{N})节(?:{qref('t')})?(?:{_COLON}{qref('q')})?$"
        ),
        _insert_section,
    ),
    (re.compile(rf"^{_WHERE}开始部分增加规定{_COLON}{qref('q')}$"), _with_target(OpKind.PREPEND)),
    (re.compile(rf"^{_WHERE}条首部分修改为{_COLON}{qref('q')}$"), _with_target(OpKind.REPLACE_LEAD)),
    (re.compile(rf"^将{loc()}和{loc('o')}合并修改为{_COLON}{qref('q')}$"), _join),
    (re.compile(rf"^删去{loc()}(?P<more>(?:(?:和|、){loc('m')})*)$"), _repeal),
    (
        re.compile(
            rf"^删去{_WHERE}(?:中|末尾|开始部分)?(?:规定)?的{qref('q')}"
            rf"(?P<more>(?:和(?:第{N}条)?(?:第{N}款)?(?:中|末尾|开始部分)?(?:规定)?的{QUOTE_MARK}\d+{QUOTE_MARK})*)$"
        ),
        _delete_words,
    ),
    # 宪法第十条第三款“旧的条文”修改为：“新的条文”
    (re.compile(rf"^{_WHERE}(?:中的?)?{qref('q')}修改为{_COLON}{qref('r')}$"), _replace_words),
    # 宪法第十四条增加一款，作为第四款：“…”
    (
        re.compile(rf"^{loc()}增加一款[，,]?作为第(?P<n>{N})款(?:规定)?{_COLON}{qref('q')}$"),
        _insertion(OpKind.INSERT_PARA, needs_target=False),
    ),
    (re.compile(rf"^第(?P<f>{N})款相应地?改为第(?P<t>{N})款$"), _commence),
    (re.compile(rf"^将{_WHERE}(?:中|末尾)?的{qref('q')}[，,]?修改为{qref('r')}$"), _replace_words),
    (re.compile(r"^本(?:修正案|决定|法)自.+(?:起)?施行$"), _commence),
]
_SPLIT_RE = re.compile(
    r"[。，,；;]同时[，,]?|[；;]并?|[，,]并(?=将|删去|在|增加)|。(?=.)|[，,](?=将|删去|在第|增加一)"
    r"|(?<=\d\ue000)(?=第|将|删去|在|增加)"  # a quotation closed, a new instruction right after it
)


def parse_instrument(
    source: list[SourceLine], path: str = "<text>", *, strict: bool = True
) -> tuple[Instrument, list[Diagnostic]]:
    """Read an instrument's lines (front matter removed) into provisions and operations.

    ``strict`` (a document declared ``type: amendment``, or ``fadian apply``): an instruction
    that is not understood is error F320. Otherwise (a text recognised as an instrument only by
    its title, as ``fadian convert`` and ``sweep`` read a collection) it is warning F326 and the
    provision is kept as text."""
    r = InstrumentReader(path, strict)
    lines = [SourceLine(ln.number, ln.text.strip(" \t\u3000")) for ln in source if ln.text.strip(" \t\u3000")]
    title = lines[0].text if lines else ""
    inst = Instrument(title=title, work=amended_work(title) or "")
    k = 1
    date_re = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")
    while k < len(lines) and not PROVISION_RE.match(lines[k].text):
        m = date_re.match(lines[k].text)
        if m and not inst.adopted:
            inst.adopted = lines[k].text
            inst.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        inst.preamble.append(lines[k])
        k += 1
    work_in_preamble = re.search(r"对《(?P<w>[^《》]+)》", "".join(ln.text for ln in inst.preamble))
    if not inst.work and work_in_preamble:
        inst.work = work_in_preamble.group("w")
    while k < len(lines):
        m = PROVISION_RE.match(lines[k].text)
        if not m:
            inst.closing.append(lines[k])
            k += 1
            continue
        start = k
        clause_text, quotes, k, unclosed = take_quotes(r, lines, k)
        if unclosed:
            r.error("F321", "quotation mark “ is never closed", unclosed[0], unclosed[1])
        value = cn_to_int(m.group("cn") or m.group("artn"))
        num = m.group(0).strip(" \u3000")
        prov = Provision(num, value, lines[start].number, 1, lines[start].text, lines[start:k])
        body = clause_text[m.end() :]
        prov.template, prov.quotes = body, quotes
        _read_clauses(r, prov, body, quotes, m.end() + 1)
        inst.provisions.append(prov)
    return inst, r.diagnostics


def _read_clauses(r: InstrumentReader, prov: Provision, body: str, quotes: list[Quote], col0: int) -> None:
    body = _WORK_PREFIX.sub(r"\1", body).replace("。内容如下", "内容如下")
    state = ClauseState(quotes, prov.lines[0].number)
    pos = 0
    clauses = []
    for m in _SPLIT_RE.finditer(body):
        clauses.append((body[pos : m.start()], pos))
        pos = m.end()
    clauses.append((body[pos:], pos))
    for raw, offset in clauses:
        clause = raw.strip(" \u3000，,。；;")
        if not clause:
            continue
        if clause.endswith(("内容如下", "作如下修改")) or re.fullmatch(r".*作如下修改[：:]?", clause):
            continue
        state.col = col0 + offset
        ops = read_clause(clause, state)
        if ops is None:
            shown = re.sub(
                f"{QUOTE_MARK}(\\d+){QUOTE_MARK}",
                lambda q: "“" + quotes[int(q.group(1))].paragraphs[0][:12] + "…”",
                clause,
            )
            r.error("F320", f"instruction not understood: {shown[:80]!r}", state.line, state.col)
            continue
        if ops and ops[0].target is not None:
            t = ops[0].target
            state.context = Target(t.article, t.sub, t.para)
        prov.operations.extend(ops)
    if state.new_para is not None:  # 在第X条中增加一款作为第Y款，将该条修改为“…”
        for op in prov.operations:
            if op.kind is OpKind.SUBSTITUTE and op.target and op.target.para is None:
                op.new_number = state.new_para


def read_clause(clause: str, state: ClauseState) -> list[Operation] | None:
    """The operations of one clause (its quotations taken out), or None when no pattern of the
    grammar reads it."""
    for regex, build in CLAUSES:
        m = regex.match(clause)
        if m is not None:
            return build(m, state)
    return None
