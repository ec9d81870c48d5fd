"""Article-level comparison of two versions: alignment by content, wIds, redlines.

Articles are matched by what they say, not by their number: identical texts are anchored
first (a longest-common-subsequence alignment over normalised texts), then the gaps between
anchors are aligned by similarity (order-preserving, threshold 0.5). So an article that an
amendment only renumbered is recognised as the same article, keeps its wId, and is reported
as renumbered; one whose words changed is reported with a character-level redline
(diff-match-patch with semantic cleanup, which reads well for Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fadian.alignment import Provision, align, provision_of
from fadian.eids import top_of
from fadian.model import DocumentTree


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


def provisions(tree: DocumentTree) -> list[Provision]:
    """The units compared: articles of a legal text, top-level units of a policy text."""
    if tree.mode == "legal":
        return [provision_of(n) for n in tree.nodes() if n.kind == "article"]
    return [provision_of(n) for n in tree.body]


def header_text(tree: DocumentTree) -> str:
    """Title lines, dated adoption/amendment lines and preamble: the "header"."""
    return "\n".join(b.text for b in tree.title + tree.preamble)


def notes_text(tree: DocumentTree) -> str:
    """Free-standing notes (① …) anywhere in the text."""
    notes = [b.text for n in tree.nodes() for b in n.intro + n.wrapup if b.kind == "note"]
    return "\n".join(notes)


def redline(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level diff as (op, text) with op equal/del/ins, cleaned up for reading."""
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    diffs = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(diffs)
    ops = {0: "equal", -1: "del", 1: "ins"}
    return [(ops[op], text) for op, text in diffs]


def _changes(pairs, *, items: bool) -> list[Change]:
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
                    change.items = _changes(align(o.items, w.items), items=False)
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


def diff_trees(
    old: DocumentTree,
    new: DocumentTree,
    old_provisions: list[Provision] | None = None,
    new_provisions: list[Provision] | None = None,
) -> DocumentDiff:
    """Compare two parsed versions (eIds assigned); pass their provisions if already made."""
    pairs = align(old_provisions or provisions(old), new_provisions or provisions(new))
    changes = _changes(pairs, items=True)
    old_head, new_head = header_text(old), header_text(new)
    old_notes, new_notes = notes_text(old), notes_text(new)
    header = redline(old_head, new_head) if old_head != new_head else None
    notes = redline(old_notes, new_notes) if old_notes != new_notes else None
    return DocumentDiff(changes, header, notes, pairs)


def assign_wids(
    trees: list[DocumentTree], provs: list[list[Provision]] | None = None
) -> list[dict[str, str]]:
    """wIds for every version: an article keeps the wId it got when it first appeared.

    Returns, per version, eId → wId for every node. A new article takes its eId as wId,
    unless an earlier article of the lineage already used it (then ``_vN`` is appended).
    """
    if len(trees) == 1:  # one version: every wId is its eId
        return [{node.eid: node.eid for node in trees[0].nodes()}]
    provs = provs or [provisions(t) for t in trees]
    result: list[dict[str, str]] = []
    used: set[str] = set()
    previous: dict[str, str] = {}
    for k, tree in enumerate(trees):
        article_wid: dict[str, str] = {}
        if k == 0:
            for p in provs[0]:
                article_wid[p.eid] = p.eid
        else:
            pairs = align(provs[k - 1], provs[k])
            for o, w in pairs:
                if w is None:
                    continue
                if o is not None and o.eid in previous:
                    article_wid[w.eid] = previous[o.eid]
                else:
                    wid = w.eid if w.eid not in used else f"{w.eid}_v{k + 1}"
                    article_wid[w.eid] = wid
        used.update(article_wid.values())
        mapping: dict[str, str] = {}
        for node in tree.nodes():
            eid = node.eid
            base = top_of(eid)
            mapping[eid] = article_wid[base] + eid[len(base) :] if base in article_wid else eid
        result.append(mapping)
        previous = article_wid
    return result
