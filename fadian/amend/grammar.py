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

from fadian.amend.model import QUOTE_MARK, Instrument, Operation, Provision, Quote, Target
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
CLAUSES: list[tuple[str, re.Pattern]] = [
    (
        "renumber_list",
        re.compile(
            rf"^将?(?:《[^《》]+》|本法|本解释)?的?条文顺序作相应调整{_COLON}"
            rf"(?P<pairs>(?:{QUOTE_MARK}\d+{QUOTE_MARK}调整为{QUOTE_MARK}\d+{QUOTE_MARK}[，、 ]*)+)$"
        ),
    ),
    (
        "renumber",
        re.compile(
            r"^(?:将?(?:《[^《》]+》|本法|本解释)?的?条文顺序作相应调整|相应调整条文顺序|对条文(?:序号|顺序)作相应调整"
            r"|条文(?:序号|顺序)作相应调整|(?:其他)?条文(?:序号|顺序)相应调整)$"
        ),
    ),
    (
        "renumber_division",
        re.compile(rf"^第(?P<ch>{N})章第(?P<f>{N})节(?:{QUOTE_MARK}\d+{QUOTE_MARK})?相应改为第(?P<t>{N})节$"),
    ),
    ("renumber_range", re.compile(rf"^{loc('f')}至{loc('t')}相应改为{loc('g')}至{loc('h')}$")),
    ("insert_para_then_substitute", re.compile(rf"^在{loc()}中增加一款作为第(?P<n>{N})款$")),
    ("substitute", re.compile(rf"^将?{_WHERE}修改为{_COLON}{qref('q')}$")),
    (
        "insert_article",
        re.compile(rf"^在{loc()}后增加一条{_COLON}[，,]?作为第(?P<n>{N})条之(?P<ns>{N}){_COLON}{qref('q')}$"),
    ),
    (
        "insert_articles",
        re.compile(
            rf"^增加(?P<count>{N})条[，,]?分别作为第(?P<from>{N})条至第(?P<to>{N})条(?:[。，]?内容如下)?{_COLON}{qref('q')}?$"
        ),
    ),
    (
        "insert_para",
        re.compile(rf"^(?:在{loc()}中)?增加一款[，,]?作为第(?P<n>{N})款(?:规定)?{_COLON}{qref('q')}$"),
    ),
    (
        "insert_point",
        re.compile(rf"^(?:在{_WHERE}中)?增加一项[，,]?作为第(?P<n>{N})项(?:规定)?{_COLON}{qref('q')}$"),
    ),
    (
        "insert_section",
        re.compile(
            rf"^在?(?:第{N}章(?:{QUOTE_MARK}\d+{QUOTE_MARK})?中)?增加一节[，,]?作为第(?P<n>{N})节(?:{qref('t')})?(?:{_COLON}{qref('q')})?$"
        ),
    ),
    ("prepend", re.compile(rf"^{_WHERE}开始部分增加规定{_COLON}{qref('q')}$")),
    ("replace_lead", re.compile(rf"^{_WHERE}条首部分修改为{_COLON}{qref('q')}$")),
    ("join", re.compile(rf"^将{loc()}和{loc('o')}合并修改为{_COLON}{qref('q')}$")),
    ("repeal", re.compile(rf"^删去{loc()}(?P<more>(?:(?:和|、){loc('m')})*)$")),
    (
        "delete_words",
        re.compile(
            rf"^删去{_WHERE}(?:中|末尾|开始部分)?(?:规定)?的{qref('q')}"
            rf"(?P<more>(?:和(?:第{N}条)?(?:第{N}款)?(?:中|末尾|开始部分)?(?:规定)?的{QUOTE_MARK}\d+{QUOTE_MARK})*)$"
        ),
    ),
    ("replace_quoted", re.compile(rf"^{_WHERE}(?:中的?)?{qref('q')}修改为{_COLON}{qref('r')}$")),
    ("insert_para_at", re.compile(rf"^{loc()}增加一款[，,]?作为第(?P<n>{N})款(?:规定)?{_COLON}{qref('q')}$")),
    ("renumber_paras", re.compile(rf"^第(?P<f>{N})款相应地?改为第(?P<t>{N})款$")),
    ("replace_words", re.compile(rf"^将{_WHERE}(?:中|末尾)?的{qref('q')}[，,]?修改为{qref('r')}$")),
    ("commence", re.compile(r"^本(?:修正案|决定|法)自.+(?:起)?施行$")),
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
    context: Target | None = None
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
        ops = _read_clause(clause, quotes, prov.lines[0].number, col0 + offset, context)
        if ops is None:
            shown = re.sub(
                f"{QUOTE_MARK}(\\d+){QUOTE_MARK}",
                lambda q: "“" + quotes[int(q.group(1))].paragraphs[0][:12] + "…”",
                clause,
            )
            r.error(
                "F320", f"instruction not understood: {shown[:80]!r}", prov.lines[0].number, col0 + offset
            )
            continue
        op = ops[0]
        if op.target is not None:
            context = Target(op.target.article, op.target.sub, op.target.para)
        if op.kind == "insert_para_then_substitute":
            context = Target(op.target.article, op.target.sub) if op.target else context
            op.kind = "insert_para_marker"
        prov.operations.extend(ops)
    # 在第X条中增加一款作为第Y款，将该条修改为“…”: one substitution of the whole article
    marker = [op for op in prov.operations if op.kind == "insert_para_marker"]
    if marker:
        prov.operations = [op for op in prov.operations if op.kind != "insert_para_marker"]
        for op in prov.operations:
            if op.kind == "substitute" and op.target and op.target.para is None:
                op.new_number = marker[0].new_number


def _quoted(quotes: list[Quote], m: re.Match, name: str) -> list[str]:
    index = m.group(name) if name in m.re.groupindex else None
    return list(quotes[int(index)].paragraphs) if index is not None else []


def _read_clause(
    clause: str, quotes: list[Quote], line: int, col: int, context: Target | None
) -> list[Operation] | None:
    """The operations of one clause, or None when no pattern reads it."""
    for kind, regex in CLAUSES:
        m = regex.match(clause)
        if m is None:
            continue
        plain = ("renumber", "renumber_list", "renumber_division", "commence", "renumber_paras")
        target = _target(m, "", context) if kind not in plain else None
        if kind in ("insert_articles", "insert_section"):
            target = None
        op = Operation(kind, target, line, col, quoted=_quoted(quotes, m, "q"))
        ops = [op]
        needs_target = (
            "substitute",
            "prepend",
            "replace_lead",
            "insert_point",
            "insert_para",
            "delete_words",
        )
        if kind in needs_target and target is None:
            return None
        if kind in ("insert_para_then_substitute", "insert_para", "insert_point", "insert_section"):
            op.new_number = cn_to_int(m.group("n"))
            if kind == "insert_section" and m.group("t") is not None:
                op.new_words = quotes[int(m.group("t"))].paragraphs[0]
        elif kind == "insert_article":
            op.new_number = cn_to_int(m.group("ns"))
        elif kind == "insert_articles":
            op.kind = "insert_section_articles"
            op.mapping = [(cn_to_int(m.group("from")), cn_to_int(m.group("to")))]
        elif kind == "join":
            op.others = [Target(cn_to_int(m.group("oa")), cn_to_int(m.group("os")) if m.group("os") else 0)]
        elif kind == "repeal":
            op.others = [Target(cn_to_int(a)) for a in re.findall(rf"第({N})条", m.group("more") or "")]
        elif kind == "delete_words":
            op.old_words, op.quoted = quotes[int(m.group("q"))].paragraphs[0], []
            within = Target(target.article, target.sub) if target else None
            for extra in _MORE_WORDS_RE.finditer(m.group("more") or ""):
                other = _target(extra, "x", within)
                if other is None:
                    return None
                words = quotes[int(extra.group("xq"))].paragraphs[0]
                ops.append(Operation("delete_words", other, line, col, old_words=words))
        elif kind == "replace_quoted":  # 宪法第十条第三款“旧的条文”修改为：“新的条文”
            op.kind = "replace_words"
            op.old_words = quotes[int(m.group("q"))].paragraphs[0]
            op.new_words = quotes[int(m.group("r"))].paragraphs[0]
            op.quoted = []
        elif kind == "insert_para_at":  # 宪法第十四条增加一款，作为第四款：“…”
            op.kind = "insert_para"
            op.new_number = cn_to_int(m.group("n"))
        elif kind == "renumber_paras":  # 第三款相应地改为第四款: 款 carry no printed number
            op.kind = "commence"
            return ops
        elif kind == "replace_words":
            op.old_words = quotes[int(m.group("q"))].paragraphs[0]
            op.new_words = quotes[int(m.group("r"))].paragraphs[0]
            op.quoted = []
        elif kind == "renumber_list":
            op.kind = "renumber"
            ids = [int(x) for x in re.findall(f"{QUOTE_MARK}(\\d+){QUOTE_MARK}", m.group("pairs"))]
            for a, b in zip(ids[::2], ids[1::2], strict=False):
                old = re.fullmatch(rf"第({N})条", quotes[a].paragraphs[0])
                new = re.fullmatch(rf"第({N})条", quotes[b].paragraphs[0])
                if old is None or new is None:
                    return None
                op.mapping.append((cn_to_int(old.group(1)), cn_to_int(new.group(1))))
        elif kind == "renumber_division":
            op.new_number = cn_to_int(m.group("ch"))
            op.mapping = [(cn_to_int(m.group("f")), cn_to_int(m.group("t")))]
        elif kind == "renumber_range":
            op.kind = "renumber"
            f, t, g = (cn_to_int(m.group(x + "a")) for x in ("f", "t", "g"))
            op.mapping = [(old, g + (old - f)) for old in range(f, t + 1)]
        return ops
    return None


_MORE_WORDS_RE = re.compile(
    rf"和(?:{loc('x')}|第(?P<xck>{N})款)(?:中|末尾|开始部分)?(?:规定)?的{QUOTE_MARK}(?P<xq>\d+){QUOTE_MARK}"
)
