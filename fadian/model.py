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
class ModText:
    """Words of an amendment instruction; ``targets`` are the provisions of the amended work it
    names (start, end, eId), which the writer links when the amended work is known."""

    text: str
    targets: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(slots=True)
class ModQuote:
    """A quotation of an instruction: words (``nodes`` None: quotedText) or whole provisions
    parsed as the amended law's structure (quotedStructure), with eIds under ``eid``."""

    eid: str
    text: str
    nodes: list[Node] | None = None


@dataclass(slots=True)
class TextualMod:
    """One change to the amended work (an AKN textualMod): its type and the eIds it changes
    ('' for the work as a whole), with the former eId of a renumbered unit."""

    type: str
    destinations: list[str]
    previous: str | None = None


@dataclass(slots=True)
class ModContent:
    """An instrument's provision as the AKN writer needs it: its words and quotations in order
    and its changes; a provision no instruction of which was understood is printed as its
    ``lines``."""

    eid: str  # the <mod>'s eId
    work: str = ""  # the title of the text it amends ('': the instrument's own, tree.amends)
    plain: bool = False  # no instruction of it understood (or only 本修正案自…施行): its lines
    pieces: list[ModText | ModQuote] = field(default_factory=list)
    changes: list[TextualMod] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


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
    mod: ModContent | None = None  # an amendment instrument's provision


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
    is_instrument: bool = False  # an amendment instrument (its articles hold ModContent)
    amends: str = ""  # an instrument: the title of the work it amends, when it names one

    def nodes(self):
        stack = list(reversed(self.body))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def count(self, kind: str) -> int:
        return sum(1 for n in self.nodes() if n.kind == kind)
