"""The instrument part of the AKN writer: an amendment's provisions as ``<mod>`` with refs to
the amended work, ``<quotedStructure>`` / ``<quotedText>``, and the ``activeModifications``.

Reads the :class:`~fadian.model.ModContent` that amend/tree put on each provision's block, so
the writer needs nothing of amend/.
"""

from __future__ import annotations

from collections.abc import Callable

from fadian.akn.xmltext import XmlText, xml_escape
from fadian.model import DocumentTree, ModContent, ModText, Node
from fadian.uri import portion_href

Amends = dict[str, str]  # an amended text's title (ModContent.work; '' the instrument's) → its URI


def amended_uri(amends: Amends | None, content: ModContent) -> str | None:
    """The URI of the text a provision amends, when it is known."""
    if not amends:
        return None
    return amends.get(content.work) if content.work else amends.get("")


def write_mod(
    x: XmlText, content: ModContent, amends: Amends | None, write_node: Callable[[Node], None]
) -> None:
    """One provision of an instrument: ``<p><mod>`` with refs to the amended work and its
    quotations as ``quotedStructure`` (provisions, written by ``write_node``) or ``quotedText``."""
    if content.plain:  # 本修正案自…施行, or not understood
        for line in content.lines:
            x.leaf("p", line)
        return
    x.raw(f'<p><mod eId="{content.eid}">')
    for piece in content.pieces:
        if isinstance(piece, ModText):
            x.raw(cited_targets(piece, amended_uri(amends, content)))
        elif piece.nodes is not None:
            x.raw(f'<quotedStructure eId="{piece.eid}" startQuote="“" endQuote="”">')
            for node in piece.nodes:
                write_node(node)
            x.raw("</quotedStructure>")
        else:
            x.leaf("quotedText", piece.text, eId=piece.eid, startQuote="“", endQuote="”")
    x.raw("</mod></p>")


def cited_targets(piece: ModText, amends: str | None) -> str:
    """第X条(第Y款) in an instruction's words: a ``<ref>`` to that provision of the amended work."""
    if not amends:
        return xml_escape(piece.text)
    out, pos = [], 0
    for start, end, eid in piece.targets:
        out.append(xml_escape(piece.text[pos:start]))
        href = xml_escape(portion_href(amends, eid))
        out.append(f'<ref href="{href}">{xml_escape(piece.text[start:end])}</ref>')
        pos = end
    out.append(xml_escape(piece.text[pos:]))
    return "".join(out)


def write_active_modifications(x: XmlText, tree: DocumentTree, amends: Amends | None) -> None:
    """Every change the instrument's provisions make to a text whose URI is known, as
    textualMods."""
    if not has_modifications(tree, amends):
        return
    x.start("activeModifications")
    k = 0
    for block in _mod_blocks(tree):
        work = amended_uri(amends, block.mod) if block.mod is not None else None
        if block.mod is None or work is None:
            continue
        for change in block.mod.changes:
            k += 1
            x.start("textualMod", eId=f"amod_{k}", type=change.type)
            x.leaf("source", href=f"#{block.mod.eid}")
            for eid in change.destinations:
                x.leaf("destination", href=portion_href(work, eid) if eid else work)
            if change.previous is not None:
                x.leaf("previous", href=portion_href(work, change.previous))
            x.end("textualMod")
    x.end("activeModifications")


def has_modifications(tree: DocumentTree, amends: Amends | None) -> bool:
    """The instrument changes a text whose URI is known (else ``activeModifications`` would be
    empty, which the schema forbids)."""
    return (
        bool(amends)
        and tree.is_instrument
        and any(
            b.mod is not None and b.mod.changes and amended_uri(amends, b.mod) is not None
            for b in _mod_blocks(tree)
        )
    )


def _mod_blocks(tree: DocumentTree):
    """The blocks that may hold an instruction: the preamble's (刑法修正案（十）) and the
    provisions'."""
    yield from tree.preamble
    for node in tree.nodes():
        yield from node.intro
