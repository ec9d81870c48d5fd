"""An instrument as data: where it points (Target), what each instruction does (Operation), its
numbered provisions with their quotations (Provision, Quote), the instrument (Instrument)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from fadian.eids import Eid
from fadian.read.sources import SourceLine

QUOTE_MARK = "\ue000"  # stands for a quotation taken out of a clause (private use: never in a source)


@dataclass
class Quote:
    paragraphs: list[str]
    line: int
    col: int


PREAMBLE = 0  # Target.article of the text before the first article: 序言 (自然段) or 引言
TITLE = -1  # Target.article of the text's title (名称)
ANNEX = -2  # Target.article of the text's annexes (附件, 附录, 附表: what follows the last article)
PART = -3  # Target.article of a part's heading in a text without articles (第一部分: 一、…; para: N)


@dataclass(frozen=True)
class Target:
    """A place in the amended text: 第X条(之Y)(第K款(至第L款))(第（I）项), or the preamble
    (article 0: 序言, 引言) and one of its paragraphs (自然段)."""

    article: int
    sub: int = 0
    para: int | None = None
    point: int | None = None
    para_to: int | None = None  # 第一款、第二款: the last 款 of a run

    @property
    def eid(self) -> str:
        return str(self.akn_eid)

    @property
    def akn_eid(self) -> Eid:
        if self.article == PREAMBLE:
            return Eid.of("preamble").child("p", self.para) if self.para else Eid.of("preamble")
        if self.article == TITLE:
            return Eid.of("longTitle")
        if self.article == ANNEX:
            return Eid.of("hcontainer", self.para or 1)
        if self.article == PART:
            return Eid.of("sec", self.para or 1)
        out = Eid.article(self.article, self.sub)
        if self.para:
            out = out.para(self.para)
        return out.point(self.point) if self.point else out

    @property
    def eids(self) -> list[str]:
        """Every unit it names: one, or each 款 of a run."""
        if self.para_to is None or self.para is None:
            return [self.eid]
        return [Target(self.article, self.sub, k).eid for k in range(self.para, self.para_to + 1)]

    def label(self) -> str:
        from fadian.read.numerals import int_to_cn

        if self.article == PREAMBLE:
            return "序言" + (f"第{int_to_cn(self.para)}自然段" if self.para else "")
        if self.article == TITLE:
            return "名称"
        if self.article == ANNEX:
            return "附件" + (int_to_cn(self.para) if self.para else "")
        if self.article == PART:
            return f"第{int_to_cn(self.para or 1)}部分标题"
        out = f"第{int_to_cn(self.article)}条" + (f"之{int_to_cn(self.sub)}" if self.sub else "")
        if self.para:
            out += f"第{int_to_cn(self.para)}款"
        if self.para_to:
            out += f"至第{int_to_cn(self.para_to)}款"
        if self.point:
            out += f"第（{int_to_cn(self.point)}）项"
        return out


class OpKind(StrEnum):
    """What an instruction does to the amended text (the apply step has one handler each)."""

    SUBSTITUTE = "substitute"  # 将第X条(第Y款)修改为：“…”
    INSERT_PARA = "insert_para"  # 增加一款，作为第N款
    INSERT_POINT = "insert_point"  # 增加一项，作为第N项
    INSERT_ARTICLE = "insert_article"  # 在第X条后增加一条，作为第X条之N
    INSERT_SECTION = "insert_section"  # 增加一节 (its articles come with the next instruction)
    INSERT_ARTICLES = "insert_section_articles"  # 增加N条，分别作为第X条至第Y条
    REPEAL = "repeal"  # 删去第X条
    DELETE_WORDS = "delete_words"  # 删去第X条中的“…”
    REPLACE_WORDS = "replace_words"  # 将第X条中的“A”修改为“B”
    PREPEND = "prepend"  # 第X条开始部分增加规定：“…”
    REPLACE_LEAD = "replace_lead"  # 第X条条首部分修改为：“…”
    JOIN = "join"  # 将第X条和第Y条合并修改为：“…”
    RENUMBER = "renumber"  # 条文顺序作相应调整
    RENUMBER_DIVISION = "renumber_division"  # 第三章第七节相应改为第八节
    RENAME_DIVISION = "rename_division"  # 宪法第四章章名“…”修改为“…”
    MOVE = "move"  # 将第二条修改为第六条(：“…”) / 原第四条作为第五条: an article takes a new number
    INSERT_NUMBERED = "insert_numbered"  # 增加一条作为第二条：“…”: numbered as in the new text
    APPEND = "append"  # 第十一条增加规定：“…”: a new 款 at the end of the article
    SUSPEND = "suspend"  # …第X条不再适用 / 停止执行: kept, marked as no longer applied
    NOTE = "note"  # 原第三项改为第四项: follows from the instruction before it
    COMMENCE = "commence"  # 本修正案自…起施行: nothing to change in the text




@dataclass
class Operation:
    """One change: ``kind`` is what the apply step does, ``mod_type`` the AKN textualMod type."""

    kind: OpKind
    target: Target | None
    line: int
    col: int
    quoted: list[str] = field(default_factory=list)  # new text, one paragraph per line
    old_words: str = ""
    new_words: str = ""
    new_number: int | None = None  # the 款/项/条之X/节 number an insertion takes
    others: list[Target] = field(default_factory=list)  # join: the articles merged in
    mapping: list[tuple[int, int]] = field(default_factory=list)  # renumber: old → new
    span: tuple[int, int] = (0, 0)  # where the target is cited in the provision's first line
    work: str = ""  # the text it amends, when the instrument names it at the instruction
    before: bool = False  # 在第X条前增加一条: the new article goes before its target, not after

    @property
    def mod_type(self) -> str:
        return OP_SPECS[self.kind].mod_type

    def destinations(self) -> list[str]:
        """The eIds of the amended work it changes."""
        return OP_SPECS[self.kind].destinations(self)


def _named(op: Operation) -> list[str]:
    """The places an instruction names: its target and the others (a join's, a repeal's list)."""
    return [t.eid for t in (op.target, *op.others)] if op.target is not None else []


def _renumbered(op: Operation) -> list[str]:
    """The articles a renumbering moves, by their old numbers."""
    return [str(Eid.article(old)) for old, _new in op.mapping]


def _renumbered_sections(op: Operation) -> list[str]:
    """The 节 a chapter's renumbering moves, by their new numbers."""
    return [str(Eid.of("chp", op.new_number).child("sec", new)) for _old, new in op.mapping]


