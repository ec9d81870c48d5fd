"""The seed bulletin, as committed in sources/: structure, validity, fidelity."""

from __future__ import annotations

import re

import pytest
import yaml

from fadian.akn.validate import lxml_schema

from conftest import REPO, akn_text, han

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
LAW = "digital-economy-promotion-law-expert-draft"
WUHAN = "wuhan-digital-economy-promotion-regulations-draft"
PLAN = "shandong-manufacturing-innovation-plan-2023-2025"
SCHEME = "shandong-three-economies-implementation-plan"
FUJIAN = "fujian-data-centre-computing-subsidy-points"
STATS = "internet-services-2023-q1-statistics"
REPORT = "global-5g-sep-report-2023-summary"


def xp(doc, path):
    return doc.root.xpath(path, namespaces=NS)


def nums(elements):
    return [e.findtext("a:num", namespaces=NS) for e in elements]


def test_seven_documents(seed_docs):
    assert set(seed_docs) == {LAW, WUHAN, PLAN, SCHEME, FUJIAN, STATS, REPORT}


def test_law_is_a_bill_with_7_chapters_65_articles(seed_docs):
    law = seed_docs[LAW]
    assert xp(law, "/a:akomaNtoso/a:bill/@name") == ["expertDraft"]
    assert len(xp(law, "//a:chapter")) == 7
    articles = xp(law, "//a:article")
    assert len(articles) == 65
    assert [a.get("eId") for a in articles] == [f"art_{n}" for n in range(1, 66)]
    assert nums(articles[:2]) == ["第一条", "第二条"]
    # headings come without the 【】 brackets
    assert articles[0].findtext("a:heading", namespaces=NS) == "立法目的"
    assert xp(law, "//a:article[@eId='art_53']/a:heading/text()") == ["公平竞争"]
    # 第五十八条 has a lead-in 款 with five 项 taken from "- （一）" list lines
    points = xp(law, "//a:article[@eId='art_58']//a:point")
    assert nums(points) == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    assert points[0].get("eId") == "art_58__para_2__point_1"
    # the 目录 is checked against the body and links to it, not output as chapters
    toc = xp(law, "//a:preface//a:tocItem")
    assert [t.get("href") for t in toc] == [f"#chp_{n}" for n in range(1, 8)]
    assert xp(law, "//a:conclusions/a:p/text()") == ["（来源：中国计量大学质量发展法治保障研究中心）"]


def test_page_break_paragraphs_are_joined(seed_docs):
    art9 = xp(seed_docs[LAW], "//a:article[@eId='art_9']//a:p/text()")
    assert len(art9) == 1 and "本法所称数字基础设施，是指" in art9[0]
    art2 = xp(seed_docs[LAW], "//a:article[@eId='art_2']//a:p/text()")
    assert art2 == [
        "本法所称数字经济，是指以数据资源作为关键生产要素、以现代信息网络作为重要载体、"
        "以信息通信技术的有效使用作为效率提升和经济结构优化的重要推动力的系列经济活动的总称。"
    ]


def test_wuhan_draft_9_chapters_65_articles(seed_docs):
    wuhan = seed_docs[WUHAN]
    assert xp(wuhan, "/a:akomaNtoso/a:bill/@name") == ["draftRegulation"]
    assert len(xp(wuhan, "//a:chapter")) == 9
    assert len(xp(wuhan, "//a:article")) == 65
    assert xp(wuhan, "//a:chapter[@eId='chp_9']/a:heading/text()") == ["附则"]
    assert len(xp(wuhan, "//a:article[@eId='art_64']//a:point")) == 4
    assert "/akn/cn-hb/" in seed_docs[WUHAN].meta.work_uri


