"""A text's identity, dates, force and versions as linked data in its page: schema.org's
``Legislation`` (derived from ELI, the European Legislation Identifier), as JSON-LD, which search
engines and reference tools read. Every value is the page's own — the metadata panel's fields,
its downloads, its work's versions — so the two cannot disagree.

Pure: values in, the JSON text out (escaped for a <script> element).
"""

from __future__ import annotations

import json

# 时效性 → schema.org's LegalForceStatus (as the page's own status states it)
LEGAL_FORCE = {
    "现行有效": "InForce",
    "有效": "InForce",
    "尚未生效": "NotInForce",
    "已修改": "NotInForce",
    "已废止": "NotInForce",
}
ENCODINGS = {  # a download's label → its media type
    "Word": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "PDF": "application/pdf",
    "EPUB": "application/epub+zip",
    "AKN XML": "application/akn+xml",
}


def legislation(
    title: str,
    work_uri: str,
    expression_uri: str,
    version_date: str,
    legal: dict[str, str],
    downloads: list[tuple[str, str, str]],
    versions: list[dict[str, str]],
    jurisdiction: str = "cn",
    consolidates: list[dict[str, str]] | None = None,
    changes: list[dict[str, str]] | None = None,
) -> str:
    """The JSON-LD of one version's page. ``legal``: the panel's fields by key (status, level,
    issuer, document_number, adopted, promulgated, effective); ``downloads``: (label, URL, file
    name); ``versions``: each version of the work, {date, url}; ``consolidates``: the
    instruments this text carries the changes of (the page's 根据《…》修改 notes), ``changes``:
    the texts this instrument changes (each {uri, name, url})."""
    data: dict = {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": "Legislation",
        "@id": expression_uri,
        "name": title,
        "inLanguage": "zh",
        "legislationIdentifier": legal.get("document_number") or work_uri,
        "legislationJurisdiction": jurisdiction.upper() if jurisdiction == "cn" else jurisdiction,
        "legislationDateVersion": version_date,
        "isPartOf": {"@id": work_uri},
    }
    optional = {
        "legislationType": legal.get("level"),
        "legislationPassedBy": (
            {"@type": "Organization", "name": legal["issuer"]} if legal.get("issuer") else None
        ),
        "legislationDate": legal.get("promulgated") or legal.get("adopted"),
        "legislationLegalForce": LEGAL_FORCE.get(legal.get("status", "")),
        "temporalCoverage": f"{legal['effective']}/.." if legal.get("effective") else None,
        "encoding": [
            {"@type": "LegislationObject", "encodingFormat": ENCODINGS.get(label, ""), "contentUrl": url}
            for label, url, _name in downloads
        ]
        or None,
        "legislationConsolidates": _linked(consolidates),
        "legislationChanges": _linked(changes),
        "workExample": [
            {"@type": "Legislation", "legislationDateVersion": v["date"], "url": v["url"]} for v in versions
        ]
        or None,
    }
    data.update({k: v for k, v in optional.items() if v})
    if len(json.dumps(data, ensure_ascii=False).encode("utf-8")) > 1800:  # many links: by URI only
        for key in ("legislationConsolidates", "legislationChanges"):
            if key in data:
                data[key] = [{"@id": node["@id"]} for node in data[key]]
    # no markup can end the element or open a comment in it: < > & are written as JSON escapes
    # (the same string to a JSON reader), as Django's json_script does. The node is written in
    # a one-item array (JSON-LD reads it the same) because the theme's instant navigation runs
    # the scripts of the page it opens as JavaScript, dropping their type: an array is a
    # harmless expression, an object a syntax error on every such navigation.
    text = json.dumps([data], ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _linked(texts: list[dict[str, str]] | None) -> list[dict] | None:
    return [
        {"@type": "Legislation", "@id": t["uri"], "name": t["name"], "url": t["url"]} for t in texts or []
    ] or None
