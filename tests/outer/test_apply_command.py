"""`fadian apply` on the command line, and instruments in a project's history."""

from __future__ import annotations

import re

from lxml import etree

from fadian.akn.validate import lxml_schema
from fadian.amend.apply import apply_instrument
from fadian.pipeline import compile_source

from amend_texts import LAW, NS, amended_law_repository, instrument
from conftest import CORPUS, run_fadian


def test_apply_command_writes_the_new_text_and_reports_each_change(tmp_path):
    out = tmp_path / "criminal-law.txt"
    proc = run_fadian(
        "apply",
        str(CORPUS / "criminal-law-amendment-12-2023.txt"),
        "--to",
        str(CORPUS / "criminal-law-2020.txt"),
        "-o",
        str(out),
    )
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert err.count(" substitution ") == 7 and "一、 substitution 第一百六十五条" in err
    assert "第一百六十五条 国有公司、企业的董事" in out.read_text("utf-8")


def test_apply_errors_through_the_cli_never_traceback(tmp_path):
    inst = tmp_path / "inst.txt"
    inst.write_text("测试法修正案\n\n一、将第三条翻译为英文。\n", encoding="utf-8")
    old = tmp_path / "old.txt"
    old.write_text(LAW, encoding="utf-8")
    proc = run_fadian("apply", str(inst), "--to", str(old), "-o", str(tmp_path / "new.txt"))
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert b"inst.txt:3:3: error[F320]" in proc.stderr
    assert not (tmp_path / "new.txt").exists()


def test_front_matter_is_carried_over_with_the_new_expression_date(tmp_path):
    old = "---\nslug: test-law\ntype: act\ntitle: 测试法\ndate: 2020-01-01\n---\n\n" + LAW
    parsed, _ = instrument("测试法修正案\n\n2024年5月1日 第二次会议通过\n\n一、删去第四条。\n")
    result = apply_instrument("old.txt", old.encode(), parsed)
    assert result.ok
    assert result.text.startswith(
        "---\nslug: test-law\ntype: act\ntitle: 测试法\ndate: 2020-01-01\nexpression_date: '2024-05-01'\n---\n"
    )
    doc = compile_source("new.txt", result.text.encode())
    assert doc.ok and doc.meta.expression_date == "2024-05-01"


def test_history_names_the_instrument_that_changed_each_article(tmp_path):
    import json

    from fadian.project.build import Project, build_project

    amended_law_repository(tmp_path)

    result = build_project(Project(tmp_path), editions=False)
    assert result.ok, [d.format() for d in result.all_diagnostics if d.is_error]
    record = json.loads((tmp_path / "build" / "history" / "test-law" / "history.json").read_text("utf-8"))
    amended_by = record["diffs"][0]["amended_by"]
    assert {eid: v["provision"] for eid, v in amended_by.items()} == {"art_3": "一、", "art_4": "二、"}
    assert amended_by["art_3"]["instrument"] == "测试法修正案（一）"
    # the law's AKN names the instrument's provision as the source of each change
    law = etree.parse(str(tmp_path / "build" / "akn" / "test-law.xml")).getroot()
    sources = law.xpath("//a:passiveModifications/a:textualMod/a:source/@href", namespaces=NS)
    assert sources == [
        "/akn/cn/act/2024-01-01/test-law-amendment-1/~art_1__mod_1",
        "/akn/cn/act/2024-01-01/test-law-amendment-1/~art_2__mod_1",
    ]
    assert lxml_schema().validate(law)
    # the site: a note at the amended article linking the instrument's provision, and the
    # instrument's page linking each change to the article it changes
    page = (tmp_path / "site" / "documents" / "test-law" / "index.html").read_text("utf-8")
    note = re.search(r'<p class="fadian-amended-by">(.*?)</p>', page)
    assert note and "测试法修正案（一）" in note.group(1)
    assert 'href="../test-law-amendment-1/#art_1__mod_1"' in note.group(1)
    inst_page = (tmp_path / "site" / "documents" / "test-law-amendment-1" / "index.html").read_text("utf-8")
    assert 'id="art_1__mod_1"' in inst_page
    assert re.search(r'<a class="fadian-ref" href="\.\./test-law/#art_3">第三条</a>', inst_page)
    # the history pages speak Chinese and say which text is not the latest
    history = tmp_path / "site" / "history" / "test-law"
    old = (history / "v1" / "index.html").read_text("utf-8")
    new = (history / "v2" / "index.html").read_text("utf-8")
    assert "历史版本" in old and "本文本已被修改" in old and "fadian-expression-status" not in new
    versions = (history / "index.html").read_text("utf-8")
    assert "v2：修改（根据《测试法修正案（一）》）" in versions and ">第三条</a>" in versions
    assert "modified" not in re.sub(r"<[^>]+>", "", versions)


DECISION = """某某部关于修改《甲管理办法》等两件规章的决定

2024年3月1日 某某部令第3号公布

某某部决定对《甲管理办法》等两件规章作如下修改：

一、修改《甲管理办法》

1.将第二条修改为：“甲活动应当依法进行。”

二、修改《乙管理办法》

1.将第二条中的“乙”字样全部按照语义的轻重分别酌情处理。
"""
JIA = "甲管理办法\n\n第一条 为了管理甲活动，制定本办法。\n\n第二条 甲活动应当进行。\n"
YI = "乙管理办法\n\n第一条 为了管理乙活动，制定本办法。\n\n第二条 乙活动应当进行。\n"


def test_a_decision_applies_to_a_text_whose_section_it_understands(tmp_path):
    """An instruction not understood in the section for another text is a warning that names it;
    that other text is still refused (F320): never a silent pass."""
    for name, text in (("decision.txt", DECISION), ("jia.txt", JIA), ("yi.txt", YI)):
        (tmp_path / name).write_text(text, "utf-8")
    done = run_fadian("apply", str(tmp_path / "decision.txt"), "--to", str(tmp_path / "jia.txt"), "-o", "-")
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "第二条 甲活动应当依法进行。" in done.stdout.decode()
    assert "decision.txt:13:3: warning[F335]: instruction not understood" in err
    done = run_fadian("apply", str(tmp_path / "decision.txt"), "--to", str(tmp_path / "yi.txt"), "-o", "-")
    err = done.stderr.decode()
    assert done.returncode == 1 and "decision.txt:13:3: error[F320]" in err and not done.stdout
