"""The questions a program asks of a built site, each answered as JSON-ready data that carries
the permanent address to cite: an article at a date, a work's versions, what changed after a
date, where words occur, and whether the citations of a passage hold on a date. `fadian mcp`
offers them to AI assistants; each is a plain function of a SiteData.
"""

from __future__ import annotations

import itertools

from fadian.access.site_data import SiteData, SiteDataError, Version, provision_eid, version_on

MAX_HITS = 20  # a search's answer: enough to choose from, small enough for a model's context


def get_provision(site: SiteData, law: str, article: str, as_of: str | None = None) -> dict:
    """The text of ``article`` of ``law`` in the version in force on ``as_of`` (the site's
    date when not given), with the version, its 时效性 that day and the addresses to cite."""
    day = as_of or site.as_of or ""
    work = site.find_work(law)
    versions = site.versions(work)
    version = version_on(versions, day)
    if version is None:
        first = versions[0].start if versions else "?"
        raise SiteDataError(
            f"《{work.title}》: no version this site holds was in force on {day} (the first from {first})"
        )
    eid = provision_eid(article)
    provision = site.provision(version, eid)
    if provision is None:
        raise SiteDataError(f"《{work.title}》({version.label}, in force on {day}) has no {eid.label()}")
    later = [v for v in versions if v.start > version.start]
    following = versions[versions.index(version) + 1] if version is not versions[-1] else None
    return {
        "law": work.title,
        "provision": provision.label,
        "text": "\n".join(provision.paragraphs),
        "as_of": day,
        "version": version.row(),
        "status_on_date": version.status_on(day, following),
        "cite": provision.address,
        "page": provision.page,
        "later_versions": [v.row() for v in later],
    }


def list_versions(site: SiteData, law: str) -> dict:
    """Every version of ``law`` the site holds, oldest first, and the one in force on the
    site's date."""
    work = site.find_work(law)
    versions = site.versions(work)
    current = version_on(versions, site.as_of or "")
    return {
        "law": work.title,
        "work": work.work_uri,
        "site_date": site.as_of,
        "versions": [v.row() for v in versions],
        "in_force_on_site_date": current.expression_uri if current else None,
    }


def get_changes(site: SiteData, law: str, since: str) -> dict:
    """The versions of ``law`` made or taking effect after ``since``, each with the articles it
    changed against the version before it (compared article by article, by number: an article
    renumbered shows as removed under one number and added under another)."""
    work = site.find_work(law)
    versions = site.versions(work)
    out = []
    for before, after in itertools.pairwise(versions):
        if after.date <= since and after.start <= since:
            continue
        old, new = site.articles(before), site.articles(after)
        out.append(
            {
                "version": after.row(),
                "against": before.expression_uri,
                "modified": [e for e in new if e in old and old[e] != new[e]],
                "added": [e for e in new if e not in old],
                "removed": [e for e in old if e not in new],
            }
        )
    return {"law": work.title, "since": since, "changes": out}


def search(site: SiteData, query: str, level: str = "", status: str = "") -> dict:
    """Works whose title holds ``query``, and articles of each work's version in force on the
    site's date that hold it (the first MAX_HITS); ``level`` (效力级别) and ``status``
    (时效性 on the site's date) narrow the works."""
    words = "".join(query.split())
    if not words:
        raise SiteDataError("an empty query")
    titles, articles = [], []
    for work in site.works:
        data = site.work_data(work)
        if level and data.get("level") != level:
            continue
        versions = site.versions(work)
        current = version_on(versions, site.as_of or "") or (versions[-1] if versions else None)
        if current is None or (status and current.status_on(site.as_of or "") != status):
            continue
        if words in "".join(work.title.split()):
            titles.append({"law": work.title, "work": work.work_uri, "page": current.page})
        if len(articles) < MAX_HITS and site.holds(current, words):
            for eid, text in site.articles(current).items():
                if words in text and len(articles) < MAX_HITS:
                    articles.append(_hit(work.title, current, eid, text))
    return {"query": query, "works": titles[:MAX_HITS], "articles": articles}


def _hit(title: str, version: Version, eid: str, text: str) -> dict:
    return {
        "law": title,
        "text": text,
        "cite": f"{version.expression_uri}/~{eid}",
        "page": f"{version.page}#{eid}",
    }


def check_citations(site: SiteData, text: str, as_of: str | None = None) -> dict:
    """Each citation of another law in ``text``, judged on ``as_of`` by access/cite_check (the
    engine of `fadian cite-check`): 正确, 无此条, 该日未施行, 未收录 or 无法确定所指, with the
    version it names, the address to cite and the later versions that changed it."""
    from fadian.access.cite_check import check_text

    day = as_of or site.as_of or ""
    return {"as_of": day, "citations": [c.row() for c in check_text(site, text, day)]}
