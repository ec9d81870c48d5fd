"""Plain text of a Chinese legal or policy document → DocumentTree.

Pure: lines in, tree and diagnostics out; no I/O, no XML. Two reading
modes share one stack machine:

* legal  — 编 / 分编 / 章 / 节 / 条 (之一) / 款 / 项 （一） / 目 1.
* policy — 一、 / （一） / 1. / （1）, for notes, plans and reports.

A document is legal when it has at least one 第X条 line.
"""

from __future__ import annotations

import bisect
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


def parse_document(
    source: list[SourceLine], path: str = "<text>", *, first_article: int | None = None
) -> tuple[DocumentTree, list[Diagnostic]]:
    """Parse the body lines of one document (front matter already removed).

    ``first_article`` is where an excerpt's numbering starts (民法典 合同编: 463); any other
    start is a warning.
    """
    p = _Parser(path)
    lines = _lines(source)
    article_lines = [
        k for k, ln in enumerate(lines) if ln.text[0] in _ARTICLE_START and ARTICLE_RE.match(ln.text)
    ]
    legal = bool(article_lines)
    tree = DocumentTree(mode="legal" if legal else "policy")
    i = _read_preface(lines, tree)
    if legal:
        used = _build_legal(p, lines, i, tree, article_lines[-1])
        _check_heading_lines(p, lines, used, tree, [lines[k] for k in article_lines])
    else:
        _build_policy(p, lines, i, tree)
    _check_numbering(p, tree, first_article)
    articles = tree.count("article") if legal else 0
    if articles > MAX_ARTICLES:
        p.report("F315", f"{articles:,} articles (limit {MAX_ARTICLES:,})", lines[0].number if lines else 1)
    return tree, p.diagnostics


MAX_ARTICLES = 30_000  # 民法典 has 1,260; a text beyond this is not one document


# -- preface ------------------------------------------------------------------
def _is_structural(text: str) -> bool:
    return bool(
        ARTICLE_RE.match(text)
        or DIVISION_RE.match(text)
        or LEVEL1_RE.match(text)
        or _squash(text) in TOC_TITLES
        or _squash(text) == "序言"
    )


def _read_preface(lines: list[_Line], tree: DocumentTree) -> int:
    """Title line, then （subtitle） lines and dated adoption/amendment lines."""
    if not lines:
        return 0
    tree.title.append(Block("p", lines[0].text, lines[0].number, lines[0].col))
    i = 1
    while i < len(lines):
        text = lines[i].text
        if _is_structural(text) or not (PAREN_LINE_RE.match(text) or DATE_LINE_RE.match(text)):
            break
        if SOURCE_RE.match(text):
            break
        tree.title.append(Block("p", text, lines[i].number, lines[i].col))
        i += 1
    return i


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


