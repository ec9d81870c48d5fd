"""The fingerprint's source digests: a file whose stat is unchanged is not read again (a no-op
build of 3,000 texts read 20 MB for nothing), but a file changed within the racy window is."""

from __future__ import annotations

import os
import time
from pathlib import Path

from fadian.project.fingerprint import (
    RACY_NS,
    build_fingerprint,
    keep_source_digests,
    read_source_digests,
    source_digests,
)


def _project(tmp_path: Path) -> Path:
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "a.txt").write_text("第一条 甲。\n", "utf-8")
    (docs / "b.txt").write_text("第一条 乙。\n", "utf-8")
    (tmp_path / "build").mkdir()
    return tmp_path


def _age(path: Path, seconds: float) -> None:
    past = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(past, past))


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    root = _project(tmp_path)
    for path in (root / "sources" / "documents").iterdir():
        _age(path, 60)
    first = source_digests(root, {})
    keep_source_digests(root / "build", first)
    known = read_source_digests(root / "build")
    assert known["."][0] > 0 and {k: v for k, v in known.items() if k != "."} == first

    def no_reading(path, *args, **kwargs):
        raise AssertionError(f"{path} was read again")

    from fadian.project import fingerprint

    monkeypatch.setattr(fingerprint, "open", no_reading, raising=False)  # (the module's open)
    again = source_digests(root, known)
    assert again == first


def test_every_file_under_sources_is_listed_by_its_path_from_the_root(tmp_path, monkeypatch):
    """Relative to the project root, with / between folders, from a root given as "." too."""
    root = _project(tmp_path)
    (root / "sources" / "bulletins" / "2023").mkdir(parents=True)
    (root / "sources" / "bulletins" / "2023" / "issue.yaml").write_text("title: x\n", "utf-8")
    expected = sorted(p.relative_to(root).as_posix() for p in (root / "sources").rglob("*") if p.is_file())
    assert sorted(source_digests(root, {})) == expected
    monkeypatch.chdir(root)
    assert sorted(source_digests(Path("."), {})) == expected


def test_a_changed_file_is_read_and_changes_the_fingerprint(tmp_path):
    root = _project(tmp_path)
    a = root / "sources" / "documents" / "a.txt"
    _age(a, 60)
    known = {".": [time.time_ns()], **source_digests(root, {})}
    before = build_fingerprint(root, {}, source_digests(root, known))
    a.write_text("第一条 丙。\n", "utf-8")  # same size, new content
    after = build_fingerprint(root, {}, source_digests(root, known))
    assert before != after
    assert after == build_fingerprint(root, {})  # the same as reading every file


def test_a_file_changed_within_the_racy_window_is_read_again(tmp_path):
    """Same size, mtime and inode as the kept entry, but changed close to when the entry was
    kept: a stat cannot tell, so the file is read."""
    root = _project(tmp_path)
    a = root / "sources" / "documents" / "a.txt"
    kept = source_digests(root, {})
    stamp = a.stat().st_mtime_ns
    known = {".": [stamp + RACY_NS // 2], **kept}  # kept just after the write
    a.write_text("第一条 丁。\n", "utf-8")
    os.utime(a, ns=(stamp, stamp))  # the stat the kept entry has
    assert source_digests(root, known)["sources/documents/a.txt"][3] != kept["sources/documents/a.txt"][3]
