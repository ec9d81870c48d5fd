"""eIds per the AKN naming convention, derived from printed numbers only.

Articles are numbered continuously through a Chinese law, so ``art_12``
carries no chapter prefix; units whose numbering restarts (章 in each 编,
节 in each 章, 款 and 项 in each 条) are prefixed by their parent's eId.
第十二条之一 becomes ``art_12-1``. The result depends on the numbers alone,
so inserting an article changes no other article's eId.
"""

from __future__ import annotations

from fadian.model import DocumentTree, Node

PREFIX = {
    "book": "book",
    "part": "part",
    "chapter": "chp",
    "section": "sec",
    "subsection": "subsec",
    "article": "art",
    "paragraph": "para",
    "point": "point",
    "hcontainer": "hcontainer",
}
UNPREFIXED = {"article"}  # numbered continuously across the whole document
ORDINAL = {"paragraph"}  # 款 are not printed with numbers: count them
LEGAL_ORDINAL = {"hcontainer"}


def _own_id(node: Node, ordinal: int, legal: bool) -> str:
    prefix = PREFIX.get(node.kind, node.kind)
    if node.kind == "paragraph" and not legal and node.value is not None:
        return f"{prefix}_{node.value}"
    if node.kind in ORDINAL or node.kind in LEGAL_ORDINAL or node.value is None:
        return f"{prefix}_{ordinal}"
    return f"{prefix}_{node.value}" + (f"-{node.sub}" if node.sub else "")


def assign_eids(tree: DocumentTree) -> None:
    """Set ``eid`` on every node; duplicates (already an F301 error) get a suffix."""
    seen: set[str] = set()
    legal = tree.mode == "legal"

    def visit(nodes: list[Node], parent_eid: str) -> None:
        ordinals: dict[str, int] = {}
        for node in nodes:
            ordinals[node.kind] = ordinals.get(node.kind, 0) + 1
            own = _own_id(node, ordinals[node.kind], legal)
            eid = own if (node.kind in UNPREFIXED and legal) or not parent_eid else f"{parent_eid}__{own}"
            base, k = eid, 1
            while eid in seen:
                k += 1
                eid = f"{base}-dup{k}"
            seen.add(eid)
            node.eid = eid
            visit(node.children, eid)

    visit(tree.body, "")