# -- legal mode -------------------------------------------------------------------
def _build_legal(p: _Parser, lines: list[_Line], i: int, tree: DocumentTree, last_article: int) -> set[int]:
    """Read the body; returns the line numbers used as headings: article lines are
    positive, division lines negative."""
    stack: list[Node] = []  # open divisions (book … section) then article, paragraph, points
    article: Node | None = None
    annex: Node | None = None
    used: set[int] = set()
    last_value = (0, 0)  # the last article's number, for reading odd headings
    division_lines = [
        k
        for k in range(i, len(lines))
        if lines[k].text[0] in _ARTICLE_START and DIVISION_RE.match(lines[k].text)
    ]

    def top_container() -> list[Node]:
        for node in reversed(stack):
            if node.kind in LEGAL_RANK and node.kind != "article":
                return node.children
        return tree.body

    def close_to_rank(rank: int) -> None:
        while stack and LEGAL_RANK.get(stack[-1].kind, 99) >= rank:
            stack.pop()

    def close_article() -> None:
        nonlocal article
        while stack and stack[-1].kind in ("paragraph", "point", "article"):
            stack.pop()
        article = None

    def open_division(node: Node, ln: _Line) -> None:
        close_article()
        close_to_rank(LEGAL_RANK[node.kind])
        if stack and LEGAL_RANK[stack[-1].kind] >= LEGAL_RANK[node.kind]:
            p.report("F310", f"{node.num} cannot sit inside {stack[-1].num}", ln.number, ln.col)
        top_container().append(node)
        stack.append(node)
        used.add(-ln.number)

    while i < len(lines):
        ln = lines[i]
        text = ln.text
        squashed = _squash(text) if len(text) <= 16 else text
        i += 1
        heading_like = (article is not None or annex is not None) and _is_heading_like(text)
        starts_annex = (squashed[:2] == "附件" and ANNEX_RE.match(squashed) is not None) or (
            heading_like and (annex is not None or i - 1 > last_article)
        )
        if annex is not None and not starts_annex:
            _annex_line(p, annex, ln)
            continue
        if squashed in TOC_TITLES and tree.toc is None and article is None:
            tree.toc, i = _read_toc(p, lines, i - 1, legal=True)
            continue
        if squashed == "序言" and not tree.body:
            tree.preamble.append(Block("p", text, ln.number, ln.col, num="heading"))
            while i < len(lines) and not _is_structural(lines[i].text):
                tree.preamble.append(_text_block(p, lines[i]))
                i += 1
            continue
        first_char = text[0]
        m = ARTICLE_RE.match(text) if first_char in _ARTICLE_START else None
        loose = m is None and first_char in _ARTICLE_START and article is not None
        if loose:
            m = _loose_article(text, last_value)
        if m:
            close_article()
            mark = len(p.diagnostics)
            article = _article(p, m, ln)
            if loose:  # one warning for the heading, not one per space
                p.diagnostics[mark:] = [d for d in p.diagnostics[mark:] if d.code != "F305"]
                p.report(
                    "F305",
                    f"misplaced space in the article heading {text[: m.end()]!r}; read as {article.num}",
                    ln.number,
                    ln.col,
                )
            last_value = (article.value or 0, article.sub)
            used.add(ln.number)
            top_container().append(article)
            stack.append(article)
            if article.children:
                stack.append(article.children[-1])
            continue
        d = DIVISION_RE.match(text) if first_char in _ARTICLE_START else None
        if d and len(text) <= 60:
            kind = DIVISION_KIND[d.group("unit")]
            if d.group("di") == "笫":
                p.report("F304", "look-alike 笫 used for 第 in a heading", ln.number, ln.col)
            _space_before_unit(p, d, ln)
            node = Node(
                kind,
                ln.number,
                num=_squash(text[: d.end("unit")]),
                value=p.number(d.group("num"), ln, ln.col + 1),
                heading=(d.group("title") or "").strip(_SPACE) or None,
            )
            open_division(node, ln)
            if _continues_heading(lines, i) and not _lower_division_ahead(lines, i, kind, division_lines):
                nxt = lines[i]
                node.heading = (node.heading or "") + nxt.text
                p.report(
                    "F312",
                    f"the heading {node.num} continues on line {nxt.number}; read as one heading",
                    nxt.number,
                    nxt.col,
                )
                i += 1
            continue
        if squashed in UNNUMBERED_LEGAL and len(text) <= 8:
            close_article()
            close_to_rank(0)  # an unnumbered 附则 stands beside the 编 or 章 before it
            node = Node("hcontainer", ln.number, heading=text, name=UNNUMBERED_LEGAL[squashed])
            top_container().append(node)
            stack.append(node)
            continue
        if starts_annex:
            close_article()
            annex = Node("hcontainer", ln.number, name="annex", heading=text)
            if squashed.startswith("附件"):
                annex.num, annex.heading = text, None
            tree.body.append(annex)
            stack.clear()
            continue
        just_opened = article is None and bool(stack) and stack[-1].kind in DIVISION_SCOPE
        if (
            (heading_like or (just_opened and not stack[-1].children and _is_heading_like(text)))
            and i < len(lines)
            and _opens_provision(lines[i].text)
        ):
            # a title printed without its number (山东省文物保护条例: 不可移动文物): between
            # articles a heading of the level open around it, never an annex; right under a
            # heading, the level below it (舟山市物业管理条例: 第三章 业主组织 / 业主大会 / … 第二节)
            if just_opened:
                kind = _CHILD_KIND[stack[-1].kind]
                ahead = _next_division(lines, i, division_lines)
                if ahead is not None and LEGAL_RANK[ahead] > LEGAL_RANK[stack[-1].kind]:
                    kind = ahead
            else:
                kind = next((n.kind for n in reversed(stack) if n.kind in DIVISION_SCOPE), "chapter")
            node = Node(kind, ln.number, heading=text)
            open_division(node, ln)
            p.report(
                "F311",
                f"{text!r} has no number; read as a {_UNIT_NAME[kind]} heading without one",
                ln.number,
                ln.col,
            )
            continue
        if article is None:
            # text before the first article: preamble-like
            if stack:
                stack[-1].intro.append(_text_block(p, ln))
            else:
                tree.preamble.append(_text_block(p, ln))
            continue
        if heading_like:
            p.report(
                "F313",
                f"{text!r} looks like a heading but text follows it; read as a paragraph of {article.num}",
                ln.number,
                ln.col,
            )
        _article_line(p, stack, article, ln)
    _collect_conclusions(tree)
    return used


