"""The <meta> block of an AKN document: FRBR identification (one writer for documents and
bulletin collections), lifecycle and analysis of a version, references, and fadian's legal
metadata. Functions over an :class:`~fadian.akn.xmltext.XmlText` the document writer holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from fadian.akn.lifecycle import (
    legal_timeline,
    write_lifecycle,
    write_temporal_data,
    write_timeline_references,
)
from fadian.akn.meta import DocumentMeta
from fadian.akn.mods import Amends, has_modifications, write_active_modifications
from fadian.akn.xmltext import XmlText
from fadian.legal_fields import LEGAL_FIELDS
from fadian.model import DocumentTree
from fadian.uri import FrbrUri

LEGAL_NS = "urn:fadian:legal-metadata:1"  # <proprietary> legal metadata (docs/reference/legal-fields.md)


@dataclass
class VersionInfo:
    """What a version of a document adds to its AKN: wIds, lifecycle and its changes."""

    wids: dict[str, str]
    events: list[tuple[str, str, str]]  # (eId, date, generation|amendment)
    mods: list[dict[str, str]] = field(default_factory=list)  # type, destination, previous
    source_href: str = "#fadian"


@dataclass(frozen=True)
class Identification:
    """What the FRBR identification of a document or collection says."""

    uri: FrbrUri  # an expression URI
    title: str
    date_name: str
    author: str  # the FRBRauthor href of the work and expression
    number: str
    aliases: tuple[tuple[str, str], ...] = ()  # (name, value): title, shortTitle …
    subtype: str | None = None


def write_identification(x: XmlText, ident: Identification) -> None:
    """``<identification>``: the work, this expression, and its manifestation (fadian's XML)."""
    uri = ident.uri
    expr_date = uri.expression_date or uri.date
    x.start("identification", source="#fadian")
    x.start("FRBRWork")
    x.leaf("FRBRthis", value=uri.this("work"))
    x.leaf("FRBRuri", value=uri.work_uri)
    for name, value in ident.aliases:
        x.leaf("FRBRalias", value=value, name=name)
    x.leaf("FRBRdate", date=uri.date, name=ident.date_name)
    x.leaf("FRBRauthor", href=ident.author)
    x.leaf("FRBRcountry", value=uri.jurisdiction)
    if ident.subtype:
        x.leaf("FRBRsubtype", value=ident.subtype)
    x.leaf("FRBRnumber", value=ident.number)
    x.leaf("FRBRname", value=ident.title)
    x.end("FRBRWork")
    x.start("FRBRExpression")
    x.leaf("FRBRthis", value=uri.this("expression"))
    x.leaf("FRBRuri", value=uri.expression_uri)
    x.leaf("FRBRdate", date=expr_date, name=ident.date_name)
    x.leaf("FRBRauthor", href=ident.author)
    x.leaf("FRBRlanguage", language=uri.language or "zho")
    x.end("FRBRExpression")
    x.start("FRBRManifestation")
    x.leaf("FRBRthis", value=uri.manifestation_uri)
    x.leaf("FRBRuri", value=uri.manifestation_uri)
    x.leaf("FRBRdate", date=expr_date, name="generation")
    x.leaf("FRBRauthor", href="#fadian")
    x.end("FRBRManifestation")
    x.end("identification")


def document_identification(m: DocumentMeta) -> Identification:
    aliases = (("title", m.title), *(("shortTitle", short) for short in m.short_titles))
    return Identification(
        uri=m.frbr,
        title=m.title,
        date_name=m.date_name,
        author="#source" if m.source else "#fadian",
        number=m.number or m.slug,
        aliases=aliases,
        subtype=m.subtype,
    )


def write_meta(
    x: XmlText,
    m: DocumentMeta,
    tree: DocumentTree,
    terms: dict[str, str],
    version: VersionInfo | None,
    amends: Amends | None,
) -> None:
    """The document's ``<meta>``."""
    x.start("meta")
    write_identification(x, document_identification(m))
    timeline = legal_timeline(m)
    if timeline.events:
        write_lifecycle(x, timeline)
    elif version is not None:
        write_version_lifecycle(x, version)
    if version is not None:
        write_version_analysis(x, version, tree, amends)
    if has_modifications(tree, amends) and not (version and version.mods):
        x.start("analysis", source="#fadian")
        write_active_modifications(x, tree, amends)
        x.end("analysis")
    if timeline.in_force is not None:
        write_temporal_data(x, timeline.in_force)
    x.start("references", source="#fadian")
    x.leaf("TLCOrganization", eId="fadian", href="/ontology/organization/fadian", showAs="fadian")
    write_timeline_references(x, m, timeline)
    for term_id, term in terms.items():  # （以下简称《X》）: the targets of <def refersTo>
        x.leaf("TLCTerm", eId=term_id, href=f"/ontology/term/{m.slug}/{term_id}", showAs=term)
    if m.source:
        href = f"/ontology/organization/{m.jurisdiction}/{m.slug}-source"
        x.leaf("TLCOrganization", eId="source", href=href, showAs=m.source)
    x.end("references")
    write_legal_metadata(x, m)
    x.end("meta")


def write_legal_metadata(x: XmlText, m: DocumentMeta) -> None:
    """效力, 发布机关, 文号, dates: no AKN element says them; a namespace of ours does."""
    legal = m.legal_metadata()
    if not legal:
        return
    x.start("proprietary", source="#fadian")
    x.raw(f'<fd:legal xmlns:fd="{LEGAL_NS}">')
    for legal_field in LEGAL_FIELDS:  # (a status is as of the build's date: the manifest's as_of)
        if legal_field.key not in legal or legal_field.akn == "until":
            continue
        if legal_field.kind == "date":
            x.leaf("fd:date", None, name=legal_field.akn, date=legal[legal_field.key])
        else:
            x.leaf(f"fd:{legal_field.akn}", legal[legal_field.key])
    if m.in_force_until or m.repealed:  # a later version took over, or it was repealed, that day
        x.leaf("fd:date", None, name="until", date=min(d for d in (m.in_force_until, m.repealed) if d))
    x.raw("</fd:legal>")
    x.end("proprietary")


def write_version_lifecycle(x: XmlText, v: VersionInfo) -> None:
    """<lifecycle> with an event per version from git (a text that prints no 题注)."""
    x.start("lifecycle", source="#fadian")
    for eid, date, kind in v.events:
        x.leaf("eventRef", eId=eid, date=date, source="#fadian", type=kind)
    x.end("lifecycle")


def write_version_analysis(x: XmlText, v: VersionInfo, tree: DocumentTree, amends: Amends | None) -> None:
    """<analysis> with this version's changes."""
    if not v.mods:
        return
    x.start("analysis", source="#fadian")
    write_active_modifications(x, tree, amends)
    x.start("passiveModifications")
    for k, mod in enumerate(v.mods, start=1):
        x.start("textualMod", eId=f"pmod_{k}", type=mod["type"])
        x.leaf("source", href=mod.get("source") or v.source_href)
        x.leaf("destination", href=mod["destination"])
        if mod.get("previous"):
            x.leaf("previous", href=mod["previous"])
        x.end("textualMod")
    x.end("passiveModifications")
    x.end("analysis")