def _new_para(op: Operation) -> list[str]:
    t = op.target
    return [Target(t.article, t.sub, op.new_number).eid] if t is not None else []


def _new_point(op: Operation) -> list[str]:
    t = op.target
    return [Target(t.article, t.sub, t.para or 1, op.new_number).eid] if t is not None else []


def _new_sub_article(op: Operation) -> list[str]:
    return [str(Eid.article(op.target.article, op.new_number))] if op.target is not None else []


def _new_articles(op: Operation) -> list[str]:
    return [str(Eid.article(n)) for first, last in op.mapping for n in range(first, last + 1)]


class OpSpec(NamedTuple):
    """What one kind of operation is, in one place: its AKN textualMod type ('' for a kind that
    changes nothing in the text), whether its quotation holds whole provisions (a 条, 款, 节) or
    words, which eIds of the amended work it changes, and whether the apply step has a handler
    for it (amend/handlers: Applier.HANDLERS; a test checks the two agree)."""

    mod_type: str
    structural: bool = False
    destinations: Callable[[Operation], list[str]] = _named
    applies: bool = True


OP_SPECS: dict[OpKind, OpSpec] = {
    OpKind.SUBSTITUTE: OpSpec("substitution", structural=True),
    OpKind.INSERT_PARA: OpSpec("insertion", structural=True, destinations=_new_para),
    OpKind.INSERT_POINT: OpSpec("insertion", destinations=_new_point),
    OpKind.INSERT_ARTICLE: OpSpec("insertion", structural=True, destinations=_new_sub_article),
    OpKind.INSERT_SECTION: OpSpec("insertion"),
    OpKind.INSERT_ARTICLES: OpSpec("", structural=True, destinations=_new_articles),
    OpKind.REPEAL: OpSpec("repeal"),
    OpKind.DELETE_WORDS: OpSpec("repeal"),
    OpKind.REPLACE_WORDS: OpSpec("substitution"),
    OpKind.PREPEND: OpSpec("insertion"),
    OpKind.REPLACE_LEAD: OpSpec("substitution"),
    OpKind.JOIN: OpSpec("join", structural=True),
    OpKind.RENUMBER: OpSpec("renumbering", destinations=_renumbered),
    OpKind.RENUMBER_DIVISION: OpSpec("renumbering", destinations=_renumbered_sections),
    OpKind.RENAME_DIVISION: OpSpec("substitution"),
    OpKind.MOVE: OpSpec("renumbering"),
    OpKind.INSERT_NUMBERED: OpSpec("insertion"),
    OpKind.APPEND: OpSpec("insertion"),
    OpKind.SUSPEND: OpSpec(""),  # the provisions stay, marked: no textualMod
    OpKind.NOTE: OpSpec("", applies=False),  # follows from the instruction before it
    OpKind.COMMENCE: OpSpec("", applies=False),  # the instrument's commencement
}


