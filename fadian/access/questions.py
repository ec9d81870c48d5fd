"""The questions a program asks of a built site, each answered as JSON-ready data that carries
the permanent address to cite: an article at a date, a work's versions, what changed after a
date, where words occur, and whether the citations of a passage hold on a date. `fadian mcp`
offers them to AI assistants; each is a plain function of a SiteData.
"""

from __future__ import annotations

import itertools

from fadian.access.site_data import SiteData, SiteDataError, Version, provision_eid, version_on
from fadian.refs.patterns import find_citations

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
    """Each citation of another law's article in ``text`` (《X》第N条, 刑法第N条): whether the
    law is on the site, whether the version in force on ``as_of`` has that article, its text
    then, and the later versions that changed it."""
    day = as_of or site.as_of or ""
    out = []
    for m in find_citations(text):
        law, article = _cited(site, text, m)
        if not law or not article:
            continue
        entry = {"citation": text[m.start() - len(law) if not m.group("title") else m.start() : m.end()]}
        try:
            answer = get_provision(site, law, article, day)
        except SiteDataError as exc:
            out.append({**entry, "holds": False, "problem": str(exc)})
            continue
        changed = _changed_later(site, law, answer)
        out.append({**entry, "holds": True, **answer, "changed_later_in": changed})
    return {"as_of": day, "citations": out}


def _cited(site: SiteData, text: str, m) -> tuple[str, str]:
    """The law and article a citation match names: 《title》第N条, or a bare 第N条 right after
    the name of a work of the site (刑法第N条)."""
    if m.group("title"):
        return m.group("tname"), (f"第{m.group('tart')}条" if m.group("tart") else "")
    if not m.group("art") or m.group("ben"):
        return "", ""
    article = f"第{m.group('art')}条" + (f"之{m.group('sub')}" if m.group("sub") else "")
    before = text[max(0, m.start() - 20) : m.start()]
    for k in range(len(before)):  # the longest name that ends right before 第
        name = before[k:]
        if site.is_title(name):
            return name, article
    return "", ""


def _changed_later(site: SiteData, law: str, answer: dict) -> list[dict]:
    """The versions after the cited one whose text of the cited article differs from it."""
    work = site.find_work(law)
    eid = answer["cite"].rsplit("~", 1)[-1]
    out = []
    text = answer["text"]
    for v in site.versions(work):
        if v.expression_uri == answer["version"]["expression_uri"] or v.start <= answer["as_of"]:
            continue
        provision = site.article_text(v, eid)
        if provision != text:
            out.append({**v.row(), "text": provision})
            text = provision
    return out
