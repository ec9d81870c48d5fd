"""Article-level comparison of two parsed versions (their articles, 题注 and notes, compared by
fadian/alignment), and the wIds that follow an article through them.

Articles are matched by what they say, not by their number: identical texts are anchored
first (a longest-common-subsequence alignment over normalised texts), then the gaps between
anchors are aligned by similarity (order-preserving, threshold 0.5). So an article that an
amendment only renumbered is recognised as the same article, keeps its wId, and is reported
as renumbered; one whose words changed is reported with a character-level redline
(diff-match-patch with semantic cleanup, which reads well for Chinese).
"""

from __future__ import annotations

from fadian.alignment import DocumentDiff, Provision, align, classify_changes, provision_of, redline
from fadian.eids import top_of
from fadian.model import DocumentTree


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


def diff_trees(
    old: DocumentTree,
    new: DocumentTree,
    old_provisions: list[Provision] | None = None,
    new_provisions: list[Provision] | None = None,
) -> DocumentDiff:
    """Compare two parsed versions (eIds assigned); pass their provisions if already made."""
    pairs = align(old_provisions or provisions(old), new_provisions or provisions(new))
    changes = classify_changes(pairs, items=True)
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