_UNIT_NAME = {"book": "编", "part": "分编", "chapter": "章", "section": "节"}
_CHILD_KIND = {"book": "chapter", "part": "chapter", "chapter": "section", "section": "section"}


def _next_division(lines: list[_Line], i: int, division_lines: list[int]) -> str | None:
    """The kind of the next numbered division heading at or after line index ``i``."""
    k = bisect.bisect_left(division_lines, i)
    if k == len(division_lines):
        return None
    m = DIVISION_RE.match(lines[division_lines[k]].text)
    return DIVISION_KIND[m.group("unit")] if m else None


def _lower_division_ahead(lines: list[_Line], i: int, kind: str, division_lines: list[int]) -> bool:
    ahead = _next_division(lines, i, division_lines)
    return ahead is not None and LEGAL_RANK[ahead] > LEGAL_RANK[kind]


def _opens_provision(text: str) -> bool:
    """The line starts an article or a numbered division."""
    return text[0] in _ARTICLE_START and (ARTICLE_RE.match(text) or DIVISION_RE.match(text)) is not None


def _continues_heading(lines: list[_Line], i: int) -> bool:
    """第三章 审查和批准决算，听取和审议国民经济和 / 社会发展计划…: a heading broken across two
    lines, the second short, without a full stop, and followed by an article or heading."""
    if i + 1 >= len(lines):
        return False
    text = lines[i].text
    return (
        len(text) <= 40
        and not _STOP_PUNCT.search(text)
        and not _policy_level(text)
        and not _opens_provision(text)
        and _opens_provision(lines[i + 1].text)
    )


_STOP_PUNCT = re.compile("[。；;：:！？]")


def _loose_article(text: str, last: tuple[int, int]) -> re.Match | None:
    """An article heading with a misplaced space, read only when it is the expected next one."""
    m = LOOSE_ARTICLE_RE.match(text)
    if m is None or not any(c in _SPACE for c in text[: m.end()]):
        return None
    try:
        value = cn_to_int(_squash(m.group("num")))
        sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    except ValueError:
        return None
    return m if (value, sub) in ((last[0] + 1, 0), (last[0], last[1] + 1)) else None


def _check_heading_lines(
    p: _Parser, lines: list[_Line], used: set[int], tree: DocumentTree, article_lines: list[_Line]
) -> None:
    """Never silently wrong: lines that look like article or chapter headings but were read as
    text are reported, with the count read and the count of such lines."""
    counts = {"article": 0, "chapter": 0}
    for n in tree.nodes():
        if n.kind in counts and n.num:
            counts[n.kind] += 1
    in_toc = {item.line for item in tree.toc.items} if tree.toc is not None else set()
    chapter_lines = [
        ln
        for ln in lines
        if ln.text[0] in _ARTICLE_START and _CHAPTER_LINE_RE.match(ln.text) and ln.number not in in_toc
    ]
    for kind, label, looks in (("article", "第X条", article_lines), ("chapter", "第X章", chapter_lines)):
        sign = 1 if kind == "article" else -1
        unused = [ln for ln in looks if sign * ln.number not in used]
        read = counts[kind]
        if not unused and read == len(looks):
            continue
        listed = {ln.number for ln in looks}
        recovered = [n for n in sorted(used) if n > 0 and n not in listed] if kind == "article" else []
        where = (
            unused[0]
            if unused
            else next((ln for ln in lines if recovered and ln.number == recovered[0]), None)
        )
        p.report(
            "F314",
            f"{read} {kind}s read, but {len(looks)} lines start with {label}"
            + (f"; {len(unused)} of them read as text, the first here" if unused else ""),
            where.number if where else (lines[0].number if lines else 1),
            where.col if where else 1,
        )


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


