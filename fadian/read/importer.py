"""One-off import of a 《大数据发展动态》 bulletin extracted from PDF into sources/.

The PDF text has the bulletin's parts in print order: cover, masthead,
statement, 本期要目 (rubrics, page numbers, titles), then per document an
optional 编者按, the document and its （来源：…） line, and at the end the
publishers' profiles. The importer finds each part by its printed anchors,
repairs what the PDF broke (paragraphs split at page ends, "- " list
markers, image placeholders) and writes one source file per document plus
one YAML file for the issue. It drops no printed text: a test compares the
Han characters of the seed with those of the sources it writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from fadian.read.patterns import (
    ARABIC_PAREN_RE,
    ARTICLE_RE,
    DIVISION_RE,
    FIGURE_RE,
    ITEM_RE,
    LEVEL1_RE,
    SOURCE_RE,
    SUBITEM_RE,
)

_TERMINAL = tuple("。；：！？…”」）)")
_LIST_MARKER = re.compile(r"^\s*-\s+")
MASTHEAD_ROLES = (
    "主编",
    "联合主编",
    "学术支持",
    "编委会",
    "总编辑",
    "副总编辑",
    "执行编辑",
    "责任编辑",
    "美术编辑",
    "咨询电话",
    "邮箱",
    "编辑地址",
    "新媒体",
)
ISSUE_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*第(\d+)期\s*总第(\d+)期$")
TOC_ENTRY_RE = re.compile(r"^(\d{2,3})\s+(.+)$")


@dataclass(frozen=True)
class SeedDocument:
    """What the importer knows about each document beyond the printed text."""

    slug: str
    doc_type: str
    name: str
    jurisdiction: str
    date: str
    date_name: str
    short_titles: tuple[str, ...] = ()
    subtype: str | None = None


# The seven documents of 2023年第18期, in print order. Dates: the law's draft was
# published on 2023-04-15 (its 编者按); the others carry no date of their own in the
# bulletin, so they take the issue's date, named "bulletin".
SEED_DOCUMENTS = (
    SeedDocument(
        "digital-economy-promotion-law-expert-draft",
        "bill",
        "expertDraft",
        "cn",
        "2023-04-15",
        "publication",
        ("数字经济促进法（专家建议稿）", "数字经济促进法"),
    ),
    SeedDocument(
        "fujian-data-centre-computing-subsidy-points", "doc", "policyNote", "cn-fj", "2023-05-05", "bulletin"
    ),
    SeedDocument(
        "shandong-manufacturing-innovation-plan-2023-2025",
        "doc",
        "actionPlan",
        "cn-sd",
        "2023-05-05",
        "bulletin",
        ("计划",),
    ),
    SeedDocument(
        "shandong-three-economies-implementation-plan",
        "doc",
        "implementationPlan",
        "cn-sd",
        "2023-05-05",
        "bulletin",
        ("实施方案",),
    ),
    SeedDocument(
        "wuhan-digital-economy-promotion-regulations-draft",
        "bill",
        "draftRegulation",
        "cn-hb",
        "2023-05-05",
        "bulletin",
        ("条例（草案）",),
        subtype="wuhan",
    ),
    SeedDocument(
        "internet-services-2023-q1-statistics",
        "doc",
        "statisticsReport",
        "cn",
        "2023-05-05",
        "bulletin",
        ("互联网企业",),
    ),
    SeedDocument("global-5g-sep-report-2023-summary", "doc", "reportSummary", "cn", "2023-05-05", "bulletin"),
)


class ImportError_(Exception):
    """The seed does not have the layout this importer reads; carries line and message."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class _Cursor:
    lines: list[tuple[int, str]]  # (line number, stripped text), blank lines removed
    i: int = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.lines[j][1] if j < len(self.lines) else ""

    def line(self) -> int:
        return self.lines[min(self.i, len(self.lines) - 1)][0]

    def take(self) -> str:
        text = self.peek()
        self.i += 1
        return text

    def done(self) -> bool:
        return self.i >= len(self.lines)


@dataclass
class ImportedDocument:
    seed: SeedDocument
    title: str
    toc_title: str
    page_label: str
    rubric: str
    editor_note: list[str]
    body: list[str]
    source: str | None

    def source_text(self) -> str:
        front = {
            "slug": self.seed.slug,
            "type": self.seed.doc_type,
            "name": self.seed.name,
            "title": self.title,
            "date": self.seed.date,
            "date_name": self.seed.date_name,
            "jurisdiction": self.seed.jurisdiction,
        }
        if self.seed.subtype:
            front["subtype"] = self.seed.subtype
        if self.source:
            front["source"] = self.source
        if self.seed.short_titles:
            front["short_titles"] = list(self.seed.short_titles)
        head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
        return "---\n" + head + "---\n\n" + "\n\n".join(self.body) + "\n"


