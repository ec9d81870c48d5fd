"""Citations to review: a citation means the version of the cited text in force when the citing
text was made; when that is not the version in force now and the article's wording differs
between them, the article moved, or it is gone, the citing text may need re-pointing. Made from
a build's citations and each cited work's versions (its files of several versions, or its git
history with the identity of each article across versions) — pure: the caller reads the AKN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from fadian.eids import Eid
from fadian.refs.index import Citation, RefIndex
from fadian.uri import FrbrUri, split_portion

REVIEWED_STATUSES = ("现行有效", "尚未生效", "", None)  # citing texts still to be applied


@dataclass(frozen=True)
class VersionRef:
    """One version of a cited work: its expression URI, when it took over, and (from a git
    history) each of its eIds' wId, the article's identity across versions."""

    uri: str
    start: str
    wids: dict[str, str] | None = None


@dataclass
class WorkVersions:
    title: str
    versions: list[VersionRef] = field(default_factory=list)  # oldest first

    def on(self, day: str | None) -> VersionRef | None:
        """The version in force on ``day`` (before every version: the first)."""
        if not self.versions or not day:
            return None
        began = [v for v in self.versions if v.start <= day]
        return began[-1] if began else self.versions[0]


@dataclass(frozen=True)
class CitingPlace:
    document: str
    path: str
    line: int
    col: int
    text: str


def work_versions(index: RefIndex, histories: Iterable[dict]) -> dict[str, WorkVersions]:
    """Every corpus work of several versions: from its files (the index) or its git history
    (history.json records)."""
    out: dict[str, WorkVersions] = {}
    titles = {work.uri: work.title for work in index.by_title.values()}
    for work in index.by_title.values():
        if work.corpus and len(work.expressions) > 1:
            out[work.uri] = WorkVersions(work.title, [VersionRef(e.uri, e.start) for e in work.expressions])
    for record in histories:
        versions = record["versions"]
        if len(versions) < 2:
            continue
        refs = [
            VersionRef(v["expression_uri"], _start(v), wids)
            for v, wids in zip(versions, record.get("wids", [None] * len(versions)), strict=False)
        ]
        uri = FrbrUri.parse(versions[-1]["expression_uri"]).work_uri
        out[uri] = WorkVersions(titles.get(uri, record["slug"]), refs)
    return out


def _start(version: dict) -> str:
    """When a version of a git history took over: its 施行日期, else its expression's date."""
    effective = (version.get("legal") or {}).get("effective")
    return effective or FrbrUri.parse(version["expression_uri"]).expression_date or ""


def citations_to_review(
    cited: Iterable[tuple[str, str, str | None, str | None, list[Citation]]],
    works: dict[str, WorkVersions],
    as_of: str | None,
    article_text: Callable[[str, str], str | None],
) -> list[dict]:
    """Grouped by the cited article: the version the citations meant, the one in force now and
    since when, what became of the article, and every citing place (``cited``: document, path,
    its 时效性, its date, its citations). ``article_text(expression URI, eId)``: the article's
    text (None: that version has none)."""
    groups: dict[tuple[str, str, str], list[CitingPlace]] = {}
    for document, path, status, day, citations in cited:
        if status not in REVIEWED_STATUSES:
            continue
        for c in citations:
            for href in c.hrefs if c.status == "corpus" else ():
                uri, eid = split_portion(href)
                work_uri = FrbrUri.parse(uri).work_uri if uri.startswith("/akn/") else ""
                meant = works[work_uri].on(day) if work_uri in works and eid else None
                if meant is not None:
                    place = CitingPlace(document, path, c.line, c.col, c.text)
                    groups.setdefault((work_uri, meant.uri, eid), []).append(place)
    out = []
    for (work_uri, meant_uri, eid), places in sorted(groups.items()):
        entry = _reviewed(works[work_uri], meant_uri, eid, as_of, article_text)
        if entry is not None:
            out.append({**entry, "citing": [p.__dict__ for p in places]})
    return out


def _reviewed(
    work: WorkVersions, meant_uri: str, eid: str, as_of: str | None, article_text: Callable
) -> dict | None:
    """What became of ``eid`` of the version meant, in the version in force now (None: the same)."""
    meant = next(v for v in work.versions if v.uri == meant_uri)
    now = work.on(as_of)
    if now is None or now.start <= meant.start:
        return None
    now_eid = eid
    if meant.wids is not None and now.wids is not None and eid in meant.wids:
        by_wid = {wid: e for e, wid in now.wids.items()}
        now_eid = by_wid.get(meant.wids[eid], "")
    before = article_text(meant.uri, eid)
    after = article_text(now.uri, now_eid) if now_eid else None
    if before == after and now_eid == eid:
        return None
    if after is None:
        change = "删除"
    elif now_eid != eid:
        change = "重新编号" if before == after else "重新编号并修改"
    else:
        change = "修改"
    unit, moved = Eid.parse(eid), Eid.parse(now_eid) if now_eid else None
    return {
        "work": work.title,
        "eid": eid,
        "provision": unit.label() if unit else eid,
        "cited_version": meant.uri,
        "version_in_force": now.uri,
        "since": now.start,
        "change": change,
        **({"now": moved.label(), "now_eid": now_eid} if moved is not None and now_eid != eid else {}),
    }
