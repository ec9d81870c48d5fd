"""新旧对照 of two files of one work (a law kept as 公司法.txt and 公司法(2023).txt): each file's
articles read back from its AKN and compared as two versions in git are (fadian/alignment), so a
reader of one file can see what the next one changed. Pure: AKN trees in, a diff out."""

from __future__ import annotations

from lxml import etree

from fadian.akn.read import A
from fadian.alignment import DocumentDiff, Provision, align, classify_changes, exact_text, redline
from fadian.eids import Eid

_NOTE = f"{A}authorialNote"


def _text(el: etree._Element) -> str:
    """A block's text as printed, an editor's note inside it left out."""
    parts = [el.text or ""]
    for child in el:
        if child.tag != _NOTE:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(unit: etree._Element) -> list[tuple[etree._Element | None, str]]:
    """The printed lines of an article (or 项): each <p> outside notes, with the 项 it opens."""
    out = []
    for p in unit.iter(f"{A}p"):
        if any(a.tag == _NOTE for a in p.iterancestors()):
            continue
        point = next((a for a in p.iterancestors(f"{A}point")), None)
        first = point is not None and next(point.iter(f"{A}p"), None) is p
        num = point.findtext(f"{A}num", "") if first else ""
        out.append((point if first else None, num + _text(p)))
    return out


def _provision(unit: etree._Element, index: int) -> Provision:
    eid = unit.get("eId", "")
    parsed = Eid.parse(eid)
    step = parsed.steps[-1] if parsed is not None else None
    order = (step.number or 0, step.sub) if step is not None else (index, 0)
    lines = _blocks(unit)
    text = "\n".join(line for _point, line in lines if line)
    provision = Provision(eid, unit.findtext(f"{A}num", ""), order, text, exact_text(text))
    items = []
    for point in (point for point, _line in lines if point is not None):
        whole = "".join(text for _p, text in _blocks(point))
        num = point.findtext(f"{A}num", "")
        items.append(Provision(point.get("eId", ""), num, (len(items) + 1, 0), whole, exact_text(whole)))
    provision._items = items
    return provision


def akn_provisions(document: etree._Element) -> list[Provision]:
    """The units compared: a legal text's articles; a text without articles, its body's
    top-level units (as history/align reads a policy text)."""
    body = document.find(f"{A}body")
    if body is None:
        return []
    articles = list(body.iter(f"{A}article"))
    units = articles or [el for el in body if el.get("eId")]
    return [_provision(unit, k) for k, unit in enumerate(units, start=1)]


def akn_header(document: etree._Element) -> str:
    """The title lines, the dated 题注 and the preamble, as history/align's header."""
    lines = []
    for part in (document.find(f"{A}preface"), document.find(f"{A}preamble")):
        if part is None:
            continue
        for p in part.iter(f"{A}p"):
            if not any(a.get("name") == "toc" for a in p.iterancestors(f"{A}container")):
                lines.append(_text(p))
    return "\n".join(line for line in lines if line)


def diff_akn(old: etree._Element, new: etree._Element) -> DocumentDiff:
    """The article-level changes from one file of a work to the next (AKN document elements)."""
    pairs = align(akn_provisions(old), akn_provisions(new))
    old_head, new_head = akn_header(old), akn_header(new)
    header = redline(old_head, new_head) if old_head != new_head else None
    return DocumentDiff(classify_changes(pairs, items=True), header, None, pairs)
