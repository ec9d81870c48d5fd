"""A text an editor brings (plain text, LawRefBook-style Markdown, or the plain text pandoc made of
a .docx) made a source fadian builds: its body cleaned the way the collection's texts are, and
front matter read from the text itself — title, type, dates — with a readable ASCII slug.

Pure: text in, the source text and what could not be read out. A fact the text does not print is
left out and reported, never guessed (a source without a date does not build until the editor
adds one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from fadian.names import is_slug
from fadian.read.legalmeta import calendar_date, read_legal_metadata
from fadian.read.patterns import ARTICLE_RE
from fadian.read.schemas import LEVELS
from fadian.read.sources import read_source

_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_HEADING_MARK = re.compile(r"^#{1,6}[ \t]+")
_DATE = re.compile(r"^[（(]?(\d{4})年(\d{1,2})月(\d{1,2})日")
_INSTRUMENT = re.compile(r"修正案(?:[（(][^（）()]+[）)])?$|关于修改.+的决定$")
_PREFIX = "中华人民共和国"
MAX_SLUG = 60


@dataclass
class ImportedText:
    """A source made from an editor's file: its text (front matter included) and its facts."""

    slug: str
    title: str
    doc_type: str
    date: str | None
    expression_date: str | None
    text: str
    problems: list[str] = field(default_factory=list)  # facts missing: the source will not build
    notes: list[str] = field(default_factory=list)  # facts taken from the file's name or folder
    refused: str | None = None  # why the file cannot be a source as it is


def from_markdown(text: str) -> str:
    """LawRefBook-style Markdown as plain text: lines that hold only an HTML comment dropped (with
    the blank line after one), heading marks (#, ##, …) taken off."""
    out: list[str] = []
    skip_blank = False
    for line in text.split("\n"):
        if _COMMENT.match(line):
            skip_blank = True
            continue
        if skip_blank and not line.strip():
            skip_blank = False
            continue
        skip_blank = False
        out.append(_HEADING_MARK.sub("", line))
    return "\n".join(out)


def body_text(text: str) -> str:
    """The text as a source body: one paragraph per line, a blank line between paragraphs (as
    pandoc's plain output and the collection's files have them), trailing spaces kept off."""
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines).rstrip("\n") + "\n"


def slug_for(title: str, taken: set[str], year: str | None = None) -> str:
    """A readable ASCII slug from the title's pinyin (中华人民共和国 left off): xing-fa; a title the
    project already has takes its year (gong-si-fa-2023), then a number."""
    from pypinyin import lazy_pinyin

    # what every title of its kind says is left off: the country, the body (…关于), the formula
    # of a judicial interpretation (适用法律若干问题)
    name = re.sub(r"^.{0,14}?关于", "", title).replace(_PREFIX, "")
    name = re.sub(r"(?:具体)?(?:应用|适用)法律(?:的)?(?:若干)?问题|若干问题", "", name) or title
    words: list[str] = []
    for part in lazy_pinyin(name):
        words += [w for w in re.split(r"[^0-9a-zA-Z]+", part.lower()) if w]
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > MAX_SLUG:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or "text"
    candidates = [slug, *([f"{slug}-{year}"] if year else []), *(f"{slug}-{k}" for k in range(2, 1000))]
    return next(c for c in candidates if c not in taken)


