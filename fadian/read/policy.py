"""Policy mode: 一、 / （一） / 1. / （1） for notes, plans and reports; a short numbered line
without sentence punctuation is a heading, text after a list that a lead-in ending in ： opened
is the parent's wrap-up."""

from __future__ import annotations

from fadian.model import Block, DocumentTree, Node
from fadian.read.lines import Line, LineReader, collect_conclusions, read_toc, text_block
from fadian.read.patterns import (
    POLICY_KINDS,
    TOC_TITLES,
    is_heading_like,
    policy_level,
    squash,
)


def _closes_list(node: Node) -> bool:
    """Items introduced by a lead-in ending in ： form a list; plain text after them wraps up."""
    return (bool(node.intro) and node.intro[-1].text.endswith(("：", ":"))) or bool(node.wrapup)


def build_policy(p: LineReader, lines: list[Line], i: int, tree: DocumentTree) -> None:
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
        squashed = squash(ln.text)
        if squashed in TOC_TITLES:
            toc, i = read_toc(p, lines, i, legal=False)
            add_text(toc)
            continue
        i += 1
        found = policy_level(ln.text)
        if found is None:
            add_text(text_block(p, ln))
            continue
        level, m = found
        kind = POLICY_KINDS[level]
        node = Node(
            kind, ln.number, num=m.group("q") + m.group("num"), value=p.number(m.group("n"), ln, ln.col)
        )
        text = m.group("text")
        col = ln.col + m.start("text")
        if text:
            if is_heading_like(text) and not m.group("q"):
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
    collect_conclusions(tree)
    if not tree.conclusions and tree.preamble and tree.preamble[-1].kind == "source":
        tree.conclusions.append(tree.preamble.pop())
