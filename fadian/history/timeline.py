"""Works and expressions in time: which texts of a project are versions of one work, when each
version is in force, and its 时效性 as of the build's stated date.

Pure: document metadata in, metadata out. A version's 施行日期 is what its own text prints, else
what the instrument that made it prints (刑法修正案（十二）: 本修正案自2024年3月1日起施行) when
that instrument is in the project; a version is in force until the next one takes effect. The
status is computed as of a stated date (``fadian build --as-of``, else the newest commit, else the
newest date the texts print) — never the wall clock, so the same sources give the same bytes.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from fadian.akn.meta import DocumentMeta
from fadian.eids import Eid
from fadian.read.legalmeta import AMENDED, CHANGES, REVISED
from fadian.refs.index import normalise_title

IN_FORCE, NOT_YET, AMENDED_STATUS, REPEALED_STATUS = "现行有效", "尚未生效", "已修改", "已废止"
VERSIONED = ("act", "amendment")  # document types that have a 时效性


@dataclass(frozen=True)
class WorkIdentity:
    """The work a text is an expression of, when the project holds several of its versions."""

    number: str
    date: str
    expressions: tuple[str, ...]  # the source paths of its versions, oldest first


@dataclass(frozen=True)
class PartIdentity:
    """A text that is one part of a work kept as several files (民法典's 编, each a file): the
    work, its component (``main`` for the first part, else the 编 it starts with, or its first
    article) and the parts' source paths in order."""

    number: str
    date: str
    component: str
    paths: tuple[str, ...]
    continues: bool = False  # its first article follows the previous part's last
    # what the whole work prints (效力级别, 制定机关, its dates, its 题注's events), read from its
    # parts' text in order: the 题注 of the first, the commencement article of the last
    printed: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class LegalContext:
    """What a project knows beyond one text: its stated date, the 施行日期 of the instruments it
    holds (by normalised title), and the works its texts belong to (by source path)."""

    as_of: str | None = None
    instruments: dict[str, str] = field(default_factory=dict)
    works: dict[str, WorkIdentity] = field(default_factory=dict)
    superseded: dict[str, str] = field(default_factory=dict)  # path → the day a later file took over
    repealed: dict[str, str] = field(default_factory=dict)  # normalised title → the day it was repealed
    parts: dict[str, PartIdentity] = field(default_factory=dict)  # path → the work it is a part of

    def digest_for(
        self, path: str, meta: DocumentMeta | None, versions: int, placed: DocumentMeta | None = None
    ) -> list:
        """What of the context one document's compilation depends on (for the build cache): its
        metadata in the context — so a new commit (a new stated date) compiles again only the
        texts whose status it changes; a text with several versions in git, whose versions'
        statuses all depend on the date, whenever the date moves. ``placed``: ``meta`` in the
        context, when the caller has it already."""
        work = self.works.get(path)
        part = self.parts.get(path)
        m = placed if placed is not None else in_context(meta, path, self) if meta is not None else None
        return [
            dataclasses.astuple(work) if work else None,
            dataclasses.astuple(part) if part else None,
            [m.number, m.date, m.effective, m.in_force_until, m.repealed, m.status]
            if m is not None
            else None,
            self.as_of if versions > 1 else None,
            sorted(self.instruments.items()) if versions > 1 else None,
        ]


def instrument_effective(metas: list[DocumentMeta]) -> dict[str, str]:
    """The 施行日期 each amendment instrument of the project prints, by its normalised title."""
    return {normalise_title(m.title): m.effective for m in metas if m.doc_type == "amendment" and m.effective}


def with_instrument_date(m: DocumentMeta, instruments: dict[str, str]) -> DocumentMeta:
    """A version that does not print its 施行日期 takes the one printed by the instrument that
    made it (its last change names it), when the project holds that instrument."""
    if m.effective or not m.events:
        return m
    last = max((e for e in m.events if e.kind in CHANGES), key=lambda e: e.date, default=None)
    if last is None or last.kind not in (AMENDED, REVISED) or not last.instrument:
        return m
    date = instruments.get(normalise_title(last.instrument))
    return dataclasses.replace(m, effective=date) if date and date >= last.date else m


def version_start(m: DocumentMeta) -> str:
    """When a version took (or takes) over: its 施行日期, else the day it was made."""
    return m.effective or m.expression_date or m.date


def status_as_of(m: DocumentMeta, later: DocumentMeta | None, as_of: str | None) -> str | None:
    """时效性 of one version as of ``as_of``: 尚未生效 before its 施行日期, 已修改 once a later
    version has taken over, else 现行有效; a status the front matter declares stays."""
    if m.status or m.doc_type not in VERSIONED or as_of is None:
        return m.status
    if m.repealed and m.repealed <= as_of:
        return REPEALED_STATUS
    if m.effective and as_of < m.effective:
        return NOT_YET
    if m.expression_date and as_of < m.expression_date:
        return NOT_YET  # not even made yet on that day
    if later is not None and version_start(later) <= as_of:
        return AMENDED_STATUS
    return IN_FORCE


def expressions_in_time(
    metas: list[DocumentMeta], as_of: str | None, until: str | None = None
) -> list[DocumentMeta]:
    """The versions of one work (oldest first) with their in-force ends and statuses; ``until``
    closes the last one (a later file of the same work took over)."""
    out = []
    for k, m in enumerate(metas):
        later = metas[k + 1] if k + 1 < len(metas) else None
        end = version_start(later) if later is not None else until
        if later is not None and not later.effective:
            end = None  # the later version's 施行日期 is not printed: the end is not known
        in_force_until = end if m.doc_type in VERSIONED else None
        if m.doc_type in VERSIONED and until is not None and later is None:
            later = dataclasses.replace(m, effective=until, expression_date=until)
        status = status_as_of(m, later, as_of)  # (which does not read in_force_until)
        if (m.in_force_until, m.status) != (in_force_until, status):  # (one copy, not two)
            m = dataclasses.replace(m, in_force_until=in_force_until, status=status)
        out.append(m)
    return out


_DATED_SLUG = re.compile(r"-\d{4}(?:-\d{2}){0,2}$")


def group_works(documents: list[tuple[str, DocumentMeta]]) -> dict[str, WorkIdentity]:
    """Texts that are versions of one work: the same type, jurisdiction and title (after
    normalisation), different dates. The work's number is the one a front matter gives, else
    the slug the versions share without their dates (company-law-2018, company-law-2023 →
    company-law), else the oldest version's slug; its date the oldest version's work date."""
    groups: dict[tuple[str, str, str], list[tuple[str, DocumentMeta]]] = {}
    for path, m in documents:
        if m.doc_type in VERSIONED:
            groups.setdefault((m.doc_type, m.jurisdiction, normalise_title(m.title)), []).append((path, m))
    out: dict[str, WorkIdentity] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda pm: (pm[1].expression_date or pm[1].date, pm[0]))
        dates = [m.expression_date or m.date for _p, m in members]
        if len(set(dates)) < len(dates):
            continue  # two texts of one day: not versions of each other
        numbers = {m.number for _p, m in members if m.number}
        stems = {_DATED_SLUG.sub("", m.slug) for _p, m in members}
        number = next(iter(numbers)) if len(numbers) == 1 else None
        number = number or (next(iter(stems)) if len(stems) == 1 else members[0][1].slug)
        date = min(m.date for _p, m in members)
        identity = WorkIdentity(number, date, tuple(p for p, _m in members))
        out.update({p: identity for p, _m in members})
    return out


