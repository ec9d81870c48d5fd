"""Typed schemas for what editors write in YAML: document front matter, the registry of
external works, bulletin issues.

Why pydantic: its validation errors carry the path of the offending value (``rubrics → 0 →
documents → 2 → slug``), which maps straight onto the YAML node and so onto the
``path:line:col`` an editor needs; strict types mean ``subtype: 3`` or ``title: [a, b]`` is a
diagnostic here instead of a crash in the AKN writer.

YAML is loaded safely and bounded: a size limit per file, no aliases (``*x``, the "billion
laughs" expansion), no timestamps (dates stay text and are checked as text), and no character
XML forbids in any value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from fadian.diagnostics import Diagnostic, diag
from fadian.names import is_akn_name, is_jurisdiction, is_slug

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster


class YamlLoader(_Loader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text, so a bad date is a diagnostic, not a crash."""


YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_YAML_FILE_BYTES = 4 * 1024 * 1024
XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def load_yaml(
    text: str, path: str, *, first_line: int = 1, code: str = "F202", what: str = "YAML", limit: int
) -> tuple[Any, yaml.Node | None, list[Diagnostic]]:
    """Parse ``text`` (whose first line is ``first_line`` of ``path``); returns the value, the
    composed node tree (for positions) and diagnostics. The value is None on any error."""

    def at(mark: Any) -> tuple[int, int]:
        return (first_line + mark.line, mark.column + 1) if mark is not None else (first_line, 1)

    size = len(text.encode("utf-8"))
    if size > limit:
        return None, None, [diag(code, f"{what} is {size:,} bytes (limit {limit:,})", path, first_line, 1)]
    try:
        if "*" in text:  # an alias needs a *: only then look for one, event by event
            for event in yaml.parse(text, Loader=YamlLoader):
                if isinstance(event, yaml.AliasEvent):
                    line, col = at(event.start_mark)
                    message = f"{what} uses a YAML alias (*{event.anchor}); write the value out instead"
                    return None, None, [diag(code, message, path, line, col)]
        loader = YamlLoader(text)
        try:  # one parse: the node tree (for positions) and the value built from it
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        line, col = at(getattr(exc, "problem_mark", None))
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, None, [diag(code, f"{what} is not valid YAML: {problem}", path, line, col)]
    repeated = _repeated_key(node)
    if repeated is not None:
        line, col = at(repeated.start_mark)
        message = f"{what} gives the key {str(repeated.value)[:40]!r} twice; write it once"
        return None, None, [diag(code, message, path, line, col)]
    for scalar in _scalars(node):
        bad = XML_FORBIDDEN.search(scalar.value)
        if bad:
            line, col = at(scalar.start_mark)
            message = f"{what} holds the character U+{ord(bad.group()):04X}, which XML forbids"
            return None, None, [diag("F107", message, path, line, col)]
    return value, node, []


def _repeated_key(node: yaml.Node | None) -> yaml.Node | None:
    """The second of two equal keys in one mapping (YAML forbids them; a loader keeps the last
    silently, so an editor's correction above a stale line would be lost)."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key, value in n.value:
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in seen:
                        return key
                    seen.add((key.tag, key.value))
                stack.append(value)
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
    return None


def _scalars(node: yaml.Node | None):
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, yaml.ScalarNode):
            yield n
        elif isinstance(n, yaml.SequenceNode):
            stack.extend(n.value)
        elif isinstance(n, yaml.MappingNode):
            for key, value in n.value:
                stack.extend((key, value))


def node_at(node: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """The node at a pydantic error location, or the deepest existing one on the way."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if found is None:
                key = next((k for k, _v in node.value if getattr(k, "value", None) == part), None)
                return key or node
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def check_schema(
    model: type[BaseModel],
    value: Any,
    node: yaml.Node | None,
    path: str,
    *,
    first_line: int,
    what: str,
    code: str = "F206",
    missing_code: str | None = None,
) -> tuple[BaseModel | None, list[Diagnostic]]:
    """Validate ``value`` against ``model``; each problem is a ``code`` at the value's position
    (a check that raises an error whose type is a code, F204, reports that code and message; a
    missing field is ``missing_code`` when given)."""
    try:
        return model.model_validate(value), []
    except ValidationError as exc:
        diags = []
        for error in exc.errors()[:20]:
            loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith(("str", "list"))))
            target = node_at(node, loc)
            line = first_line + target.start_mark.line if target is not None else first_line
            col = target.start_mark.column + 1 if target is not None else 1
            field = " → ".join(str(p) for p in loc) or what
            if CODE_RE.match(error["type"]):  # a check of ours: its code and its own words
                diags.append(diag(error["type"], error["msg"], path, line, col))
            elif error["type"] == "missing" and missing_code:
                diags.append(diag(missing_code, f"{what} lacks `{field}`", path, first_line, 1))
            else:
                diags.append(diag(code, f"{what}: `{field}` {_explain(error)}", path, line, col))
        return None, diags


