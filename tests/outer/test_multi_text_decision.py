"""Issue 21: a decision that amends several texts (一、对《…》作出修改 with items under it), applied
to each of them, refused for a text it does not name, and applied in a project to every text
it names, each then having its new version in the history with notes at the changed articles."""

from __future__ import annotations

import json

import git

from fadian.amend.apply import apply_instrument

from amend_texts import LAW, LAW_FRONT, instrument
from conftest import run_fadian

EXAMPLE = """示例法

2019年1月1日 第一次会议通过

2021年1月1日 第二次会议《关于修改〈示例法〉的决定》第一次修正

第一条 为了示例，制定本法。

第二条 示例活动应当遵守本法。

第三条 本法自公布之日起施行。
"""
EXAMPLE_FRONT = "---\nslug: example-law\ntype: act\ntitle: 示例法\ndate: 2019-01-01\n---\n\n"
OTHER = "无关法\n\n2019年1月1日 第一次会议通过\n\n第一条 本法无关。\n"
DECISION_BODY = """全国人民代表大会常务委员会关于修改《测试法》等两部法律的决定

2024年6月1日 第三次会议通过

第三次会议决定：

一、对《测试法》作出修改

（一）将第三条修改为：“本法适用于一切测试活动。”

（二）删去第四条。

二、对《示例法》作出修改

将第二条中的“本法”修改为“本法和有关法律”。

本决定自公布之日起施行。

《测试法》《示例法》根据本决定作相应修改并对条文顺序作相应调整，重新公布。
"""
DECISION = (
    "---\nslug: two-laws-decision\ntype: amendment\ntitle: 全国人民代表大会常务委员会关于修改《测试法》等两部法律的决定\n"
    "date: 2024-06-01\n---\n\n" + DECISION_BODY
)


def numbered(text: str) -> list[str]:
    return [ln for ln in text.split("\n") if ln.startswith("第") and "条 " in ln[:8]]


def test_each_section_applies_to_the_text_it_names():
    parsed, diags = instrument(DECISION_BODY)
    assert not diags and [s.work for s in parsed.sections] == ["测试法", "示例法"]
    law = apply_instrument("test-law.txt", LAW.encode(), parsed)
    assert law.ok, [d.format() for d in law.diagnostics]
    assert numbered(law.text) == [
        "第一条 为了测试，制定本法。",
        "第二条 有下列情形之一的，予以处罚：",
        "第三条 本法适用于一切测试活动。",
        "第四条 本法自公布之日起施行。",  # 删去第四条, and the order adjusted as the closing says
    ]
    assert "2024年6月1日 第三次会议《关于修改〈测试法〉等两部法律的决定》修正" in law.text
    example = apply_instrument("example-law.txt", EXAMPLE.encode(), parsed)
    assert example.ok, [d.format() for d in example.diagnostics]
    assert "第二条 示例活动应当遵守本法和有关法律。" in example.text
    # the second amendment of a text whose header counts them
    assert "2024年6月1日 第三次会议《关于修改〈测试法〉等两部法律的决定》第二次修正" in example.text


