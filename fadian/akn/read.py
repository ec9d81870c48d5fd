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
