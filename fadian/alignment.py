"""Matching the articles of two versions by what they say, not by their number: identical texts
are anchored first (a longest-common-subsequence alignment over normalised texts), then the
gaps between anchors are aligned by similarity (order-preserving, threshold 0.5). The history
(version diffs) and the drafting of instruments (amend/draft) both read versions this way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from fadian.model import Block, Node

SIMILARITY = 0.5


@dataclass
class Provision:
    """One article (or top-level unit of a policy text) as compared across versions."""

    eid: str
    num: str
    order: tuple[int, int]
    text: str  # as printed: paragraphs joined by newlines
    exact: str  # white space removed: any other difference is a change
    node: Node | None = None
    _grams: frozenset[str] | None = None
    _items: list[Provision] | None = None

    @property
    def key(self) -> str:
        return self.exact

    @property
    def items(self) -> list[Provision]:
        """The 项 of the article, computed only when a modified article is itemised."""
        if self._items is None:
            self._items = []
            if self.node is not None:
                for para in self.node.children:
                    for point in para.children:
                        if point.kind == "point":
                            item = provision_of(point)
                            item.text = f"{point.num or ''}{item.text}"
                            item.exact = exact_text(item.text)
                            self._items.append(item)
        return self._items

    def grams(self) -> frozenset[str]:
        if self._grams is None:
            k = self.key
            self._grams = frozenset(k[i : i + 2] for i in range(len(k) - 1)) or frozenset([k])
        return self._grams


def exact_text(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


def _blocks_text(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if b.kind != "note"]


def node_text(node: Node) -> str:
    lines = _blocks_text(node.intro)
    for child in node.children:
        child_text = node_text(child)
        lines.append(((child.num or "") + child_text) if child.kind == "point" else child_text)
    lines += _blocks_text(node.wrapup)
    return "\n".join(line for line in lines if line)


def provision_of(node: Node) -> Provision:
    text = node_text(node)
    return Provision(node.eid, node.num or "", (node.value or 0, node.sub), text, exact_text(text), node)


def similarity(a: Provision, b: Provision) -> float:
    ga, gb = a.grams(), b.grams()
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def _align_gap(old: list[Provision], new: list[Provision]) -> list[tuple[Provision | None, Provision | None]]:
    """Order-preserving alignment maximising total similarity (pairs below the threshold are
    not matched): a Needleman–Wunsch table with zero gap cost."""
    n, m = len(old), len(new)
    if n == 0 or m == 0:
        return [(o, None) for o in old] + [(None, w) for w in new]
    sim = [[similarity(o, w) for w in new] for o in old]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = score[i], score[i + 1]
        for j in range(m - 1, -1, -1):
            best = max(below[j], row[j + 1])
            s = sim[i][j]
            if s >= SIMILARITY:
                best = max(best, s + below[j + 1])
            row[j] = best
    pairs: list[tuple[Provision | None, Provision | None]] = []
    i = j = 0
    while i < n and j < m:
        s = sim[i][j]
        if s >= SIMILARITY and score[i][j] == s + score[i + 1][j + 1]:
            pairs.append((old[i], new[j]))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            pairs.append((old[i], None))
            i += 1
        else:
            pairs.append((None, new[j]))
            j += 1
    pairs += [(o, None) for o in old[i:]] + [(None, w) for w in new[j:]]
    return pairs


def align(old: list[Provision], new: list[Provision]) -> list[tuple[Provision | None, Provision | None]]:
    """Pairs (old, new), None for a side that has no counterpart, in reading order."""
    matcher = SequenceMatcher(None, [p.key for p in old], [p.key for p in new], autojunk=False)
    pairs: list[tuple[Provision | None, Provision | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += list(zip(old[i1:i2], new[j1:j2], strict=True))
        else:
            pairs += _align_gap(old[i1:i2], new[j1:j2])
    return pairs
