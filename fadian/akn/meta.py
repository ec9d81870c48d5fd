"""Document metadata: the typed front matter (read/schemas, checked once) → DocumentMeta, with
its FRBR URIs (fadian/uri)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from fadian.diagnostics import Diagnostic, diag
from fadian.legal_fields import KEYS, PRINTED
from fadian.read.legalmeta import LegalEvent, LegalMetadata, read_legal_metadata
from fadian.read.schemas import DOC_TYPES, STATUSES, FrontMatter, check_schema
from fadian.read.sources import SourceText
from fadian.uri import FrbrUri

__all__ = ["DOC_TYPES", "STATUSES", "DocumentMeta", "meta_from_front_matter"]


@dataclass(frozen=True)
class DocumentMeta:
    slug: str
    doc_type: str  # act | bill | doc
    name: str  # AKN @name: act, expertDraft, policyNote …
    title: str
    date: str  # YYYY-MM-DD: the work's date
    jurisdiction: str = "cn"
    subtype: str | None = None
    number: str | None = None
    language: str = "zho"
    date_name: str = "publication"
    expression_date: str | None = None
    source: str | None = None  # the organisation of the 来源 line
    short_titles: tuple[str, ...] = field(default_factory=tuple)
    first_article: int | None = None  # an excerpt (民法典 合同编) declares where its numbering starts
    component: str | None = None  # a part of a work kept in several files: book_3 (set in a project)
    # legal metadata readers expect (效力, 发布机关, 文号, dates): written to <proprietary>
    status: str | None = None
    issuer: str | None = None
    document_number: str | None = None
    adopted: str | None = None
    promulgated: str | None = None
    effective: str | None = None
    level: str | None = None  # 效力级别
    events: tuple[LegalEvent, ...] = ()  # the 立法沿革 the text prints
    in_force_until: str | None = None  # the day a later expression took over (set in a project)
    repeals: tuple[str, ...] = ()  # the titles it repeals when it takes effect (…同时废止)
    repealed: str | None = None  # the day a text of the project repealed it (set in a project)

    def legal_metadata(self) -> dict[str, str]:
        """The legal fields it has, in the table's order (fadian/legal_fields)."""
        return {k: getattr(self, k) for k in KEYS if getattr(self, k)}

    @property
    def akn_element(self) -> str:
        """The AKN document type: an amendment instrument is an ``act`` named ``amendment``."""
        return "act" if self.doc_type == "amendment" else self.doc_type

    @cached_property
    def frbr(self) -> FrbrUri:
        """The work's FRBR URI, as an expression when it has an expression date."""
        work = FrbrUri.of_jurisdiction(
            self.jurisdiction, self.akn_element, self.date, self.number or self.slug, subtype=self.subtype
        )
        expression = work.expression(self.expression_date or self.date, self.language)
        return replace(expression, component=self.component) if self.component else expression

    @property
    def work_uri(self) -> str:
        return self.frbr.work_uri

    @property
    def expression_uri(self) -> str:
        return self.frbr.expression_uri

    @property
    def manifestation_uri(self) -> str:
        return self.frbr.manifestation_uri


def meta_from_front_matter(source: SourceText) -> tuple[DocumentMeta | None, list[Diagnostic]]:
    """The document's metadata from its front matter, checked once by the typed schema (None and
    the diagnostics when a field is missing or wrong)."""
    checked, diags = check_schema(
        FrontMatter,
        source.front or {},
        source.front_node,
        source.path,
        first_line=source.front_line,
        what="front matter",
        missing_code="F203",
    )
    if not isinstance(checked, FrontMatter):
        return None, diags
    text = read_legal_metadata(source.lines, checked.title)
    legal, diags = merged_legal(checked, text, source)
    if text.later_note is not None:
        day, line = text.later_note
        message = f"the text notes a change on {day}, after the last its 题注 lists ({text.version_date})"
        diags.append(diag("F214", message, source.path, line, 1))
    return DocumentMeta(
        slug=checked.slug,
        doc_type=checked.type,
        name=checked.doc_name,
        title=checked.title,
        date=checked.date,
        jurisdiction=checked.jurisdiction,
        subtype=checked.subtype,
        number=str(checked.number) if checked.number is not None else None,
        date_name=checked.date_name,
        source=checked.source,
        short_titles=checked.titles,
        first_article=checked.first_article,
        status=checked.status,
        events=text.events,
        repeals=text.repeals,
        **legal,
    ), diags


def merged_legal(
    front: FrontMatter, text: LegalMetadata, source: SourceText
) -> tuple[dict[str, str | None], list[Diagnostic]]:
    """The legal metadata: what the front matter gives, else what the text prints (a draft or a
    policy text has no 效力级别); a front matter value that differs from the text's is used and
    warned about (F208)."""
    values: dict[str, str | None] = {}
    diags = []
    for key in PRINTED:
        given, printed = getattr(front, key), getattr(text, key)
        if key == "level" and front.type not in ("act", "amendment"):
            printed = None
        values[key] = given if given is not None else printed
        if given is not None and printed is not None and given != printed:
            line = front_line_of(source, key)
            message = f"front matter {key} {given!r} is used; the text says {printed!r}"
            diags.append(diag("F208", message, source.path, line, 1))
    expression = front.expression_date or text.version_date
    values["expression_date"] = (
        expression if expression and expression >= front.date else front.expression_date
    )
    return values, diags


def front_line_of(source: SourceText, key: str) -> int:
    """The line of ``key`` in the front matter (its first line when absent)."""
    for offset, line in enumerate(source.raw_front.split("\n")):
        if line.startswith(f"{key}:"):
            return source.front_line + offset
    return source.front_line
