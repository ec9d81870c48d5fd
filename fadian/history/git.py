"""Versions of a source file from git history (gitpython), without checking anything out.

Every commit on the first-parent chain of HEAD that changes a document is a version of it
(as ``git log --first-parent`` lists them): a merge is one version, the merge's own message
and what it changed against the version before it on that chain, so no listed version loses a
change a side branch made. Blobs are read from the object database. A shallow clone gives the
versions it has (with a warning), uncommitted changes give a "working copy" version, and a
folder outside git gives one version. Commit messages are text: control characters are shown
as their Unicode pictures (U+2400…), never passed on to XML or a page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from fadian.diagnostics import Diagnostic, diag

_EXPRESSION_DATE_RE = re.compile(r"^expression_date:\s*['\"]?(\d{4}-\d{2}-\d{2})", re.M)
# C0 controls but tab, DEL and C1 controls: not XML 1.0 characters (or invisible ones) that some
# tools write into commit messages (BEL, ESC of colour codes)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# the first-parent chain, a merge diffed against its first parent (git >= 2.31 implies it)
FIRST_PARENT = ("--first-parent", "--diff-merges=first-parent")


def message_text(message: str) -> str:
    """A commit message's first line as text: each control character shown by its picture
    (BEL → ␇, ESC → ␛; DEL and C1 as U+FFFD), never dropped silently nor passed on."""
    line = message.split("\n", 1)[0].rstrip("\r")
    return _CONTROL_RE.sub(_control_picture, line)


def _control_picture(m: re.Match) -> str:
    code = ord(m.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


@dataclass(frozen=True)
class Version:
    number: int  # 1, 2, 3 … in history order
    label: str  # v1, v2 …, or "working copy"
    date: str  # YYYY-MM-DD: front matter expression_date, else the commit date (UTC)
    commit: str | None  # full hexsha; None for the working copy or a folder outside git
    tags: tuple[str, ...]  # annotated tags on that commit: published editions
    message: str
    data: bytes


def _version_date(data: bytes, fallback: str) -> str:
    head = data[:4000].decode("utf-8", errors="replace")
    if head.startswith("---"):
        m = _EXPRESSION_DATE_RE.search(head.split("\n---", 1)[0])
        if m:
            return m.group(1)
    return fallback


def _commits_following_renames(repo, rel: str) -> list[tuple[object, str]]:
    """(commit, the file's path in it), oldest first, following renames like ``git log
    --follow``: a document moved with ``git mv`` keeps the versions from before the move."""
    import git

    if not repo.head.is_valid():
        return []
    try:
        log = ["log", *FIRST_PARENT, "--follow", "--format=%x01%H", "--name-only", "--", rel]
        out = repo.git.execute(["git", "-c", "core.quotepath=off", *log])
    except git.GitCommandError:
        return []
    pairs = []
    for record in out.split("\x01")[1:]:
        lines = [ln for ln in record.split("\n") if ln.strip()]
        if len(lines) >= 2:
            pairs.append((repo.commit(lines[0].strip()), lines[-1]))
    return list(reversed(pairs))


@dataclass(frozen=True)
class Touch:
    """One commit that changed one file: when, why, and the blob it left (None: deleted)."""

    commit: str
    timestamp: int
    summary: str
    blob: str | None


@dataclass
class RepoLog:
    """A repository read once for a whole project: for every file, the commits that touched it
    (following renames) with the blob each left, from one ``git log --raw`` instead of a log
    per file and a tree walk per version (which grew with the size of the folder)."""

    repo: object
    root: Path
    files: dict[str, list[Touch]]  # path now → its commits, oldest first
    latest: str = ""  # YYYY-MM-DD (UTC) of the newest commit: the build's stated date
    _shallow: bool | None = field(default=None, repr=False)
    _real_folders: dict[Path, str] = field(default_factory=dict, repr=False)
    blobs: dict[str, bytes] = field(default_factory=dict)  # read ahead by prefetch()
    _editions: tuple[dict[str, list[str]], list[str]] | None = field(default=None, repr=False)
    _root_text: str = field(default="", repr=False)  # the root with a trailing separator

    def editions(self) -> tuple[dict[str, list[str]], list[str]]:
        """The annotated tags by commit, and the names of tags that point at no commit: read
        once for the whole project, not once per text."""
        if self._editions is None:
            self._editions = _editions(self.repo)
        return self._editions

    def repo_path(self, file: Path, link: bool | None = None) -> str | None:
        """``file``'s path in the repository (links resolved), None when it is outside it. The
        real path of each folder is looked up once, not once a file; ``link``:
        whether ``file`` is a link, when the caller knows."""
        if os.path.islink(file) if link is None else link:
            real = os.path.realpath(file)
        else:
            parent = self._real_folders.get(file.parent)
            if parent is None:
                parent = self._real_folders[file.parent] = os.path.realpath(file.parent)
            real = os.path.join(parent, file.name)
        root = self._root_text or self._set_root_text()
        if real.startswith(root):  # inside: no relpath (a fifth of a whole project's versions)
            return real[len(root) :].replace(os.sep, "/")
        rel = os.path.relpath(real, self.root)
        return None if rel == ".." or rel.startswith("../") else rel.replace(os.sep, "/")

    def _set_root_text(self) -> str:
        self._root_text = os.path.join(str(self.root), "")
        return self._root_text

    def scope(self) -> str:
        """What every file's versions read besides its own commits: the annotated tags (and
        those pointing at no commit) and whether the clone is shallow."""
        tags, broken = self.editions()
        return json.dumps([sorted(tags.items()), sorted(broken), self.is_shallow()])

    def file_digest(self, file: Path, link: bool | None = None) -> str | None:
        """A digest of what ``file``'s versions are read from in this repository: its path and
        the commits and blobs that touched it (with :meth:`scope` and the file's bytes, they
        decide its versions). None outside the repository."""
        rel = self.repo_path(file, link)
        if rel is None:
            return None
        touches = "".join(f"{t.commit}{t.blob or '-'}" for t in self.files.get(rel, ()))
        return hashlib.sha256(f"{rel}\0{touches}".encode()).hexdigest()

    def is_shallow(self) -> bool:
        if self._shallow is None:
            self._shallow = _is_shallow(self.repo)
        return self._shallow

    def prefetch(self, files: list[Path], current: dict[Path, bytes] | None = None) -> None:
        """Read every version of ``files`` (in the work tree) in one `git cat-file --batch` run:
        asked one by one, each blob would wait for git's answer in turn.
        A blob with the bytes of the file as it is now (``current``) is not asked for: a text
        committed as it stands (most of a collection) costs git nothing."""
        import subprocess
        import threading

        paths = []
        have = set()
        for file in files:
            rel = self.repo_path(file)
            if rel is None:  # outside this repository: read_versions says so
                continue
            paths.append(rel)
            if current is not None and file in current:
                have.add(blob_sha(current[file]))
        wanted = {t.blob for p in paths for t in self.files.get(p, []) if t.blob}
        wanted = sorted(wanted - have - set(self.blobs))
        if not wanted:
            return
        proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None and proc.stdout is not None

        def ask() -> None:  # written while the answers are read: no pipe fills up
            try:
                proc.stdin.write("".join(f"{sha}\n" for sha in wanted).encode())
                proc.stdin.close()
            except OSError:
                pass

        writer = threading.Thread(target=ask, daemon=True)
        writer.start()
        got = 0
        try:
            for sha in wanted:
                header = proc.stdout.readline().split()
                if len(header) != 3:  # missing, or git stopped: read the usual way later
                    break
                data = proc.stdout.read(int(header[2]))
                proc.stdout.read(1)
                if header[0].decode() == sha and header[1] == b"blob":
                    self.blobs[sha] = data
                got += 1
        finally:
            if proc.poll() is None and got < len(wanted):
                proc.kill()  # stopped early: git may wait on a pipe no one reads
            proc.stdout.close()
            writer.join()
            proc.wait()

    def blob(self, sha: str) -> bytes:
        if sha in self.blobs:
            return self.blobs[sha]
        return self.repo.odb.stream(bytes.fromhex(sha)).read()  # type: ignore[attr-defined]


def blob_sha(data: bytes) -> str:
    """The name git gives a blob of ``data`` (``git hash-object``)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _is_shallow(repo) -> bool:
    """A shallow clone: the versions before its first commit are not there."""
    return (Path(repo.git_dir) / "shallow").exists()


