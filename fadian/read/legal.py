"""Legal mode: 编 / 分编 / 章 / 节 / 条 (之一) / 款 / 项 （一） / 目 1., with the recoveries that keep an
irregular real text readable (headings without a number or broken across lines, a misplaced
space, further paragraphs of a 项) and annexes after the last article."""

from __future__ import annotations

import bisect
import re

from fadian.model import Block, DocumentTree, Node
from fadian.read.lines import Line, LineReader, collect_conclusions, read_toc, text_block
from fadian.read.numerals import cn_to_int
from fadian.read.patterns import (
    ANNEX_RE,
    ARTICLE_RE,
    ARTICLE_START,
    DIVISION_KIND,
    DIVISION_RE,
    DIVISION_SCOPE,
    ITEM_RE,
    ITEM_START,
    LEGAL_RANK,
    LOOSE_ARTICLE_RE,
    SPACE,
    SUBITEM_RE,
    TOC_TITLES,
    UNNUMBERED_LEGAL,
    is_heading_like,
    is_structural,
    policy_level,
    squash,
)


# -- legal mode -------------------------------------------------------------------
def build_legal(
    p: LineReader, lines: list[Line], i: int, tree: DocumentTree, last_article: int, division_lines: list[int]
) -> dict[int, str]:
    """Read the body; returns the lines used as headings, line number → the unit's kind
    (numbered headings only: a heading read without its number is not a 第X章 line)."""
    body = _LegalBody(p, lines, tree, last_article, division_lines)
    while i < len(lines):
        i = body.read(i)
    collect_conclusions(tree)
    return body.used


