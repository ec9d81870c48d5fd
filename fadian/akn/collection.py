"""A bulletin issue (sources/bulletins/*.yaml) → AKN documentCollection.

The issue's own text (cover, masthead, statement, 本期要目, rubrics, 编者按,
publishers' profiles) is content of the collection; each document is a
component that refers to the document's own AKN by its FRBR expression URI,
so every document has one AKN file and one set of eIds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from fadian.akn.meta import DocumentMeta
from fadian.akn.metawriter import Identification, write_identification
from fadian.akn.write import AKN_NS, NSMAP, q, sub
from fadian.akn.xmltext import XmlText, xml_escape
from fadian.diagnostics import Diagnostic, diag
from fadian.names import is_jurisdiction, is_slug
from fadian.read.numerals import cn_to_int
from fadian.read.schemas import MAX_YAML_FILE_BYTES, BulletinIssue, check_schema, load_yaml
from fadian.read.sources import read_source
from fadian.refs.index import Citation, RefIndex
from fadian.refs.markup import inline_xml
from fadian.refs.resolve import TextRefState, resolve_text_refs
from fadian.uri import FrbrUri


@dataclass
class Bulletin:
    path: str
    data: dict
    text: str  # the YAML as written, to locate fields by line

    @property
    def slug(self) -> str:
        return str(self.data["slug"])

    @property
    def date(self) -> str:
        value = self.data["date"]
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    @property
    def frbr(self) -> FrbrUri:
        """The issue's expression URI: a documentCollection of subtype bulletin."""
        j = str(self.data.get("jurisdiction", "cn"))
        work = FrbrUri.of_jurisdiction(j, "documentCollection", self.date, self.slug, subtype="bulletin")
        return work.expression(self.date)

    @property
    def work_uri(self) -> str:
        return self.frbr.work_uri

    @property
    def expression_uri(self) -> str:
        return self.frbr.expression_uri

    def entries(self):
        for rubric in self.data.get("rubrics") or []:
            for entry in rubric.get("documents") or []:
                yield rubric, entry

    def line_of(self, needle: str) -> int:
        idx = self.text.find(needle[:30]) if needle else -1
        return self.text.count("\n", 0, idx) + 1 if idx >= 0 else 1


def load_bulletin(path: str, data: bytes) -> tuple[Bulletin | None, list[Diagnostic]]:
    """Read and check a bulletin YAML file."""
    source = read_source(path, data, front_matter=False)
    diags = [d for d in source.diagnostics if d.code != "F105"]
    if any(d.is_error for d in diags):
        return None, diags
    text = "\n".join(ln.text for ln in source.lines)
    loaded, node, yaml_diags = load_yaml(text, path, what="bulletin", limit=MAX_YAML_FILE_BYTES)
    if yaml_diags:
        return None, [*diags, *yaml_diags]
    if not isinstance(loaded, dict):
        return None, [*diags, diag("F202", "bulletin must be a YAML mapping", path)]
    _typed, schema_diags = check_schema(BulletinIssue, loaded, node, path, first_line=1, what="bulletin")
    if schema_diags:
        return None, [*diags, *schema_diags]
    bulletin = Bulletin(path, loaded, text)
    for key in ("slug", "title", "date", "rubrics"):
        if not loaded.get(key):
            diags.append(diag("F203", f"bulletin lacks `{key}`", path))
    if loaded.get("slug") and not is_slug(str(loaded["slug"])):
        diags.append(
            diag(
                "F204",
                f"slug {str(loaded['slug'])[:60]!r} is not a safe name",
                path,
                bulletin.line_of("slug:"),
                7,
            )
        )
    if not is_jurisdiction(str(loaded.get("jurisdiction", "cn"))):
        diags.append(
            diag("F206", "jurisdiction must look like cn or cn-gz", path, bulletin.line_of("jurisdiction:"))
        )
    if loaded.get("date"):
        try:
            dt.date.fromisoformat(bulletin.date)
        except ValueError:
            diags.append(
                diag("F205", f"date {loaded['date']!r} is not YYYY-MM-DD", path, bulletin.line_of("date:"), 7)
            )
    if any(d.is_error for d in diags):
        return None, diags
    return bulletin, diags


_COUNT_RE = re.compile(
    r"共\s*(?P<chapters>[0-9一二三四五六七八九十百]+)\s*章"
    r"(?:\s*(?P<articles>[0-9一二三四五六七八九十百]+)\s*条)?"
)


