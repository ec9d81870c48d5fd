"""What the AKN says about a text's legal standing, read once for every output that prints it:
the metadata panel (时效性, 效力级别, 制定机关, 文号, dates) of the site page and of the EPUB,
PDF and DOCX editions, and the instruments that changed each article ("根据《…》修改")."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from fadian.akn.metawriter import LEGAL_NS
from fadian.akn.read import A
from fadian.eids import top_of
from fadian.legal_fields import LABELS
from fadian.uri import split_portion


def legal_fields(document: etree._Element) -> list[tuple[str, str, str]]:
    """(key, label, value) of 效力, 制定机关, 文号 and the dates, from the AKN's <proprietary>."""
    legal = document.find(f"{A}meta/{A}proprietary/{{{LEGAL_NS}}}legal")
    if legal is None:
        return []
    values: dict[str, str] = {}
    for el in legal:
        key = etree.QName(el).localname
        if key == "date":
            values[el.get("name", "")] = el.get("date", "")
        else:
            values[key] = el.text or ""
    return [(key, label, values[key]) for key, label in LABELS.items() if values.get(key)]


def status_anchor(status: str, effective: str, until: str) -> str:
    """What dates a 时效性 on the page, from the text's own period (never the build's date, which
    would change every page when it moves): 现行有效（2020-01-01 起施行）, 已修改（2024-01-01 起施行新
    版本）. The reader's day is the script's (assets/fadian.js: fadianStatusToday)."""
    if status in ("现行有效", "尚未生效") and effective:
        return f"（{effective} 起施行）"
    if status == "已修改" and until:
        return f"（{until} 起施行新版本）"
    if status == "已废止" and until:
        return f"（{until} 起）"
    return ""


def status_of(fields: list[tuple[str, str, str]]) -> dict[str, str]:
    """The panel's 时效性 for the template: its value, the dates the script judges it by for the
    reader's day, and the words that date it on the page."""
    values = {key: value for key, _label, value in fields}
    status = values.get("status", "")
    effective, until = values.get("effective", ""), values.get("until", "")
    anchor = status_anchor(status, effective, until)
    return {"status": status, "effective": effective, "until": until, "anchor": anchor}


def amendments(document: etree._Element) -> Iterator[tuple[str, str, str]]:
    """(article eId, instrument expression URI, the instrument's provision eId) of every change
    the AKN's passiveModifications record, in document order."""
    for mod in document.iterfind(f"{A}meta/{A}analysis/{A}passiveModifications/{A}textualMod"):
        source = mod.find(f"{A}source")
        uri, provision = split_portion(source.get("href", "") if source is not None else "")
        for dest in mod.iterfind(f"{A}destination"):
            yield top_of(dest.get("href", "").lstrip("#")), uri, provision


def amended_works(document: etree._Element) -> list[str]:
    """The work URIs an instrument's activeModifications change, in order, each once."""
    uris = []
    for dest in document.iterfind(f"{A}meta/{A}analysis/{A}activeModifications/{A}textualMod/{A}destination"):
        uri = split_portion(dest.get("href", ""))[0]
        if uri and uri not in uris:
            uris.append(uri)
    return uris


def book_notes(document: etree._Element, titles: dict[str, str]) -> dict[str, list[dict]]:
    """Article eId → the "根据《…》修改" notes of a book: the instrument's title, no link (the
    instrument is not in the book). ``titles`` maps the project's work and expression URIs to titles."""
    notes: dict[str, list[dict]] = {}
    for eid, uri, _provision in amendments(document):
        if uri in titles:
            note = {"url": "", "title": titles[uri]}
            if note not in notes.setdefault(eid, []):
                notes[eid].append(note)
    return notes
