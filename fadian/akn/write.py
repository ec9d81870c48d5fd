"""DocumentTree + DocumentMeta → Akoma Ntoso 3.0 XML (lxml).

Mechanical by design: the parser already chose the AKN element for every
node, ``eids.assign_eids`` chose the identifiers, so this module only lays
out metadata and elements. Text goes in as text nodes, so lxml escapes
whatever a source contains.
"""

from __future__ import annotations

import re

from lxml import etree

from fadian.akn.meta import DocumentMeta
from fadian.akn.metawriter import VersionInfo, write_meta
from fadian.akn.mods import Amends, write_mod
from fadian.akn.xmltext import XmlText, xml_escape
from fadian.eids import Eid, assign_eids
from fadian.model import Block, DocumentTree, Node
from fadian.refs.index import Span
from fadian.refs.markup import inline_xml

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NSMAP = {None: AKN_NS}
_Q = "{" + AKN_NS + "}"
FOOTNOTE_MARK_RE = re.compile(r"\s?\[(\d{1,2})\]")


def q(tag: str) -> str:
    return _Q + tag


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _Q + tag, attrs)
    if text is not None:
        el.text = text
    return el


__all__ = ["AKN_NS", "NSMAP", "AknWriter", "VersionInfo", "build_akn", "q", "serialize", "sub", "xml_escape"]


