"""An instrument as data: where it points (Target), what each instruction does (Operation), its
numbered provisions with their quotations (Provision, Quote), the instrument (Instrument)."""

from __future__ import annotations

from dataclasses import dataclass, field

from fadian.read.sources import SourceLine

QUOTE_MARK = "\ue000"  # stands for a quotation taken out of a clause (private use: never in a source)


@dataclass
class Quote:
    paragraphs: list[str]
    line: int
    col: int


@dataclass(frozen=True)
class Target:
    """A place in the amended text: 第X条(之Y)(第K款)(第（I）项)."""

    article: int
    sub: int = 0
    para: int | None = None
    point: int | None = None

    @property
    def eid(self) -> str:
        out = f"art_{self.article}" + (f"-{self.sub}" if self.sub else "")
        if self.para:
            out += f"__para_{self.para}"
        if self.point:
            out += ("" if self.para else "__para_1") + f"__point_{self.point}"
        return out

    def label(self) -> str:
        from fadian.read.numerals import int_to_cn

        out = f"第{int_to_cn(self.article)}条" + (f"之{int_to_cn(self.sub)}" if self.sub else "")
        if self.para:
            out += f"第{int_to_cn(self.para)}款"
        if self.point:
            out += f"第（{int_to_cn(self.point)}）项"
        return out


@dataclass
class Operation:
    """One change: ``kind`` is what the apply step does, ``mod_type`` the AKN textualMod type."""

    kind: str  # substitute, insert_para, insert_point, insert_article, insert_section, repeal,
    # delete_words, replace_words, prepend, replace_lead, join, renumber, commence
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

    @property
    def mod_type(self) -> str:
        return {
            "substitute": "substitution",
            "replace_words": "substitution",
            "replace_lead": "substitution",
            "prepend": "insertion",
            "insert_para": "insertion",
            "insert_point": "insertion",
            "insert_article": "insertion",
            "insert_section": "insertion",
            "repeal": "repeal",
            "delete_words": "repeal",
            "join": "join",
            "renumber": "renumbering",
            "renumber_division": "renumbering",
        }.get(self.kind, "")


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

    @property
    def operations(self) -> list[Operation]:
        return [op for p in self.provisions for op in p.operations]
