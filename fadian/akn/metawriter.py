"""The <meta> block of an AKN document: FRBR identification, lifecycle and analysis of a
version, references, and fadian's legal metadata. A mixin of the writer (akn/write), which
holds the tree, the metadata and the output."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: akn/write imports this module
    from fadian.akn.write import VersionInfo

LEGAL_NS = "urn:fadian:legal-metadata:1"  # <proprietary> legal metadata (see README)


class MetaWriter:
    """meta_element() and version_meta() of the writer: they use its start/end/leaf, meta,
    tree, version, terms and amends."""

    def meta_element(self) -> None:
        m = self.meta
        leaf = self.leaf
        self.start("meta")
        self.start("identification", source="#fadian")
        self.start("FRBRWork")
        leaf("FRBRthis", value=f"{m.work_uri}/!main")
        leaf("FRBRuri", value=m.work_uri)
        leaf("FRBRalias", value=m.title, name="title")
        for short in m.short_titles:
            leaf("FRBRalias", value=short, name="shortTitle")
        leaf("FRBRdate", date=m.date, name=m.date_name)
        leaf("FRBRauthor", href="#source" if m.source else "#fadian")
        leaf("FRBRcountry", value=m.jurisdiction)
        if m.subtype:
            leaf("FRBRsubtype", value=m.subtype)
        leaf("FRBRnumber", value=m.number or m.slug)
        leaf("FRBRname", value=m.title)
        self.end("FRBRWork")
        expr_date = m.expression_date or m.date
        self.start("FRBRExpression")
        leaf("FRBRthis", value=f"{m.expression_uri}/!main")
        leaf("FRBRuri", value=m.expression_uri)
        leaf("FRBRdate", date=expr_date, name=m.date_name)
        leaf("FRBRauthor", href="#source" if m.source else "#fadian")
        leaf("FRBRlanguage", language=m.language)
        self.end("FRBRExpression")
        self.start("FRBRManifestation")
        leaf("FRBRthis", value=m.manifestation_uri)
        leaf("FRBRuri", value=m.manifestation_uri)
        leaf("FRBRdate", date=expr_date, name="generation")
        leaf("FRBRauthor", href="#fadian")
        self.end("FRBRManifestation")
        self.end("identification")
        if self.version is not None:
            self.version_meta(self.version)
        if self.amends and self.tree.instrument is not None and not (self.version and self.version.mods):
            self.start("analysis", source="#fadian")
            self.active_modifications()
            self.end("analysis")
        self.start("references", source="#fadian")
        leaf("TLCOrganization", eId="fadian", href="/ontology/organization/fadian", showAs="fadian")
        for term_id, term in self.terms.items():  # （以下简称《X》）: the targets of <def refersTo>
            leaf("TLCTerm", eId=term_id, href=f"/ontology/term/{m.slug}/{term_id}", showAs=term)
        if m.source:
            leaf(
                "TLCOrganization",
                eId="source",
                href=f"/ontology/organization/{m.jurisdiction}/{m.slug}-source",
                showAs=m.source,
            )
        self.end("references")
        legal = m.legal_metadata()
        if legal:  # 效力, 发布机关, 文号, dates: no AKN element says them; a namespace of ours does
            self.start("proprietary", source="#fadian")
            self.out.append(f'<fd:legal xmlns:fd="{LEGAL_NS}">')
            for key in ("status", "issuer", "document_number"):
                if key in legal:
                    self.leaf(f"fd:{key}", legal[key])
            for key in ("adopted", "promulgated", "effective"):
                if key in legal:
                    self.leaf("fd:date", None, name=key, date=legal[key])
            self.out.append("</fd:legal>")
            self.end("proprietary")
        self.end("meta")

    def version_meta(self, v: VersionInfo) -> None:
        """<lifecycle> with an event per version; <analysis> with this version's changes."""
        self.start("lifecycle", source="#fadian")
        for eid, date, kind in v.events:
            self.leaf("eventRef", eId=eid, date=date, source="#fadian", type=kind)
        self.end("lifecycle")
        if not v.mods:
            return
        self.start("analysis", source="#fadian")
        self.active_modifications()
        self.start("passiveModifications")
        for k, mod in enumerate(v.mods, start=1):
            self.start("textualMod", eId=f"pmod_{k}", type=mod["type"])
            self.leaf("source", href=mod.get("source") or v.source_href)
            self.leaf("destination", href=mod["destination"])
            if mod.get("previous"):
                self.leaf("previous", href=mod["previous"])
            self.end("textualMod")
        self.end("passiveModifications")
        self.end("analysis")
