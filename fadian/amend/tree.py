"""An amendment instrument as a DocumentTree: each provision an article whose content is one
``mod`` block (the Provision, for the AKN writer), quoted provisions parsed as the amended
law's structure but kept out of the instrument's own.

Pure: the :class:`~fadian.amend.Instrument` in, the tree out. The AKN writer turns a ``mod``
block into ``<mod>`` with ``<ref>``s to the amended work, ``<quotedStructure>`` or
``<quotedText>``, and the document's ``activeModifications``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fadian.akn.ids import assign_eids
from fadian.amend.model import Instrument, Operation, Provision, Target
from fadian.model import Block, DocumentTree, Node
from fadian.read.sources import SourceLine

STRUCTURE_KINDS = {"substitute", "insert_para", "insert_article", "insert_section_articles", "join"}
_DATE_OR_PAREN = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[（(][^（）()]+[）)]$)")


@dataclass
class QuotedStructure:
    """A quotation that holds whole provisions: its nodes, parsed as the amended law's text."""

    nodes: list[Node]
    paragraphs: list[str]


def instrument_tree(instrument: Instrument) -> DocumentTree:
    tree = DocumentTree(mode="legal")
    if instrument.title:
        tree.title.append(Block("p", instrument.title, 1))
    in_title = True
    for ln in instrument.preamble:
        if in_title and _DATE_OR_PAREN.match(ln.text):
            tree.title.append(Block("p", ln.text, ln.number))
            continue
        in_title = False
        tree.preamble.append(Block("p", ln.text, ln.number))
    for prov in instrument.provisions:
        node = Node("article", prov.line, num=prov.num, value=prov.value)
        node.intro.append(Block("p", prov.text, prov.line, payload=prov))
        tree.body.append(node)
    tree.conclusions.extend(Block("p", ln.text, ln.number) for ln in instrument.closing)
    tree.instrument = instrument
    return tree


def structural_quotes(prov: Provision) -> set[int]:
    """Indexes of the quotations that hold provisions (a whole 条, 款, 节), not words."""
    out = set()
    for k, quote in enumerate(prov.quotes):
        if any(op.kind in STRUCTURE_KINDS and op.quoted == quote.paragraphs for op in prov.operations):
            out.add(k)
    return out


def quoted_nodes(paragraphs: list[str], prefix: str) -> list[Node]:
    """Quoted provisions as nodes with eIds under ``prefix``: whole articles or a 节 with its
    articles when the quote starts with 第X条/第X节; otherwise 款 (with their 项)."""
    from fadian.read.parse import parse_document
    from fadian.read.patterns import ARTICLE_RE, DIVISION_RE

    first = paragraphs[0] if paragraphs else ""
    whole = bool(ARTICLE_RE.match(first) or DIVISION_RE.match(first))
    lines = [SourceLine(k + 2, text) for k, text in enumerate(paragraphs)]
    if not whole:
        lines.insert(0, SourceLine(1, "第一条"))
    # a title line first, as every text has one; it is dropped below
    tree, _diags = parse_document([SourceLine(0, "引文"), *lines])
    nodes = tree.body if whole else [c for n in tree.body for c in n.children]
    wrapper = DocumentTree(mode="legal", body=nodes)
    assign_eids(wrapper)
    for node in wrapper.nodes():
        node.eid = f"{prefix}__{node.eid}"
    return nodes


def operation_destinations(op: Operation) -> list[str]:
    """The eIds of the amended work an operation changes (its target and any others)."""
    if op.kind == "renumber":
        return [f"art_{old}" for old, _new in op.mapping]
    if op.kind == "renumber_division":
        return [f"chp_{op.new_number}__sec_{new}" for _old, new in op.mapping]
    if op.kind == "insert_para" and op.target is not None:
        return [Target(op.target.article, op.target.sub, op.new_number).eid]
    if op.kind == "insert_point" and op.target is not None:
        return [Target(op.target.article, op.target.sub, op.target.para or 1, op.new_number).eid]
    if op.kind == "insert_article" and op.target is not None:
        return [f"art_{op.target.article}-{op.new_number}"]
    if op.kind == "insert_section_articles":
        return [f"art_{n}" for first, last in op.mapping for n in range(first, last + 1)]
    targets = [op.target, *op.others] if op.target is not None else []
    return [t.eid for t in targets]
