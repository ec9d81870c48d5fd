"""An amendment instrument as a DocumentTree: each provision an article whose content is one
block holding its :class:`~fadian.model.ModContent` (words, quotations, changes), quoted
provisions parsed as the amended law's structure but kept out of the instrument's own.

Pure: the :class:`~fadian.amend.Instrument` in, the tree out. The AKN writer turns the content
into ``<mod>`` with ``<ref>``s to the amended work, ``<quotedStructure>`` or ``<quotedText>``,
and the document's ``activeModifications``; it needs nothing of amend/.
"""

from __future__ import annotations

import re

from fadian.amend.grammar import TARGET_RE, target_of
from fadian.amend.model import OP_SPECS, Instrument, Operation, OpKind, Provision
from fadian.eids import Eid, assign_eids, nested
from fadian.model import Block, DocumentTree, ModContent, ModQuote, ModText, Node, TextualMod
from fadian.read.parse import parse_document
from fadian.read.patterns import ARTICLE_RE, DIVISION_RE
from fadian.read.sources import SourceLine

_DATE_OR_PAREN = re.compile(r"^(?:\d{4}年\d{1,2}月\d{1,2}日|[（(][^（）()]+[）)]$)")


def instrument_tree(instrument: Instrument) -> DocumentTree:
    tree = DocumentTree(mode="legal")
    if instrument.title:
        tree.title.append(Block("p", instrument.title, 1))
    in_title = True
    for ln in instrument.preamble:
        if in_title and _DATE_OR_PAREN.match(ln.text):
            tree.title.append(Block("p", ln.text, ln.number))
            continue
        in_title = False
        tree.preamble.append(Block("p", ln.text, ln.number))
    blocks = []
    sections = {s.num: s for s in instrument.sections}
    containers: dict[str, Node] = {}
    in_preamble = []
    for prov in instrument.provisions:
        if prov.in_preamble:  # printed in the preamble: a <p> there holding its <mod>
            block = Block("p", prov.text, prov.line)
            tree.preamble.append(block)
            in_preamble.append((block, prov))
            continue
        section = sections.get(prov.section)
        node = Node("point" if section else "article", prov.line, num=prov.num, value=prov.value)
        block = Block("p", prov.text, prov.line)
        node.intro.append(block)
        if section is None:
            tree.body.append(node)
        else:
            if section.num not in containers:
                containers[section.num] = Node(
                    "hcontainer",
                    section.line,
                    num=section.num,
                    heading=f"修改《{section.work}》",
                    name="amendedText",
                )
                tree.body.append(containers[section.num])
            containers[section.num].children.append(node)
        blocks.append((node, block, prov))
    tree.conclusions.extend(Block("p", ln.text, ln.number) for ln in instrument.closing)
    tree.is_instrument, tree.amends = True, instrument.work
    assign_eids(tree)  # the quotations' eIds are under their provision's
    for node, block, prov in blocks:
        block.mod = mod_content(prov, str(Eid.parse(node.eid).mod(1)))
    for k, (block, prov) in enumerate(in_preamble, start=1):
        block.mod = mod_content(prov, str(Eid.of("preamble").mod(k)))
    return tree


def mod_content(prov: Provision, mod_id: str) -> ModContent:
    """A provision's words and quotations in order, and the changes it makes."""
    content = ModContent(mod_id, work=prov.work)
    if not any(op.mod_type for op in prov.operations):  # 本修正案自…施行, or not understood
        for k, line in enumerate(prov.lines):
            text = line.text[len(prov.num) :] if k == 0 and line.text.startswith(prov.num) else line.text
            content.lines.append(text.strip())
        content.plain = True
        return content
    structural = structural_quotes(prov)
    for piece in prov.pieces():
        if isinstance(piece, str):
            content.pieces.append(ModText(piece, cited_targets(piece)))
            continue
        quote = prov.quotes[piece]
        qid = str(Eid.parse(mod_id).child("qstr" if piece in structural else "qtxt", piece + 1))
        if piece in structural:
            nodes = quoted_nodes(quote.paragraphs, qid)
            content.pieces.append(ModQuote(qid, "\n".join(quote.paragraphs), nodes))
        else:
            content.pieces.append(ModQuote(qid, "\n".join(quote.paragraphs)))
    content.changes = [change for op in prov.operations if op.mod_type for change in textual_mods(op)]
    return content


def cited_targets(text: str) -> list[tuple[int, int, str]]:
    """第X条(第Y款) in an instruction's words: where each is, and the eId it names."""
    return [(m.start(), m.end(), target_of(m).eid) for m in TARGET_RE.finditer(text)]


def textual_mods(op: Operation) -> list[TextualMod]:
    """The AKN textualMods of one operation: one per article a renumbering moves."""
    if op.kind in (OpKind.RENUMBER, OpKind.RENUMBER_DIVISION):
        return [
            TextualMod("renumbering", [_renumbered(op, new)], _renumbered(op, old)) for old, new in op.mapping
        ]
    return [TextualMod(op.mod_type, operation_destinations(op) or [""])]


def structural_quotes(prov: Provision) -> set[int]:
    """Indexes of the quotations that hold provisions (a whole 条, 款, 节), not words."""
    out = set()
    for k, quote in enumerate(prov.quotes):
        if any(OP_SPECS[op.kind].structural and op.quoted == quote.paragraphs for op in prov.operations):
            out.add(k)
    return out


def quoted_nodes(paragraphs: list[str], prefix: str) -> list[Node]:
    """Quoted provisions as nodes with eIds under ``prefix``: whole articles or a 节 with its
    articles when the quote starts with 第X条/第X节; otherwise 款 (with their 项)."""
    first = paragraphs[0] if paragraphs else ""
    whole = bool(ARTICLE_RE.match(first) or DIVISION_RE.match(first))
    lines = [SourceLine(k + 2, text) for k, text in enumerate(paragraphs)]
    if not whole:
        lines.insert(0, SourceLine(1, "第一条"))
    # a title line first, as every text has one; it is dropped below
    tree, _diags = parse_document([SourceLine(0, "引文"), *lines])
    nodes = tree.body if whole else [c for n in tree.body for c in n.children]
    wrapper = DocumentTree(mode="legal", body=nodes)
    assign_eids(wrapper)
    for node in wrapper.nodes():
        node.eid = nested(prefix, node.eid)
    return nodes


def operation_destinations(op: Operation) -> list[str]:
    """The eIds of the amended work an operation changes (its target and any others)."""
    return op.destinations()


def _renumbered(op: Operation, number: int) -> str:
    """The eId a renumbering names: an article, or a 节 of the chapter it renumbers."""
    if op.kind is OpKind.RENUMBER_DIVISION:
        return str(Eid.of("chp", op.new_number).child("sec", number))
    return str(Eid.article(number))


def provision_mod_id(instrument: Instrument, prov: Provision) -> str:
    """The eId of a provision's ``<mod>`` in :func:`instrument_tree` (in an article, an item of a
    decision's section, or the preamble)."""
    if prov.in_preamble:
        k = [p for p in instrument.provisions if p.in_preamble].index(prov) + 1
        return str(Eid.of("preamble").mod(k))
    if not prov.section:
        return str(Eid.article(prov.value).mod(1))
    k = next(k for k, s in enumerate(instrument.sections, start=1) if s.num == prov.section)
    return str(Eid.of("hcontainer", k).child("point", prov.value).mod(1))
