"""The public API on a whole project."""

from __future__ import annotations

import fadian


def test_project_check_and_build(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(
        "---\nslug: law\ntype: act\ntitle: 测试法\ndate: 2024-01-01\n---\n\n测试法\n\n第一条 为了测试，制定本法。\n",
        encoding="utf-8",
    )
    project = fadian.Project(tmp_path)
    checked = project.check()
    assert checked.ok and [d.meta.slug for d in checked.documents] == ["law"]
    assert not (tmp_path / "build").exists()  # check writes nothing
    built = project.build(site=False, editions=False)
    assert built.ok and (tmp_path / "build" / "akn" / "law.xml").is_file()
