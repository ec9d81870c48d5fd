"""eIds per the AKN naming convention, derived from printed numbers only, made and read here
alone.

An eId is a path of steps, ``art_12-1__para_2__point_3``: each step a unit's name (``art``,
``para``, ``point``, ``chp`` …), its number and, for 第十二条之一, a sub-number. :class:`Eid` is
that value: built (``Eid.article(12, sub=1).para(2).point(3)``), parsed (:meth:`Eid.parse`),
printed (``str``) and read aloud as a citation (:meth:`Eid.label`: 第十二条之一第二款第（三）项).
No other module spells an eId; the few hot paths that only cut one (a step's top, a unit inside
another) use the string helpers at the end of this module.

Articles are numbered continuously through a Chinese law, so ``art_12`` carries no chapter
prefix; units whose numbering restarts (章 in each 编, 节 in each 章, 款 and 项 in each 条) are
prefixed by their parent's eId. The result depends on the numbers alone, so inserting an
article changes no other article's eId.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fadian.model import DocumentTree, Node

SEP = "__"  # between the steps of an eId
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
_STEP = re.compile(r"([A-Za-z]+)(?:_(\d+)(?:-(\d+))?)?(?:-dup(\d+))?")


@dataclass(frozen=True, slots=True)
class Step:
    """One unit of an eId's path: ``art_12-1`` is Step("art", 12, 1); ``preamble`` has no number;
    ``dup`` numbers a repeated eId (``art_5-dup2``, after an F301 error)."""

    name: str
    number: int | None = None
    sub: int = 0
    dup: int = 0

    def __str__(self) -> str:
        out = self.name if self.number is None else f"{self.name}_{self.number}"
        if self.sub:
            out += f"-{self.sub}"
        return out + (f"-dup{self.dup}" if self.dup else "")


@dataclass(frozen=True, slots=True)
class Eid:
    """An eId: its steps from the outermost unit in."""

    steps: tuple[Step, ...]

    @classmethod
    def article(cls, number: int, sub: int = 0) -> Eid:
        return cls((Step("art", number, sub),))

    @classmethod
    def of(cls, name: str, number: int | None = None, sub: int = 0) -> Eid:
        """A unit at the top of the document: ``chp_3``, ``hcontainer_1``, ``preamble``."""
        return cls((Step(name, number, sub),))

    @classmethod
    def parse(cls, text: str) -> Eid | None:
        """The eId ``text`` spells, None when it is not one."""
        steps = []
        for part in text.split(SEP):
            m = _STEP.fullmatch(part)
            if m is None:
                return None
            number = int(m.group(2)) if m.group(2) else None
            steps.append(Step(m.group(1), number, int(m.group(3) or 0), int(m.group(4) or 0)))
        return cls(tuple(steps))

    def child(self, name: str, number: int | None = None, sub: int = 0) -> Eid:
        return Eid((*self.steps, Step(name, number, sub)))

    def para(self, number: int) -> Eid:
        return self.child("para", number)

    def point(self, number: int) -> Eid:
        """A 项: of this 款, or of the first 款 of this article (a 项 is always in a 款)."""
        base = self.para(1) if self.last.name == "art" else self
        return base.child("point", number)

    def mod(self, number: int) -> Eid:
        """The ``<mod>`` of an instrument's provision."""
        return self.child("mod", number)

    @property
    def last(self) -> Step:
        return self.steps[-1]

    @property
    def top(self) -> Eid:
        return Eid(self.steps[:1])

    @property
    def parent(self) -> Eid | None:
        return Eid(self.steps[:-1]) if len(self.steps) > 1 else None

    def __str__(self) -> str:
        return SEP.join(map(str, self.steps))

    def label(self) -> str:
        """The unit as a Chinese citation names it: 第十二条之一第二款第（三）项, 序言第二自然段,
        第三章第二节; the eId itself for a unit no citation names."""
        from fadian.read.numerals import int_to_cn

        out = ""
        for step in self.steps:
            n = int_to_cn(step.number) if step.number is not None else ""
            if step.name in _LABELS and (step.number is not None or step.name == "preamble"):
                out += _LABELS[step.name].format(n=n) + (f"之{int_to_cn(step.sub)}" if step.sub else "")
            else:
                return str(self)
        return out


_LABELS = {
    "book": "第{n}编",
    "part": "第{n}分编",
    "chp": "第{n}章",
    "sec": "第{n}节",
    "art": "第{n}条",
    "para": "第{n}款",
    "point": "第（{n}）项",
    "preamble": "序言",
    "p": "第{n}自然段",
}


def _own_step(node: Node, ordinal: int, legal: bool) -> Step:
    prefix = PREFIX.get(node.kind, node.kind)
    if node.kind == "paragraph" and not legal and node.value is not None:
        return Step(prefix, node.value)
    if node.kind in ORDINAL or node.kind in LEGAL_ORDINAL or node.value is None:
        return Step(prefix, ordinal)
    return Step(prefix, node.value, node.sub or 0)


def assign_eids(tree: DocumentTree) -> None:
    """Set ``eid`` on every node; duplicates (already an F301 error) get a suffix."""
    seen: set[str] = set()
    legal = tree.mode == "legal"

    def visit(nodes: list[Node], parent_eid: str) -> None:
        ordinals: dict[str, int] = {}
        for node in nodes:
            ordinals[node.kind] = ordinals.get(node.kind, 0) + 1
            own = str(_own_step(node, ordinals[node.kind], legal))
            eid = own if (node.kind in UNPREFIXED and legal) or not parent_eid else f"{parent_eid}{SEP}{own}"
            base, k = eid, 1
            while eid in seen:
                k += 1
                eid = f"{base}-dup{k}"
            seen.add(eid)
            node.eid = eid
            visit(node.children, eid)

    visit(tree.body, "")


# String helpers for the paths that cut thousands of eIds a build (no parsing)


def top_of(eid: str) -> str:
    """The outermost unit of an eId: ``art_12`` of ``art_12__para_2``."""
    return eid.split(SEP, 1)[0]


def is_inside(eid: str, outer: str) -> bool:
    """Whether ``eid`` names a unit inside ``outer`` (not ``outer`` itself)."""
    return eid.startswith(outer + SEP)


def nested(outer: str, inner: str) -> str:
    """``inner`` under ``outer``: the eId of a quoted provision under its quotation."""
    return f"{outer}{SEP}{inner}"
