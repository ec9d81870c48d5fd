"""The parsed document tree: what the parser produces and the AKN writer reads.

Node kinds are AKN element names (``chapter``, ``article``, ``paragraph``,
``point`` …) so that the mapping from Chinese structure to AKN is decided
once, in the parser, and the writer stays mechanical.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["p", "figure", "footnotes", "source", "outline", "toc", "list", "note"]


@dataclass(slots=True)
class Block:
    """A run of text that is not structure: a paragraph, a caption, a note list."""

    kind: BlockKind
    text: str
    line: int
    col: int = 1
    num: str | None = None
    items: list[Block] = field(default_factory=list)
    level: int = 0
    href: str | None = None  # toc entries: the body node they point to
    lead: str = ""  # footnote lists: text before the first note, e.g. （附注：
    tail: str = ""  # and after the last, e.g. ）
    spans: list = field(default_factory=list)  # citations marked by refs.resolve_refs
    payload: object = None  # an amendment instrument's provision (amend.Provision)


@dataclass(slots=True)
class Node:
    """A numbered (or named) unit of structure: 编, 章, 条, 款, 项, 目, 一、 …"""

    kind: str
    line: int
    num: str | None = None  # as printed: 第一条, （一）, 1.
    value: int | None = None  # 12 for 第十二条
    sub: int = 0  # 1 for 第十二条之一
    heading: str | None = None
    intro: list[Block] = field(default_factory=list)  # content, or text before children
    children: list[Node] = field(default_factory=list)
    wrapup: list[Block] = field(default_factory=list)  # text after the last child
    name: str | None = None  # hcontainer @name, or a doc-level role
    eid: str = ""


@dataclass
class DocumentTree:
    mode: Literal["legal", "policy"]
    title: list[Block] = field(default_factory=list)
    toc: Block | None = None  # kind "toc": a 目录 checked against the body
    preamble: list[Block] = field(default_factory=list)
    body: list[Node] = field(default_factory=list)
    conclusions: list[Block] = field(default_factory=list)
    instrument: object = None  # amend.Instrument, when the document is an amendment instrument

    def nodes(self):
        stack = list(reversed(self.body))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def count(self, kind: str) -> int:
        return sum(1 for n in self.nodes() if n.kind == kind)