def _space_before_unit(p: _Parser, m: re.Match, ln: _Line) -> None:
    """第一百二十八 条: a stray space between the number and 条/章 (inside ones are caught
    by ``_Parser.number``)."""
    gap = m.string[m.end("num") : m.end()]
    if gap[:1] in _SPACE and gap.strip(_SPACE)[:1] in ("条", "章", "节", "编", "分"):
        p.report(
            "F305",
            f"space inside the number {m.string[: m.end()].strip(_SPACE)!r}",
            ln.number,
            ln.col + m.end("num"),
        )


def _article(p: _Parser, m: re.Match, ln: _Line) -> Node:
    if m.group("di") == "笫":
        p.report("F304", "look-alike 笫 used for 第 in an article number", ln.number, ln.col)
    value = p.number(m.group("num"), ln, ln.col + 1)
    _space_before_unit(p, m, ln)
    sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    num = "第" + _squash(m.group("num")) + "条" + (f"之{m.group('sub')}" if sub else "")
    node = Node("article", ln.number, num=num, value=value, sub=sub)
    rest = m.string[m.end() :]
    col = ln.col + m.end()
    lead = len(rest) - len(rest.lstrip(_SPACE))
    rest, col = rest[lead:], col + lead
    if rest.startswith("【"):
        close = rest.find("】")
        if close < 0:
            p.report("F306", "article heading opened with 【 is not closed", ln.number, col)
            node.heading, rest = rest[1:].strip(_SPACE) or None, ""
        else:
            node.heading = rest[1:close].strip(_SPACE) or None
            rest = rest[close + 1 :]
            lead = len(rest) - len(rest.lstrip(_SPACE))
            col += close + 1 + lead
            rest = rest[lead:]
    if rest:
        para = Node("paragraph", ln.number)
        para.intro.append(Block("p", rest, ln.number, col))
        node.children.append(para)
    return node


def _article_line(p: _Parser, stack: list[Node], article: Node, ln: _Line) -> None:
    """A line inside an article: a new 款, a 项, a 目, or a note."""
    first_char = ln.text[0]
    item = ITEM_RE.match(ln.text) if first_char in _ITEM_START else None
    sub = None if item or not (first_char.isdigit() or first_char == "“") else SUBITEM_RE.match(ln.text)
    if item or sub:
        m = item or sub
        level_kind = "item" if item else "subitem"
        point = Node(
            "point",
            ln.number,
            num=m.group("q") + m.group("num"),
            value=p.number(m.group("n"), ln, ln.col),
            name=level_kind,
        )
        if m.group("text"):
            point.intro.append(Block("p", m.group("text"), ln.number, ln.col + m.start("text")))
        # find the parent: 项 under the current 款, 目 under the current 项
        while stack[-1].kind == "point" and (level_kind == "item" or stack[-1].name == "subitem"):
            stack.pop()
        parent = stack[-1]
        if parent.kind == "paragraph" and not parent.children and point.value and point.value > 1:
            path = _continued_point(article, level_kind, point.value)
            if path is not None:
                while stack[-1].kind != "article":
                    stack.pop()
                stack.extend(path)
                while stack[-1].kind == "point" and (level_kind == "item" or stack[-1].name == "subitem"):
                    stack.pop()
                parent = stack[-1]
        if parent.kind == "article":
            para = Node("paragraph", ln.number)
            parent.children.append(para)
            stack.append(para)
            parent = para
        parent.children.append(point)
        stack.append(point)
        return
    block = _text_block(p, ln)
    if block.kind in ("note", "source"):
        # a footnote or source line closes nothing; it belongs to the article's end
        target = stack[-1] if stack[-1].kind == "paragraph" else _last_paragraph(article)
        (target.wrapup if target.children else target.intro).append(block)
        return
    while stack[-1].kind != "article":
        stack.pop()
    para = Node("paragraph", ln.number)
    para.intro.append(block)
    article.children.append(para)
    stack.append(para)


