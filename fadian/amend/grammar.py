"""Amendment instruments (修正案, 关于修改…的决定) → instructions as data.

Pure: source lines in, an :class:`Instrument` and diagnostics out. The instrument's structure is
read here — its title (the work it amends), its header and preamble (which may hold an
instruction of its own: 刑法修正案（十）), its numbered provisions (一、, or 第N条 in a
宪法修正案), the sections of a decision that amends several texts (一、修改《…》 with items
1. … under it), a provision's further lines, and its closing (本决定自…起施行, …重新公布);
each clause of a provision is read by the clause grammar (amend/clauses). Quoted provisions —
and provisions given unquoted after an instruction that ends with a colon — are the
instrument's payload, never its own structure. Nothing is skipped: a clause no pattern reads is
an error at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fadian.amend.clause_forms import INTRODUCTIONS, SPLIT_RE, read_clause
from fadian.amend.clauses import TARGET_RE, ClauseState, number, target_of
from fadian.amend.model import QUOTE_MARK, Instrument, OpKind, Provision, Quote, Section, Target
from fadian.amend.reader import InstrumentReader, Statement, take_quotes
from fadian.diagnostics import Diagnostic
from fadian.read.sources import SourceLine

__all__ = ["TARGET_RE", "amended_work", "is_instrument_title", "parse_instrument", "target_of"]

N = "[零〇一二两三四五六七八九十百千0-9]+"
TITLE_WORK_RE = (
    re.compile(r"^(?P<work>.+?)修正案(?:[（(][^（）()]+[）)])?$"),
    re.compile(r"关于修改《(?P<work>(?:[^《》]|《[^《》]*》)+)》(?:等[^的]*)?的决定$"),
)
INSTRUMENT_TITLE_RE = re.compile(r"修正案(?:[（(][^（）()]+[）)])?$|关于修改《.+》.*的决定$")
_NUMBERED = re.compile(
    rf"^(?:(?P<cn>[一二三四五六七八九十百零〇]+)、|第(?P<art>{N})条(?=[ \u3000]|$)[ \u3000]*"
    rf"|(?P<ar>[0-9]{{1,3}})[.．](?![0-9])|[（(](?P<pa>[一二三四五六七八九十百零〇]+)[）)])"
)
_SECTION = re.compile(
    r"^(?:修改|对)?《(?P<w>(?:[^《》]|《[^《》]*》)+)》(?:作出?如下修改|作出修改|的修改)?[：:]?$"
)
_ALIAS = re.compile(r"《(?P<w>(?:[^《》]|《[^《》]*》)+)》[^《》]{0,40}?以下简称《(?P<a>[^《》]+)》")
# a sentence that introduces the instructions (作如下修改：), not the text an instruction gives
_ORDERS = re.compile(r"(?:作如下(?:补充)?修改|修改如下|决定如下)[：:]$")
_RENUMBERS = re.compile(r"条文顺序|调整条文")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日")
_COMMENCEMENT = re.compile(r"^本(?:修正案|决定|规定|解释)自")
# what a provision says first: an instruction (将…, 在…, 删去…, 修改《…》, 第X条…), not a quoted list item
_INSTRUCTION = re.compile(
    rf"^(?:.{{0,12}}?(?:将|在|删去|删除|增加|修改《|对《|原第)|.{{0,16}}(?:第{N}(?:条|章|节|款|项|自然段)|序言|章名)"
    rf"|本(?:修正案|决定)自|条文)"
)


def is_instrument_title(title: str) -> bool:
    return bool(INSTRUMENT_TITLE_RE.search("".join(title.split())))


def amended_work(title: str) -> str | None:
    """中华人民共和国刑法修正案（十二） → 中华人民共和国刑法; 关于修改《X》的决定 → X (a decision
    that amends several texts names the first in its title)."""
    squashed = "".join(title.split())
    for regex in TITLE_WORK_RE:
        m = regex.search(squashed)
        if m:
            return m.group("work").replace("〈", "《").replace("〉", "》")
    return None


@dataclass
class _Numbering:
    """Which numbered lines are provisions: the top level's style (一、 or 第N条) and, inside a
    section of a decision that amends several texts, its items' (1. or （一）); each continues
    its sequence (第一百二十三条 after 第五十二条 is the payload of an instruction, not one)."""

    top: str = ""
    item: str = ""
    last: dict | None = None

    def __post_init__(self) -> None:
        self.last = {}

    def match(self, text: str) -> tuple[str, int, re.Match] | None:
        m = _NUMBERED.match(text)
        if m is None:
            return None
        style = next(k for k in ("cn", "art", "ar", "pa") if m.group(k))
        value = number(m.group(style))
        return style, value, m

    def starts(self, text: str) -> tuple[str, int, re.Match] | None:
        """The numbered line that starts the next provision (or section), or None: before the
        first provision any numbered line; then the next number of the top level's style, or of
        the items' style inside a section."""
        found = self.match(text)
        if found is None:
            return None
        style, value, _m = found
        if not self.top:
            return found
        if style in (self.top, self.item) and self.follows(style, value):
            return found
        return None

    def follows(self, style: str, value: int) -> bool:
        assert self.last is not None
        last = self.last.get(style)
        return value == 1 if last is None and style != self.top else last is None or value == last + 1

    def take(self, style: str, value: int) -> None:
        assert self.last is not None
        if not self.top:
            self.top = style
        self.last[style] = value


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
    inst = Instrument(title=lines[0].text if lines else "", work=amended_work(lines[0].text) if lines else "")
    inst.work = inst.work or ""
    numbering = _Numbering()
    k = _read_header(inst, lines)
    k = _read_preamble(r, inst, lines, k, numbering)
    section: Section | None = None
    while k < len(lines):
        found = numbering.starts(lines[k].text)
        if found is None:  # an unnumbered instruction (a section's one item), or the closing
            k = _read_closing(r, inst, lines, k, numbering, section)
            continue
        style, value, m = found
        numbering.take(style, value)
        statement = _statement(r, lines, k, numbering)
        body = statement.text[m.end() :]
        heading = _SECTION.match(re.sub(f"{QUOTE_MARK}\\d+{QUOTE_MARK}", "", body))
        if style == numbering.top and heading is not None:  # 一、修改《…》: the items under it amend it
            section = Section(m.group(0).strip(), _alias(inst, heading.group("w")), lines[k].number)
            inst.sections.append(section)
            numbering.item = ""
            numbering.last = {numbering.top: value}
            k = statement.next
            if k < len(lines) and (item := numbering.match(lines[k].text)) and item[0] != numbering.top:
                numbering.item = item[0]
            continue
        prov = Provision(m.group(0).strip(" \u3000"), value, lines[k].number, 1, lines[k].text)
        prov.lines = lines[k : statement.next]
        if section is not None and style != numbering.top:
            prov.work, prov.section = section.work, section.num
        elif section is not None:  # a top-level provision after the sections
            section = None
        _read_provision(r, inst, prov, statement, body, m.end() + 1)
        inst.provisions.append(prov)
        k = statement.next
    if not inst.work and inst.sections:
        inst.work = inst.sections[0].work
    inst.renumbers = any(_RENUMBERS.search(ln.text) for ln in inst.closing)
    return inst, r.diagnostics