@dataclass
class ImportedBulletin:
    meta: dict
    documents: list[ImportedDocument] = field(default_factory=list)


def squash(text: str) -> str:
    text = re.sub(r"\s+", "", text)
    return text.replace("(", "（").replace(")", "）")


def is_structural(text: str) -> bool:
    return bool(
        ARTICLE_RE.match(text)
        or DIVISION_RE.match(text)
        or LEVEL1_RE.match(text)
        or ITEM_RE.match(text)
        or SUBITEM_RE.match(text)
        or ARABIC_PAREN_RE.match(text)
        or FIGURE_RE.match(text)
        or SOURCE_RE.match(text)
        or _LIST_MARKER.match(text)
        or text.startswith("——")
    )


def repair_paragraphs(lines: list[str]) -> list[str]:
    """Join paragraphs split at PDF page ends and drop "- " list markers.

    A line continues on the next one when it stops without closing punctuation
    and is either as long as a full printed line or ends in ， or 、, and the
    next line does not start a numbered unit.
    """
    out: list[str] = []
    for raw in lines:
        text = _LIST_MARKER.sub("", raw).strip()
        if not text:
            continue
        if out and not is_structural(raw.strip()):
            prev = out[-1]
            unfinished = not prev.endswith(_TERMINAL) and not _is_heading(prev)
            if unfinished and (len(prev) >= 38 or prev.endswith(("，", "、"))):
                sep = " " if prev[-1].isascii() and prev[-1].isalnum() and text[0].isascii() else ""
                out[-1] = prev + sep + text
                continue
        out.append(text)
    return out


def _is_heading(text: str) -> bool:
    return len(text) < 38 and not re.search("[。；，]", text)


def _masthead(cur: _Cursor) -> dict:
    lines = [cur.take(), cur.take()]  # 大数据发展动态, issue line
    roles: list[dict] = []
    while not cur.done() and not cur.peek().startswith("声明"):
        text = cur.take()
        role = next((r for r in MASTHEAD_ROLES if re.match(r"^" + r"\s?".join(r) + r"(\s|$)", text)), None)
        if role and (not roles or role != roles[-1]["role"]):
            m = re.match(r"^" + r"\s?".join(role) + r"\s*", text)
            printed = text[: m.end()].strip()
            value = text[m.end() :].strip()
            roles.append({"role": role, "printed": printed, "values": [value] if value else []})
        elif roles:
            roles[-1]["values"].append(text)
        else:
            lines.append(text)
    return {"lines": lines, "roles": roles}


def _contents(cur: _Cursor) -> list[dict]:
    if squash(cur.peek()) != "本期要目":
        raise ImportError_(cur.line(), "expected 本期要目 after the statement")
    cur.take()
    rubrics: list[dict] = []
    while not cur.done() and cur.peek() != "编者按":
        text = cur.take()
        m = TOC_ENTRY_RE.match(text)
        if m:
            if not rubrics:
                raise ImportError_(cur.line(), "table-of-contents entry before any rubric")
            rubrics[-1]["entries"].append({"page_label": m[1], "title": m[2]})
        else:
            rubrics.append({"name": text, "entries": []})
    return rubrics


def _title_at(cur: _Cursor, wanted: str) -> int:
    """How many lines starting at the cursor spell ``wanted`` (0 if they don't)."""
    target = squash(wanted)
    got = ""
    for k in range(3):
        got += squash(cur.peek(k))
        if got == target:
            return k + 1
        if not target.startswith(got):
            return 0
    return 0