def check_stated_counts(bulletin: Bulletin, counts: dict[str, dict[str, int]]) -> list[Diagnostic]:
    """An editor's note that says 共8章66条 must agree with the document it introduces
    (``counts``: slug → its number of chapters and articles)."""
    diags = []
    for _rubric, entry in bulletin.entries():
        count = counts.get(str(entry.get("slug")))
        if count is None:
            continue
        for paragraph in entry.get("editor_note") or []:
            for m in _COUNT_RE.finditer(paragraph):
                stated_ch = cn_to_int(m["chapters"])
                stated_art = cn_to_int(m["articles"]) if m["articles"] else None
                chapters, articles = count["chapter"], count["article"]
                if stated_ch != chapters or (stated_art is not None and stated_art != articles):
                    said = m.group().replace(" ", "")
                    line = bulletin.line_of(paragraph)
                    col = bulletin.text.split("\n")[line - 1].find(m.group()[:4]) + 1 or 1
                    diags.append(
                        diag(
                            "F309",
                            f"编者按 of {entry['slug']} says {said} "
                            f"({stated_ch} chapters{f', {stated_art} articles' if stated_art else ''}); "
                            f"the text has {chapters} chapters and {articles} articles",
                            bulletin.path,
                            line,
                            col,
                        )
                    )
    return diags


def _p_with_refs(parent: etree._Element, text: str, spans: list, **attrs: str) -> None:
    """A <p> whose citations are links (the spans come from refs.resolve_text_refs)."""
    if not spans:
        sub(parent, "p", text, **attrs)
        return
    fragment = f'<p xmlns="{AKN_NS}">{inline_xml(text, spans, xml_escape)}</p>'
    p = etree.fromstring(fragment)
    for key, value in attrs.items():
        p.set(key, value)
    parent.append(p)


def build_collection(
    bulletin: Bulletin, metas: dict[str, DocumentMeta], index: RefIndex | None = None
) -> tuple[etree._Element, list[Citation]]:
    """The documentCollection for one issue, and the citations its editor's notes make.

    Documents are referred to by expression URI; citations in the editor's notes (titles and
    the short titles a note defines, such as （下称《计划》）) link to the documents' work URIs.
    """
    d = bulletin.data
    state = TextRefState()
    root = etree.Element(q("akomaNtoso"), nsmap=NSMAP)
    coll = sub(root, "documentCollection", name="bulletin")
    refs = _collection_meta(coll, bulletin)
    toc = _cover(coll, d)
    citations = _collection_body(coll, toc, bulletin, metas, index or RefIndex(), state)
    _profiles(coll, d.get("profiles") or [])
    for term_id, term in state.terms.items():
        href = f"/ontology/term/{d.get('jurisdiction', 'cn')}/{bulletin.slug}/{term_id}"
        sub(refs, "TLCTerm", eId=term_id, href=href, showAs=term)
    return root, citations


def _collection_meta(coll: etree._Element, bulletin: Bulletin) -> etree._Element:
    """The issue's <meta>: its identification and the organisations; returns its references."""
    d = bulletin.data
    title = str(d["title"])
    ident = Identification(
        uri=bulletin.frbr,
        title=title,
        date_name="publication",
        author="#publisher",
        number=f"{d.get('issue', '')}-{d.get('issue_total', '')}".strip("-"),
        aliases=(("title", title),),
        subtype="bulletin",
    )
    x = XmlText()
    x.raw(f'<meta xmlns="{AKN_NS}">')
    write_identification(x, ident)
    x.raw("</meta>")
    meta = etree.fromstring(x.text())
    coll.append(meta)
    refs = sub(meta, "references", source="#fadian")
    sub(refs, "TLCOrganization", eId="fadian", href="/ontology/organization/fadian", showAs="fadian")
    sub(
        refs,
        "TLCOrganization",
        eId="publisher",
        href=f"/ontology/organization/{d.get('jurisdiction', 'cn')}/{bulletin.slug}-publisher",
        showAs=str(d.get("publisher") or d["title"]),
    )
    return refs