@dataclass
class Provision:
    """A numbered provision of the instrument: its printed number, text and operations."""

    num: str
    value: int
    line: int
    col: int
    text: str  # the provision's own words, quotations included, as printed (first line)
    lines: list[SourceLine] = field(default_factory=list)  # every line, quoted ones too
    operations: list[Operation] = field(default_factory=list)
    template: str = ""  # the provision's words after its number, each quotation a placeholder
    quotes: list[Quote] = field(default_factory=list)
    work: str = ""  # the text it amends (its section's, in a decision that amends several)
    section: str = ""  # that section's number (一、), in such a decision
    in_preamble: bool = False  # an instruction the preamble gives (刑法修正案（十）)

    def pieces(self) -> list[str | int]:
        """The template as text runs and quotation indexes, in order."""
        out: list[str | int] = []
        for k, part in enumerate(self.template.split(QUOTE_MARK)):
            if k % 2:
                out.append(int(part))
            elif part:
                out.append(part)
        return out


@dataclass
class Instrument:
    title: str
    work: str  # the amended work's title: 中华人民共和国刑法
    adopted: str = ""  # 2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议通过
    date: str | None = None  # YYYY-MM-DD of adoption
    preamble: list[SourceLine] = field(default_factory=list)
    provisions: list[Provision] = field(default_factory=list)
    closing: list[SourceLine] = field(default_factory=list)  # text after the last provision
    sections: list[Section] = field(default_factory=list)  # a decision amending several texts
    aliases: dict[str, str] = field(default_factory=dict)  # 《解释》 → the title it stands for
    body: str = ""  # who adopted it, as its header prints it (for the header line of the new text)
    renumbers: bool = False  # its closing orders the articles renumbered (并调整条文顺序后重新公布)

    @property
    def operations(self) -> list[Operation]:
        return [op for p in self.provisions for op in p.operations]

    @property
    def works(self) -> list[str]:
        """Every text it amends, in order (one, or a section's each)."""
        named = [p.work or self.work for p in self.provisions]
        return list(dict.fromkeys(w for w in named if w))


@dataclass(frozen=True)
class Section:
    """A part of a decision that amends several texts: 一、修改《…》 and the items under it."""

    num: str
    work: str
    line: int
