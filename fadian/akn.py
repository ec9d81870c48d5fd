"""DocumentTree + DocumentMeta → Akoma Ntoso 3.0 XML (lxml).

Mechanical by design: the parser already chose the AKN element for every
node, ``ids.assign_eids`` chose the identifiers, so this module only lays
out metadata and elements. Text goes in as text nodes, so lxml escapes
whatever a source contains.
"""

from __future__ import annotations

import re

from lxml import etree

from .ids import assign_eids
from .meta import DocumentMeta
from .model import Block, DocumentTree, Node

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


class _Writer:
    def __init__(self, tree: DocumentTree, meta: DocumentMeta):
        self.tree = tree
        self.meta = meta
        self.footnote_ids: dict[str, str] = {}
        self.counters: dict[str, int] = {}

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}_{self.counters[prefix]}"

    # -- inline ---------------------------------------------------------------------
    def inline(self, el: etree._Element, text: str) -> None:
        """Fill ``el`` with text, turning footnote marks [n] into links to their notes."""
        if not self.footnote_ids or "[" not in text:
            el.text = text
            return
        last = None
        pos = 0
        for m in FOOTNOTE_MARK_RE.finditer(text):
            target = self.footnote_ids.get(m.group(1))
            if target is None:
                continue
            chunk = text[pos:m.start()] + m.group()[: m.start(1) - 1 - m.start()]
            if last is None:
                el.text = (el.text or "") + chunk
            else:
                last.tail = (last.tail or "") + chunk
            last = sub(el, "ref", f"[{m.group(1)}]", href=f"#{target}", **{"class": "footnoteRef"})
            pos = m.end()
        rest = text[pos:]
        if last is None:
            el.text = (el.text or "") + rest
        else:
            last.tail = (last.tail or "") + rest

    # -- blocks -----------------------------------------------------------------------
    def block(self, parent: etree._Element, b: Block) -> None:
        if b.kind in ("p", "note", "source"):
            attrs = {} if b.kind == "p" else {"class": "footnote" if b.kind == "note" else "source"}
            if b.num == "heading":
                attrs = {"class": "heading"}
            self.inline(sub(parent, "p", **attrs), b.text)
        elif b.kind == "figure":
            tb = sub(parent, "tblock", eId=self.next_id("fig"), **{"class": "figure"})
            sub(tb, "num", b.num)
            self.inline(sub(tb, "p"), b.text)
        elif b.kind == "footnotes" and b.items:
            bl = sub(parent, "blockList", eId=self.next_id("fnts"), **{"class": "footnotes"})
            sub(bl, "listIntroduction", b.lead)
            for item in b.items:
                number = re.sub(r"\D", "", item.num or "")
                it = sub(bl, "item", eId=f"fnt_{number}")
                sub(it, "num", item.num)
                self.inline(sub(it, "p"), item.text)
            if b.tail:
                sub(bl, "listWrapUp", b.tail)
        elif b.kind == "footnotes":
            self.inline(sub(parent, "p", **{"class": "footnotes"}), b.text)
        elif b.kind == "list":
            bl = sub(parent, "blockList", eId=self.next_id("list"))
            for item in b.items:
                it = sub(bl, "item", eId=self.next_id(bl.get("eId") + "__item"))
                sub(it, "num", item.num)
                self.inline(sub(it, "p"), item.text)
        elif b.kind == "outline":
            self.outline(parent, b)
        elif b.kind == "toc":
            self.toc(parent, b)

    def outline(self, parent: etree._Element, b: Block) -> None:
        bl = sub(parent, "blockList", eId=self.next_id("outline"), **{"class": "outline"})
        sub(bl, "listIntroduction", b.text)
        current: etree._Element | None = None
        nested: etree._Element | None = None
        for entry in b.items:
            if entry.level == 0 or current is None:
                current = sub(bl, "item", eId=self.next_id(bl.get("eId") + "__item"))
                self.inline(sub(current, "p"), entry.text)
                nested = None
            else:
                if nested is None:
                    nested = sub(current, "blockList", eId=self.next_id(current.get("eId") + "__list"))
                it = sub(nested, "item", eId=self.next_id(nested.get("eId") + "__item"))
                self.inline(sub(it, "p"), entry.text)

    def toc(self, parent: etree._Element, b: Block) -> None:
        sub(parent, "p", b.text, **{"class": "tocHeading"})
        toc = sub(parent, "toc")
        for entry in b.items:
            sub(toc, "tocItem", entry.text, href=entry.href or "#", level=str(entry.level + 1))

    # -- hierarchy --------------------------------------------------------------------------
    def node(self, parent: etree._Element, n: Node) -> None:
        attrs = {"eId": n.eid}
        if n.kind == "hcontainer":
            attrs["name"] = n.name or "container"
        el = sub(parent, n.kind, **attrs)
        if n.num:
            sub(el, "num", n.num)
        if n.heading:
            sub(el, "heading", n.heading)
        if not n.children:
            content = sub(el, "content")
            for b in n.intro:
                self.block(content, b)
            for b in n.wrapup:
                self.block(content, b)
            if not len(content):
                sub(content, "p")
            return
        if n.intro:
            intro = sub(el, "intro")
            for b in n.intro:
                self.block(intro, b)
        for child in n.children:
            self.node(el, child)
        if n.wrapup:
            wrap = sub(el, "wrapUp")
            for b in n.wrapup:
                self.block(wrap, b)

    # -- document ---------------------------------------------------------------------------
    def meta_element(self, parent: etree._Element) -> None:
        m = self.meta
        meta = sub(parent, "meta")
        ident = sub(meta, "identification", source="#fadian")
        work = sub(ident, "FRBRWork")
        sub(work, "FRBRthis", value=f"{m.work_uri}/!main")
        sub(work, "FRBRuri", value=m.work_uri)
        sub(work, "FRBRalias", value=m.title, name="title")
        for short in m.short_titles:
            sub(work, "FRBRalias", value=short, name="shortTitle")
        sub(work, "FRBRdate", date=m.date, name=m.date_name)
        sub(work, "FRBRauthor", href="#source" if m.source else "#fadian")
        sub(work, "FRBRcountry", value=m.jurisdiction)
        if m.subtype:
            sub(work, "FRBRsubtype", value=m.subtype)
        sub(work, "FRBRnumber", value=m.number or m.slug)
        sub(work, "FRBRname", value=m.title)
        expr_date = m.expression_date or m.date
        expr = sub(ident, "FRBRExpression")
        sub(expr, "FRBRthis", value=f"{m.expression_uri}/!main")
        sub(expr, "FRBRuri", value=m.expression_uri)
        sub(expr, "FRBRdate", date=expr_date, name=m.date_name)
        sub(expr, "FRBRauthor", href="#source" if m.source else "#fadian")
        sub(expr, "FRBRlanguage", language=m.language)
        man = sub(ident, "FRBRManifestation")
        sub(man, "FRBRthis", value=m.manifestation_uri)
        sub(man, "FRBRuri", value=m.manifestation_uri)
        sub(man, "FRBRdate", date=expr_date, name="generation")
        sub(man, "FRBRauthor", href="#fadian")
        refs = sub(meta, "references", source="#fadian")
        sub(refs, "TLCOrganization", eId="fadian", href="/ontology/organization/fadian",
            showAs="fadian")
        if m.source:
            sub(refs, "TLCOrganization", eId="source",
                href=f"/ontology/organization/{m.jurisdiction}/{m.slug}-source", showAs=m.source)

    def preface(self, parent: etree._Element) -> None:
        if not self.tree.title and self.tree.toc is None:
            return
        preface = sub(parent, "preface")
        for k, b in enumerate(self.tree.title):
            if k == 0:
                long_title = sub(preface, "longTitle")
                sub(sub(long_title, "p"), "docTitle", b.text)
            elif b.text.startswith(("（", "(")):
                sub(sub(preface, "p", **{"class": "subtitle"}), "docStage", b.text)
            else:
                self.inline(sub(preface, "p", **{"class": "history"}), b.text)
        if self.tree.toc is not None:
            container = sub(preface, "container", name="toc", eId="toc")
            self.toc(container, self.tree.toc)

    def document(self) -> etree._Element:
        tree, m = self.tree, self.meta
        if any(not n.eid for n in tree.nodes()):
            assign_eids(tree)
        self.footnote_ids = {
            re.sub(r"\D", "", item.num or ""): "fnt_" + re.sub(r"\D", "", item.num or "")
            for b in _all_blocks(tree) if b.kind == "footnotes" for item in b.items
        }
        root = etree.Element(q("akomaNtoso"), nsmap=NSMAP)
        attrs = {"name": m.name}
        if m.doc_type in ("act", "bill"):
            attrs["contains"] = "originalVersion"
        doc = sub(root, m.doc_type, **attrs)
        self.meta_element(doc)
        self.preface(doc)
        if m.doc_type == "doc":
            main = sub(doc, "mainBody")
            for b in tree.preamble:
                self.block(main, b)
            for n in tree.body:
                self.node(main, n)
            if not len(main):
                sub(main, "p")
        else:
            if tree.preamble:
                preamble = sub(doc, "preamble")
                for b in tree.preamble:
                    self.block(preamble, b)
            body = sub(doc, "body")
            for n in tree.body:
                self.node(body, n)
            if not len(body):
                holder = sub(body, "hcontainer", eId="hcontainer_1", name="text")
                sub(sub(holder, "content"), "p")
        if tree.conclusions:
            conclusions = sub(doc, "conclusions")
            for b in tree.conclusions:
                self.block(conclusions, b)
        return root


def _all_blocks(tree: DocumentTree):
    yield from tree.preamble
    for n in tree.nodes():
        yield from n.intro
        yield from n.wrapup
    yield from tree.conclusions


def build_akn(tree: DocumentTree, meta: DocumentMeta) -> etree._Element:
    """The AKN ``<akomaNtoso>`` root element for one document."""
    return _Writer(tree, meta).document()


def serialize(root: etree._Element) -> bytes:
    """Deterministic bytes: UTF-8, declaration, two-space indent, final newline."""
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
