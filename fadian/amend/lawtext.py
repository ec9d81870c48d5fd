"""The text an instrument is applied to: a law's source cut into units (lines kept as printed,
and articles with their number), read with fadian's own parser; and the renumbering of its
internal citations (第N条 → 第M条) when articles move."""

from __future__ import annotations

import re
from dataclasses import dataclass

from fadian.amend.model import Target
from fadian.diagnostics import Diagnostic
from fadian.read.numerals import cn_to_int, int_to_cn
from fadian.read.parse import parse_document
from fadian.read.patterns import ARTICLE_RE, ITEM_RE, SUBITEM_RE
from fadian.read.sources import read_source

END_PUNCT = "。；：:;！？”"
HEAD_SEPARATOR = re.compile(r"[ \u3000]*(?:【[^】]*】[ \u3000]*)?")


@dataclass
class ArticleText:
    value: int
    sub: int
    head: str  # 第一百六十五条 plus the space (and 【heading】) that follows it
    lines: list[str]  # lines[0]: the text on the heading line; one line per paragraph
    line: int = 0  # where it starts in the old text (0: inserted)
    inserted: bool = False
    new_value: int | None = None  # its number in the new text, when an instruction gives it
    placed: bool = False  # an instruction said where it goes (在第X条后): the number is checked

    @property
    def target(self) -> Target:
        return Target(self.value, self.sub)

    def paragraphs(self) -> list[list[int]]:
        """Indexes of ``lines`` grouped by 款: a 项 or 目 line belongs to the 款 before it."""
        groups: list[list[int]] = []
        for k, text in enumerate(self.lines):
            if k > 0 and groups and (ITEM_RE.match(text) or SUBITEM_RE.match(text)):
                groups[-1].append(k)
            else:
                groups.append([k])
        return groups

    def text(self) -> str:
        return self.head + "\n\n".join(self.lines)


class InsertedLine(str):
    """A heading line an instrument inserted: later renumberings of the old text skip it."""

    __slots__ = ()


class QuotedLine(str):
    """A line an instrument quoted: it is already in the new text's numbering, so a renumbering
    of the old text does not touch its citations."""

    __slots__ = ()


@dataclass
class Change:
    provision: str  # 一、
    kind: str
    target: str  # 第一百六十五条
    line: int


@dataclass
class LawText:
    front: list[str]  # front matter lines, --- included
    units: list[str | ArticleText]

    @property
    def title(self) -> str:
        return next((u for u in self.units if isinstance(u, str)), "")

    def articles(self) -> list[ArticleText]:
        return [u for u in self.units if isinstance(u, ArticleText)]

    def preamble(self) -> list[int]:
        """Indexes of the preamble's paragraphs (序言 or 引言): the lines after the header (and
        after a 序言 heading, when there is one) before the first heading or article."""
        first = next(
            (k for k, u in enumerate(self.units) if isinstance(u, ArticleText) or _DIVISION.match(u)),
            len(self.units),
        )
        heading = [k for k in range(first) if "".join(str(self.units[k]).split()) == "序言"]
        start = heading[-1] + 1 if heading else 1
        return [
            k
            for k in range(start, first)
            if not _HEADER.match(str(self.units[k]))
            and "".join(str(self.units[k]).split()) not in ("目录", "序言")
        ]


def read_law_text(path: str, data: bytes) -> tuple[LawText | None, list[Diagnostic]]:
    """Split a law's source into units, using fadian's own parser to find its articles."""
    source = read_source(path, data, front_matter=False)
    if any(d.is_error for d in source.diagnostics):
        return None, source.diagnostics
    raw = data.decode("utf-8-sig").replace("\r\n", "\n").split("\n")
    front: list[str] = []
    body_start = 0
    if source.front is not None:
        closing = next(k for k in range(1, len(raw)) if raw[k].strip() == "---")
        front, body_start = raw[: closing + 1], closing + 1
    body = [ln for ln in source.lines if ln.number > body_start]
    tree, diags = parse_document(body, path)
    starts = {n.line for n in tree.nodes() if n.kind == "article"}
    boundaries = {n.line for n in tree.nodes() if n.kind not in ("paragraph", "point")}
    units: list[str | ArticleText] = []
    current: ArticleText | None = None
    for ln in body:
        text = ln.text.strip(" \t\u3000")
        if not text:
            continue
        if ln.number in starts:
            m = ARTICLE_RE.match(text)
            assert m is not None
            sep = HEAD_SEPARATOR.match(text, m.end())
            end = sep.end() if sep else m.end()
            value = cn_to_int("".join(m.group("num").split()))
            sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
            current = ArticleText(value, sub, text[:end], [text[end:]], ln.number)
            units.append(current)
        elif ln.number in boundaries or current is None:
            current = None
            units.append(text)
        else:
            current.lines.append(text)
    return LawText(front, units), [d for d in diags if d.is_error]


_DIVISION = re.compile(r"^[第笫][零〇一二三四五六七八九十百千]+[编章节]")
_HEADER = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[（(].*[）)]$|法释〔|.{0,30}令第)")
_CITATION_RE = re.compile(r"第([零〇一二三四五六七八九十百千]+)条(?:之([一二三四五六七八九十]+))?")
_OWN = ("本法", "本条例", "本解释", "本规定", "本办法", "本决定")


def renumber_citations(text: str, mapping: dict) -> str:
    """第N条(之M) → its new number, for citations of this text (bare or 本法…), not of another
    law (刑法第N条); ``mapping`` by value (``{5: 6}``) or by (value, sub) (``{(5, 1): 6}``)."""
    if isinstance(text, QuotedLine):
        return text

    def swap(m: re.Match) -> str:
        before = text[max(0, m.start() - 3) : m.start()]
        if before and before[-1] in "法典例则定释令》" and not before.endswith(_OWN):
            return m.group()
        try:
            value = cn_to_int(m.group(1))
            sub = cn_to_int(m.group(2)) if m.group(2) else 0
        except ValueError:
            return m.group()
        new = mapping.get((value, sub), mapping.get(value) if not sub else None)
        if new is None:
            return m.group()
        return (
            f"第{int_to_cn(new)}条"
            if isinstance(new, int)
            else f"第{int_to_cn(new[0])}条之{int_to_cn(new[1])}"
        )

    return _CITATION_RE.sub(swap, text)
