"""Citations through whole builds: bulletin short titles, an article a law lacks."""

from __future__ import annotations

import json
import re
import shutil

from conftest import REPO, run_fadian

LAW = REPO / "sources" / "documents" / "digital-economy-promotion-law-expert-draft.txt"


def test_bulletin_short_titles_link_to_bulletin_documents(tmp_path):
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    proc = run_fadian("build", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text("utf-8"))
    uri = {d["slug"]: d["work_uri"] for d in manifest["documents"]}
    xml = (tmp_path / "build" / "akn" / "bulletins" / "dsj-2023-18.xml").read_text("utf-8")
    for short, slug in [
        ("计划", "shandong-manufacturing-innovation-plan-2023-2025"),
        ("条例（草案）", "wuhan-digital-economy-promotion-regulations-draft"),
        ("实施方案", "shandong-three-economies-implementation-plan"),
        ("数字经济促进法（专家建议稿）", "digital-economy-promotion-law-expert-draft"),
    ]:
        assert f'<ref href="{uri[slug]}">《{short}》</ref>' in xml, short
    # each short title is defined once, as a term of the bulletin
    assert re.findall(r'<def refersTo="#(term_\d)">计划</def>', xml) == ["term_1"]
    assert '<TLCTerm eId="term_1"' in xml and 'showAs="计划"' in xml
    report = json.loads((tmp_path / "build" / "reports" / "refs.json").read_text("utf-8"))
    assert report["summary"]["found"] == len(report["citations"])
    assert report["summary"]["external_known"] >= 2
    first = report["citations"][0]
    assert set(first) >= {"document", "source_eid", "text", "targets", "status", "line", "col"}
    backlinks = json.loads((tmp_path / "build" / "reports" / "backlinks.json").read_text("utf-8"))
    plan_cited = backlinks["shandong-manufacturing-innovation-plan-2023-2025"][""]
    assert {c["document"] for c in plan_cited} == {"dsj-2023-18"}
    assert "citations:" in proc.stderr.decode() and "resolved" in proc.stderr.decode()


def test_article_out_of_range_is_reported_and_document_still_built(tmp_path):
    text = LAW.read_text("utf-8").replace(
        "发展数字经济是国家经济社会发展的一项重大战略",
        "依照本法第九十九条，发展数字经济是国家经济社会发展的一项重大战略",
    )
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    path = tmp_path / "sources" / "documents" / "law.txt"
    path.write_text(text, "utf-8")
    proc = run_fadian("build", "--root", str(tmp_path))
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    line = next(n for n, t in enumerate(text.split("\n"), 1) if "本法第九十九条" in t)
    assert re.search(
        rf"law\.txt:{line}:\d+: warning\[F701\]: citation '本法第九十九条' cannot be resolved", err
    )
    xml = (tmp_path / "build" / "akn" / "digital-economy-promotion-law-expert-draft.xml").read_text("utf-8")
    assert "依照本法第九十九条，" in xml  # kept as plain text
    report = json.loads((tmp_path / "build" / "reports" / "refs.json").read_text("utf-8"))
    assert any(c["status"] == "unresolved" and c["text"] == "本法第九十九条" for c in report["citations"])
