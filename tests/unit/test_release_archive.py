"""The bulk release after a commit: the members whose bytes did not change are copied from the
previous archive as they are (not compressed again), and the archive is still the one a build
with no previous archive makes, byte for byte."""

from __future__ import annotations

import zipfile
from pathlib import Path

from fadian.project import release_stage
from fadian.project.release_stage import RELEASE_DIR, write_release


def members(folder: Path, texts: dict[str, str]) -> dict[str, Path]:
    out = {}
    for name, text in texts.items():
        path = folder / name.replace("/", "_")
        path.write_text(text, "utf-8")
        out[name] = path
    return out


TEXTS = {
    f"akn/cn/act/2020-01-0{k}/law-{k}/zho@2020-01-0{k}/!main.xml": "<akomaNtoso>"
    + "".join(f"第{n}条 第{k * n}项规定。" for n in range(1, 200))
    + "</akomaNtoso>"
    for k in range(1, 6)
}


def test_a_new_archive_equals_a_cold_one_and_copies_the_unchanged_members(tmp_path, monkeypatch):
    (tmp_path / "files").mkdir()
    previous = tmp_path / "previous"
    monkeypatch.setattr(release_stage, "COMPRESSION", 9)  # the old archive's members: recognisable bytes
    old = write_release(members(tmp_path / "files", TEXTS), previous / RELEASE_DIR, "old.zip", None)
    monkeypatch.undo()
    # (said to be made as this build makes them, so that they are copied: the proof they are)
    (previous / RELEASE_DIR / release_stage.MADE_BY).write_bytes(release_stage.made_by())
    changed = dict(TEXTS)
    changed[next(iter(TEXTS))] = "<akomaNtoso>第一条 修改后的规定。</akomaNtoso>"
    files = members(tmp_path / "files", changed)
    made = write_release(files, tmp_path / "new" / RELEASE_DIR, "new.zip", previous)
    with zipfile.ZipFile(made) as z, zipfile.ZipFile(old) as before:
        assert z.testzip() is None
        assert {n: z.read(n).decode() for n in changed} == changed
        sizes = {n: (z.getinfo(n).compress_size, before.getinfo(n).compress_size) for n in changed}
    first, *others = changed
    assert all(new == was for new, was in (sizes[n] for n in others))  # copied from the old archive
    assert sizes[first][0] != sizes[first][1]  # the changed one compressed anew
    # with the old archive at this build's own level, the copy is a cold build's archive exactly
    cold_previous = tmp_path / "cold-previous"
    write_release(members(tmp_path / "files", TEXTS), cold_previous / RELEASE_DIR, "old.zip", None)
    files = members(tmp_path / "files", changed)
    again = write_release(files, tmp_path / "again" / RELEASE_DIR, "new.zip", cold_previous)
    cold = write_release(files, tmp_path / "cold" / RELEASE_DIR, "new.zip", None)
    assert again.read_bytes() == cold.read_bytes()
    with zipfile.ZipFile(cold) as z:  # (and the two levels do give these texts different bytes)
        assert all(z.getinfo(n).compress_size != sizes[n][1] for n in others)


def test_an_archive_made_another_way_is_not_reused(tmp_path, monkeypatch):
    """A previous archive made at another level (or by another zlib) is neither linked nor copied
    from: the new one is a cold build's, byte for byte."""
    (tmp_path / "files").mkdir()
    files = members(tmp_path / "files", TEXTS)
    monkeypatch.setattr(release_stage, "COMPRESSION", 1)
    write_release(files, tmp_path / "previous" / RELEASE_DIR, "same.zip", None)
    monkeypatch.undo()
    again = write_release(files, tmp_path / "new" / RELEASE_DIR, "same.zip", tmp_path / "previous")
    cold = write_release(files, tmp_path / "cold" / RELEASE_DIR, "same.zip", None)
    assert again.read_bytes() == cold.read_bytes()


def test_a_damaged_previous_archive_is_not_copied_from(tmp_path):
    """A previous archive cut short: its members are compressed again, the archive a cold one."""
    (tmp_path / "files").mkdir()
    files = members(tmp_path / "files", TEXTS)
    old = write_release(files, tmp_path / "previous" / RELEASE_DIR, "old.zip", None)
    old.write_bytes(old.read_bytes()[: len(old.read_bytes()) // 2])  # (its directory gone)
    changed = dict(TEXTS)
    changed[next(iter(TEXTS))] = "<akomaNtoso>第一条 修改后的规定。</akomaNtoso>"
    files = members(tmp_path / "files", changed)
    made = write_release(files, tmp_path / "new" / RELEASE_DIR, "new.zip", tmp_path / "previous")
    cold = write_release(files, tmp_path / "cold" / RELEASE_DIR, "new.zip", None)
    assert made.read_bytes() == cold.read_bytes()
