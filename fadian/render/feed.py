"""An Atom feed of changes (feed.xml): one entry per version of each document after the first,
with the commit message as the change note, dated by the version's expression date, linking
the 新旧对照 page. Made with feedgen; deterministic (no clock is read)."""

from __future__ import annotations

import datetime as dt

from fadian.render.history_pages import CHANGE_LABELS
from fadian.render.site import SiteDocument

FEED_FILE = "feed.xml"


def _when(date: str) -> dt.datetime:
    day = dt.date.fromisoformat(date[:10])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def atom_feed(
    docs: list[SiteDocument], histories: dict[str, dict], title: str, as_of: str | None = None
) -> bytes | None:
    """The feed's bytes. Without changes yet it has no entry, dated ``as_of`` (the site's date),
    so readers can subscribe from the start (and a project's first change adds no link to the
    site's pages); None when there is neither a change nor a date."""
    from feedgen.feed import FeedGenerator

    entries = []
    for doc in docs:
        record = histories.get(doc.slug)
        if not record:
            continue
        versions = record["versions"]
        for k in range(1, len(versions)):
            old, new = versions[k - 1], versions[k]
            diff = record["diffs"][k - 1]
            counts = "，".join(
                f"{CHANGE_LABELS.get(kind, kind)} {n} 条"
                for kind, n in sorted(diff.get("counts", {}).items())
                if n
            )
            entries.append((new["date"], doc, old, new, counts))
    if not entries and not as_of:
        return None
    entries.sort(key=lambda e: (e[0], e[1].slug, e[3]["number"]))
    fg = FeedGenerator()
    fg.id(f"tag:fadian,2023:{title}")
    fg.title(f"{title}：修改动态")
    fg.link(href="./", rel="alternate")
    fg.language("zh-CN")
    fg.updated(_when(entries[-1][0] if entries else as_of or ""))
    for date, doc, old, new, counts in entries:
        fe = fg.add_entry(order="append")
        fe.id(f"tag:fadian,2023:{doc.work_uri}/{new['version']}")
        fe.title(f"{doc.title}（{new['version']}，{date}）")
        page = f"history/{doc.slug}/compare-{old['version']}-{new['version']}/".replace(" ", "-")
        fe.link(href=page, rel="alternate")
        note = new.get("message") or ""
        fe.summary(f"{note}（{counts}）" if counts else note or "修改")
        fe.updated(_when(date))
        fe.published(_when(date))
    return fg.atom_str(pretty=True)
