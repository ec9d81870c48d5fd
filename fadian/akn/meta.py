"""Document metadata: front matter → checked DocumentMeta with FRBR URIs.

Every path fadian writes is derived from a slug, so the slug pattern here is
the guard that keeps derived files inside build/.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from fadian.diagnostics import Diagnostic, diag
from fadian.read.schemas import FrontMatter, check_schema
from fadian.read.sources import SourceText

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
JURISDICTION_RE = re.compile(r"^cn(?:-[a-z]{2})?$")
NAME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9]{0,39}$")
DOC_TYPES = ("act", "bill", "doc", "amendment")
STATUSES = ("有效", "尚未生效", "已修改", "已废止", "草案")  # 效力, as the national database shows it


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
    # legal metadata readers expect (效力, 发布机关, 文号, dates): written to <proprietary>
    status: str | None = None
    issuer: str | None = None
    document_number: str | None = None
    adopted: str | None = None
    promulgated: str | None = None
    effective: str | None = None

    def legal_metadata(self) -> dict[str, str]:
        fields = ("status", "issuer", "document_number", "adopted", "promulgated", "effective")
        return {k: getattr(self, k) for k in fields if getattr(self, k)}

    @property
    def akn_element(self) -> str:
        """The AKN document type: an amendment instrument is an ``act`` named ``amendment``."""
        return "act" if self.doc_type == "amendment" else self.doc_type

    @property
    def work_uri(self) -> str:
        parts = ["", "akn", self.jurisdiction, self.akn_element]
        if self.subtype:
            parts.append(self.subtype)
        parts += [self.date, self.number or self.slug]
        return "/".join(parts)

    @property
    def expression_uri(self) -> str:
        return f"{self.work_uri}/{self.language}@{self.expression_date or self.date}"

    @property
    def manifestation_uri(self) -> str:
        return f"{self.expression_uri}/!main.xml"


def is_safe_slug(slug: object) -> bool:
    return isinstance(slug, str) and bool(SLUG_RE.match(slug))


def _field_line(source: SourceText, key: str) -> int:
    for offset, line in enumerate(source.raw_front.split("\n")):
        if line.startswith(f"{key}:"):
            return source.front_line + offset
    return source.front_line


def _date(value: object) -> str | None:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def meta_from_front_matter(source: SourceText) -> tuple[DocumentMeta | None, list[Diagnostic]]:
    """Check the front matter fields and build DocumentMeta (None on errors)."""
    front = source.front or {}
    path = source.path
    _typed, diags = check_schema(
        FrontMatter, front, source.front_node, path, first_line=source.front_line, what="front matter"
    )
    if diags:
        return None, diags

    def need(key: str) -> object:
        if key not in front or front[key] in (None, ""):
            diags.append(diag("F203", f"front matter lacks `{key}`", path, source.front_line, 1))
            return None
        return front[key]

    slug = need("slug")
    if slug is not None and not is_safe_slug(slug):
        diags.append(
            diag("F204", f"slug {str(slug)[:60]!r} is not a safe name", path, _field_line(source, "slug"), 7)
        )
    doc_type = need("type")
    if doc_type is not None and doc_type not in DOC_TYPES:
        diags.append(
            diag(
                "F206",
                f"type {doc_type!r} is not one of {', '.join(DOC_TYPES)}",
                path,
                _field_line(source, "type"),
                7,
            )
        )
    title = need("title")
    date_value = need("date")
    date = _date(date_value) if date_value is not None else None
    if date_value is not None and date is None:
        diags.append(
            diag("F205", f"date {date_value!r} is not YYYY-MM-DD", path, _field_line(source, "date"), 7)
        )
    name = front.get("name") or (doc_type if doc_type in ("act", "bill", "amendment") else None)
    if name is None:
        diags.append(
            diag("F203", "front matter lacks `name` (required for type doc)", path, source.front_line, 1)
        )
    elif not (isinstance(name, str) and NAME_RE.match(name)):
        diags.append(
            diag("F206", f"name {name!r} must be a camelCase word", path, _field_line(source, "name"), 7)
        )
    jurisdiction = front.get("jurisdiction", "cn")
    if not (isinstance(jurisdiction, str) and JURISDICTION_RE.match(jurisdiction)):
        diags.append(
            diag(
                "F206",
                f"jurisdiction {jurisdiction!r} must look like cn or cn-hb",
                path,
                _field_line(source, "jurisdiction"),
                15,
            )
        )
    for key in ("subtype", "number"):
        value = front.get(key)
        if value is not None and not is_safe_slug(str(value)):
            diags.append(
                diag(
                    "F204", f"{key} {str(value)[:60]!r} is not a safe name", path, _field_line(source, key), 1
                )
            )
    expression_date = front.get("expression_date")
    if expression_date is not None and _date(expression_date) is None:
        diags.append(
            diag(
                "F205",
                f"expression_date {expression_date!r} is not YYYY-MM-DD",
                path,
                _field_line(source, "expression_date"),
                1,
            )
        )
    language = front.get("language", "zho")
    if language != "zho":
        diags.append(
            diag("F206", "language must be zho (ISO 639-2 Chinese)", path, _field_line(source, "language"), 1)
        )
    first_article = front.get("first_article")
    if first_article is not None and (
        not isinstance(first_article, int)
        or isinstance(first_article, bool)
        or not 0 < first_article < 100_000
    ):
        diags.append(
            diag(
                "F206",
                f"first_article {str(first_article)[:20]!r} must be a whole number such as 463",
                path,
                _field_line(source, "first_article"),
                1,
            )
        )
    status = front.get("status")
    if status is not None and status not in STATUSES:
        diags.append(
            diag(
                "F206",
                f"status {status!r} is not one of {'、'.join(STATUSES)}",
                path,
                _field_line(source, "status"),
                1,
            )
        )
    for key in ("adopted", "promulgated", "effective"):
        value = front.get(key)
        if value is not None and _date(value) is None:
            diags.append(
                diag("F205", f"{key} {value!r} is not YYYY-MM-DD", path, _field_line(source, key), 1)
            )
    if diags:
        return None, diags
    short = front.get("short_titles") or []
    if isinstance(short, str):
        short = [short]
    return DocumentMeta(
        slug=str(slug),
        doc_type=str(doc_type),
        name=str(name),
        title=str(title),
        date=str(date),
        jurisdiction=str(jurisdiction),
        subtype=front.get("subtype"),
        number=str(front["number"]) if front.get("number") is not None else None,
        date_name=str(front.get("date_name", "publication")),
        expression_date=_date(expression_date) if expression_date else None,
        source=front.get("source"),
        short_titles=tuple(str(s) for s in short),
        first_article=first_article,
        status=status,
        issuer=front.get("issuer"),
        document_number=front.get("document_number"),
        adopted=_date(front["adopted"]) if front.get("adopted") else None,
        promulgated=_date(front["promulgated"]) if front.get("promulgated") else None,
        effective=_date(front["effective"]) if front.get("effective") else None,
    ), []
