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


def crime_table(title: str) -> str:
    return (
        f"---\nslug: crime-names\ntype: doc\nname: regulation\ntitle: {title}\ndate: '1997-12-11'\n---\n\n"
        f"{title}\n\n现对刑法分则中罪名规定如下：\n\n"
        "一、危害公共安全罪\n\n放火罪、失火罪分别依照第114条、第115条第1款和第115条第2款的规定认定。\n"
    )


def test_bare_numbers_of_a_text_that_names_the_law_it_carries_out(criminal_project, tmp_path):
    """A text without articles of its own whose title says it carries out one law (关于执行《中华
    人民共和国刑法》确定罪名的规定) cites that law by bare numbers; the report says so. A text
    whose title names no law keeps F701: never a guess."""
    root = tmp_path / "project"
    shutil.copytree(criminal_project, root, ignore=shutil.ignore_patterns("build", "site"), symlinks=True)
    table = root / "sources" / "documents" / "crime-names.txt"
    table.write_text(crime_table("最高人民法院关于执行《中华人民共和国刑法》确定罪名的规定"), "utf-8")
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert not re.search(r"crime-names\.txt:\d+:\d+: warning\[F701\]", done.stderr.decode())
    lines = (root / "build" / "reports" / "refs.json").read_text("utf-8").splitlines()
    cited = [json.loads(ln.rstrip(",")) for ln in lines if '"document": "crime-names"' in ln]
    bare = [(c["text"], c["targets"], c.get("via")) for c in cited if c["text"].startswith("第")]
    law = "/akn/cn/act/1979-07-01/criminal-law/~"
    assert bare == [
        ("第114条", [law + "art_114"], "title"),
        ("第115条第1款", [law + "art_115__para_1"], "title"),
        ("第115条第2款", [law + "art_115__para_2"], "title"),
    ]
    table.write_text(crime_table("某某罪名规定"), "utf-8")
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search")
    assert re.search(r"crime-names\.txt:15:\d+: warning\[F701\]", done.stderr.decode())