def _editions(repo) -> tuple[dict[str, list[str]], list[str]]:
    tags: dict[str, list[str]] = {}
    broken: list[str] = []
    for tag in repo.tags:
        if tag.tag is None:  # annotated tags only: published editions
            continue
        try:
            tags.setdefault(tag.commit.hexsha, []).append(tag.name)
        except (ValueError, TypeError):  # a tag on a blob or a tree: not an edition
            broken.append(tag.name)
    return tags, broken


def read_repo_log(folder: Path) -> RepoLog | None:
    """The log of the repository around ``folder`` (None outside git or when unreadable)."""
    import git

    try:
        repo = git.Repo(folder, search_parent_directories=True)
        if not repo.head.is_valid():
            return None
        out = repo.git.execute(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                *FIRST_PARENT,
                # a record starts with NUL NUL SOH: a message holds no NUL (git refuses one),
                # so no message, however odd, starts a record of its own
                "--format=%x00%x00%x01%H%x00%ct%x00%B%x00",
                "--raw",
                "--no-abbrev",
                "-M",
            ]
        )
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandError):
        return None
    files: dict[str, list[Touch]] = {}
    newest = 0
    for record in reversed(out.split("\x00\x00\x01")[1:]):  # oldest first
        parts = record.split("\x00")
        if len(parts) < 4:
            continue
        commit, timestamp, message, raw = parts[0].strip(), int(parts[1]), parts[2], parts[3]
        newest = max(newest, timestamp)
        summary = message_text(message)
        for line in raw.split("\n"):
            if not line.startswith(":"):
                continue
            meta, *paths = line.split("\t")
            fields = meta.split()
            if len(fields) < 5 or not paths:
                continue
            blob = None if fields[4].startswith("D") else fields[3]
            touch = Touch(commit, timestamp, summary, blob)
            if fields[4].startswith("R") and len(paths) == 2:
                files[paths[1]] = [*files.pop(paths[0], []), touch]
            else:
                files.setdefault(paths[-1], []).append(touch)
    latest = dt.datetime.fromtimestamp(newest, tz=dt.UTC).date().isoformat() if newest else ""
    return RepoLog(repo, Path(repo.working_tree_dir).resolve(), files, latest)