class AknWriter(XmlText):
    """Writes one document's AKN as text (see akn/xmltext); lxml parses it once."""

    def __init__(
        self,
        tree: DocumentTree,
        meta: DocumentMeta,
        terms: dict[str, str] | None = None,
        version: VersionInfo | None = None,
        amends: Amends | None = None,
    ):
        super().__init__()
        self.tree = tree
        self.amends = amends  # an instrument's amended texts' URIs, by title
        self.meta = meta
        self.terms = terms or {}
        self.version = version
        self.wids = version.wids if version else {}
        self.footnote_ids: dict[str, str] = {}

    # -- inline ---------------------------------------------------------------------
    def inline(self, tag: str, text: str, spans: list | None = None, **attrs: str) -> None:
        """``<tag>text</tag>`` with citations and footnote marks [n] as links."""
        marks = []
        if self.footnote_ids and "[" in text:
            for m in FOOTNOTE_MARK_RE.finditer(text):
                target = self.footnote_ids.get(m.group(1))
                if target is not None:
                    marks.append(Span(m.start(1) - 1, m.end(), "footnote", "#" + target))
        if not spans and not marks:
            self.leaf(tag, text, **attrs)
            return
        self.start(tag, **attrs)
        self.out.append(inline_xml(text, [*(spans or []), *marks], xml_escape))
        self.end(tag)

    # -- blocks -----------------------------------------------------------------------
    def block(self, b: Block) -> None:
        kind = b.kind
        if b.mod is not None:
            write_mod(self, b.mod, self.amends, self.node)
            return
        if kind == "p":
            if b.num == "heading":
                self.inline("p", b.text, b.spans, class_="heading")
            else:
                self.inline("p", b.text, b.spans)
        elif kind in ("note", "source"):
            self.inline("p", b.text, b.spans, class_="footnote" if kind == "note" else "source")
        elif kind == "figure":
            self.start("tblock", eId=self.next_id("fig"), class_="figure")
            self.leaf("num", b.num)
            self.inline("p", b.text)
            self.end("tblock")
        elif kind == "footnotes" and b.items:
            self.start("blockList", eId=self.next_id("fnts"), class_="footnotes")
            self.leaf("listIntroduction", b.lead)
            for item in b.items:
                number = re.sub(r"\D", "", item.num or "")
                self.start("item", eId=f"fnt_{number}")
                self.leaf("num", item.num)
                self.inline("p", item.text)
                self.end("item")
            if b.tail:
                self.leaf("listWrapUp", b.tail)
            self.end("blockList")
        elif kind == "footnotes":
            self.inline("p", b.text, class_="footnotes")
        elif kind == "list" and not b.items:  # a blockList needs an item: never write one empty
            self.inline("p", b.text)
        elif kind == "list":
            list_id = self.next_id("list")
            self.start("blockList", eId=list_id)
            for item in b.items:
                self.start("item", eId=self.next_id(list_id + "__item"))
                self.leaf("num", item.num)
                self.inline("p", item.text)
                self.end("item")
            self.end("blockList")
        elif kind == "outline":
            self.outline(b)
        elif kind == "toc":
            self.toc(b)

    def outline(self, b: Block) -> None:
        if not b.items:  # a 目录 line with no entries under it: a blockList needs an item
            self.leaf("p", b.text, class_="tocHeading")
            return
        list_id = self.next_id("outline")
        self.start("blockList", eId=list_id, class_="outline")
        self.leaf("listIntroduction", b.text)
        open_item = open_nested = False
        item_id = nested_id = ""
        for entry in b.items:
            if entry.level == 0 or not open_item:
                if open_nested:
                    self.end("blockList")
                    open_nested = False
                if open_item:
                    self.end("item")
                item_id = self.next_id(list_id + "__item")
                self.start("item", eId=item_id)
                self.inline("p", entry.text)
                open_item = True
            else:
                if not open_nested:
                    nested_id = self.next_id(item_id + "__list")
                    self.start("blockList", eId=nested_id)
                    open_nested = True
                self.start("item", eId=self.next_id(nested_id + "__item"))
                self.inline("p", entry.text)
                self.end("item")
        if open_nested:
            self.end("blockList")
        if open_item:
            self.end("item")
        self.end("blockList")

    def toc(self, b: Block) -> None:
        self.leaf("p", b.text, class_="tocHeading")
        if not b.items:  # a 目录 line with no entries under it: <toc> needs at least one
            return
        self.start("toc")
        for entry in b.items:  # an entry the body lacks (warning F308) points at the 目录 itself
            self.leaf("tocItem", entry.text, href=entry.href or "#toc", level=str(entry.level + 1))
        self.end("toc")

    # -- hierarchy --------------------------------------------------------------------------
    def node(self, n: Node) -> None:
        kind = n.kind
        # a wId only where it is not the eId: the naming convention's wId "is only needed when a
        # renumbering occurred" (an element without one kept its eId)
        wid = self.wids.get(n.eid)
        if wid == n.eid:
            wid = None
        if kind == "hcontainer":
            if wid:
                self.start(kind, eId=n.eid, wId=wid, name=n.name or "container")
            else:
                self.start(kind, eId=n.eid, name=n.name or "container")
        else:
            self.out.append(f'<{kind} eId="{n.eid}" wId="{wid}">' if wid else f'<{kind} eId="{n.eid}">')
        if n.num:
            self.leaf("num", n.num)
        if n.heading:
            self.leaf("heading", n.heading)
        if not n.children:
            self.out.append("<content>")
            for b in n.intro:
                self.block(b)
            for b in n.wrapup:
                self.block(b)
            if not n.intro and not n.wrapup:
                self.out.append("<p/>")
            self.out.append("</content>")
        else:
            if n.intro:
                self.out.append("<intro>")
                for b in n.intro:
                    self.block(b)
                self.out.append("</intro>")
            for child in n.children:
                self.node(child)
            if n.wrapup:
                self.out.append("<wrapUp>")
                for b in n.wrapup:
                    self.block(b)
                self.out.append("</wrapUp>")
        self.out.append(f"</{kind}>")

    # -- document ---------------------------------------------------------------------------
    def preface(self) -> None:
        if not self.tree.title and self.tree.toc is None:
            return
        self.start("preface")
        for k, b in enumerate(self.tree.title):
            if k == 0:
                self.out.append("<longTitle><p>")
                self.leaf("docTitle", b.text)
                self.out.append("</p></longTitle>")
            elif b.text.startswith(("（", "(")):
                self.start("p", class_="subtitle")
                self.leaf("docStage", b.text)
                self.end("p")
            else:
                self.inline("p", b.text, b.spans, class_="history")
        if self.tree.toc is not None:
            self.start("container", name="toc", eId="toc")
            self.toc(self.tree.toc)
            self.end("container")
        self.end("preface")

    def document(self) -> str:
        tree, m = self.tree, self.meta
        if any(not n.eid for n in tree.nodes()):
            assign_eids(tree)
        self.footnote_ids = {
            re.sub(r"\D", "", item.num or ""): "fnt_" + re.sub(r"\D", "", item.num or "")
            for b in _all_blocks(tree)
            if b.kind == "footnotes"
            for item in b.items
        }
        self.out.append(f'<akomaNtoso xmlns="{AKN_NS}">')
        attrs = {"name": m.name}
        if m.akn_element in ("act", "bill"):
            attrs["contains"] = "originalVersion"
        self.start(m.akn_element, **attrs)
        write_meta(self, m, tree, self.terms, self.version, self.amends)
        self.preface()
        if m.doc_type == "doc":
            self.start("mainBody")
            for b in tree.preamble:
                self.block(b)
            for n in tree.body:
                self.node(n)
            if not tree.preamble and not tree.body:
                self.out.append("<p/>")
            self.end("mainBody")
        else:
            if tree.preamble:
                self.start("preamble")
                for b in tree.preamble:
                    self.block(b)
                self.end("preamble")
            self.start("body")
            for n in tree.body:
                self.node(n)
            if not tree.body:
                empty = Eid.of("hcontainer", 1)  # a text of no units: AKN's body needs one
                self.out.append(f'<hcontainer eId="{empty}" name="text"><content><p/></content></hcontainer>')
            self.end("body")
        if tree.conclusions:
            self.start("conclusions")
            for b in tree.conclusions:
                self.block(b)
            self.end("conclusions")
        self.end(m.akn_element)
        self.out.append("</akomaNtoso>")
        return "".join(self.out)