def import_text(path: str, text: str, taken: set[str]) -> ImportedText:
    """A source made of ``text``: front matter from what it prints (kept as is when it has its
    own), a slug not in ``taken``. ``path`` is the file's name as the editor gave it: where the
    text prints no date, a LawRefBook file name's ``(YYYY-MM-DD)`` dates it, and where it states
    no 效力级别, the collection folder it lies in names one (each said in a note and recorded in
    the front matter: a source the editor chose, not a guess)."""
    body = body_text(text)
    if body.startswith("---\n"):  # already a source: kept as the editor wrote it
        return _own_source(path, body, taken)
    source = read_source(path, body.encode("utf-8"), front_matter=False)
    lines = [ln.text.strip() for ln in source.lines if ln.text.strip()]
    title = lines[0] if lines else ""
    legal = read_legal_metadata(source.lines, title)
    dated = [d for text in lines[1:40] if (m := _DATE.match(text)) and (d := _iso(m))]
    expression = legal.version_date or (dated[-1] if dated else None)
    first = legal.adopted or (dated[0] if dated else None)
    date = min(d for d in (first, expression) if d) if (first or expression) else None
    doc_type = (
        "amendment"
        if _INSTRUMENT.search("".join(title.split()))
        else "act"
        if any(ARTICLE_RE.match(t) for t in lines)
        else "doc"
    )
    name = _file_name(path)
    problems, notes, recorded = [], [], []
    if date is None and (named := file_name_date(name)):
        date = named
        notes.append(f"no date is printed in the text: {date} is taken from the file name {name!r}")
        recorded.append(f"date_source: {json.dumps('file name: ' + name, ensure_ascii=False)}")
    level = None
    if legal.level is None and (level := folder_level(path)):
        notes.append(f"the text states no 效力级别: {level} is taken from the folder it lies in")
        recorded.append(f"level_source: {json.dumps('folder: ' + level, ensure_ascii=False)}")
    slug = slug_for(title, taken, (expression or date or "")[:4] or None)
    if not title:
        problems.append("the file holds no text")
    if date is None:
        problems.append("no date is printed under the title: add `date:` (YYYY-MM-DD) to the front matter")
    front = [
        "---",
        f"slug: {slug}",
        f"type: {doc_type}",
        *(["name: document"] if doc_type == "doc" else []),
        f"title: {json.dumps(title, ensure_ascii=False)}",
        *([f"date: '{date}'"] if date else []),
        *([f"expression_date: '{expression}'"] if expression and expression != date else []),
        *([f"level: {level}"] if level else []),
        *recorded,
        "---",
        "",
    ]
    text_out = "\n".join(front) + "\n" + body
    return ImportedText(slug, title, doc_type, date, expression, text_out, problems, notes)


def _own_source(path: str, body: str, taken: set[str]) -> ImportedText:
    """A file that is already a source: kept as written; its slug must be a safe name (it names
    the file written), else the file is refused, never written under a path it spells."""
    source = read_source(path, body.encode("utf-8"))
    front = source.front or {}
    title = str(front.get("title", ""))
    given = front.get("slug")
    if given is None or given == "":
        slug = slug_for(title, taken)
    elif is_slug(given):
        slug = str(given)
    else:
        shown = repr(given)[:60]
        return ImportedText("", title, str(front.get("type", "")), None, None, body, refused=(
            f"its front matter's slug {shown} is not a safe name (a-z, 0-9 and inner hyphens)"
        ))
    return ImportedText(slug, title, str(front.get("type", "")), None, None, body)


# LawRefBook names a version of a text by its date: 地名管理条例(2022-03-30).md
_FILE_DATE = re.compile(r"[（(](\d{4})-(\d{2})-(\d{2})[）)]")
# LawRefBook's folders: a 效力级别 by name, or one of the seven sectors its 法律 are kept under
_SECTORS = ("宪法相关法", "民法商法", "民法典", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法")


def _file_name(path: str) -> str:
    return re.split(r"[\\/]", path)[-1]


def file_name_date(name: str) -> str | None:
    """The date a LawRefBook file name gives its version (``X(2019-07-26).md``), if a real one."""
    found = _FILE_DATE.findall(name.rsplit(".", 1)[0])
    return calendar_date(*map(int, found[-1])) if found else None


def folder_level(path: str) -> str | None:
    """The 效力级别 the nearest folder of ``path`` names (行政法规/, 司法解释/, 地方性法规/ …; a
    sector folder of 法律, such as 民法商法/, names 法律), None when none does."""
    for folder in reversed(re.split(r"[\\/]", path)[:-1]):
        if folder in LEVELS:
            return folder
        if folder in _SECTORS:
            return "法律"
    return None


def _iso(m: re.Match) -> str | None:
    return calendar_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