def _touches(repo, rel: str, log: RepoLog | None) -> list[tuple[Touch, object]]:
    """(commit, a reader of the file's bytes in it) oldest first: from the project's log, or
    from a log of this one file."""
    if log is not None:
        return [(t, lambda t=t: log.blob(t.blob)) for t in log.files.get(rel, [])]
    out = []
    for commit, at_path in _commits_following_renames(repo, rel):
        try:
            blob = commit.tree / at_path
        except KeyError:  # deleted in this commit
            blob = None
        summary = message_text(commit.message if isinstance(commit.message, str) else "")
        touch = Touch(commit.hexsha, commit.committed_date, summary, blob.hexsha if blob else None)
        out.append((touch, lambda b=blob: b.data_stream.read()))
    return out


def read_versions(
    path: Path, log: RepoLog | None = None, current: bytes | None = None
) -> tuple[list[Version], list[Diagnostic]]:
    """All versions of one file, oldest first, read from the git repository around it (from
    ``log``, the repository read once, when a whole project is read). ``current``: the file's
    bytes, when they were read already."""
    import git

    if log is not None:
        return _versions_in(log.repo, log.repo_path(path), path, log, current)
    path = path.resolve()
    shown = str(path)
    diags: list[Diagnostic] = []
    try:
        repo = git.Repo(path.parent, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        data = path.read_bytes() if current is None else current
        today_free = _version_date(data, "1970-01-01")
        diags.append(diag("F801", "not in a git repository: the file is its only version", shown))
        return [Version(1, "v1", today_free, None, (), "", data)], diags
    root = Path(repo.working_tree_dir).resolve()
    return _versions_in(repo, path.relative_to(root).as_posix(), path, None, current)


def _versions_in(
    repo, rel: str | None, path: Path, log: RepoLog | None, current: bytes | None
) -> tuple[list[Version], list[Diagnostic]]:
    if rel is None:
        raise ValueError(f"{path} is outside the repository")
    diags: list[Diagnostic] = []
    shallow, (tags, broken) = (
        (log.is_shallow(), log.editions()) if log else (_is_shallow(repo), _editions(repo))
    )
    if shallow:
        diags.append(diag("F802", "shallow clone: older versions are not in this repository", rel))
    for name in broken:
        diags.append(diag("F806", f"tag {name!r} does not point at a commit; ignored", rel))
    if current is None and path.exists():
        current = path.read_bytes()
    current_blob = blob_sha(current) if current is not None else None
    versions: list[Version] = []
    previous: bytes | None = None
    for touch, read in _touches(repo, rel, log):
        if touch.blob is None:  # deleted in this commit
            continue
        data = current if touch.blob == current_blob else read()
        if data == previous:
            continue
        when = dt.datetime.fromtimestamp(touch.timestamp, tz=dt.UTC).date().isoformat()
        n = len(versions) + 1
        versions.append(
            Version(
                n,
                f"v{n}",
                _version_date(data, when),
                touch.commit,
                tuple(sorted(tags.get(touch.commit, []))),
                touch.summary,
                data,
            )
        )
        previous = data
    if current is not None and current != previous:
        n = len(versions) + 1
        fallback = versions[-1].date if versions else "1970-01-01"
        versions.append(
            Version(
                n, "working copy", _version_date(current, fallback), None, (), "uncommitted changes", current
            )
        )
        diags.append(diag("F803", "uncommitted changes: shown as the working-copy version", rel))
    return versions, diags