def _cover(coll: etree._Element, d: dict) -> etree._Element:
    """The cover page: its lines, the masthead, the statement and the contents heading; returns
    the contents' <toc>, which the body fills."""
    cover = sub(coll, "coverPage")
    for k, line in enumerate(d.get("cover") or []):
        if k == 1:
            sub(sub(cover, "p", **{"class": "title"}), "docTitle", str(line))
        else:
            sub(cover, "p", str(line))
    masthead = d.get("masthead") or {}
    box = sub(cover, "container", name="masthead", eId="masthead")
    for line in masthead.get("lines") or []:
        sub(box, "p", str(line))
    for k, role in enumerate(masthead.get("roles") or [], start=1):
        tb = sub(box, "tblock", eId=f"masthead__role_{k}", **{"class": "role"})
        sub(tb, "heading", str(role.get("printed") or role.get("role")))
        for value in role.get("values") or [""]:
            sub(tb, "p", str(value))
    if d.get("statement"):
        sub(sub(cover, "container", name="statement", eId="statement"), "p", str(d["statement"]))
    contents = sub(cover, "container", name="contents", eId="contents")
    sub(contents, "p", str(d.get("contents_heading") or "本期要目"), **{"class": "tocHeading"})
    return sub(contents, "toc")


def _collection_body(
    coll: etree._Element,
    toc: etree._Element,
    bulletin: Bulletin,
    metas: dict[str, DocumentMeta],
    index: RefIndex,
    state: TextRefState,
) -> list[Citation]:
    """Each rubric, then its documents in order, each after its 编者按: components of the
    collection and items of the contents. Returns the notes' citations."""
    body = sub(coll, "collectionBody")
    citations: list[Citation] = []
    n = 0
    for rubric in bulletin.data.get("rubrics") or []:
        n += 1
        rubric_id = f"cmp_{n}"
        inter = sub(sub(body, "component", eId=rubric_id), "interstitial", eId=f"{rubric_id}__rubric")
        sub(inter, "p", str(rubric["name"]), **{"class": "rubric"})
        sub(toc, "tocItem", str(rubric["name"]), href=f"#{rubric_id}", level="1")
        for entry in rubric.get("documents") or []:
            if entry.get("editor_note"):
                n += 1
                citations += _editor_note(body, f"cmp_{n}", entry["editor_note"], bulletin, index, state)
            n += 1
            _document_ref(body, toc, f"cmp_{n}", entry, metas.get(str(entry["slug"])))
    return citations


def _editor_note(
    body: etree._Element, eid: str, paragraphs: list, bulletin: Bulletin, index: RefIndex, state: TextRefState
) -> list[Citation]:
    """A 编者按 as an interstitial, its citations linked; returns them."""
    component = sub(body, "component", eId=eid)
    inter = sub(component, "interstitial", eId=f"{eid}__note", **{"class": "editorNote"})
    sub(inter, "p", "编者按", **{"class": "heading"})
    citations: list[Citation] = []
    for paragraph in paragraphs:
        text = str(paragraph)
        spans, found = resolve_text_refs(text, index, bulletin.path, bulletin.line_of(text), state)
        for citation in found:
            citation.source_eid = f"{eid}__note"
        citations += found
        _p_with_refs(inter, text, spans)
    return citations


def _document_ref(
    body: etree._Element, toc: etree._Element, eid: str, entry: dict, dmeta: DocumentMeta | None
) -> None:
    """A document of the issue: a reference to its expression, and its line of the contents
    (the page it starts on, the title as the contents print it)."""
    href = dmeta.expression_uri if dmeta else f"#{entry['slug']}"
    title = dmeta.title if dmeta else str(entry["slug"])
    sub(sub(body, "component", eId=eid), "documentRef", eId=f"{eid}__ref", href=href, showAs=title)
    item = sub(toc, "tocItem", href=href, level="2")
    page = sub(item, "span", str(entry.get("page_label") or entry.get("page") or ""), **{"class": "page"})
    page.tail = " " + str(entry.get("toc_title") or title)


def _profiles(coll: etree._Element, profiles: list) -> None:
    """The publishers' profiles at the end of the issue."""
    if not profiles:
        return
    conclusions = sub(coll, "conclusions")
    for k, profile in enumerate(profiles, start=1):
        box = sub(conclusions, "container", name="profile", eId=f"profile_{k}")
        sub(box, "p", str(profile["name"]), **{"class": "heading"})
        if profile.get("name_en"):
            sub(box, "p", str(profile["name_en"]), **{"class": "subheading"})
        for paragraph in profile.get("paragraphs") or []:
            sub(box, "p", str(paragraph))
