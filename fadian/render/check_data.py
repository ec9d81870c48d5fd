"""The static data the site's 引用核验 page (assets/fadian.js: fadianCheck) reads, so that a
reader's own text is checked in the browser without the collection's AKN:

- ``check/names/<k>.json``: the works' titles as the citation index keys them (without spaces,
  bracket width or 中华人民共和国), each with its work URI, in 256 buckets by the title's first
  character — a citation looks up one small file, never a list of the whole collection;
- ``<expression>/articles.json`` beside each version's AKN: its articles by number, each with a
  digest of its text (access/site_data compares the same blocks) and its 款 with their 项
  counts, to say whether a cited 条/款/项 exists and whether a later version changed it.

Pure: AKN trees and titles in, JSON text out."""

from __future__ import annotations

import hashlib
import json

from lxml import etree

from fadian.akn.read import A, provision_blocks
from fadian.eids import Eid, Step
from fadian.refs.index import normalise_title

NAME_BUCKETS = 256
ARTICLES_FILE = "articles.json"
CHECK_PAGE = "check.md"
CHECK_SCRIPT = "assets/fadian-check.js"


def name_bucket(key: str) -> int:
    """The bucket of a title key: its first character's code point, modulo the bucket count
    (assets/fadian.js computes the same)."""
    return ord(key[0]) % NAME_BUCKETS if key else 0


def name_files(works: list[tuple[str, str]]) -> dict[str, str]:
    """``check/names/<k>.json`` for every bucket (an empty one too: no request fails), from
    (work URI, title) pairs; a title two works share is the later one's, as in the index."""
    keys: dict[str, str] = {}
    for uri, title in works:
        key = normalise_title(title)
        if key:
            keys[key] = uri
    buckets: list[list[list[str]]] = [[] for _ in range(NAME_BUCKETS)]
    for key in sorted(keys):
        buckets[name_bucket(key)].append([key, keys[key]])
    return {f"check/names/{k}.json": _compact(rows) for k, rows in enumerate(buckets)}


def articles_json(document: etree._Element, moved: dict[str, str] | None = None) -> str:
    """One version's articles, as {"articles": …}: the article's number (165; 165-1 for 之一) →
    [its digest, then each 款: its digest, or [its digest, each 项's digest] when it has 项]. A
    digest is of the unit's blocks
    (akn/read.provision_blocks: what access/site_data compares), 8 hex digits of their sha256.
    ``moved``: the articles of the version before that this one holds under another number (its
    comparison with that version found them, changed or not), as {"moved": {"10": "9"}}."""
    out = article_entries(document)
    return _compact({"articles": out, **({"moved": dict(sorted(moved.items()))} if moved else {})})


def article_entries(document: etree._Element) -> dict[str, list]:
    """Each article of a version by its key (:func:`article_key`): [its digest, its 款'…]."""
    out: dict[str, list] = {}
    body = document.find(f"{A}body")
    for article in body.iter(f"{A}article") if body is not None else ():
        eid = Eid.parse(article.get("eId", ""))
        key = article_key(eid) if eid is not None and len(eid.steps) == 1 else None
        if key is not None:
            out[key] = [_digest(article), *(_paragraph(p) for p in article.findall(f"{A}paragraph"))]
    return out


def moved_articles(changes: list[dict]) -> dict[str, str]:
    """From a comparison's changes (alignment: history.json's diffs, akn/compare): each article
    of the older version now under another number, by its number then and now (165, 165-1)."""
    out = {}
    for change in changes:
        old, new = Eid.parse(change.get("old_eid") or ""), Eid.parse(change.get("new_eid") or "")
        if old is None or new is None or len(old.steps) != 1 or len(new.steps) != 1:
            continue
        if old.last.name == new.last.name == "art" and old.last.number and new.last.number:
            before, now = article_key(old), article_key(new)
            if before is not None and now is not None and before != now:
                out[before] = now
    return out


def article_key(eid: Eid) -> str | None:
    """The key of the article ``eid`` is in, as the 引用核验 data names it (165; 165-1 for 之一);
    None for a unit of no article."""
    top = eid.steps[0]
    if top.name != "art" or top.number is None:
        return None
    return f"{top.number}" + (f"-{top.sub}" if top.sub else "")


def under_article(key: str, eid: Eid) -> Eid:
    """``eid`` (an article, or a 款 or 项 of it) under the article ``key`` names instead."""
    number, _, sub = key.partition("-")
    return Eid((Step("art", int(number), int(sub or 0)), *eid.steps[1:]))


def _paragraph(paragraph: etree._Element) -> str | list[str]:
    """A 款's digest, with its 项's (the points numbered right under it) in order."""
    points = {}
    for point in paragraph.iter(f"{A}point"):
        eid = Eid.parse(point.get("eId", ""))
        if eid is not None and eid.last.number and str(eid.parent) == paragraph.get("eId"):
            points[eid.last.number] = point
    if not points:
        return _digest(paragraph)
    numbered = (_digest(points[n]) if n in points else "" for n in range(1, max(points) + 1))
    return [_digest(paragraph), *numbered]


def _digest(unit: etree._Element) -> str:
    return hashlib.sha256("\n".join(provision_blocks(unit)).encode("utf-8")).hexdigest()[:8]


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"
