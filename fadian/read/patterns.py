"""What every reading mode shares: the line patterns of Chinese legal and policy numbering, the
parser's state and diagnostics, and the readers of lines that are not structure (figures,
footnotes, notes, sources, the 目录)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from fadian.diagnostics import Diagnostic, diag
from fadian.model import Block, DocumentTree, Node
from fadian.read.numerals import CN_NUMERAL_CHARS, cn_to_int
from fadian.read.sources import SourceLine

_NUM = f"[{CN_NUMERAL_CHARS}0-9０-９]"


# every space a PDF or a word processor leaves: U+3000, no-break, U+2000–U+200A, U+202F, U+205F
_SPACE = " \t\u3000\u00a0\u202f\u205f" + "".join(chr(c) for c in range(0x2000, 0x200B))
_WS = f"[{_SPACE}]"
ARTICLE_RE = re.compile(
    rf"^(?P<di>[第笫])(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*条"
    rf"(?:之(?P<sub>[一二三四五六七八九十]+))?(?=$|{_WS}|【|[（(]删)"
)


DIVISION_RE = re.compile(
    rf"^(?P<di>[第笫])(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*(?P<unit>分编|编|章|节)"
    rf"(?:{_WS}*(?P<title>[^。；]*))?$"
)


# 第一百二十八 条侦查人员…: a space in the wrong place, no space after 条. Read only when the
# number is the one expected next (see _loose_article).
LOOSE_ARTICLE_RE = re.compile(
    rf"^(?P<di>[第笫]){_WS}*(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*条"
    rf"(?:之(?P<sub>[一二三四五六七八九十]+))?(?!款|项|规定|的|所)"
)


ITEM_RE = re.compile(r"^(?P<q>“?)(?P<num>[（(](?P<n>[一二三四五六七八九十]+)[）)])\s*(?P<text>.*)$")
SUBITEM_RE = re.compile(r"^(?P<q>“?)(?P<num>(?P<n>[0-9０-９]{1,3})[.．](?![0-9０-９]))\s*(?P<text>.*)$")
LEVEL1_RE = re.compile(r"^(?P<q>“?)(?P<num>(?P<n>[一二三四五六七八九十]+)、)\s*(?P<text>.*)$")
ARABIC_PAREN_RE = re.compile(r"^(?P<q>“?)(?P<num>[（(](?P<n>[0-9０-９]{1,3})[）)])\s*(?P<text>.*)$")
FIGURE_RE = re.compile(r"^图\s*(?P<n>[0-9０-９]{1,3})\s*(?P<text>.*)$")
SOURCE_RE = re.compile(r"^[（(]来源[：:](?P<org>.+?)[）)]$")
FOOTNOTES_RE = re.compile(r"^[（(]附注[：:](?P<body>.*?)[）)]?$")
CIRCLED_NOTE_RE = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")
DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")
PAREN_LINE_RE = re.compile(r"^[（(][^（()）]+[）)]$")
ANNEX_RE = re.compile(r"^附件[一二三四五六七八九十0-9]*$")
DELETED_RE = re.compile(r"^[（(]删[去除][）)]$")
UNNUMBERED_LEGAL = {"附则": "supplementaryProvisions", "总则": "generalProvisions"}
TOC_TITLES = {"目录", "报告目录", "本期要目"}
DIVISION_KIND = {"编": "book", "分编": "part", "章": "chapter", "节": "section"}


# rank in the legal hierarchy; a unit may only nest inside a lower rank
LEGAL_RANK = {"book": 0, "part": 1, "chapter": 2, "section": 3, "hcontainer": 0, "article": 4}
POLICY_KINDS = ("section", "subsection", "paragraph", "point")
_ARTICLE_START = frozenset("第笫")
_ITEM_START = frozenset("（(“")


def _squash(text: str) -> str:
    """Remove all white space (U+3000 too): 第一章 总 则 → 第一章总则."""
    return "".join(text.split())


class _Line(NamedTuple):
    number: int
    text: str  # stripped
    col: int  # column of text[0] in the file line


@dataclass
class _Parser:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def report(self, code: str, message: str, line: int, col: int = 1) -> None:
        self.diagnostics.append(diag(code, message, self.path, line, col))

    # -- numbers -------------------------------------------------------------
    def number(self, raw: str, ln: _Line, col: int) -> int:
        """Value of a printed number; warns about spaces and full-width digits inside it."""
        value = _NUMBER_CACHE.get(raw)
        if value is not None:
            return value
        squashed = _squash(raw)
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


def _lines(source: list[SourceLine]) -> list[_Line]:
    out = []
    append = out.append
    for number, text in source:
        if not text:
            continue
        stripped = text.strip(_SPACE)
        if stripped:
            col = 1 if stripped[0] == text[0] else len(text) - len(text.lstrip(_SPACE)) + 1
            append(_Line(number, stripped, col))
    return out


# -- preface ------------------------------------------------------------------
def _is_structural(text: str) -> bool:
    return bool(
        ARTICLE_RE.match(text)
        or DIVISION_RE.match(text)
        or LEVEL1_RE.match(text)
        or _squash(text) in TOC_TITLES
        or _squash(text) == "序言"
    )


# -- shared helpers -------------------------------------------------------------
def _text_block(p: _Parser, ln: _Line) -> Block:
    """A paragraph, or one of the special lines: （来源：…）, 图 N, （附注：…）, ① notes."""
    first = ln.text[0]
    if first in "（(":
        if SOURCE_RE.match(ln.text):
            return Block("source", ln.text, ln.number, ln.col)
        notes = FOOTNOTES_RE.match(ln.text)
        if notes:
            return _footnotes_block(ln, notes.group("body"))
    elif first == "图":
        fig = FIGURE_RE.match(ln.text)
        if fig and fig.group("text"):
            return Block("figure", fig.group("text"), ln.number, ln.col, num=f"图 {fig.group('n')}")
    elif CIRCLED_NOTE_RE.match(first):
        return Block("note", ln.text, ln.number, ln.col)
    return Block("p", ln.text, ln.number, ln.col)


def _footnotes_block(ln: _Line, body: str) -> Block:
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


def _read_toc(p: _Parser, lines: list[_Line], i: int, legal: bool) -> tuple[Block, int]:
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
        text = raw.strip(_SPACE)
        entry_like = bool(
            DIVISION_RE.match(text)
            or _squash(text) in UNNUMBERED_LEGAL
            or (not legal and (LEVEL1_RE.match(text) or ITEM_RE.match(text)))
        )
        if not entry_like or SOURCE_RE.match(text):
            break
        if legal and first is not None and _squash(text) == first and not m:
            break
        if first is None:
            first = _squash(text)
        if legal:
            div = DIVISION_RE.match(text)
            level = LEGAL_RANK[DIVISION_KIND[div.group("unit")]] if div else 0
        else:
            level = 1 if ITEM_RE.match(text) else 0
        toc.items.append(Block("p", text, ln.number, ln.col, level=level))
        i += 1
    return toc, i


_CHAPTER_LINE_RE = re.compile(rf"^[第笫]{_NUM}+{_WS}*章(?:$|{_WS})")
_SENTENCE_PUNCT = re.compile("[。，；：:;,、]")
_HEADING_END = re.compile(r"[\u4e00-\u9fff）]$")


def _is_heading_like(text: str) -> bool:
    return (
        len(text) <= 40
        and not _SENTENCE_PUNCT.search(text)
        and not ITEM_RE.match(text)
        and not SUBITEM_RE.match(text)
        and not CIRCLED_NOTE_RE.match(text)
        and not SOURCE_RE.match(text)
        and not DELETED_RE.match(text)
        and _HEADING_END.search(text) is not None
    )


def _collect_conclusions(tree: DocumentTree) -> None:
    """Move a trailing （来源：…） line out of the last provision into conclusions."""

    def last_blocks(node: Node) -> list[Block]:
        while node.children and not node.wrapup:
            node = node.children[-1]
        return node.wrapup if node.wrapup else node.intro

    blocks = last_blocks(tree.body[-1]) if tree.body else tree.preamble
    if blocks and blocks[-1].kind == "source":
        tree.conclusions.append(blocks.pop())


# -- policy mode ------------------------------------------------------------------
def _policy_level(text: str) -> tuple[int, re.Match] | None:
    for level, regex in enumerate((LEVEL1_RE, ITEM_RE, SUBITEM_RE, ARABIC_PAREN_RE)):
        m = regex.match(text)
        if m:
            return level, m
    return None


# A division's numbers run through its scope: 章 through a 编 (民法典 numbers its chapters
# across the 分编 of a 编; 刑法 restarts them in each 编), 节 through a 章.
DIVISION_SCOPE = {"book": None, "part": "book", "chapter": "book", "section": "chapter"}