def _all_blocks(tree: DocumentTree):
    yield from tree.preamble
    for n in tree.nodes():
        yield from n.intro
        yield from n.wrapup
    yield from tree.conclusions


def build_akn(
    tree: DocumentTree,
    meta: DocumentMeta,
    terms: dict[str, str] | None = None,
    version: VersionInfo | None = None,
    amends: Amends | None = None,
) -> etree._Element:
    """The AKN ``<akomaNtoso>`` root element for one document (``terms``: defined short titles;
    ``version``: wIds, lifecycle and modifications when it comes from git history)."""
    return etree.fromstring(AknWriter(tree, meta, terms, version, amends).document(), _PARSER)


_PARSER = etree.XMLParser(remove_blank_text=False, huge_tree=True)


# Elements with mixed content: their whitespace is text, so indentation must not touch it.
_MIXED = frozenset(
    _Q + t
    for t in (
        "p",
        "num",
        "heading",
        "subheading",
        "docTitle",
        "docStage",
        "tocItem",
        "listIntroduction",
        "listWrapUp",
        "ref",
        "mref",
        "def",
        "span",
    )
)


# a 款 or 项 that is only its number and its text: one line, as it reads
_LEAF_UNITS = frozenset(_Q + t for t in ("paragraph", "point", "subparagraph", "alinea", "indent"))
_TEXT_HOLDERS = frozenset(_Q + t for t in ("content", "intro", "wrapUp"))
_UNIT_PARTS = frozenset(_Q + t for t in ("num", "heading", "subheading"))


def _one_line(el: etree._Element) -> bool:
    """A holder of paragraphs of text only, or a unit of nothing else than its number and such
    a holder (most 款 and 项)."""
    if el.tag in _TEXT_HOLDERS:
        return all(c.tag == _Q + "p" for c in el)
    return el.tag in _LEAF_UNITS and all(
        c.tag in _UNIT_PARTS or (c.tag in _TEXT_HOLDERS and _one_line(c)) for c in el
    )


def _lines(el: etree._Element) -> None:
    """Each element of the block structure on a line of its own, not indented (a law's AKN
    nests eight deep: indentation would be a large share of its bytes), a 款 or 项 of text
    only on one line (`<paragraph eId="…"><content><p>…</p></content></paragraph>`: line breaks
    around its parts say nothing); never any whitespace added inside mixed content."""
    if el.tag in _MIXED or not len(el) or _one_line(el):
        return
    if not (el.text and el.text.strip()):
        el.text = "\n"
    for child in el:
        _lines(child)
        if not (child.tail and child.tail.strip()):
            child.tail = "\n"


def serialize(root: etree._Element) -> bytes:
    """Deterministic bytes: UTF-8, declaration, an element of the block structure a line,
    final newline."""
    _lines(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
