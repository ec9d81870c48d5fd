"""`fadian import-bulletin`: the seed PDF text → sources/, with nothing of the text lost."""

from __future__ import annotations

import yaml

from fadian.read.importer import import_bulletin, repair_paragraphs

from conftest import REPO, SEED, han, run_fadian


def test_import_writes_seven_documents_and_the_issue(tmp_path):
    proc = run_fadian("import-bulletin", str(SEED), "--sources", str(tmp_path / "sources"))
    assert proc.returncode == 0, proc.stderr.decode()
    docs = sorted((tmp_path / "sources" / "documents").glob("*.txt"))
    assert len(docs) == 7
    issue = yaml.safe_load((tmp_path / "sources" / "bulletins" / "dsj-2023-18.yaml").read_text("utf-8"))
    assert (issue["title"], issue["issue"], issue["issue_total"], issue["date"]) == (
        "大数据发展动态",
        18,
        129,
        "2023-05-05",
    )
    assert [r["name"] for r in issue["rubrics"]] == ["国策要论", "地方新政", "产业镜像", "前沿观察"]
    assert [d["page"] for r in issue["rubrics"] for d in r["documents"]] == [1, 14, 16, 25, 31, 45, 48]
    assert [len(d.get("editor_note", [])) for r in issue["rubrics"] for d in r["documents"]] == [
        2,
        1,
        2,
        2,
        3,
        0,
        0,
    ]
    assert [p["name"] for p in issue["profiles"]] == ["贵州省大数据发展促进会", "贵阳智能大数据战略研究院"]
    # every document's front matter names the source organisation of its 来源 line
    for path in docs:
        front = yaml.safe_load(path.read_text("utf-8").split("---")[1])
        assert front["source"]


def test_no_text_lost_between_seed_and_sources(tmp_path):
    """Han characters of the seed == those of the issue YAML and documents, read in print order."""
    bulletin = import_bulletin(SEED.read_text(encoding="utf-8"))
    meta = bulletin.meta
    parts = list(meta["cover"]) + list(meta["masthead"]["lines"])
    for role in meta["masthead"]["roles"]:
        parts += [role["printed"], *role["values"]]
    parts += [meta["statement"], meta["contents_heading"]]
    for rubric in meta["rubrics"]:
        parts.append(rubric["name"])
        parts += [f"{d['page_label']} {d['toc_title']}" for d in rubric["documents"]]
    for doc in bulletin.documents:
        if doc.editor_note:
            parts += ["编者按", *doc.editor_note]
        parts += doc.body
    for profile in meta["profiles"]:
        parts += [profile["name"], profile["name_en"], *profile["paragraphs"]]
    assert han("".join(parts)) == han(SEED.read_text(encoding="utf-8"))


def test_committed_sources_came_from_the_importer():
    """The committed sources are the importer's output (until editors change them: then
    update this test's list of edited files)."""
    bulletin = import_bulletin(SEED.read_text(encoding="utf-8"))
    for doc in bulletin.documents:
        committed = (REPO / "sources" / "documents" / f"{doc.seed.slug}.txt").read_text("utf-8")
        assert committed == doc.source_text()


def test_page_breaks_joined_and_list_markers_removed():
    lines = [
        "数字基础设施建设应当遵循技术先进、安全可靠、自主可控、服务便捷的原则。本法所称",
        "数字基础设施，是指以信息技术为支撑。",
        "- （一）符合国家和省确定的改革方向；",
        "第五十八条【数字经济合规指引与容错】",
    ]
    assert repair_paragraphs(lines) == [
        "数字基础设施建设应当遵循技术先进、安全可靠、自主可控、服务便捷的原则。本法所称数字基础设施，是指以信息技术为支撑。",
        "（一）符合国家和省确定的改革方向；",
        "第五十八条【数字经济合规指引与容错】",
    ]
    # a short heading without closing punctuation is not glued to the next line
    assert repair_paragraphs(["（二）享受补贴的数据和算力服务范围", "以“实时联通”为原则。"]) == [
        "（二）享受补贴的数据和算力服务范围",
        "以“实时联通”为原则。",
    ]
    # a sentence cut after a comma continues on the next line
    assert repair_paragraphs(["法律、行政法规规定应当取得书面同意的，", "从其规定。"]) == [
        "法律、行政法规规定应当取得书面同意的，从其规定。"
    ]


def test_seed_text_in_sources_has_no_pdf_list_markers():
    for path in (REPO / "sources" / "documents").glob("*.txt"):
        body = path.read_text("utf-8").split("\n---\n", 1)[1]
        for line in body.splitlines():
            assert not line.lstrip().startswith("- "), (path.name, line)