def _explain(error: dict) -> str:
    kind = error["type"]
    if kind in ("string_type", "str_type"):
        return "must be text"
    if kind in ("int_type", "int_parsing"):
        return "must be a whole number"
    if kind == "list_type":
        return "must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a mapping of fields"
    if kind == "missing":
        return "is missing"
    return error.get("msg", "is not valid").lower()


class _Lenient(BaseModel):
    """Unknown keys are kept (editors add notes); known keys must have the right type."""

    model_config = ConfigDict(extra="allow", frozen=True)


CODE_RE = re.compile(r"^F\d{3}$")
DocType = Literal["act", "bill", "doc", "amendment"]
DOC_TYPES: tuple[str, ...] = DocType.__args__  # type: ignore[attr-defined]
LEVELS = (  # 效力级别, as the national database names them
    "宪法",
    "法律",
    "行政法规",
    "监察法规",
    "司法解释",
    "部门规章",
    "地方性法规",
    "自治条例和单行条例",
    "地方政府规章",
)
STATUSES = (
    "有效",
    "现行有效",
    "尚未生效",
    "已修改",
    "已废止",
    "草案",
)  # 时效性 (效力), as the national database shows it


def _checked(code: str, test, message: str):
    """A validator: the value passes ``test`` or is error ``code`` with ``message``."""

    def check(value):
        if value is not None and not test(value):
            raise PydanticCustomError(code, message.format(value=str(value)[:60]))
        return value

    return AfterValidator(check)


def _is_date(value: str) -> bool:
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _date_field(key: str):
    return _checked("F205", _is_date, key + " {value!r} is not YYYY-MM-DD")


Slug = Annotated[StrictStr, _checked("F204", is_slug, "slug {value!r} is not a safe name")]


def _uri_part(key: str):
    return _checked("F204", lambda v: is_slug(str(v)), key + " {value!r} is not a safe name")


REQUIRED_FIELDS = ("slug", "type", "title", "date")


