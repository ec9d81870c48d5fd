"""A branch reviewed by its legal effect (`fadian review BASE [HEAD]`): for each text the branch
changes, the 修改决定 that would make the change and its 修改前后对照表 (amend/draft), the
citations elsewhere in the project that the change leaves pointing at a changed, moved or
removed article (the last build's backlinks), and the diagnostics the branch adds or removes —
so a reviewer reads what the law now says, not a text diff. The report is Markdown (and HTML,
through pandoc), for a pull request's comment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import git

from fadian.amend.draft import Draft, draft_amendment
from fadian.eids import Eid
from fadian.history.align import diff_trees
from fadian.pipeline import CompiledDocument, compile_source

SOURCES = "sources/documents/"
CHANGES = {"modified": "修改", "deleted": "删除", "renumbered": "条号调整", "moved": "移动"}


class ReviewError(Exception):
    """The repository or a revision the review names cannot be read."""


@dataclass
class CitingPlace:
    article: str  # the changed article as the citations name it (its number before the branch)
    change: str  # 修改, 删除, 条号调整 (现为第N条) …
    places: list[dict]  # the citing texts' places, from the build's backlinks


@dataclass
class TextReview:
    """One text the branch changes."""

    path: str
    status: str  # 修改, 新增, 删除
    title: str = ""
    draft: Draft | None = None
    citing: list[CitingPlace] = field(default_factory=list)
    added: list[str] = field(default_factory=list)  # diagnostics the branch adds
    removed: list[str] = field(default_factory=list)  # and removes


def revisions(root: Path, base: str | None, head: str) -> tuple[git.Repo, git.Commit, git.Commit]:
    """The repository and the two commits compared; BASE defaults to HEAD's merge base with the
    main branch (main, else master)."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
        head_commit = repo.commit(head)
        if base is None:
            main = next((b for b in ("main", "master") if b in repo.heads), None)
            if main is None:
                raise ReviewError("no branch main or master to compare with: name BASE")
            found = repo.merge_base(head_commit, repo.heads[main].commit)
            if not found:
                raise ReviewError(f"{head} and {main} have no common commit: name BASE")
            return repo, found[0], head_commit
        return repo, repo.commit(base), head_commit
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ReviewError(f"{root}: not in a git repository") from None
    except (git.BadName, ValueError) as exc:
        raise ReviewError(f"no such revision: {exc}") from None


def review_branch(root: Path, base: git.Commit, head: git.Commit, backlinks: dict) -> list[TextReview]:
    """Every text under sources/documents/ the commits differ in, reviewed."""
    out = []
    for change in base.diff(head):
        path = change.b_path or change.a_path
        if not path.startswith(SOURCES) or Path(path).suffix not in (".txt", ".md"):
            continue
        old = None if change.new_file or change.a_blob is None else change.a_blob.data_stream.read()
        new = None if change.deleted_file or change.b_blob is None else change.b_blob.data_stream.read()
        out.append(_reviewed(path, old, new, backlinks))
    return sorted(out, key=lambda r: r.path)


def _reviewed(path: str, old: bytes | None, new: bytes | None, backlinks: dict) -> TextReview:
    if old is None or new is None:
        review = TextReview(path, "新增" if old is None else "删除")
        doc = compile_source(path, new if new is not None else old or b"")
        review.title = doc.meta.title if doc.meta else ""
        return review
    before, after = compile_source(path, old), compile_source(path, new)
    review = TextReview(path, "修改", after.meta.title if after.meta else "")
    review.added = sorted(_said(after) - _said(before))
    review.removed = sorted(_said(before) - _said(after))
    if before.tree is None or after.tree is None or before.meta is None:
        return review
    review.draft = draft_amendment(path, old, path, new)
    cited = backlinks.get(before.meta.slug, {})
    for c in diff_trees(before.tree, after.tree).changes:
        if c.old is None or not cited.get(c.old.eid):
            continue
        kind = CHANGES.get(c.kind, c.kind) + ("并修改" if c.modified and c.kind != "modified" else "")
        if c.new is not None and c.new.num != c.old.num:
            kind += f"，现为{c.new.num}"
        places = [p for p in cited[c.old.eid] if p.get("document") != before.meta.slug]
        if places:
            review.citing.append(CitingPlace(c.old.num, kind, places))
    return review


def _said(doc: CompiledDocument) -> set[str]:
    """A compiled text's diagnostics, as the report prints them (code and message)."""
    return {f"{d.code}: {d.message}" for d in doc.diagnostics}


def read_backlinks(build_dir: Path) -> dict:
    """The last build's backlinks, each place with its text's title ({} when the project was not
    built: the review says so)."""
    path, manifest = build_dir / "reports" / "backlinks.json", build_dir / "manifest.json"
    if not path.is_file():
        return {}
    titles = {}
    if manifest.is_file():
        titles = {d["slug"]: d.get("title", "") for d in json.loads(manifest.read_text("utf-8"))["documents"]}
    backlinks = json.loads(path.read_text("utf-8"))
    for places in (p for eids in backlinks.values() for p in eids.values()):
        for place in places:
            place["title"] = titles.get(place.get("document", ""), "")
    return backlinks


def review_markdown(reviews: list[TextReview], base: str, head: str, built: bool) -> str:
    """The report, in Markdown (GitHub's flavour: a pull request's comment)."""
    lines = [f"# 修改审阅：{base[:10]} → {head[:10]}", ""]
    if not reviews:
        return "\n".join([*lines, "本分支没有修改任何文本。", ""])
    lines += [f"本分支修改了 {len(reviews)} 件文本。", ""]
    if not built:
        lines += ["> 项目尚未构建，无法列出引用被修改条文的其他文本：先运行 `fadian build`。", ""]
    for r in reviews:
        lines += [f"## {r.title or r.path}（{r.status}）", "", f"`{r.path}`", ""]
        lines += _draft_lines(r)
        if r.citing:
            lines += ["### 引用被修改条文的其他文本", ""]
            for c in r.citing:
                where = "；".join(_place(p) for p in c.places)
                lines.append(f"- {c.article}（{c.change}）：{where}")
            lines.append("")
        for heading, items in (("本分支新增的诊断", r.added), ("本分支消除的诊断", r.removed)):
            if items:
                lines += [f"### {heading}", "", *(f"- `{d}`" for d in items), ""]
    return "\n".join(lines)


def _place(place: dict) -> str:
    """《甲规定》（rules-a）第一条第一款：“测试法第二条”."""
    eid = Eid.parse(place.get("source_eid", ""))
    where = eid.label() if eid is not None else ""
    title, slug = place.get("title") or place["document"], place["document"]
    return f"《{title}》（{slug}）{where}：“{place.get('text', '')}”"


def _draft_lines(r: TextReview) -> list[str]:
    if r.draft is None:
        return []
    if not r.draft.items:
        return ["条文没有实质修改。", ""]
    rows = [
        "| 修改前 | 修改后 |",
        "|---|---|",
        *(f"| {_cell(row.old_num, row.old)} | {_cell(row.new_num, row.new)} |" for row in r.draft.rows),
    ]
    quoted = [f"> {line}" if line else ">" for line in r.draft.text().rstrip("\n").split("\n")]
    return ["### 修改决定（草拟）", "", *quoted, "", "### 修改前后对照表", "", *rows, ""]


def _cell(num: str, paragraphs: list[str]) -> str:
    """One side of a row: the article's number and its 款, one line each (a table cell)."""
    text = "<br>".join(p.replace("|", "\\|") for p in paragraphs)
    return f"**{num}**<br>{text}" if num else text