def test_a_text_no_section_names_is_an_error_listing_the_sections(tmp_path):
    decision = tmp_path / "decision.txt"
    decision.write_text(DECISION_BODY, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    proc = run_fadian("apply", str(decision), "--to", str(other), "-o", str(tmp_path / "new.txt"))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err
    assert "error[F328]" in err and "《测试法》" in err and "《示例法》" in err
    assert not (tmp_path / "new.txt").exists()
    # picked by hand: the section named is applied (and must fit the text)
    example = tmp_path / "example.txt"
    example.write_text(EXAMPLE, encoding="utf-8")
    proc = run_fadian("apply", str(decision), "--to", str(example), "--section", "二", "-o", "-")
    assert proc.returncode == 0, proc.stderr.decode()
    assert "第二条 示例活动应当遵守本法和有关法律。" in proc.stdout.decode()
    proc = run_fadian("apply", str(decision), "--to", str(example), "--section", "1", "-o", "-")
    assert proc.returncode == 1 and b"error[F322]" in proc.stderr  # 示例法 has no 第四条


def test_decision_in_a_project_gives_every_text_it_names_a_new_version(tmp_path):
    from fadian.project.build import Project, build_project

    repo = git.Repo.init(tmp_path, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Editor")
        cw.set_value("user", "email", "editor@example.org")
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (tmp_path / "sources" / "registry.yaml").write_text("works: []\n", encoding="utf-8")
    (docs / "test-law.txt").write_text(LAW_FRONT + LAW, encoding="utf-8")
    (docs / "example-law.txt").write_text(EXAMPLE_FRONT + EXAMPLE, encoding="utf-8")
    (docs / "other-law.txt").write_text(
        "---\nslug: other-law\ntype: act\ntitle: 无关法\ndate: 2019-01-01\n---\n\n" + OTHER, encoding="utf-8"
    )
    repo.index.add(["sources"])
    repo.index.commit("texts", author_date="2020-01-01T12:00:00", commit_date="2020-01-01T12:00:00")
    (docs / "two-laws-decision.txt").write_text(DECISION, encoding="utf-8")
    untouched = (docs / "other-law.txt").read_bytes()

    proc = run_fadian("apply", "sources/documents/two-laws-decision.txt", "--project", ".", cwd=tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "2 text(s)" in err and (docs / "other-law.txt").read_bytes() == untouched
    # applied again: both texts record it already, so nothing is written and the command fails
    again = run_fadian("apply", "sources/documents/two-laws-decision.txt", "--project", ".", cwd=tmp_path)
    assert again.returncode == 1 and again.stderr.decode().count("error[F324]") == 2
    repo.index.add(["sources"])
    repo.index.commit("根据决定修改", author_date="2024-06-02T12:00:00", commit_date="2024-06-02T12:00:00")

    result = build_project(Project(tmp_path), editions=False)
    assert result.ok, [d.format() for d in result.all_diagnostics if d.is_error]
    history = tmp_path / "build" / "history"
    law = json.loads((history / "test-law" / "history.json").read_text("utf-8"))
    amended = law["diffs"][0]["amended_by"]
    assert {v["instrument"] for v in amended.values()} == {
        "全国人民代表大会常务委员会关于修改《测试法》等两部法律的决定"
    }
    assert {v["provision"] for v in amended.values()} == {"（一）", "（二）"}
    example = json.loads((history / "example-law" / "history.json").read_text("utf-8"))
    assert list(example["diffs"][0]["amended_by"]) == ["art_2"]
    assert not (history / "other-law" / "history.json").exists() or not json.loads(
        (history / "other-law" / "history.json").read_text("utf-8")
    ).get("diffs")


def test_versions_page_has_the_comparison_table_of_each_change(tmp_path):
    """The 修改前后对照表 of a commit that changes a text, on the text's versions page: the
    articles changed (deleted words struck, new ones marked) and the drafted instrument."""
    from fadian.project.build import Project, build_project

    repo = git.Repo.init(tmp_path, initial_branch="main")
    with repo.config_writer() as cw:
        cw.set_value("user", "name", "Editor")
        cw.set_value("user", "email", "editor@example.org")
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (tmp_path / "sources" / "registry.yaml").write_text("works: []\n", encoding="utf-8")
    law = docs / "test-law.txt"
    law.write_text(LAW_FRONT + LAW, encoding="utf-8")
    repo.index.add(["sources"])
    repo.index.commit("测试法", author_date="2020-01-01T12:00:00", commit_date="2020-01-01T12:00:00")
    law.write_text(LAW_FRONT + LAW.replace("测试活动和相关活动", "测试<活动>"), encoding="utf-8")
    repo.index.add(["sources"])
    repo.index.commit("修改第三条", author_date="2021-01-01T12:00:00", commit_date="2021-01-01T12:00:00")

    result = build_project(Project(tmp_path), editions=False)
    assert result.ok, [d.format() for d in result.all_diagnostics if d.is_error]
    record = json.loads((tmp_path / "build" / "history" / "test-law" / "history.json").read_text("utf-8"))
    draft = record["diffs"][0]["draft"]
    assert "将第三条中的“活动和相关活动”修改为“<活动>”" in draft["instrument"]
    page = (tmp_path / "site" / "history" / "test-law" / "index.html").read_text("utf-8")
    table = page[page.index('id="comparisons"') :]
    assert "修改前" in table and "修改后" in table
    assert (
        "<del>和相关活动</del>" in table and "<ins>&lt;</ins>活动<ins>&gt;</ins>" in table
    )  # escaped, never markup
    assert "将第三条中的“活动和相关活动”修改为“&lt;活动&gt;”" in table


def test_draft_command_writes_the_instrument_and_the_table(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(EXAMPLE, encoding="utf-8")
    new.write_text(EXAMPLE.replace("遵守本法", "遵守本法和有关法律"), encoding="utf-8")
    proc = run_fadian(
        "draft", str(old), str(new), "-o", str(tmp_path / "d.txt"), "--table", str(tmp_path / "t.html")
    )
    assert proc.returncode == 0, proc.stderr.decode()
    drafted = (tmp_path / "d.txt").read_text("utf-8")
    assert "一、将第二条中的“本法”修改为“本法和有关法律”。" in drafted
    assert "<ins>和有关法律</ins>" in (tmp_path / "t.html").read_text("utf-8")
    # applied, the draft gives the new text
    proc = run_fadian("apply", str(tmp_path / "d.txt"), "--to", str(old), "-o", "-")
    assert proc.returncode == 0 and "第二条 示例活动应当遵守本法和有关法律。" in proc.stdout.decode()
    # the same text twice: nothing to draft is an error, and nothing is written
    proc = run_fadian("draft", str(old), str(old), "-o", str(tmp_path / "none.txt"))
    assert proc.returncode == 1 and b"error[F331]" in proc.stderr and b"Traceback" not in proc.stderr
    assert not (tmp_path / "none.txt").exists()