def test_shandong_plan_parts_actions_tasks(seed_docs):
    plan = seed_docs[PLAN]
    parts = xp(plan, "//a:mainBody/a:section")
    assert nums(parts) == ["一、", "二、", "三、"]
    assert [p.findtext("a:heading", namespaces=NS) for p in parts] == ["总体要求", "重点任务", "保障措施"]
    actions = xp(plan, "//a:section[@eId='sec_2']/a:subsection")
    assert len(actions) == 9
    assert actions[6].findtext("a:heading", namespaces=NS) == "“山东制造”品牌提升行动"
    tasks = xp(plan, "//a:section[@eId='sec_2']//a:paragraph")
    assert [int(re.sub(r"\D", "", n)) for n in nums(tasks)] == list(range(1, 29))
    assert tasks[0].get("eId") == "sec_2__subsec_1__para_1"


def test_shandong_scheme_13_actions(seed_docs):
    actions = xp(seed_docs[SCHEME], "//a:section[@eId='sec_2']/a:paragraph")
    assert [int(re.sub(r"\D", "", n)) for n in nums(actions)] == list(range(1, 14))


def test_fujian_sections_and_items(seed_docs):
    fujian = seed_docs[FUJIAN]
    assert nums(xp(fujian, "//a:mainBody/a:section")) == ["一、", "二、", "三、"]
    assert nums(xp(fujian, "//a:section[@eId='sec_2']/a:subsection")) == ["（一）", "（二）", "（三）"]
    items = xp(fujian, "//a:subsection[@eId='sec_2__subsec_2']/a:paragraph")
    assert nums(items) == ["1.", "2.", "3.", "4."]
    # the list's lead-in ends with ：, so the paragraph after item 4 is the wrap-up
    wrap = xp(fujian, "//a:subsection[@eId='sec_2__subsec_2']/a:wrapUp/a:p/text()")
    assert wrap and wrap[0].startswith("后台加工")


def test_statistics_report_sections_figures_footnotes(seed_docs):
    stats = seed_docs[STATS]
    assert len(xp(stats, "//a:mainBody/a:section")) == 4
    figures = xp(stats, "//a:tblock[@class='figure']")
    assert nums(figures) == ["图 1", "图 2", "图 3"]
    assert [f.get("eId") for f in figures] == ["fig_1", "fig_2", "fig_3"]
    notes = xp(stats, "//a:blockList[@class='footnotes']/a:item")
    assert [n.get("eId") for n in notes] == ["fnt_1", "fnt_2"]
    marks = xp(stats, "//a:ref[@class='footnoteRef']")
    assert [(m.text, m.get("href")) for m in marks] == [("[1]", "#fnt_1"), ("[2]", "#fnt_2")]


def test_5g_summary_outline(seed_docs):
    report = seed_docs[REPORT]
    top = xp(report, "//a:blockList[@class='outline']/a:item")
    assert len(top) == 6
    assert top[0].findtext("a:p", namespaces=NS) == "一、5G 标准化进程"
    nested = xp(report, "//a:blockList[@class='outline']/a:item[2]/a:blockList/a:item")
    assert len(nested) == 4  # （一）…（三） marked as a list, (四) left unmarked by the PDF


@pytest.mark.parametrize("slug", [LAW, WUHAN, PLAN, SCHEME, FUJIAN, STATS, REPORT])
def test_valid_against_official_schema(seed_docs, slug):
    assert lxml_schema().validate(seed_docs[slug].root)


@pytest.mark.parametrize("slug", [LAW, WUHAN, PLAN, SCHEME, FUJIAN, STATS, REPORT])
def test_no_han_character_lost(seed_docs, slug):
    """The Han characters of the AKN, in order, are exactly those of the source body."""
    source = (REPO / "sources" / "documents" / f"{slug}.txt").read_text(encoding="utf-8")
    body = source.split("\n---\n", 1)[1]
    assert han(akn_text(seed_docs[slug].root)) == han(body)


def test_eids_unique_in_every_document(seed_docs):
    for doc in seed_docs.values():
        eids = [e.get("eId") for e in doc.root.iter() if e.get("eId")]
        assert len(eids) == len(set(eids)), doc.meta.slug


