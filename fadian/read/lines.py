"""The line reader every reading mode shares: a document's lines as (number, text, column), the
reader's state (its path and diagnostics, printed numbers read with warnings), and the readers of
lines that are not structure (paragraphs, figures, footnotes, notes, sources, the 目录).

Like pandoc's LaTeX sub-readers sharing one parser state, the legal and policy modes (read/legal,
read/policy) and the checks (read/checks) take a :class:`LineReader` and :class:`Line` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from fadian.diagnostics import Diagnostic, diag
from fadian.model import Block, DocumentTree, Node
from fadian.read.numerals import cn_to_int
from fadian.read.patterns import (
    CIRCLED_NOTE_RE,
    DIVISION_KIND,
    DIVISION_RE,
    FIGURE_RE,
    FOOTNOTES_RE,
    ITEM_RE,
    LEGAL_RANK,
    LEVEL1_RE,
    SOURCE_RE,
    SPACE,
    UNNUMBERED_LEGAL,
    squash,
)
from fadian.read.sources import SourceLine


class Line(NamedTuple):
    number: int
    text: str  # stripped
    col: int  # column of text[0] in the file line


@dataclass
class LineReader:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, message: str, line: int, col: int = 1) -> None:
        self.diagnostics.append(diag(code, message, self.path, line, col))

    # -- numbers -------------------------------------------------------------
    def number(self, raw: str, ln: Line, col: int) -> int:
        """Value of a printed number; warns about spaces and full-width digits inside it."""
        value = _NUMBER_CACHE.get(raw)
        if value is not None:
            return value
        squashed = squash(raw)
        if squashed != raw:
            self.report("F305", f"space inside the number {raw!r}", ln.number, col)
        if _FULLWIDTH_DIGIT.search(squashed):
            self.report("F307", f"full-width digits in the number {squashed!r}", ln.number, col)
        elif _ANY_DIGIT.search(squashed) and not squashed.isdigit():
            self.report("F307", f"Arabic digits mixed with Chinese numerals in {squashed!r}", ln.number, col)
        try:
            value = cn_to_int(squashed)
        except ValueError:
            return 0
        if (
            squashed == raw
            and not _FULLWIDTH_DIGIT.search(raw)
            and (raw.isdigit() or not _ANY_DIGIT.search(raw))
        ):
            _NUMBER_CACHE[raw] = value
        return value


_NUMBER_CACHE: dict[str, int] = {}


_FULLWIDTH_DIGIT = re.compile("[０-９]")
_ANY_DIGIT = re.compile("[0-9]")


def read_lines(source: list[SourceLine]) -> list[Line]:
    out = []
    append = out.append
    for number, text in source:
        if not text:
            continue
        stripped = text.strip(SPACE)
        if stripped:
            col = 1 if stripped[0] == text[0] else len(text) - len(text.lstrip(SPACE)) + 1
            append(Line(number, stripped, col))
    return out


# -- shared helpers -------------------------------------------------------------
def text_block(p: LineReader, ln: Line) -> Block:
    """A paragraph, or one of the special lines: （来源：…）, 图 N, （附注：…）, ① notes."""
    first = ln.text[0]
    if first in "（(":
        if SOURCE_RE.match(ln.text):
            return Block("source", ln.text, ln.number, ln.col)
        notes = FOOTNOTES_RE.match(ln.text)
        if notes:
            return footnotes_block(ln, notes.group("body"))
    elif first == "图":
        fig = FIGURE_RE.match(ln.text)
        if fig and fig.group("text"):
            return Block("figure", fig.group("text"), ln.number, ln.col, num=f"图 {fig.group('n')}")
    elif CIRCLED_NOTE_RE.match(first):
        return Block("note", ln.text, ln.number, ln.col)
    return Block("p", ln.text, ln.number, ln.col)


def footnotes_block(ln: Line, body: str) -> Block:
    """（附注：1.…；2.…） → a list of numbered notes, targets of [1] marks."""
    block = Block("footnotes", ln.text, ln.number, ln.col)
    parts = re.split(r"(?:(?<=^)|(?<=[；;。]))\s*(\d{1,2}[.．])", body)
    if len(parts) < 3:
        return block
    start = ln.text.index(body)
    block.lead = ln.text[:start] + parts[0]
    block.tail = ln.text[start + len(body) :]
    for k in range(1, len(parts) - 1, 2):
        block.items.append(Block("p", parts[k + 1], ln.number, ln.col, num=parts[k]))
    return block


def read_toc(p: LineReader, lines: list[Line], i: int, legal: bool) -> tuple[Block, int]:
    """目录 and the entries under it; stops where the body repeats the first entry."""
    head = lines[i]
    toc = Block("toc" if legal else "outline", head.text, head.number, head.col)
    i += 1
    first: str | None = None
    while i < len(lines):
        ln = lines[i]
        raw = ln.text
        level = 0
        m = re.match(r"^(\s*)-\s+", raw)
        if m:
            raw = raw[m.end() :]
        text = raw.strip(SPACE)
        entry_like = bool(
            DIVISION_RE.match(text)
            or squash(text) in UNNUMBERED_LEGAL
            or (not legal and (LEVEL1_RE.match(text) or ITEM_RE.match(text)))
        )
        if not entry_like or SOURCE_RE.match(text):
            break
        if legal and first is not None and squash(text) == first and not m:
            break
        if first is None:
            first = squash(text)
        if legal:
            div = DIVISION_RE.match(text)
            level = LEGAL_RANK[DIVISION_KIND[div.group("unit")]] if div else 0
        else:
            level = 1 if ITEM_RE.match(text) else 0
        toc.items.append(Block("p", text, ln.number, ln.col, level=level))
        i += 1
    return toc, i


def collect_conclusions(tree: DocumentTree) -> None:
    """Move a trailing （来源：…） line out of the last provision into conclusions."""

    def last_blocks(node: Node) -> list[Block]:
        while node.children and not node.wrapup:
            node = node.children[-1]
        return node.wrapup if node.wrapup else node.intro

    blocks = last_blocks(tree.body[-1]) if tree.body else tree.preamble
    if blocks and blocks[-1].kind == "source":
        tree.conclusions.append(blocks.pop())
