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


def write_mod(
    x: XmlText, content: ModContent, amends: str | None, write_node: Callable[[Node], None]
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
            x.raw(cited_targets(piece, amends))
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


def write_active_modifications(x: XmlText, tree: DocumentTree, amends: str | None) -> None:
    """Every change the instrument's provisions make, as textualMods."""
    if not amends or not tree.is_instrument:
        return
    x.start("activeModifications")
    k = 0
    for node in tree.body:
        for block in node.intro:
            if block.mod is None:
                continue
            for change in block.mod.changes:
                k += 1
                x.start("textualMod", eId=f"amod_{k}", type=change.type)
                x.leaf("source", href=f"#{node.eid}__mod_1")
                for eid in change.destinations:
                    x.leaf("destination", href=portion_href(amends, eid) if eid else amends)
                if change.previous is not None:
                    x.leaf("previous", href=portion_href(amends, change.previous))
                x.end("textualMod")
    x.end("activeModifications")
