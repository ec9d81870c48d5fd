"""引用核验: every citation of a text a reader brings, checked against a built site on a date —
found and resolved by the build's own citation engine (refs/resolve: 《》 titles, short names,
Chinese or Arabic numbers, 款 and 项), then judged: the article exists in the version in force
that day, or it does not (无此条); the law is not in the collection (未收录); the text was not
in force that day; and whether a later version changed the article's wording.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from fadian.access.site_data import SiteData, SiteDataError, Version, version_on
from fadian.eids import Eid
from fadian.refs.index import Citation, ExpressionRef, ProvisionIds, RefIndex, Work
from fadian.refs.patterns import JOINERS
from fadian.refs.resolve import TextRefState, resolve_text_refs
from fadian.render.check_data import article_key, under_article
from fadian.uri import split_portion

VERDICTS = {
    "ok": "正确",
    "missing": "无此条",
    "not_in_force": "该日未施行",
    "uncollected": "未收录",
    "unclear": "无法确定所指",
}
WRONG = ("missing", "not_in_force")  # a citation that names what was not law that day


class _AknIds(ProvisionIds):
    """The eIds of one version, read from its AKN when a citation first asks about it: a
    pasted text cites a few laws of thousands."""

    __slots__ = ("_site", "_version")

    def __init__(self, site: SiteData, version: Version):
        super().__init__()
        self._set, self._site, self._version = None, site, version

    @property
    def ids(self) -> frozenset[str]:
        if self._set is None:
            self._set = self._site.eids(self._version)
        return self._set


def citation_index(site: SiteData) -> RefIndex:
    """Every work of the site by its title (中华人民共和国 may be left out), with its versions."""
    index = RefIndex()
    for work in site.works:
        versions = site.versions(work)
        expressions = tuple(ExpressionRef(v.expression_uri, v.start, _AknIds(site, v)) for v in versions)
        newest = expressions[-1].eids if expressions else None
        index.add(Work(work.work_uri, work.title, newest, True, None, expressions))
    return index


@dataclass
class CitationCheck:
    """One citation and what it names on the day asked about."""

    text: str
    line: int
    col: int
    verdict: str  # a key of VERDICTS
    law: str = ""
    provision: str = ""
    version: dict | None = None
    status_on_date: str = ""
    cite: str = ""
    page: str = ""
    changed_later: list[dict] = field(default_factory=list)
    renumbered: str = ""  # the article's number now, when a later version renumbered it
    note: str = ""

    @property
    def wrong(self) -> bool:
        return self.verdict in WRONG

    def row(self) -> dict:
        return {k: v for k, v in {**self.__dict__, "verdict_label": VERDICTS[self.verdict]}.items() if v}


def check_text(site: SiteData, text: str, as_of: str, index: RefIndex | None = None) -> list[CitationCheck]:
    """Every citation of another law in ``text`` (line by line), judged as of ``as_of``."""
    if index is None:
        if "citation_index" not in site.memo:
            site.memo["citation_index"] = citation_index(site)
        index = site.memo["citation_index"]
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        _spans, citations = resolve_text_refs(line, index, "-", number, TextRefState(), cited_on=as_of)
        lead = len(line) - len(line.lstrip())
        kept = [c for c in citations if c.status != "internal" and not _own_heading(c, lead)]
        judged = [_judged(site, c, as_of) for c in kept]
        for start, end in _ranges(line, judged):
            end.changed_later += _changed_between(site, start, end, as_of)
        out += judged
    return out


def _ranges(line: str, checks: list[CitationCheck]) -> list[tuple[CitationCheck, CitationCheck]]:
    """The pairs of consecutive citations of one version's articles joined by 至 (到): the two
    ends of a range (第一百六十五条至第一百六十七条)."""
    out = []
    for a, b in itertools.pairwise(checks):
        between = line[a.col - 1 + len(a.text) : b.col - 1]
        if JOINERS.get(between) == "range" and a.version and a.version == b.version and a.cite and b.cite:
            out.append((a, b))
    return out


def _changed_between(site: SiteData, start: CitationCheck, end: CitationCheck, day: str) -> list[dict]:
    """The later changes of the articles strictly inside a range, each naming its article (the
    ends are judged as citations of their own)."""
    first, last = (Eid.parse(split_portion(c.cite)[1]) for c in (start, end))
    if first is None or last is None or len(first.steps) != 1 or len(last.steps) != 1:
        return []
    a, b = first.last, last.last
    if a.name != "art" or b.name != "art" or a.number is None or b.number is None:
        return []
    work = next((w for w in site.works if start.cite.startswith(w.work_uri + "/")), None)
    versions = site.versions(work) if work is not None else []
    version = next((v for v in versions if start.cite.startswith(v.expression_uri + "/")), None)
    if version is None:
        return []
    out = []
    for number in range(a.number + 1, b.number):
        eid = Eid.article(number)
        inside = CitationCheck("", 0, 0, "unclear")
        if site.provision(version, eid) is not None:
            _in_version(site, inside, versions, version, eid, day)
            out += [{**row, "article": eid.label()} for row in inside.changed_later]
    return out


def _own_heading(c: Citation, lead: int) -> bool:
    """第一条 or 第一章 that begins a line: the number of the text's own article or chapter."""
    return (
        c.status == "unresolved"
        and not c.work
        and c.col == lead + 1
        and c.text.startswith("第")
        and c.text[-1] in "条章节编"
    )


