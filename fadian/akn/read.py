"""What the writers that read AKN back (the site pages, the editions) share."""

from __future__ import annotations

import html

from lxml import etree

from fadian.akn.write import AKN_NS

A = "{" + AKN_NS + "}"  # the AKN namespace, as lxml spells qualified tags
HEADING_KINDS = ("book", "part", "chapter", "section", "subsection", "hcontainer", "article")


def esc(text: str | None) -> str:
    """HTML-escape a text from a source (quotes too: it may end up in an attribute)."""
    return html.escape(text or "", quote=True)


def text_of(el: etree._Element) -> str:
    """All text inside an element, markup dropped."""
    return "".join(el.itertext())


def provision_blocks(element: etree._Element) -> list[str]:
    """A provision's text by block — its number and heading, then each paragraph or 项 — markup
    dropped: what two versions of it are compared by (access/site_data, the 引用核验 data)."""
    blocks = [element.find(f"{A}num"), element.find(f"{A}heading")]
    out = ["".join(b.itertext()).strip() for b in blocks if b is not None]
    for p in element.iter(f"{A}p"):
        text = "".join(p.itertext()).strip()
        if text:
            out.append(text)
    return out