def _read_header(inst: Instrument, lines: list[SourceLine]) -> int:
    """The dated lines under the title: when and by whom it was adopted."""
    k = 1
    adopted: list[str] = []
    while k < len(lines) and _DATE.match(lines[k].text):
        text = lines[k].text
        m = _DATE.match(text)
        assert m is not None
        if (re.search("通过|会议$", text) and not re.search("公布|施行", text)) or m.end() == len(text):
            adopted.append(text)
            inst.date = inst.date or f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        inst.preamble.append(lines[k])
        k += 1
    inst.adopted = "、".join(" ".join(a.split()) for a in adopted)
    return k


def _read_preamble(
    r: InstrumentReader, inst: Instrument, lines: list[SourceLine], k: int, numbering: _Numbering
) -> int:
    """The lines before the first provision: the work it amends (对《…》作如下修改), the short
    names it defines (以下简称《解释》), and an instruction given there (刑法修正案（十）)."""
    while k < len(lines) and numbering.starts(lines[k].text) is None:
        start = k
        statement = _statement(r, lines, k, numbering)
        text = "".join(ln.text for ln in lines[start : statement.next])
        named = re.search(r"对《(?P<w>(?:[^《》]|《[^《》]*》)+)》", text)
        if named and (not inst.work or named.group("w").endswith(inst.work)):
            inst.work = named.group("w")
        for alias in _ALIAS.finditer(text):
            inst.aliases[alias.group("a")] = alias.group("w")
        prov = _preamble_instruction(r, inst, lines, start, statement)
        if prov is not None:
            inst.provisions.append(prov)
        elif inst.provisions and _closes(statement):  # 本修正案自…施行 after that instruction
            inst.closing.extend(lines[start : statement.next])
        else:
            inst.preamble.extend(lines[start : statement.next])
        k = statement.next
    return k


