"""Plain text of a Chinese legal or policy document → DocumentTree.

Pure: lines in, tree and diagnostics out; no I/O, no XML. Two reading
modes share one stack machine:

* legal  — 编 / 分编 / 章 / 节 / 条 (之一) / 款 / 项 （一） / 目 1.
* policy — 一、 / （一） / 1. / （1）, for notes, plans and reports.

A document is legal when it has at least one 第X条 line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .diagnostics import Diagnostic, diag
from .model import Block, DocumentTree, Node
from .numerals import CN_NUMERAL_CHARS, cn_to_int
from .sources import SourceLine

_NUM = f"[{CN_NUMERAL_CHARS}0-9０-９]"
_SPACE = " \t\u3000\u00a0"
_WS = f"[{_SPACE}]"

ARTICLE_RE = re.compile(
    rf"^(?P<di>[第笫])(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*条"
    rf"(?:之(?P<sub>[一二三四五六七八九十]+))?(?=$|{_WS}|【|[（(]删)"
)
DIVISION_RE = re.compile(
    rf"^(?P<di>[第笫])(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*(?P<unit>分编|编|章|节)"
    rf"(?:{_WS}*(?P<title>[^。；，]*))?$"
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
        try:
            value = cn_to_int(squashed)
        except ValueError:
            return 0
        if squashed == raw and not _FULLWIDTH_DIGIT.search(raw):
            _NUMBER_CACHE[raw] = value
        return value


_NUMBER_CACHE: dict[str, int] = {}
_FULLWIDTH_DIGIT = re.compile("[０-９]")


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


def parse_document(source: list[SourceLine], path: str = "<text>") -> tuple[DocumentTree, list[Diagnostic]]:
    """Parse the body lines of one document (front matter already removed)."""
    p = _Parser(path)
    lines = _lines(source)
    legal = any(ln.text[0] in _ARTICLE_START and ARTICLE_RE.match(ln.text) for ln in lines)
    tree = DocumentTree(mode="legal" if legal else "policy")
    i = _read_preface(lines, tree)
    if legal:
        _build_legal(p, lines, i, tree)
    else:
        _build_policy(p, lines, i, tree)
    _check_numbering(p, tree)
    return tree, p.diagnostics


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
def _build_legal(p: _Parser, lines: list[_Line], i: int, tree: DocumentTree) -> None:
    stack: list[Node] = []  # open divisions (book … section) then article, paragraph, points
    article: Node | None = None
    annex: Node | None = None

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

    while i < len(lines):
        ln = lines[i]
        text = ln.text
        squashed = _squash(text) if len(text) <= 16 else text
        i += 1
        starts_annex = (squashed[:2] == "附件" and ANNEX_RE.match(squashed) is not None) or (
            (article is not None or annex is not None) and _is_heading_like(text)
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
        if m:
            close_article()
            article = _article(p, m, ln)
            top_container().append(article)
            stack.append(article)
            if article.children:
                stack.append(article.children[-1])
            continue
        d = DIVISION_RE.match(text) if first_char in _ARTICLE_START else None
        if d and len(text) <= 60:
            close_article()
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
            close_to_rank(LEGAL_RANK[kind])
            if stack and LEGAL_RANK[stack[-1].kind] >= LEGAL_RANK[kind]:
                p.report("F310", f"{node.num} cannot sit inside {stack[-1].num}", ln.number, ln.col)
            top_container().append(node)
            stack.append(node)
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
        if article is None:
            # text before the first article: preamble-like
            if stack:
                stack[-1].intro.append(_text_block(p, ln))
            else:
                tree.preamble.append(_text_block(p, ln))
            continue
        _article_line(p, stack, article, ln)
    _collect_conclusions(tree)


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
        (stack[-1].children if stack else tree.body).append(node)
        stack.append(node)
    _collect_conclusions(tree)
    if not tree.conclusions and tree.preamble and tree.preamble[-1].kind == "source":
        tree.conclusions.append(tree.preamble.pop())


# -- numbering checks ---------------------------------------------------------------
def _check_sequence(p: _Parser, nodes: list[Node], what: str) -> None:
    """Numbers must run 1, 2, 3 … (之一 after its base); report duplicates, gaps, disorder."""
    seen: set[tuple[int, int]] = set()
    prev: tuple[int, int] | None = None
    for node in nodes:
        if node.value is None:
            continue
        key = (node.value, node.sub)
        if key in seen:
            p.report("F301", f"{what} {node.num} appears twice", node.line, 1)
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
        seen.add(key)
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
                    p.report("F301", f"{what} {node.num} appears twice", node.line, 1)
                elif node.value < prev[0].value:
                    p.report("F303", f"{what} {node.num} comes after {prev[0].num}", node.line, 1)
                elif node.value > prev[0].value + 1:
                    p.report("F302", f"{what} numbering jumps from {prev[0].num} to {node.num}", node.line, 1)
                runs[(node.kind, scope)] = (node, parent)
            visit(node.children, [*ancestors, node])

    visit(tree.body, [])


def _check_numbering(p: _Parser, tree: DocumentTree) -> None:
    skip = {"article", "paragraph", "hcontainer"}
    nodes = list(tree.nodes())
    if tree.mode == "legal":
        articles = [n for n in nodes if n.kind == "article"]
        if articles and articles[0].value != 1:
            p.report("F302", f"the first article is {articles[0].num}", articles[0].line, 1)
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