class _LegalBody:
    """The body of a legal text as it is read, line by line: the units open around the line
    (divisions, then the article, its 款 and 项), the annex once one has begun, and the lines
    used as headings. Each kind of line has its reader; ``read`` says which one a line is for."""

    def __init__(
        self,
        p: LineReader,
        lines: list[Line],
        tree: DocumentTree,
        last_article: int,
        division_lines: list[int],
    ) -> None:
        self.p, self.lines, self.tree = p, lines, tree
        self.last_article, self.division_lines = last_article, division_lines
        self.stack: list[Node] = []  # open divisions (book … section) then article, paragraph, points
        self.article: Node | None = None
        self.annex: Node | None = None
        self.used: dict[int, str] = {}
        self.last_value = (0, 0)  # the last article's number, for reading odd headings

    def read(self, i: int) -> int:
        """Read line ``i`` (and the lines that belong to it); the index of the next line."""
        ln = self.lines[i]
        text = ln.text
        squashed = squash(text) if len(text) <= 16 else text
        i += 1
        heading_like = (self.article is not None or self.annex is not None) and is_heading_like(text)
        starts_annex = (squashed[:2] == "附件" and ANNEX_RE.match(squashed) is not None) or (
            heading_like and (self.annex is not None or i - 1 > self.last_article)
        )
        if self.annex is not None and not starts_annex:
            _annex_line(self.p, self.annex, ln)
            return i
        if squashed in TOC_TITLES and self.tree.toc is None and self.article is None:
            self.tree.toc, i = read_toc(self.p, self.lines, i - 1, legal=True)
            return i
        if squashed == "序言" and not self.tree.body:
            return self.read_preamble(ln, i)
        first_char = text[0]
        m = ARTICLE_RE.match(text) if first_char in ARTICLE_START else None
        loose = m is None and first_char in ARTICLE_START and self.article is not None
        if loose:
            m = _loose_article(text, self.last_value)
        if m:
            self.open_article(m, ln, loose)
            return i
        d = DIVISION_RE.match(text) if first_char in ARTICLE_START else None
        if d and len(text) <= 60:
            return self.read_division(d, ln, i)
        if squashed in UNNUMBERED_LEGAL and len(text) <= 8:
            self.close_article()
            self.close_to_rank(0)  # an unnumbered 附则 stands beside the 编 or 章 before it
            node = Node("hcontainer", ln.number, heading=text, name=UNNUMBERED_LEGAL[squashed])
            self.top_container().append(node)
            self.stack.append(node)
            return i
        if starts_annex:
            self.open_annex(ln, squashed)
            return i
        if self.heading_without_number(ln, i, heading_like):
            return i
        self.text_line(ln, heading_like)
        return i

    def top_container(self) -> list[Node]:
        for node in reversed(self.stack):
            if node.kind in LEGAL_RANK and node.kind != "article":
                return node.children
        return self.tree.body

    def close_to_rank(self, rank: int) -> None:
        while self.stack and LEGAL_RANK.get(self.stack[-1].kind, 99) >= rank:
            self.stack.pop()

    def close_article(self) -> None:
        while self.stack and self.stack[-1].kind in ("paragraph", "point", "article"):
            self.stack.pop()
        self.article = None

    def open_division(self, node: Node, ln: Line) -> None:
        self.close_article()
        self.close_to_rank(LEGAL_RANK[node.kind])
        if self.stack and LEGAL_RANK[self.stack[-1].kind] >= LEGAL_RANK[node.kind]:
            self.p.report("F310", f"{node.num} cannot sit inside {self.stack[-1].num}", ln.number, ln.col)
        self.top_container().append(node)
        self.stack.append(node)
        if node.num:
            self.used[ln.number] = node.kind

    def read_preamble(self, ln: Line, i: int) -> int:
        """序言 before the first division: its heading and the text up to the first structure."""
        self.tree.preamble.append(Block("p", ln.text, ln.number, ln.col, num="heading"))
        while i < len(self.lines) and not is_structural(self.lines[i].text):
            self.tree.preamble.append(text_block(self.p, self.lines[i]))
            i += 1
        return i

    def open_article(self, m: re.Match, ln: Line, loose: bool) -> None:
        """第X条: the article, and its first 款 when the heading line carries text."""
        p = self.p
        self.close_article()
        mark = len(p.diagnostics)
        article = self.article = _article(p, m, ln)
        if loose:  # one warning for the heading, not one per space
            p.diagnostics[mark:] = [d for d in p.diagnostics[mark:] if d.code != "F305"]
            heading = ln.text[: m.end()]
            message = f"misplaced space in the article heading {heading!r}; read as {article.num}"
            p.report("F305", message, ln.number, ln.col)
        self.last_value = (article.value or 0, article.sub)
        self.used[ln.number] = "article"
        self.top_container().append(article)
        self.stack.append(article)
        if article.children:
            self.stack.append(article.children[-1])

    def read_division(self, d: re.Match, ln: Line, i: int) -> int:
        """第X编 / 分编 / 章 / 节, and its heading's next line when the heading is broken there."""
        p, text = self.p, ln.text
        kind = DIVISION_KIND[d.group("unit")]
        if d.group("di") == "笫":
            p.report("F304", "look-alike 笫 used for 第 in a heading", ln.number, ln.col)
        _space_before_unit(p, d, ln)
        node = Node(
            kind,
            ln.number,
            num=squash(text[: d.end("unit")]),
            value=p.number(d.group("num"), ln, ln.col + 1),
            heading=(d.group("title") or "").strip(SPACE) or None,
        )
        self.open_division(node, ln)
        lines = self.lines
        if _continues_heading(lines, i) and not _lower_division_ahead(lines, i, kind, self.division_lines):
            nxt = lines[i]
            node.heading = (node.heading or "") + nxt.text
            message = f"the heading {node.num} continues on line {nxt.number}; read as one heading"
            p.report("F312", message, nxt.number, nxt.col)
            i += 1
        return i

    def open_annex(self, ln: Line, squashed: str) -> None:
        """附件 (or a title after the last article): what follows is an annex, not articles."""
        self.close_article()
        annex = self.annex = Node("hcontainer", ln.number, name="annex", heading=ln.text)
        if squashed.startswith("附件"):
            annex.num, annex.heading = ln.text, None
        self.tree.body.append(annex)
        self.stack.clear()

    def heading_without_number(self, ln: Line, i: int, heading_like: bool) -> bool:
        """A title printed without its number (山东省文物保护条例: 不可移动文物): between articles a
        heading of the level open around it, never an annex; right under a heading, the level
        below it (舟山市物业管理条例: 第三章 业主组织 / 业主大会 / … 第二节). False: not one."""
        stack, text = self.stack, ln.text
        just_opened = self.article is None and bool(stack) and stack[-1].kind in DIVISION_SCOPE
        if not (
            (heading_like or (just_opened and not stack[-1].children and is_heading_like(text)))
            and i < len(self.lines)
            and _opens_provision(self.lines[i].text)
        ):
            return False
        if just_opened:
            kind = _CHILD_KIND[stack[-1].kind]
            ahead = _next_division(self.lines, i, self.division_lines)
            if ahead is not None and LEGAL_RANK[ahead] > LEGAL_RANK[stack[-1].kind]:
                kind = ahead
        else:
            kind = next((n.kind for n in reversed(stack) if n.kind in DIVISION_SCOPE), "chapter")
        self.open_division(Node(kind, ln.number, heading=text), ln)
        message = f"{text!r} has no number; read as a {_UNIT_NAME[kind]} heading without one"
        self.p.report("F311", message, ln.number, ln.col)
        return True

    def text_line(self, ln: Line, heading_like: bool) -> None:
        """A line of text: before the first article, the text of the division open around it (or
        the preamble); in an article, its next 款, 项 or 目."""
        if self.article is None:
            (self.stack[-1].intro if self.stack else self.tree.preamble).append(text_block(self.p, ln))
            return
        if heading_like:
            num = self.article.num
            message = f"{ln.text!r} looks like a heading but text follows it; read as a paragraph of {num}"
            self.p.report("F313", message, ln.number, ln.col)
        _article_line(self.p, self.stack, self.article, ln)