def _preamble_instruction(
    r: InstrumentReader, inst: Instrument, lines: list[SourceLine], start: int, statement: Statement
) -> Provision | None:
    """A preamble sentence whose last clauses are instructions (为了…，在刑法第二百九十九条中增加
    一款作为第二款，将该条修改为：“…”): a provision of its own, the clauses before kept as
    its words."""
    clauses = _clauses(statement.text)
    for k, (clause, offset) in enumerate(clauses):
        if INTRODUCTIONS.match(clause):
            return None
        trial = ClauseState(statement.quotes, lines[start].number)
        reads = [read_clause(c, trial) for c, _o in clauses[k:] if c]
        if reads and all(ops is not None for ops in reads):
            if not any(op.kind not in (OpKind.COMMENCE, OpKind.NOTE) for ops in reads for op in ops or []):
                return None
            prov = Provision("", 1, lines[start].number, 1, lines[start].text, lines[start : statement.next])
            prov.in_preamble = True
            _read_provision(r, inst, prov, statement, statement.text, 1, from_offset=offset)
            return prov
    return None


def _read_closing(
    r: InstrumentReader,
    inst: Instrument,
    lines: list[SourceLine],
    k: int,
    numbering: _Numbering,
    section: Section | None,
) -> int:
    """An unnumbered line after the provisions: the commencement or a closing note (read, and
    kept as the instrument's conclusions); anything else is an instruction nobody numbered,
    read as one."""
    statement = _statement(r, lines, k, numbering)
    clauses = [c for c, _o in _clauses(statement.text) if c]
    state = ClauseState(statement.quotes, lines[k].number)
    ops = [read_clause(c, state) for c in clauses]
    if clauses and all(
        o is not None and all(op.kind in (OpKind.COMMENCE, OpKind.NOTE) for op in o) for o in ops
    ):
        inst.closing.extend(lines[k : statement.next])
        return statement.next
    if inst.provisions and not clauses:
        inst.closing.extend(lines[k : statement.next])
        return statement.next
    siblings = [p for p in inst.provisions if section is None or p.section == section.num]
    prov = Provision("", len(siblings) + 1, lines[k].number, 1, lines[k].text, lines[k : statement.next])
    if section is not None:  # a section's one item, unnumbered
        prov.work, prov.section = section.work, section.num
    _read_provision(r, inst, prov, statement, statement.text, 1)
    inst.provisions.append(prov)
    return statement.next


def _closes(statement: Statement) -> bool:
    """The statement is the instrument's commencement or a closing note (…重新公布)."""
    clauses = [c for c, _o in _clauses(statement.text) if c]
    state = ClauseState(statement.quotes, 0)
    reads = [read_clause(c, state) for c in clauses]
    closing = (OpKind.COMMENCE, OpKind.NOTE)
    return bool(clauses) and all(ops is not None and all(op.kind in closing for op in ops) for ops in reads)


def _statement(r: InstrumentReader, lines: list[SourceLine], k: int, numbering: _Numbering) -> Statement:
    """A numbered line with the lines that belong to it: quotations running over lines, further
    instructions on lines of their own (原第二款作为第三款), and provisions given unquoted after
    a colon (第七节 监察委员会 / 第一百二十三条 …)."""
    quotes: list[Quote] = []

    def starts_next(text: str) -> bool:  # the next provision (quoted text numbers its lines too)
        found = numbering.starts(text)
        return found is not None and bool(_INSTRUCTION.match(text[found[2].end() :]))

    statement = take_quotes(lines, k, quotes, starts_next)
    numbered = numbering.match(statement.text)
    if numbered is not None and _SECTION.match(statement.text[numbered[2].end() :]):
        return statement  # 一、修改《…》: a section's heading, its items follow
    texts = [statement.text]
    _unclosed(r, statement, len(lines))
    k = statement.next
    while k < len(lines) and not starts_next(lines[k].text):
        if (
            texts[-1].rstrip().endswith(("：", ":"))
            and not lines[k].text.startswith("“")
            and not _ORDERS.search(texts[-1])
        ):
            k = _unquoted_payload(lines, k, quotes, texts, starts_next)
            continue
        if not _belongs(lines[k].text) or _ORDERS.search(texts[-1]):
            break
        more = take_quotes(lines, k, quotes, starts_next)
        _unclosed(r, more, len(lines))
        texts.append(more.text)
        k = more.next
    joined = texts[0] + "".join(
        t if texts[i].rstrip().endswith(("。", "；", ";")) else "。" + t for i, t in enumerate(texts[1:])
    )
    return Statement(joined, quotes, k, statement.unclosed)


