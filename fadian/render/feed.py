"""An Atom feed of changes (feed.xml): one entry per version of each document after the first
(in git, with the commit message as the change note; or a later file of a work), dated by the
version's expression date, linking the 新旧对照 page; and one per amendment of the project not yet
in its text. Made with feedgen; deterministic (no clock is read)."""

from __future__ import annotations

import datetime as dt
import itertools

from fadian.render.history_pages import CHANGE_LABELS
from fadian.render.site import SiteDocument
from fadian.render.works import file_compare_path

FEED_FILE = "feed.xml"


def _when(date: str) -> dt.datetime:
    day = dt.date.fromisoformat(date[:10])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom_feed(
    docs: list[SiteDocument],
    histories: dict[str, dict],
    title: str,
    as_of: str | None = None,
    works: dict[str, list[SiteDocument]] | None = None,
    outstanding: dict[str, list[dict]] | None = None,
) -> bytes | None:
    """The feed's bytes: each new version (in git, or a later file of a work the project holds
    several files of: ``works``) and each amendment of the project not yet in its text
    (``outstanding``, dated by its adoption). Without any it has no entry, dated ``as_of`` (the
    site's date), so readers can subscribe from the start; None when there is neither an entry
    nor a date."""
    from feedgen.feed import FeedGenerator

    entries = _git_versions(docs, histories) + _file_versions(works or {}) + _pending(docs, outstanding or {})
    if not entries and not as_of:
        return None
    entries.sort(key=lambda e: (e["date"], e["id"]))
    fg = FeedGenerator()
    fg.id(f"tag:fadian,2023:{title}")
    fg.title(f"{title}：修改动态")
    fg.link(href="./", rel="alternate")
    fg.language("zh-CN")
    fg.updated(_when(entries[-1]["date"] if entries else as_of or ""))
    for e in entries:
        fe = fg.add_entry(order="append")
        fe.id(e["id"])
        fe.title(e["title"])
        fe.link(href=e["link"], rel="alternate")
        fe.summary(e["summary"])
        fe.updated(_when(e["date"]))
        fe.published(_when(e["date"]))
    return fg.atom_str(pretty=True)


def _counts(diff: dict) -> str:
    counts = sorted(diff.get("counts", {}).items())
    return "，".join(f"{CHANGE_LABELS.get(kind, kind)} {n} 条" for kind, n in counts if n)


def _git_versions(docs: list[SiteDocument], histories: dict[str, dict]) -> list[dict]:
    """A new version in a text's git history: its 修改说明 and counts, linking its 新旧对照."""
    out = []
    for doc in docs:
        record = histories.get(doc.slug)
        versions = record["versions"] if record else []
        for k in range(1, len(versions)):
            old, new = versions[k - 1], versions[k]
            counts, note = _counts(record["diffs"][k - 1]), new.get("message") or ""
            out.append(
                {
                    "date": new["date"],
                    "id": f"tag:fadian,2023:{doc.work_uri}/{new['version']}",
                    "title": f"{doc.title}（{new['version']}，{new['date']}）",
                    "link": f"history/{doc.slug}/compare-{old['version']}-{new['version']}/".replace(
                        " ", "-"
                    ),
                    "summary": f"{note}（{counts}）" if counts else note or "修改",
                }
            )
    return out


def _file_versions(works: dict[str, list[SiteDocument]]) -> list[dict]:
    """A later file of a work the project holds several files of: a new version, linking the
    新旧对照 of it and the file before it."""
    return [
        {
            "date": new.expression_date,
            "id": f"tag:fadian,2023:{new.expression_uri}",
            "title": f"{new.title}（{new.expression_date} 版）",
            "link": file_compare_path(old.slug, new.slug).removesuffix(".md") + "/",
            "summary": f"新版本：{new.expression_date} 版（此前为 {old.expression_date} 版）",
        }
        for members in works.values()
        for old, new in itertools.pairwise(members)
    ]


def _pending(docs: list[SiteDocument], outstanding: dict[str, list[dict]]) -> list[dict]:
    """An amendment of the project that a text does not carry yet, dated by its adoption."""
    by_slug = {d.slug: d for d in docs}
    return [
        {
            "date": i["adopted"],
            "id": f"tag:fadian,2023:{by_slug[slug].work_uri}/outstanding{i['uri']}",
            "title": f"{by_slug[slug].title}：有尚未纳入本文的修改",
            "link": by_slug[slug].page.removesuffix(".md") + "/",
            "summary": f"《{i['title']}》（{i['adopted']} 通过）修改本法规；本站的文本尚未按其修改。",
        }
        for slug, instruments in sorted(outstanding.items())
        if slug in by_slug
        for i in instruments
        if i.get("adopted")
    ]
