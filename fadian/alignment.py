"""Matching the articles of two versions by what they say, not by their number: identical texts
are anchored first (a longest-common-subsequence alignment over normalised texts), then the
gaps between anchors are aligned by similarity (order-preserving, threshold 0.5); then each
pair is classified (added, deleted, modified, renumbered, moved) with a redline. The history
(versions in git: history/align), the 新旧对照 of two files of one work (akn/compare) and the
drafting of instruments (amend/draft) all read versions this way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass
class Change:
    kind: str  # added | deleted | modified | renumbered | moved
    old: Provision | None
    new: Provision | None
    modified: bool = False
    redline: list[tuple[str, str]] = field(default_factory=list)
    items: list[Change] = field(default_factory=list)
    wid: str = ""

    def to_json(self) -> dict:
        out = {
            "kind": self.kind,
            "modified": self.modified,
            "wid": self.wid,
            "old_eid": self.old.eid if self.old else None,
            "new_eid": self.new.eid if self.new else None,
            "old_num": self.old.num if self.old else None,
            "new_num": self.new.num if self.new else None,
            "redline": [[op, text] for op, text in self.redline],
        }
        if self.kind in ("added", "deleted"):
            out["text"] = (self.new or self.old).text
        if self.items:
            out["items"] = [item.to_json() for item in self.items]
        return out


def redline(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff as (op, text) with op equal/del/ins, cleaned up for reading."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(diffs)
    ops = {0: "equal", -1: "del", 1: "ins"}
    return [(ops[op], text) for op, text in diffs]


def classify_changes(pairs, *, items: bool) -> list[Change]:
    """Classify aligned pairs; an unmatched old text found verbatim among the unmatched new
    ones (out of order) was moved."""
    added = {id(w): w for o, w in pairs if o is None and w is not None}
    moved: dict[int, Provision] = {}  # id(old) -> new
    for o, w in pairs:
        if w is None and o is not None:
            twin = next(
                (
                    n
                    for n in added.values()
                    if n.key == o.key and id(n) not in {id(x) for x in moved.values()}
                ),
                None,
            )
            if twin is not None:
                moved[id(o)] = twin
    moved_new = {id(n) for n in moved.values()}
    changes: list[Change] = []
    for o, w in pairs:
        if o is None and w is not None:
            if id(w) not in moved_new:
                changes.append(Change("added", None, w))
        elif w is None and o is not None:
            twin = moved.get(id(o))
            changes.append(Change("moved", o, twin) if twin else Change("deleted", o, None))
        elif o is not None and w is not None:
            modified = o.exact != w.exact
            if not modified and o.order == w.order:
                continue
            change = Change("renumbered" if o.order != w.order else "modified", o, w, modified=modified)
            if modified:
                change.redline = redline(o.text, w.text)
                if items and (o.items or w.items):
                    change.items = classify_changes(align(o.items, w.items), items=False)
            changes.append(change)
    return changes


@dataclass
class DocumentDiff:
    changes: list[Change]
    header: list[tuple[str, str]] | None  # redline of the header when it changed
    notes: list[tuple[str, str]] | None
    pairs: list[tuple[Provision | None, Provision | None]]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.changes:
            key = c.kind + ("+modified" if c.kind in ("renumbered", "moved") and c.modified else "")
            out[key] = out.get(key, 0) + 1
        return out

    def unchanged(self) -> list[list[str]]:
        """[old eId, new eId, number] of the provisions that did not change at all."""
        return [
            [o.eid, w.eid, w.num]
            for o, w in self.pairs
            if o is not None and w is not None and o.exact == w.exact and o.order == w.order
        ]

    def to_json(self) -> dict:
        return {
            "counts": self.counts(),
            "unchanged": self.unchanged(),
            "header": [[op, t] for op, t in self.header] if self.header else None,
            "notes": [[op, t] for op, t in self.notes] if self.notes else None,
            "changes": [c.to_json() for c in self.changes],
        }
