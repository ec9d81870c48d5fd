"""A built site read as data: its works and their versions (the works' data files), the version
in force on a day and its 时效性 that day (the same rules as the site's script, assets/fadian.js:
fadianPick and fadianStatusFor), and the text of one provision of one version with the
addresses to cite it by.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from fadian.akn.read import provision_blocks
from fadian.eids import Eid
from fadian.read.numerals import cn_to_int
from fadian.refs.index import normalise_title

A = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
STATUSES = ("现行有效", "尚未生效", "已修改", "已废止")  # computed from dates; others are declared
N = "[零〇一二三四五六七八九十百千0-9０-９]+"
PROVISION_RE = re.compile(rf"^第?({N})条?(?:之({N}))?(?:第({N})款)?(?:第[（(]?({N})[）)]?项)?$")


class SiteDataError(Exception):
    """The folder is not a built fadian site, or a question names nothing in it."""


@dataclass(frozen=True)
class Version:
    """One expression of a work as its data file lists it."""

    expression_uri: str
    date: str
    label: str
    status: str  # as of the site's date
    effective: str
    until: str  # in_force_until: a later version (or a repeal) took over on this day
    page: str  # its page, from the site's root
    akn: str  # its AKN, from the site's root
    compare: str = ""  # its 新旧对照 with the version before, from the site's root
    # kept as several part files: (first article, last article, page, AKN) of each part
    parts: tuple[tuple[int, int, str, str], ...] = ()

    def part_of(self, eid: Eid) -> tuple[str, str]:
        """The page and AKN that hold ``eid``: of its part, for a version kept in parts."""
        top = eid.steps[0]
        for first, last, page, akn in self.parts:
            if top.name == "art" and top.number is not None and first <= top.number <= last:
                return page, akn
        return self.page, self.akn

    @property
    def akn_files(self) -> list[str]:
        """Its AKN: one file, or each part's."""
        return [akn for _first, _last, _page, akn in self.parts] or [self.akn]

    @property
    def start(self) -> str:
        """When it took over: its 施行日期, else the day it was made."""
        return self.effective or self.date

    def status_on(self, day: str, later: Version | None = None) -> str:
        """时效性 on ``day`` (assets/fadian.js: fadianStatusFor); ``later``, the next version,
        dates an end the data leaves open: before the next version was even made, this one
        was in force (a reader's today is never that early, a question about a past day is)."""
        if self.status not in STATUSES:
            return self.status  # declared: 草案, 有效
        if self.until and self.until <= day:
            return "已废止" if self.status == "已废止" else "已修改"
        if self.effective and day < self.effective:
            return "尚未生效"
        if self.status == "已修改" and not self.until and later is not None and day < later.date:
            return "现行有效"
        if self.status in ("已废止", "已修改") and not self.until:
            return self.status  # the day it ended is not stated
        return "现行有效"

    def row(self) -> dict:
        return {
            "label": self.label,
            "date": self.date,
            "effective": self.effective or None,
            "in_force_until": self.until or None,
            "status_on_site_date": self.status,
            "expression_uri": self.expression_uri,
            "page": self.page,
        }


@dataclass(frozen=True)
class Work:
    work_uri: str
    title: str
    data: str  # its data file, from the site's root


@dataclass(frozen=True)
class Provision:
    """One article (or 款, 项) of one version: its label, its text by paragraph, its addresses."""

    eid: str
    label: str
    paragraphs: tuple[str, ...]
    version: Version
    address: str  # the AKN portion: <expression URI>/~<eId>
    page: str  # its place on the site: <page>#<eId>


def version_on(versions: list[Version], day: str) -> Version | None:
    """The version in force on ``day`` (assets/fadian.js: fadianPick): the latest that had
    taken over by then and had not ended; None before the first (or after a repeal)."""
    best = None
    for v in versions:
        if v.start <= day and (not v.until or day < v.until) and (best is None or v.start >= best.start):
            best = v
    return best


def provision_eid(text: str) -> Eid:
    """第一百六十五条之一第二款第（三）项, 165, 一百六十五 → its eId; SiteDataError otherwise."""
    m = PROVISION_RE.match("".join(text.split()))
    if m is None:
        raise SiteDataError(f"{text!r} is not an article (第X条, 第X条之一第Y款第（Z）项, or a number)")
    article, sub, para, point = (cn_to_int(g) if g else 0 for g in m.groups())
    eid = Eid.article(article, sub)
    if para:
        eid = eid.para(para)
    if point:
        eid = eid.point(point)
    return eid