def _top_numbers(eids: Iterable[str], name: str) -> list[int]:
    """The numbers of the units named ``name`` at the top of a text (art: its articles)."""
    found = [e for e in map(Eid.parse, eids) if e is not None and len(e.steps) == 1]
    return sorted(e.last.number for e in found if e.last.name == name and e.last.number)


def group_parts(
    documents: list[tuple[str, DocumentMeta]], eids_of: Callable[[str], Iterable[str]]
) -> dict[str, PartIdentity]:
    """Texts that are parts of one work kept as several files: the same type, jurisdiction and
    title (normalised), the same work and expression dates, and articles that do not overlap —
    parts, not versions (versions differ in date) nor one text imported twice (their articles
    would be the same). In order of their first article. ``eids_of``: a text's eIds (asked only
    of texts that share a title and dates)."""
    groups: dict[tuple, list[tuple[str, DocumentMeta]]] = {}
    for path, m in documents:
        if m.doc_type in VERSIONED:
            key = (m.doc_type, m.jurisdiction, normalise_title(m.title), m.date, m.expression_date or m.date)
            groups.setdefault(key, []).append((path, m))
    out: dict[str, PartIdentity] = {}
    for same in groups.values():
        if len(same) < 2:
            continue
        members = []
        for path, m in same:
            eids = list(eids_of(path))
            articles, books = _top_numbers(eids, "art"), _top_numbers(eids, "book")
            if articles:
                members.append((path, m, articles, books))
        members.sort(key=lambda member: (member[2][0], member[0]))
        overlapping = any(a[2][-1] >= b[2][0] for a, b in itertools.pairwise(members))
        if len(members) < 2 or overlapping:
            continue
        numbers = {m.number for _p, m, _a, _b in members if m.number}
        shared = _shared_words([m.slug for _p, m, _a, _b in members])  # min-fa-dian-zong-ze, … → min-fa-dian
        number = next(iter(numbers)) if len(numbers) == 1 else None
        number = number or (shared if len(shared) > 1 else members[0][1].slug)
        paths = tuple(p for p, _m, _a, _b in members)
        for k, (path, m, articles, books) in enumerate(members):
            first = Eid.of("book", books[0]) if books else Eid.article(articles[0])  # where it starts
            follows = k > 0 and articles[0] == members[k - 1][2][-1] + 1
            component = "main" if k == 0 else str(first)
            out[path] = PartIdentity(number, m.date, component, paths, follows)
    return out