def test_bulletin_collection(seed_docs):
    from fadian.akn.collection import build_collection, check_stated_counts, load_bulletin

    path = REPO / "sources" / "bulletins" / "dsj-2023-18.yaml"
    bulletin, diags = load_bulletin("sources/bulletins/dsj-2023-18.yaml", path.read_bytes())
    assert bulletin is not None and not diags
    root, _ = build_collection(bulletin, {s: d.meta for s, d in seed_docs.items()})
    assert lxml_schema().validate(root)
    body = root.xpath("//a:collectionBody/a:component", namespaces=NS)
    refs = root.xpath("//a:collectionBody//a:documentRef", namespaces=NS)
    assert [r.get("href") for r in refs] == [
        seed_docs[s].meta.expression_uri for s in (LAW, FUJIAN, PLAN, SCHEME, WUHAN, STATS, REPORT)
    ]
    rubrics = root.xpath("//a:interstitial/a:p[@class='rubric']/text()", namespaces=NS)
    assert rubrics == ["国策要论", "地方新政", "产业镜像", "前沿观察"]
    notes = root.xpath("//a:interstitial[@class='editorNote']", namespaces=NS)
    assert len(notes) == 5  # the two reports have no 编者按
    assert len(body) == 4 + 5 + 7
    assert root.xpath("//a:coverPage//a:tblock[@class='role']/a:heading/text()", namespaces=NS)[0] == "主 编"
    pages = root.xpath("//a:toc/a:tocItem/a:span[@class='page']/text()", namespaces=NS)
    assert pages == ["01", "14", "16", "25", "31", "45", "48"]
    # the editor's note counts disagree with the text: one warning naming both
    stated = {s: {k: d.count(k) for k in ("chapter", "article")} for s, d in seed_docs.items()}
    counts = check_stated_counts(bulletin, stated)
    assert len(counts) == 1 and counts[0].code == "F309"
    assert "共8章66条" in counts[0].message and "7 chapters and 65 articles" in counts[0].message
    assert counts[0].location.line > 1


def test_bulletin_keeps_every_han_character(seed_docs):
    """Cover, masthead, statement, 本期要目, rubrics, 编者按 and profiles all reach the AKN."""
    from fadian.akn.collection import build_collection, load_bulletin

    path = REPO / "sources" / "bulletins" / "dsj-2023-18.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    bulletin, _ = load_bulletin(str(path), path.read_bytes())
    root, _ = build_collection(bulletin, {s: d.meta for s, d in seed_docs.items()})
    expected = list(data["cover"]) + list(data["masthead"]["lines"])
    for role in data["masthead"]["roles"]:
        expected += [role["printed"], *role["values"]]
    expected += [data["statement"], data["contents_heading"]]
    for rubric in data["rubrics"]:
        expected.append(rubric["name"])
        expected += [e["toc_title"] for e in rubric["documents"]]
    for rubric in data["rubrics"]:
        expected.append(rubric["name"])
        for entry in rubric["documents"]:
            if entry.get("editor_note"):
                expected += ["编者按", *entry["editor_note"]]  # the heading the field implies
    for profile in data["profiles"]:
        expected += [profile["name"], profile["name_en"], *profile["paragraphs"]]
    assert han(akn_text(root)) == han("".join(expected))


def test_schema_failure_is_explained_with_a_path(seed_docs):
    from copy import deepcopy

    from lxml import etree

    from fadian.akn.validate import validate_akn

    broken = deepcopy(seed_docs[LAW].root)
    article = broken.xpath("//a:article[@eId='art_5']", namespaces=NS)[0]
    etree.SubElement(article, "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}bogus")
    diags = validate_akn(broken, "law.txt")
    assert diags and all(d.code == "F501" for d in diags)
    assert any("/akomaNtoso/bill/body/chapter[1]/article[5]" in d.message for d in diags)