def _continued_point(article: Node, level_kind: str, value: int) -> list[Node] | None:
    """（二） after 款 that follow a （一）: those 款 were further paragraphs of （一）
    (海商法 第一百九十八条). Moves them into it; returns the path down to it."""
    paras = article.children
    k = len(paras) - 1
    while k >= 0 and not paras[k].children:
        k -= 1
    if k < 0 or k == len(paras) - 1:
        return None
    path = [paras[k]]
    while path[-1].children and path[-1].children[-1].kind == "point":
        path.append(path[-1].children[-1])
    target = next(
        (n for n in reversed(path) if n.kind == "point" and n.name == level_kind and n.value == value - 1),
        None,
    )
    if target is None:
        return None
    blocks = [b for para in paras[k + 1 :] for b in para.intro]
    (target.wrapup if target.children else target.intro).extend(blocks)
    del paras[k + 1 :]
    return path


def _last_paragraph(article: Node) -> Node:
    if not article.children:
        article.children.append(Node("paragraph", article.line))
    return article.children[-1]


def _annex_line(p: _Parser, annex: Node, ln: _Line) -> None:
    sub = SUBITEM_RE.match(ln.text)
    if sub:
        if not annex.intro or annex.intro[-1].kind != "list":
            annex.intro.append(Block("list", "", ln.number, ln.col))
        annex.intro[-1].items.append(
            Block("p", sub.group("text"), ln.number, ln.col + sub.start("text"), num=sub.group("num"))
        )
        return
    annex.intro.append(_text_block(p, ln))


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


def _closes_list(node: Node) -> bool:
    """Items introduced by a lead-in ending in ： form a list; plain text after them wraps up."""
    return (bool(node.intro) and node.intro[-1].text.endswith(("：", ":"))) or bool(node.wrapup)


def _build_policy(p: _Parser, lines: list[_Line], i: int, tree: DocumentTree) -> None:
    stack: list[Node] = []

    def add_text(block: Block) -> None:
        if not stack:
            tree.preamble.append(block)
            return
        node = stack[-1]
        if len(stack) > 1 and not node.children and _closes_list(stack[-2]):
            stack.pop()  # the list that a lead-in ending in ： opened is over
            stack[-1].wrapup.append(block)
            return
        if not node.children:
            node.intro.append(block)
            return
        last = node.children[-1]
        if _closes_list(node) and not last.children:
            node.wrapup.append(block)
            return
        (last.wrapup if last.children else last.intro).append(block)

    while i < len(lines):
        ln = lines[i]
        squashed = _squash(ln.text)
        if squashed in TOC_TITLES:
            toc, i = _read_toc(p, lines, i, legal=False)
            add_text(toc)
            continue
        i += 1
        found = _policy_level(ln.text)
        if found is None:
            add_text(_text_block(p, ln))
            continue
        level, m = found
        kind = POLICY_KINDS[level]
        node = Node(
            kind, ln.number, num=m.group("q") + m.group("num"), value=p.number(m.group("n"), ln, ln.col)
        )
        text = m.group("text")
        col = ln.col + m.start("text")
        if text:
            if _is_heading_like(text) and not m.group("q"):
                node.heading = text
            else:
                node.intro.append(Block("p", text, ln.number, col))
        # close open nodes at the same or a deeper level
        while stack and POLICY_KINDS.index(stack[-1].kind) >= level:
            stack.pop()
        if stack and stack[-1].wrapup and stack[-1].children:
            # text read as the list's wrap-up, but the list goes on: it was a further
            # paragraph of the item before (a wrap-up can only follow the last item)
            parent, last = stack[-1], stack[-1].children[-1]
            (last.wrapup if last.children else last.intro).extend(parent.wrapup)
            parent.wrapup.clear()
        (stack[-1].children if stack else tree.body).append(node)
        stack.append(node)
    _collect_conclusions(tree)
    if not tree.conclusions and tree.preamble and tree.preamble[-1].kind == "source":
        tree.conclusions.append(tree.preamble.pop())