def _unclosed(r: InstrumentReader, statement: Statement, end: int) -> None:
    """A quotation never closed: ended before the next provision or at the end of the
    instrument's last line (a warning: where it ends is known), or running over further lines
    to the instrument's end (an error: it may have taken in the closing)."""
    if statement.unclosed is None:
        return
    if statement.next >= end and statement.quotes[-1].paragraphs[1:]:
        r.warn("F321", "quotation mark “ is never closed before the instrument ends", *statement.unclosed)
    else:
        where = "at the end of its line" if statement.next >= end else "before the next provision"
        r.warn("F327", f"quotation mark “ is never closed; it ends {where}", *statement.unclosed)


def _belongs(text: str) -> bool:
    """A further line of a provision: another instruction (it names a place or inserts one), not
    the instrument's closing (本决定自…施行 is read as the closing, after the provisions)."""
    if _COMMENCEMENT.match(text) or "重新公布" in text:
        return False
    return bool(re.match(r"^(?:将|在|删去|删除|增加|原第|第|此外|同时|该条|这一)", text))


def _unquoted_payload(
    lines: list[SourceLine], k: int, quotes: list[Quote], texts: list[str], starts_next
) -> int:
    """Lines of provisions after an instruction ending with a colon, printed without quotation
    marks (第七节 监察委员会 / 第一百二十三条 …): one quotation, up to the next provision or the
    instrument's commencement."""
    start = lines[k]
    paragraphs = []
    while k < len(lines) and not starts_next(lines[k].text) and not _COMMENCEMENT.match(lines[k].text):
        paragraphs.append(lines[k].text)
        k += 1
    quotes.append(Quote(paragraphs, start.number, 1))
    texts[-1] = texts[-1].rstrip() + f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}"
    return k


def _clauses(body: str) -> list[tuple[str, int]]:
    pos = 0
    out = []
    body = body.replace("。内容如下", "内容如下")
    for m in SPLIT_RE.finditer(body):
        out.append((body[pos : m.start()], pos))
        pos = m.end()
    out.append((body[pos:], pos))
    return [(raw.strip(" \u3000，,。；;"), offset) for raw, offset in out]


def _alias(inst: Instrument, work: str) -> str:
    return inst.aliases.get(work, work)


def _read_provision(
    r: InstrumentReader,
    inst: Instrument,
    prov: Provision,
    statement: Statement,
    body: str,
    col0: int,
    from_offset: int = 0,
) -> None:
    """Every clause of a provision read into operations (a clause no pattern reads: F320);
    ``from_offset``: where the instructions of a preamble sentence begin."""
    prov.template, prov.quotes = body, statement.quotes
    state = ClauseState(statement.quotes, prov.line)
    for clause, offset in _clauses(body):
        if not clause or INTRODUCTIONS.match(clause) or offset < from_offset:
            continue
        state.col = col0 + offset
        ops = read_clause(clause, state)
        if ops is None:
            shown = re.sub(
                f"{QUOTE_MARK}(\\d+){QUOTE_MARK}",
                lambda q: "“" + statement.quotes[int(q.group(1))].paragraphs[0][:12] + "…”",
                clause,
            )
            r.error("F320", f"instruction not understood: {shown[:80]!r}", state.line, state.col)
            continue
        for op in ops:
            op.work = _alias(inst, op.work) if op.work else prov.work
        if ops and ops[0].target is not None:
            t = ops[0].target
            state.context = Target(t.article, t.sub, t.para)
        prov.operations.extend(ops)
    if state.new_para is not None:  # 在第X条中增加一款作为第Y款，将该条修改为“…”
        for op in prov.operations:
            if op.kind is OpKind.SUBSTITUTE and op.target and op.target.para is None:
                op.new_number = state.new_para
    works = {op.work for op in prov.operations if op.work}
    if not prov.work and len(works) == 1:
        prov.work = works.pop()