def _shared_words(slugs: list[str]) -> str:
    """The words all the slugs begin with (min-fa-dian-zong-ze, min-fa-dian-wu-quan: min-fa-dian)."""
    words = [slug.split("-") for slug in slugs]
    shared = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    return "-".join(shared)


def superseded_days(works: dict[str, WorkIdentity], metas: dict[str, DocumentMeta]) -> dict[str, str]:
    """For each file of a work but its newest: the day the next file's version took over, when
    that version's 施行日期 is known."""
    out: dict[str, str] = {}
    for identity in {w.expressions: w for w in works.values()}.values():
        paths = identity.expressions
        for older, newer in itertools.pairwise(paths):
            later = metas[newer]
            if later.effective:
                out[older] = later.effective
    return out


def repeal_days(metas: list[DocumentMeta]) -> dict[str, str]:
    """The texts the project's texts repeal when they take effect (…同时废止), by normalised
    title: the day they were repealed (a text re-enacted under its own title is a new version
    of it, not a repeal)."""
    out: dict[str, str] = {}
    for m in metas:
        if not m.effective:
            continue
        for title in m.repeals:
            key = normalise_title(title)
            if key != normalise_title(m.title):
                out[key] = min(out.get(key, m.effective), m.effective)
    return out


def stated_date(given: str | None, latest_commit: str | None, metas: list[DocumentMeta]) -> str | None:
    """The date statuses are stated at: ``--as-of``, else the newest commit, else the newest date
    any text of the project prints (None when none prints one)."""
    if given:
        return given
    if latest_commit:
        return latest_commit
    dates = [d for m in metas for d in (m.expression_date, m.effective) if d]
    return max(dates) if dates else None


def in_context(m: DocumentMeta, path: str, ctx: LegalContext) -> DocumentMeta:
    """One text's metadata in its project: the work it belongs to, the 施行日期 of the instrument
    that made it, its status (a file a later one took over is 已修改 from then)."""
    return versions_in_time([m], path, ctx)[0]


def versions_in_time(metas: list[DocumentMeta], path: str, ctx: LegalContext) -> list[DocumentMeta]:
    """The versions of one file (from git, oldest first) in its project: each in the file's
    work, with the 施行日期 of the instrument that made it, in force until the next one (or
    until a text of the project repealed it)."""
    work = ctx.works.get(path)
    if work is not None:
        metas = [dataclasses.replace(m, number=work.number, date=work.date) for m in metas]
    part = ctx.parts.get(path)
    if part is not None:
        placed = {"number": part.number, "date": part.date, "component": part.component}
        metas = [
            dataclasses.replace(m, **placed, **dict(part.printed))
            for m in metas
        ]
    if metas and (repealed := ctx.repealed.get(normalise_title(metas[-1].title))):
        metas = [*metas[:-1], dataclasses.replace(metas[-1], repealed=repealed)]
    metas = [with_instrument_date(m, ctx.instruments) for m in metas]
    return expressions_in_time(metas, ctx.as_of, ctx.superseded.get(path))