# -- numbering checks ---------------------------------------------------------------
def _check_sequence(p: _Parser, nodes: list[Node], what: str) -> None:
    """Numbers must run 1, 2, 3 … (之一 after its base); report duplicates, gaps, disorder."""
    seen: dict[tuple[int, int], Node] = {}
    prev: tuple[int, int] | None = None
    for node in nodes:
        if node.value is None:
            continue
        key = (node.value, node.sub)
        if key in seen:
            p.report(
                "F301", f"{what} {node.num} appears twice (first on line {seen[key].line})", node.line, 1
            )
        elif prev is not None and key < prev:
            p.report("F303", f"{what} {node.num} comes after a higher number", node.line, 1)
        elif prev is None and node.value != 1 and node.sub == 0 and what != "article":
            p.report("F302", f"{what} numbering starts at {node.num}", node.line, 1)
        elif prev is not None and node.sub == 0 and node.value > prev[0] + 1:
            p.report(
                "F302", f"{what} numbering jumps from {prev[0]} to {node.value} at {node.num}", node.line, 1
            )
        elif prev is not None and node.sub > 0 and (node.value != prev[0] or node.sub != prev[1] + 1):
            p.report(
                "F302" if node.value == prev[0] else "F303",
                f"{what} {node.num} does not follow the article it extends",
                node.line,
                1,
            )
        seen.setdefault(key, node)
        prev = key if prev is None or key > prev else prev


# A division's numbers run through its scope: 章 through a 编 (民法典 numbers its chapters
# across the 分编 of a 编; 刑法 restarts them in each 编), 节 through a 章.
DIVISION_SCOPE = {"book": None, "part": "book", "chapter": "book", "section": "chapter"}


def _check_divisions(p: _Parser, tree: DocumentTree) -> None:
    """Legal divisions may run on through their scope or restart at 1 under a new parent."""
    runs: dict[tuple[str, int | None], tuple[Node, int | None]] = {}

    def visit(nodes: list[Node], ancestors: list[Node]) -> None:
        for node in nodes:
            if node.kind in DIVISION_SCOPE and node.value is not None:
                scope_kind = DIVISION_SCOPE[node.kind]
                scope = next((id(a) for a in reversed(ancestors) if a.kind == scope_kind), None)
                parent = id(ancestors[-1]) if ancestors else None
                prev = runs.get((node.kind, scope))
                what = node.kind
                if prev is None or (prev[1] != parent and node.value == 1):
                    if node.value != 1:
                        p.report("F302", f"{what} numbering starts at {node.num}", node.line, 1)
                elif node.value == prev[0].value:
                    p.report(
                        "F301",
                        f"{what} {node.num} appears twice (first on line {prev[0].line})",
                        node.line,
                        1,
                    )
                elif node.value < prev[0].value:
                    p.report("F303", f"{what} {node.num} comes after {prev[0].num}", node.line, 1)
                elif node.value > prev[0].value + 1:
                    p.report("F302", f"{what} numbering jumps from {prev[0].num} to {node.num}", node.line, 1)
                runs[(node.kind, scope)] = (node, parent)
            visit(node.children, [*ancestors, node])

    visit(tree.body, [])


def _check_numbering(p: _Parser, tree: DocumentTree, first_article: int | None = None) -> None:
    skip = {"article", "paragraph", "hcontainer"}
    nodes = list(tree.nodes())
    if tree.mode == "legal":
        articles = [n for n in nodes if n.kind == "article"]
        if articles and articles[0].value != (first_article or 1):
            p.report(
                "F302",
                f"the first article is {articles[0].num}"
                + (f", not 第{first_article}条 as first_article says" if first_article else "")
                + "; eIds follow the printed numbers",
                articles[0].line,
                1,
            )
        _check_sequence(p, articles, "article")
        _check_divisions(p, tree)
        skip |= set(DIVISION_SCOPE)
    for children in (tree.body, *(n.children for n in nodes if n.children)):
        groups: dict[tuple[str, str | None], list[Node]] = {}
        for child in children:
            if child.kind in skip or child.value is None:
                continue
            groups.setdefault((child.kind, child.name), []).append(child)
        for (kind, _name), group in groups.items():
            if len(group) > 1 or group[0].value != 1:
                _check_sequence(p, group, kind)
    p.diagnostics.sort(key=lambda d: (d.location.line, d.location.col))
