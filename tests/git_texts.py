"""Small texts in real git repositories, and what a truthful history of them is.

A scripted history (`GitHistory`) commits texts at dates a day apart, with merges, renames and
slug changes as an editor makes them. `expected_versions` reads the same repository with plain
git: the distinct states of one text along the first-parent chain of HEAD, each with the commit
that made it. The tests compare fadian's published history with it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from fadian.read.numerals import int_to_cn

from conftest import GIT_IDENTITY, HAN_RE, akn_text

ARTICLES = 10  # enough text for git to see a file renamed with an edit as a rename


def article_text(title: str, k: int) -> str:
    return f"{title}规定的第{int_to_cn(k)}项事务，依照本条例办理。"


def law_text(slug: str, title: str, contents: dict[int, str] | None = None) -> str:
    """A small act with ten articles; ``contents`` replaces the text of some."""
    contents = contents or {}
    body = "\n\n".join(
        f"第{int_to_cn(k)}条 {contents.get(k, article_text(title, k))}" for k in range(1, ARTICLES + 1)
    )
    return f"---\nslug: {slug}\ntype: act\ntitle: {title}\ndate: '2020-01-01'\n---\n\n{title}\n\n{body}\n"


@dataclass
class GitHistory:
    """A repository in ``root`` whose commits are a day apart, from 2020-01-01."""

    root: Path
    day: int = 0
    texts: dict[str, dict] = field(default_factory=dict)  # title → slug, path, contents

    def __post_init__(self) -> None:
        (self.root / "sources" / "documents").mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, check: bool = True) -> str:
        when = (dt.datetime(2020, 1, 1, 12) + dt.timedelta(days=self.day)).isoformat()
        env = {**GIT_IDENTITY, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        done = subprocess.run(["git", *args], cwd=self.root, env=env, capture_output=True, check=False)
        if check and done.returncode:
            raise AssertionError(f"git {' '.join(args)}: {done.stderr.decode(errors='replace')}")
        return done.stdout.decode("utf-8", errors="replace")

    def add_text(self, title: str, slug: str) -> None:
        self.texts[title] = {"slug": slug, "path": f"sources/documents/{slug}.txt", "contents": {}}
        self._write(title)

    def edit(self, title: str, article: int, words: str) -> None:
        """The article's first sentence kept and ``words`` put after it (a modification)."""
        self.texts[title]["contents"][article] = article_text(title, article) + words
        self._write(title)

    def change_slug(self, title: str, slug: str) -> None:
        self.texts[title]["slug"] = slug
        self._write(title)

    def rename(self, title: str, name: str) -> None:
        new = f"sources/documents/{name}.txt"
        self.git("mv", self.texts[title]["path"], new)
        self.texts[title]["path"] = new

    def checkout(self, *args: str) -> None:
        self.git("checkout", "-q", *args)
        self.read_back()

    def read_back(self) -> None:
        """What the working tree holds now (after a checkout or a merge) as each text's state."""
        for title, text in self.texts.items():
            path = self.find(title)
            if path is None:
                continue
            data = (self.root / path).read_text("utf-8")
            text["path"] = path
            text["slug"] = re.search(r"^slug: (.+)$", data, re.M).group(1)
            text["contents"] = {
                cn_number(m.group(1)): m.group(2) for m in re.finditer(r"^第(\S+)条 (.+)$", data, re.M)
            }

    def find(self, title: str, commit: str | None = None) -> str | None:
        """The path of the text titled ``title`` in the working tree, or in ``commit``."""
        if commit is None:
            folder = self.root / "sources" / "documents"
            for path in sorted(folder.glob("*.txt")):
                if f"\ntitle: {title}\n" in path.read_text("utf-8"):
                    return path.relative_to(self.root).as_posix()
            return None
        for path in self.git("ls-tree", "-r", "--name-only", commit, "sources/documents").split():
            if f"\ntitle: {title}\n" in self.show(commit, path):
                return path
        return None

    def show(self, commit: str, path: str) -> str:
        return self.git("show", f"{commit}:{path}")

    def commit(self, message: str, *extra: str) -> str:
        self.day += 1
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, *extra)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()

    def merge(self, *branches: str, message: str = "merge") -> str:
        self.day += 1
        self.git("merge", "-q", "--no-ff", "-X", "theirs", "-m", message, *branches)
        self.read_back()
        return self.head()

    def _write(self, title: str) -> None:
        text = self.texts[title]
        (self.root / text["path"]).write_text(law_text(text["slug"], title, text["contents"]), "utf-8")


def cn_number(text: str) -> int:
    from fadian.read.numerals import cn_to_int

    return cn_to_int(text)


def expected_versions(history: GitHistory, title: str) -> list[tuple[str, str]]:
    """(commit, text) of each distinct state of ``title`` along the first-parent chain of HEAD,
    oldest first: what a truthful list of its versions is."""
    out: list[tuple[str, str]] = []
    for commit in history.git("rev-list", "--first-parent", "--reverse", "HEAD").split():
        path = history.find(title, commit)
        if path is None:
            continue
        text = history.show(commit, path)
        if not out or out[-1][1] != text:
            out.append((commit, text))
    return out


def body_han(text: str) -> str:
    """The Han characters of a source's body (front matter left out)."""
    return "".join(HAN_RE.findall(text.split("\n---\n", 1)[1]))


def published_versions(root: Path, slug: str) -> list[tuple[dict, str]]:
    """(version record, the Han characters of its AKN's text) of each version in the published
    history of ``slug``."""
    from lxml import etree

    record = json.loads((root / "build" / "history" / slug / "history.json").read_text("utf-8"))
    out = []
    for version in record["versions"]:
        akn = etree.parse(str(root / version["akn"])).getroot()
        out.append((version, "".join(HAN_RE.findall(akn_text(akn)))))
    return out


def assert_truthful(history: GitHistory, title: str) -> list[dict]:
    """The published versions of ``title`` are exactly its first-parent states: the same
    commits, in order, each with that commit's text. Returns the version records."""
    slug = history.texts[title]["slug"]
    published = published_versions(history.root, slug)
    expected = expected_versions(history, title)
    assert [v["commit"] for v, _text in published] == [c for c, _text in expected], title
    for (version, text), (_commit, source) in zip(published, expected, strict=True):
        assert text == body_han(source), (title, version["version"])
    assert [v["version"] for v, _t in published] == [f"v{k}" for k in range(1, len(published) + 1)]
    return [v for v, _t in published]
