"""Plain text of a Chinese legal or policy document → DocumentTree.

Pure: lines in, tree and diagnostics out; no I/O, no XML. Two reading
modes share one stack machine:

* legal  — 编 / 分编 / 章 / 节 / 条 (之一) / 款 / 项 （一） / 目 1.
* policy — 一、 / （一） / 1. / （1）, for notes, plans and reports.

A document is legal when it has at least one 第X条 line.
"""

from __future__ import annotations

from fadian.diagnostics import Diagnostic
from fadian.model import Block, DocumentTree
from fadian.read.checks import check_heading_lines, check_numbering
from fadian.read.legal import build_legal
from fadian.read.lines import Line, LineReader, read_lines
from fadian.read.patterns import (
    ARTICLE_RE,
    ARTICLE_START,
    DATE_LINE_RE,
    DIVISION_RE,
    PAREN_LINE_RE,
    SOURCE_RE,
    is_structural,
)
from fadian.read.policy import build_policy
from fadian.read.sources import SourceLine


def parse_document(
    source: list[SourceLine], path: str = "<text>", *, first_article: int | None = None
) -> tuple[DocumentTree, list[Diagnostic]]:
    """Parse the body lines of one document (front matter already removed).

    ``first_article`` is where an excerpt's numbering starts (民法典 合同编: 463); any other
    start is a warning.
    """
    p = LineReader(path)
    lines = read_lines(source)
    # one pass over the lines that can be headings: articles, then divisions (第X章 …)
    article_lines: list[int] = []
    division_lines: list[int] = []
    for k, ln in enumerate(lines):
        if ln.text[0] in ARTICLE_START:
            if ARTICLE_RE.match(ln.text):
                article_lines.append(k)
            elif DIVISION_RE.match(ln.text):
                division_lines.append(k)
    legal = bool(article_lines)
    tree = DocumentTree(mode="legal" if legal else "policy")
    i = _read_preface(lines, tree)
    articles = 0
    if legal:
        used = build_legal(p, lines, i, tree, article_lines[-1], [k for k in division_lines if k >= i])
        articles = check_heading_lines(
            p, lines, used, tree, [lines[k] for k in article_lines], [lines[k] for k in division_lines]
        )
    else:
        build_policy(p, lines, i, tree)
    check_numbering(p, tree, first_article)
    if articles > MAX_ARTICLES:
        p.report("F315", f"{articles:,} articles (limit {MAX_ARTICLES:,})", lines[0].number if lines else 1)
    return tree, p.diagnostics


MAX_ARTICLES = 30_000  # 民法典 has 1,260; a text beyond this is not one document


def _read_preface(lines: list[Line], tree: DocumentTree) -> int:
    """Title line, then （subtitle） lines and dated adoption/amendment lines."""
    if not lines:
        return 0
    tree.title.append(Block("p", lines[0].text, lines[0].number, lines[0].col))
    i = 1
    while i < len(lines):
        text = lines[i].text
        if is_structural(text) or not (PAREN_LINE_RE.match(text) or DATE_LINE_RE.match(text)):
            break
        if SOURCE_RE.match(text):
            break
        tree.title.append(Block("p", text, lines[i].number, lines[i].col))
        i += 1
    return i