_UNIT_NAME = {"book": "编", "part": "分编", "chapter": "章", "section": "节"}
_CHILD_KIND = {"book": "chapter", "part": "chapter", "chapter": "section", "section": "section"}


def _next_division(lines: list[Line], i: int, division_lines: list[int]) -> str | None:
    """The kind of the next numbered division heading at or after line index ``i``."""
    k = bisect.bisect_left(division_lines, i)
    if k == len(division_lines):
        return None
    m = DIVISION_RE.match(lines[division_lines[k]].text)
    return DIVISION_KIND[m.group("unit")] if m else None


def _lower_division_ahead(lines: list[Line], i: int, kind: str, division_lines: list[int]) -> bool:
    ahead = _next_division(lines, i, division_lines)
    return ahead is not None and LEGAL_RANK[ahead] > LEGAL_RANK[kind]


def _opens_provision(text: str) -> bool:
    """The line starts an article or a numbered division."""
    return text[0] in ARTICLE_START and (ARTICLE_RE.match(text) or DIVISION_RE.match(text)) is not None


def _continues_heading(lines: list[Line], i: int) -> bool:
    """第三章 审查和批准决算，听取和审议国民经济和 / 社会发展计划…: a heading broken across two
    lines, the second short, without a full stop, and followed by an article or heading."""
    if i + 1 >= len(lines):
        return False
    text = lines[i].text
    return (
        len(text) <= 40
        and not _STOP_PUNCT.search(text)
        and not policy_level(text)
        and not _opens_provision(text)
        and _opens_provision(lines[i + 1].text)
    )


_STOP_PUNCT = re.compile("[。；;：:！？]")


def _loose_article(text: str, last: tuple[int, int]) -> re.Match | None:
    """An article heading with a misplaced space, read only when it is the expected next one."""
    m = LOOSE_ARTICLE_RE.match(text)
    if m is None or not any(c in SPACE for c in text[: m.end()]):
        return None
    try:
        value = cn_to_int(squash(m.group("num")))
        sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    except ValueError:
        return None
    return m if (value, sub) in ((last[0] + 1, 0), (last[0], last[1] + 1)) else None


def _space_before_unit(p: LineReader, m: re.Match, ln: Line) -> None:
    """第一百二十八 条: a stray space between the number and 条/章 (inside ones are caught
    by ``LineReader.number``)."""
    gap = m.string[m.end("num") : m.end()]
    if gap[:1] in SPACE and gap.strip(SPACE)[:1] in ("条", "章", "节", "编", "分"):
        p.report(
            "F305",
            f"space inside the number {m.string[: m.end()].strip(SPACE)!r}",
            ln.number,
            ln.col + m.end("num"),
        )


def _article(p: LineReader, m: re.Match, ln: Line) -> Node:
    if m.group("di") == "笫":
        p.report("F304", "look-alike 笫 used for 第 in an article number", ln.number, ln.col)
    value = p.number(m.group("num"), ln, ln.col + 1)
    _space_before_unit(p, m, ln)
    sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    num = "第" + squash(m.group("num")) + "条" + (f"之{m.group('sub')}" if sub else "")
    node = Node("article", ln.number, num=num, value=value, sub=sub)
    rest = m.string[m.end() :]
    col = ln.col + m.end()
    lead = len(rest) - len(rest.lstrip(SPACE))
    rest, col = rest[lead:], col + lead
    if rest.startswith("【"):
        close = rest.find("】")
        if close < 0:
            p.report("F306", "article heading opened with 【 is not closed", ln.number, col)
            node.heading, rest = rest[1:].strip(SPACE) or None, ""
        else:
            node.heading = rest[1:close].strip(SPACE) or None
            rest = rest[close + 1 :]
            lead = len(rest) - len(rest.lstrip(SPACE))
            col += close + 1 + lead
            rest = rest[lead:]
    if rest:
        para = Node("paragraph", ln.number)
        para.intro.append(Block("p", rest, ln.number, col))
        node.children.append(para)
    return node


def _article_line(p: LineReader, stack: list[Node], article: Node, ln: Line) -> None:
    """A line inside an article: a new 款, a 项, a 目, or a note."""
    first_char = ln.text[0]
    item = ITEM_RE.match(ln.text) if first_char in ITEM_START else None
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
    block = text_block(p, ln)
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


def _annex_line(p: LineReader, annex: Node, ln: Line) -> None:
    sub = SUBITEM_RE.match(ln.text)
    if sub:
        if not annex.intro or annex.intro[-1].kind != "list":
            annex.intro.append(Block("list", "", ln.number, ln.col))
        annex.intro[-1].items.append(
            Block("p", sub.group("text"), ln.number, ln.col + sub.start("text"), num=sub.group("num"))
        )
        return
    annex.intro.append(text_block(p, ln))