class FrontMatter(_Lenient):
    """The YAML block at the top of ``sources/documents/*.txt``, checked once: the values
    DocumentMeta is built from. Each field's docstring is its line in the reference."""

    model_config = ConfigDict(extra="allow", frozen=True, use_attribute_docstrings=True)

    slug: Slug
    """a-z, 0-9 and inner hyphens, at most 80 characters: it names every output file and the
    text's address (`documents/<slug>/`)"""
    type: Annotated[
        StrictStr,
        _checked("F206", lambda v: v in DOC_TYPES, "type {value!r} is not one of act, bill, doc, amendment"),
    ]
    """act (enacted), bill (drafts: 专家建议稿, 草案征求意见稿), doc (notes, plans, reports) or
    amendment (修正案, 修改决定)"""
    title: StrictStr
    """the title as printed"""
    date: Annotated[StrictStr, _date_field("date")]
    """the work's date, YYYY-MM-DD (never today's date): part of its FRBR URI"""
    name: Annotated[
        StrictStr | None, _checked("F206", is_akn_name, "name {value!r} must be a camelCase word")
    ] = None
    """the AKN `@name`, a camelCase word (expertDraft, policyNote …); required for type doc, else the type"""
    date_name: StrictStr = "publication"
    """what `date` is: publication, enactment, bulletin …"""
    jurisdiction: Annotated[
        StrictStr,
        _checked("F206", is_jurisdiction, "jurisdiction {value!r} must look like cn or cn-hb"),
    ] = "cn"
    """cn, or cn-xx (ISO 3166-2:CN) for a local text: cn-hb, cn-fj …"""
    subtype: Annotated[StrictStr | None, _uri_part("subtype")] = None
    """an extra segment of the FRBR URI, e.g. the city of a local text"""
    number: Annotated[StrictStr | StrictInt | None, _uri_part("number")] = None
    """the FRBR URI's number instead of the slug"""
    source: StrictStr | None = None
    """the organisation of the （来源：…） line"""
    short_titles: list[StrictStr] | StrictStr | None = None
    """the names the text is cited by (数字经济促进法)"""
    expression_date: Annotated[StrictStr | None, _date_field("expression_date")] = None
    """this version's date (default: the text's last 修正/修订, else the commit's date, else `date`)"""
    language: Annotated[
        StrictStr, _checked("F206", lambda v: v == "zho", "language must be zho (ISO 639-2 Chinese)")
    ] = "zho"
    """zho (ISO 639-2 Chinese), the only language fadian writes"""
    first_article: Annotated[
        StrictInt | None,
        _checked(
            "F206", lambda v: 0 < v < 100_000, "first_article {value!r} must be a whole number such as 463"
        ),
    ] = None
    """an excerpt's first article number (民法典 合同编: 463); the default 1"""
    # legal metadata, shown in the page's panel (fadian/legal_fields: the table of them)
    status: Annotated[
        StrictStr | None,
        _checked("F206", lambda v: v in STATUSES, "status {value!r} is not one of " + "、".join(STATUSES)),
    ] = None
    """时效性; 现行有效, 尚未生效 and 已修改 are computed, 已废止 and 草案 only declared. Each legal
    field is read from the text where it prints it; a value here is used instead (F208 when
    the two differ)"""
    issuer: StrictStr | None = None
    """制定机关"""
    document_number: StrictStr | None = None
    """文号 (主席令第十号)"""
    level: Annotated[
        StrictStr | None,
        _checked("F206", LEVELS.__contains__, "level {value!r} is not one of " + "、".join(LEVELS)),
    ] = None
    """效力级别: 宪法, 法律, 行政法规, 监察法规, 司法解释, 部门规章, 地方性法规, 自治条例和单行条例,
    地方政府规章"""
    adopted: Annotated[StrictStr | None, _date_field("adopted")] = None
    """通过日期, YYYY-MM-DD"""
    promulgated: Annotated[StrictStr | None, _date_field("promulgated")] = None
    """公布日期, YYYY-MM-DD"""
    effective: Annotated[StrictStr | None, _date_field("effective")] = None
    """施行日期, YYYY-MM-DD"""

    @model_validator(mode="before")
    @classmethod
    def _empty_is_missing(cls, data: Any) -> Any:
        """A required field left empty (``title:``) is missing, as if not written."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (k in REQUIRED_FIELDS and v in (None, ""))}
        return data

    @model_validator(mode="after")
    def _name_of_a_doc(self) -> FrontMatter:
        if self.name is None and self.type == "doc":
            raise PydanticCustomError("F203", "front matter lacks `name` (required for type doc)")
        return self

    @property
    def doc_name(self) -> str:
        """The AKN @name: given, else the document type."""
        return self.name or self.type

    @property
    def titles(self) -> tuple[str, ...]:
        short = self.short_titles or []
        return (short,) if isinstance(short, str) else tuple(short)


class RegistryWork(_Lenient):
    title: StrictStr
    uri: StrictStr
    aliases: list[StrictStr] | None = None
    url: StrictStr | None = None  # the official text (flk.npc.gov.cn …), linked from the site


class Registry(_Lenient):
    works: list[RegistryWork]


class MastheadRole(_Lenient):
    role: StrictStr | None = None
    printed: StrictStr | None = None
    values: list[StrictStr] | None = None


class Masthead(_Lenient):
    lines: list[StrictStr] | None = None
    roles: list[MastheadRole] | None = None


class BulletinEntry(_Lenient):
    slug: StrictStr
    page: StrictInt | StrictStr | None = None
    page_label: StrictStr | StrictInt | None = None
    toc_title: StrictStr | None = None
    editor_note: list[StrictStr] | None = None


class Rubric(_Lenient):
    name: StrictStr
    documents: list[BulletinEntry] | None = None


class Profile(_Lenient):
    name: StrictStr | None = None
    name_en: StrictStr | None = None
    paragraphs: list[StrictStr] | None = None


class BulletinIssue(_Lenient):
    """``sources/bulletins/*.yaml``: one issue of a bulletin."""

    slug: StrictStr | None = None
    title: StrictStr | None = None
    issue: StrictInt | StrictStr | None = None
    issue_total: StrictInt | StrictStr | None = None
    date: StrictStr | None = None
    jurisdiction: StrictStr | None = None
    publisher: StrictStr | None = None
    cover: list[StrictStr] | None = None
    masthead: Masthead | None = None
    statement: StrictStr | None = None
    contents_heading: StrictStr | None = None
    rubrics: list[Rubric] | None = None
    profiles: list[Profile] | None = None