def import_bulletin(text: str) -> ImportedBulletin:
    """Split the seed text into the issue's metadata and its documents."""
    numbered = [(n, ln.strip()) for n, ln in enumerate(text.split("\n"), start=1) if ln.strip()]
    cur = _Cursor(numbered)
    cover = _cover(cur)
    issue = ISSUE_RE.match(cover[3]) if len(cover) > 3 else None
    if issue is None:
        raise ImportError_(numbered[0][0], "cover does not carry 'YYYY年M月D日 第N期 总第N期'")
    year, month, day, number, total = (int(x) for x in issue.groups())
    masthead = _masthead(cur)
    statement = cur.take()
    rubrics = _contents(cur)
    entries = [(r["name"], e) for r in rubrics for e in r["entries"]]
    if len(entries) != len(SEED_DOCUMENTS):
        raise ImportError_(
            cur.line(), f"本期要目 lists {len(entries)} documents, the importer knows {len(SEED_DOCUMENTS)}"
        )
    bulletin = ImportedBulletin(meta={})
    for (rubric, entry), seed in zip(entries, SEED_DOCUMENTS, strict=True):
        bulletin.documents.append(_document(cur, rubric, entry, seed))
    profiles = _profiles(cur)
    bulletin.meta = {
        "slug": f"dsj-{year}-{number}",
        "title": cover[1],
        "issue": number,
        "issue_total": total,
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "jurisdiction": "cn-gz",
        "publisher": masthead["roles"][0]["values"][0] if masthead["roles"] else None,
        "cover": cover,
        "masthead": masthead,
        "statement": statement,
        "contents_heading": "本期要目",
        "rubrics": _rubric_list(bulletin.documents),
        "profiles": profiles,
    }
    return bulletin


def _cover(cur: _Cursor) -> list[str]:
    """The cover's lines, up to the masthead (which repeats the bulletin's name)."""
    cover: list[str] = []
    while not cur.done():
        if len(cover) > 1 and cur.peek() == cover[1]:
            break
        cover.append(cur.take())
        if len(cover) > 8:
            raise ImportError_(cur.line(), "masthead not found after the cover")
    return cover


def _document(cur: _Cursor, rubric: str, entry: dict, seed: SeedDocument) -> ImportedDocument:
    """One document of the issue: its 编者按, its title (as many lines as it takes) and its body,
    to its （来源：…） line; paragraphs broken at page ends joined again."""
    note: list[str] = []
    if cur.peek() == "编者按":
        cur.take()
        while not cur.done() and not _title_at(cur, entry["title"]):
            note.append(cur.take())
    n_title = _title_at(cur, entry["title"])
    if not n_title:
        raise ImportError_(cur.line(), f"title of {entry['title']!r} not found")
    title_lines = [cur.take() for _ in range(n_title)]
    body = list(title_lines)
    source = None
    while not cur.done():
        text = cur.take()
        body.append(text)
        m = SOURCE_RE.match(text)
        if m:
            source = m["org"].strip()
            break
    return ImportedDocument(
        seed=seed,
        title=squash(entry["title"]),
        toc_title=entry["title"],
        page_label=entry["page_label"],
        rubric=rubric,
        editor_note=repair_paragraphs(note),
        body=title_lines + repair_paragraphs(body[n_title:]),
        source=source,
    )


def _profiles(cur: _Cursor) -> list[dict]:
    """The publishers' profiles after the last document: a name, its English name, paragraphs."""
    profiles: list[dict] = []
    while not cur.done():
        text = cur.take()
        if cur.peek() and cur.peek().isascii():
            profiles.append({"name": text, "name_en": cur.take(), "paragraphs": []})
        elif profiles:
            profiles[-1]["paragraphs"].append(text)
        else:
            raise ImportError_(cur.line(), f"unexpected text after the last document: {text[:20]}")
    return profiles


def _rubric_list(documents: list[ImportedDocument]) -> list[dict]:
    """The issue's rubrics with their documents in order (slug, page, contents title, 编者按)."""
    rubric_list: list[dict] = []
    for doc in documents:
        if not rubric_list or rubric_list[-1]["name"] != doc.rubric:
            rubric_list.append({"name": doc.rubric, "documents": []})
        entry = {
            "slug": doc.seed.slug,
            "page": int(doc.page_label),
            "page_label": doc.page_label,
            "toc_title": doc.toc_title,
        }
        if doc.editor_note:
            entry["editor_note"] = doc.editor_note
        rubric_list[-1]["documents"].append(entry)
    return rubric_list


def source_files(bulletin: ImportedBulletin) -> dict[str, str]:
    """The files an import makes, by path under sources/: documents/*.txt and the issue's
    bulletins/<slug>.yaml (written by the command line; the reader writes nothing)."""
    files = {f"documents/{doc.seed.slug}.txt": doc.source_text() for doc in bulletin.documents}
    files[f"bulletins/{bulletin.meta['slug']}.yaml"] = yaml.safe_dump(
        bulletin.meta, allow_unicode=True, sort_keys=False, width=1000
    )
    return files