class SiteData:
    """A site folder: its catalogue read once, each work's data and each AKN when asked for."""

    def __init__(self, site_dir: Path):
        self.root = Path(site_dir)
        try:
            catalogue = json.loads((self.root / "akn" / "index.json").read_bytes())
        except (OSError, ValueError) as exc:
            raise SiteDataError(f"{self.root}: not a built fadian site (akn/index.json: {exc})") from None
        self.as_of: str | None = catalogue.get("as_of")
        self._data: dict[str, dict] = {}  # the works' data files read so far
        self.memo: dict[str, object] = {}  # what a reader of the site makes once (a citation index)
        self.works = [Work(w["work_uri"], w["title"], w["data"]) for w in catalogue["works"]]

    def find_work(self, name: str) -> Work:
        """A work by its title (with or without 中华人民共和国), its FRBR URI or a slug."""
        wanted = normalise_title(name.strip().strip("《》"))
        exact = [w for w in self.works if w.work_uri == name or normalise_title(w.title) == wanted]
        exact = exact or [w for w in self.works if w.work_uri.rsplit("/", 1)[-1] == name]
        if len(exact) == 1:
            return exact[0]
        near = exact or [w for w in self.works if wanted and wanted in normalise_title(w.title)]
        if len(near) == 1:
            return near[0]
        if not near:
            raise SiteDataError(f"no work of this site is called {name!r}")
        titles = "、".join(f"《{w.title}》" for w in near[:8])
        raise SiteDataError(f"{name!r} names {len(near)} works: {titles}; give the full title")

    def work_data(self, work: Work) -> dict:
        return self._json(work.data)

    def versions(self, work: Work) -> list[Version]:
        data = self._json(work.data)
        return [
            Version(
                e["expression_uri"],
                e["date"],
                e["label"],
                e.get("status", ""),
                e.get("effective", ""),
                e.get("in_force_until", ""),
                e["page"],
                e["akn"],
                e.get("compare", ""),
                tuple(_part(p) for p in e.get("parts", [])),
            )
            for e in data["expressions"]
        ]

    def provision(self, version: Version, eid: Eid) -> Provision | None:
        """The provision ``eid`` of ``version``, None when that version has none."""
        page, akn = version.part_of(eid)
        tree = _akn(self.root / akn)
        found = tree.find(f".//*[@eId='{eid}']")
        if found is None:
            return None
        paragraphs = tuple(provision_blocks(found))
        return Provision(
            str(eid),
            eid.label(),
            paragraphs,
            version,
            f"{version.expression_uri}/~{eid}",
            f"{page}#{eid}",
        )

    def eids(self, version: Version) -> frozenset[str]:
        """Every eId of ``version`` (of all its parts, when it is kept in several files)."""
        return frozenset(e for akn in version.akn_files for e in _akn(self.root / akn).xpath("//@eId"))

    def holds(self, version: Version, words: str) -> bool:
        """Whether the AKN file of ``version`` holds ``words`` as they are (a cheap test before
        it is parsed; words split by markup, a link inside them, are not found)."""
        try:
            return any(words.encode("utf-8") in (self.root / akn).read_bytes() for akn in version.akn_files)
        except OSError:
            return False

    def article_digests(self, version: Version) -> dict[str, list]:
        """The 引用核验 page's data of ``version`` (render/check_data: each article's number → its
        digest, then its 款'), read as the page reads it."""
        return self._articles_data(version).get("articles", {})

    def article_moves(self, version: Version) -> dict[str, str]:
        """The articles of the version before that ``version`` holds under another number (its
        ``articles.json``'s ``moved``: the build's comparison of the two), number → number."""
        return self._articles_data(version).get("moved", {})

    def _articles_data(self, version: Version) -> dict:
        """``version``'s articles.json (render/check_data), {} when the site has none."""
        try:
            return self._json(version.akn.rsplit("/", 1)[0] + "/articles.json")
        except SiteDataError:
            return {}

    def articles(self, version: Version) -> dict[str, str]:
        """Every article of ``version``: eId → its text."""
        articles = (a for akn in version.akn_files for a in _akn(self.root / akn).iter(f"{A}article"))
        return {a.get("eId"): "\n".join(provision_blocks(a)) for a in articles}

    def _json(self, path: str) -> dict:
        if path not in self._data:
            try:
                self._data[path] = json.loads((self.root / path).read_bytes())
            except (OSError, ValueError) as exc:
                raise SiteDataError(f"{path}: cannot be read ({exc})") from None
        return self._data[path]


def _part(row: dict) -> tuple[int, int, str, str]:
    return row["first_article"], row["last_article"], row["page"], row["akn"]


@lru_cache(maxsize=64)  # the versions a conversation asks about, not the whole collection
def _akn(path: Path) -> etree._ElementTree:
    try:
        return etree.parse(str(path))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise SiteDataError(f"{path}: cannot be read ({exc})") from None