def _judged(site: SiteData, c: Citation, day: str) -> CitationCheck:
    check = CitationCheck(c.text, c.line, c.col, "unclear")
    if c.status == "unknown":
        check.verdict, check.law = "uncollected", c.text.split("》")[0].lstrip("《")
        return check
    if c.status == "external":
        check.verdict, check.note = "uncollected", "登记的外部法规：本站未收录其文本"
        return check
    if c.status == "unresolved":
        return _unresolved(site, c, check, day)
    uri, eid = split_portion(c.hrefs[0]) if c.hrefs else ("", "")
    work = next((w for w in site.works if uri.startswith(w.work_uri)), None)
    if work is None:
        return check
    versions = site.versions(work)
    version = version_on(versions, day)
    check.law = work.title
    if version is None:
        check.verdict = "not_in_force"
        check.note = f"本站所收版本中没有在 {day} 施行的（最早的版本自 {versions[0].start} 起）"
        return check
    if not eid:  # the law as a whole (根据《中华人民共和国宪法》): it is there, in force that day
        following = versions[versions.index(version) + 1] if version is not versions[-1] else None
        check.version, check.status_on_date = version.row(), version.status_on(day, following)
        check.verdict = "ok" if check.status_on_date not in ("已废止", "尚未生效") else "not_in_force"
        check.cite, check.page = version.expression_uri, version.page
        return check
    return _in_version(site, check, versions, version, Eid.parse(eid), day)


def _in_version(
    site: SiteData, check: CitationCheck, versions: list[Version], version: Version, eid: Eid | None, day: str
) -> CitationCheck:
    provision = site.provision(version, eid) if eid is not None else None
    following = versions[versions.index(version) + 1] if version is not versions[-1] else None
    check.version, check.status_on_date = version.row(), version.status_on(day, following)
    if provision is None:
        check.verdict = "missing"
        return check
    check.verdict = "ok" if check.status_on_date not in ("已废止", "尚未生效") else "not_in_force"
    check.provision, check.cite, check.page = provision.label, provision.address, provision.page
    text, before = "\n".join(provision.paragraphs), version
    for later in versions[versions.index(version) + 1 :]:
        now = site.provision(later, eid)
        now_text = "\n".join(now.paragraphs) if now is not None else None
        compared = _compared_move(site, later, eid)  # the later version's comparison moved it
        if compared is not None or now_text != text:
            moved = compared or _moved(site, before, later, eid)
            if moved is not None:  # the article under another number: its number now
                old_words = _words(text, eid)
                eid, check.renumbered = moved, moved.top.label()
                now_text = "\n".join(getattr(site.provision(later, eid), "paragraphs", ()))
                reworded = "，内容修改" if _words(now_text, eid) != old_words else ""
                change = f"条号变为{check.renumbered}{reworded}"
            else:
                change = "删除" if now is None else "修改"
            row = {"version": later.label, "from": later.start, "change": change}
            if later.compare:  # the 新旧对照 at the article
                row["compare"] = f"{later.compare}#{eid.top}"
            check.changed_later.append(row)
            text = now_text
        before = later
    return check


def _compared_move(site: SiteData, after: Version, eid: Eid) -> Eid | None:
    """``eid`` under the number the comparison of ``after`` with the version before it gives
    its article (articles.json's ``moved``: renumbered, changed or not); None when it names none."""
    key = article_key(eid)
    now = site.article_moves(after).get(key) if key is not None else None
    return under_article(now, eid) if now is not None else None


def _words(text: str | None, eid: Eid) -> str | None:
    """A unit's words without its article's number (the first block of an article's text)."""
    if text is None or len(eid.steps) != 1:
        return text
    return text.split("\n", 1)[1] if "\n" in text else ""


def _moved(site: SiteData, before: Version, after: Version, eid: Eid) -> Eid | None:
    """``eid`` under its number in ``after`` when its article is there unchanged under another
    number (its 款 word for word: an article was added or deleted before it), and under no other;
    None otherwise. The 引用核验 page applies the same rule to the same data."""
    key = article_key(eid)
    mine = site.article_digests(before).get(key, [])[1:] if key is not None else []
    found = [k for k, entry in site.article_digests(after).items() if k != key and entry[1:] == mine]
    return under_article(found[0], eid) if mine and len(found) == 1 else None


def _unresolved(site: SiteData, c: Citation, check: CitationCheck, day: str) -> CitationCheck:
    """A citation the engine could not lead anywhere: of a law it names (the article is not in
    that law's version of the day), or of 本法 with no law named (unclear)."""
    name = c.work
    if not name:
        return check
    try:
        work = site.find_work(name)
    except SiteDataError:
        return check
    versions = site.versions(work)
    version = version_on(versions, day) or versions[-1]
    check.law, check.verdict = work.title, "missing"
    following = versions[versions.index(version) + 1] if version is not versions[-1] else None
    check.version, check.status_on_date = version.row(), version.status_on(day, following)
    return check
