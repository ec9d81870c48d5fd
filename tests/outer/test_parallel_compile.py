"""A whole build compiles its documents on every core (project/compiling.py): worker processes
send back what the cache keeps, and the parent takes it as if it had compiled them. The bytes
must be the ones a build compiling in one process publishes — for plain texts, for a text with
errors withheld by --keep-going, and for an instrument and the law it amends, which stay in the
parent."""

from __future__ import annotations

import hashlib
import shutil

import git

from fadian.project import compiling
from fadian.project.build import Project, build_project

from amend_texts import INSTRUMENT, LAW, LAW_FRONT, instrument
from conftest import SHARED, walk_files

SAMPLE = sorted((SHARED / "corpus" / "national-sample").glob("*.txt"))[:80]


def _project(root) -> None:
    """80 sample texts, a test law and its 修正案 (then the law as amended), one broken text."""
    from fadian.amend.apply import apply_instrument

    docs = root / "sources" / "documents"
    docs.mkdir(parents=True)
    repo = git.Repo.init(root, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Editor")
        cw.set_value("user", "email", "editor@example.org")
    for k, path in enumerate(SAMPLE):
        text = path.read_text("utf-8")
        title = "".join(text.strip().split("\n", 1)[0].split())[:80]
        front = f"---\nslug: s-{k:03d}\ntype: act\ntitle: {title!r}\ndate: '2001-01-01'\n---\n"
        (docs / f"s-{k:03d}.txt").write_text(front + text, "utf-8")
    (docs / "test-law.txt").write_text(LAW_FRONT + LAW, "utf-8")
    (docs / "test-law-amendment-1.txt").write_text(INSTRUMENT, "utf-8")
    # two 第二条 in a row: an ambiguous duplicate heading, an error (F301)
    broken = "---\nslug: broken\ntype: act\ntitle: 有错的法\ndate: '2001-01-01'\n---\n\n有错的法\n\n"
    (docs / "broken.txt").write_text(broken + "第一条 甲。\n\n第二条 乙。\n\n第二条 丙。\n", "utf-8")
    repo.index.add(["sources"])
    repo.index.commit("import", author_date="2024-01-01T12:00:00", commit_date="2024-01-01T12:00:00")
    parsed, _ = instrument(INSTRUMENT.split("---\n", 2)[2])
    applied = apply_instrument("test-law.txt", (LAW_FRONT + LAW).encode(), parsed)
    (docs / "test-law.txt").write_text(applied.text, "utf-8")
    repo.index.add(["sources"])
    repo.index.commit("修改", author_date="2024-01-02T12:00:00", commit_date="2024-01-02T12:00:00")


def _published(root) -> dict[str, str]:
    return {
        f"{base}/{p.relative_to(root / base).as_posix()}": hashlib.sha256(p.read_bytes()).hexdigest()
        for base in ("build", "site")
        for p in walk_files(root / base)
    }


def test_compiling_on_every_core_publishes_the_bytes_of_one_process(tmp_path, monkeypatch):
    forked = tmp_path / "forked"
    _project(forked)
    alone = tmp_path / "alone"
    shutil.copytree(forked, alone)

    workers: list[int] = []
    real = compiling._compile_in_workers
    monkeypatch.setattr(
        compiling,
        "_compile_in_workers",
        lambda records, job, progress: workers.append(len(d := real(records, job, progress))) or d,
    )
    result = build_project(Project(forked), editions=False, search=False, keep_going=True)
    assert workers and workers[0] >= 80  # the sample texts were compiled by workers
    assert [w.path for w in result.withheld] == ["sources/documents/broken.txt"]

    monkeypatch.setattr(compiling, "_worth_forking", lambda records, job: False)
    again = build_project(Project(alone), editions=False, search=False, keep_going=True)
    assert [w.path for w in again.withheld] == ["sources/documents/broken.txt"]
    assert len(workers) == 1  # the second build compiled in one process
    assert [d.format() for d in result.all_diagnostics] == [d.format() for d in again.all_diagnostics]
    assert _published(forked) == _published(alone)
    # the amended law names its instrument: it was compiled in the parent, with its history
    page = (forked / "site" / "documents" / "test-law" / "index.html").read_text("utf-8")
    assert "测试法修正案（一）" in page
