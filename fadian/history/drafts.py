"""The 修改前后对照表 of each version of a text: the amendment instrument that turns the version
before into it, drafted (amend/draft), with the comparison table legislatures publish beside a
decision — the articles it changes, before and after, the changed words marked."""

from __future__ import annotations

from fadian.alignment import redline
from fadian.amend.draft import Draft, draft_amendment


def draft_record(path: str, old: bytes, new: bytes) -> dict | None:
    """The drafted instrument and the comparison table of one change of a text (None when no
    provision changed: a commit that touched only its header or front matter)."""
    drafted = draft_amendment(path, old, path, new)
    return comparison_record(drafted) if drafted.items else None


def comparison_record(drafted: Draft) -> dict:
    """A draft as the site and ``fadian draft --table`` render it."""
    rows = [
        {
            "kind": row.kind,
            "old_num": row.old_num,
            "new_num": row.new_num,
            "redline": redline("\n".join(row.old), "\n".join(row.new)),
        }
        for row in drafted.rows
    ]
    warnings = [d.message for d in drafted.diagnostics]
    return {"title": drafted.title, "instrument": drafted.text(), "rows": rows, "warnings": warnings}
