"""The instrument part of the AKN writer: an amendment's provisions as ``<mod>`` with refs to
the amended work, ``<quotedStructure>`` / ``<quotedText>``, and the ``activeModifications``.

A mixin of the writer (``fadian.akn.write._Writer``): it uses the writer's ``out``, ``leaf``,
``node`` and ``node_eid``.
"""

from __future__ import annotations

from fadian.akn.xmltext import xml_escape


class ModWriter:
    out: list[str]
    amends: str | None
    node_eid: str

    # -- amendment instruments --------------------------------------------------------------
    def mod(self, prov) -> None:
        """One provision of an instrument: ``<p><mod>`` with refs to the amended work and its
        quotations as ``quotedStructure`` (provisions) or ``quotedText`` (words)."""
        from fadian.amend.tree import quoted_nodes, structural_quotes

        if not any(op.mod_type for op in prov.operations):  # 本修正案自…施行, or not understood
            for k, line in enumerate(prov.lines):
                text = line.text[len(prov.num) :] if k == 0 and line.text.startswith(prov.num) else line.text
                self.leaf("p", text.strip())
            return
        mod_id = f"{self.node_eid}__mod_1"
        structural = structural_quotes(prov)
        self.out.append(f'<p><mod eId="{mod_id}">')
        for piece in prov.pieces():
            if isinstance(piece, str):
                self.out.append(self.cited_targets(piece))
                continue
            quote = prov.quotes[piece]
            qid = f"{mod_id}__qstr_{piece + 1}"
            if piece in structural:
                self.out.append(f'<quotedStructure eId="{qid}" startQuote="“" endQuote="”">')
                for node in quoted_nodes(quote.paragraphs, qid):
                    self.node(node)
                self.out.append("</quotedStructure>")
            else:
                text = "\n".join(quote.paragraphs)
                self.leaf("quotedText", text, eId=qid.replace("qstr", "qtxt"), startQuote="“", endQuote="”")
        self.out.append("</mod></p>")

    def cited_targets(self, text: str) -> str:
        """第X条(第Y款) in an instruction's words: a ``<ref>`` to that provision of the amended work."""
        from fadian.amend.grammar import TARGET_RE, target_of

        if not self.amends:
            return xml_escape(text)
        out, pos = [], 0
        for m in TARGET_RE.finditer(text):
            target = target_of(m)
            out.append(xml_escape(text[pos : m.start()]))
            href = xml_escape(f"{self.amends}/~{target.eid}")
            out.append(f'<ref href="{href}">{xml_escape(m.group())}</ref>')
            pos = m.end()
        out.append(xml_escape(text[pos:]))
        return "".join(out)

    def active_modifications(self) -> None:
        from fadian.amend.tree import operation_destinations

        if not self.amends or self.tree.instrument is None:
            return
        self.start("activeModifications")
        k = 0
        for node in self.tree.body:
            for b in node.intro:
                prov = b.payload
                if prov is None:
                    continue
                for op in prov.operations:
                    if not op.mod_type:
                        continue
                    if op.kind in ("renumber", "renumber_division"):
                        for old, new in op.mapping:
                            prefix = (
                                f"chp_{op.new_number}__sec_" if op.kind == "renumber_division" else "art_"
                            )
                            k += 1
                            self.start("textualMod", eId=f"amod_{k}", type="renumbering")
                            self.leaf("source", href=f"#{node.eid}__mod_1")
                            self.leaf("destination", href=f"{self.amends}/~{prefix}{new}")
                            self.leaf("previous", href=f"{self.amends}/~{prefix}{old}")
                            self.end("textualMod")
                        continue
                    k += 1
                    self.start("textualMod", eId=f"amod_{k}", type=op.mod_type)
                    self.leaf("source", href=f"#{node.eid}__mod_1")
                    for eid in operation_destinations(op) or [""]:
                        self.leaf("destination", href=f"{self.amends}/~{eid}" if eid else self.amends)
                    self.end("textualMod")
        self.end("activeModifications")
