"""Cross-references: finding, resolving and linking citations in Chinese legal texts."""

from __future__ import annotations

import re

import pytest

from fadian.akn.validate import lxml_schema
from fadian.pipeline import compile_source, compile_standalone
from fadian.refs.registry import load_registry, registry_index

from conftest import CORPUS, REPO

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
LAW = REPO / "sources" / "documents" / "digital-economy-promotion-law-expert-draft.txt"


@pytest.fixture(scope="module")
def index_factory():
    path = REPO / "sources" / "registry.yaml"
    works, diags = load_registry(str(path), path.read_bytes())
    assert not diags and len(works) >= 25
    return lambda: registry_index(works)


def convert(name, index_factory):
    path = CORPUS / f"{name}.txt"
    doc = compile_standalone(str(path), path.read_bytes(), name, index_factory())
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    return doc


def refs_in(doc, eid):
    """(text, href) of every <ref> inside the element with this eId, in order; a range
    <rref> gives (text, "from..upTo")."""
    el = doc.root.xpath(f"//*[@eId='{eid}']", namespaces=NS)[0]
    return [
        ("".join(r.itertext()), r.get("href") or f"{r.get('from')}..{r.get('upTo')}")
        for r in el.xpath(".//a:ref | .//a:rref", namespaces=NS)
    ]


def test_seed_law_cites_registry_works(seed_docs):
    refs = refs_in(seed_docs["digital-economy-promotion-law-expert-draft"], "art_53")
    assert ("《反垄断法》", "/akn/cn/act/2007-08-30/anti-monopoly-law") in refs
    assert ("《反不正当竞争法》", "/akn/cn/act/1993-09-02/anti-unfair-competition-law") in refs


# foreign-trade-law: 2022 deleted 第九条 and renumbered 第十条–第七十条 and the references to them
FOREIGN_TRADE = {
    "foreign-trade-law-2016": [
        ("art_18__para_1", "本法第十六条", "#art_16"),
        ("art_18__para_1", "第十七条", "#art_17"),
        ("art_18__para_2", "前款", "#art_18__para_1"),
        ("art_60__para_1", "本法第十一条", "#art_11"),
        ("art_63__para_1", "本法第三十四条", "#art_34"),
        ("art_64__para_1", "本法第六十一条至第六十三条", "#art_61..#art_63"),
        ("art_61__para_3", "前两款", "#art_61__para_1..#art_61__para_2"),
    ],
    "foreign-trade-law-2022": [
        ("art_17__para_1", "本法第十五条", "#art_15"),
        ("art_17__para_1", "第十六条", "#art_16"),
        ("art_17__para_2", "前款", "#art_17__para_1"),
        ("art_59__para_1", "本法第十条", "#art_10"),
        ("art_62__para_1", "本法第三十三条", "#art_33"),
        ("art_63__para_1", "本法第六十条至第六十二条", "#art_60..#art_62"),
        ("art_60__para_3", "前两款", "#art_60__para_1..#art_60__para_2"),
    ],
}


@pytest.mark.parametrize("name", sorted(FOREIGN_TRADE))
def test_foreign_trade_law_versions_resolve_to_their_own_numbering(name, index_factory):
    doc = convert(name, index_factory)
    for eid, text, href in FOREIGN_TRADE[name]:
        assert (text, href) in refs_in(doc, eid), (eid, text, href)
    statuses = [c.status for c in doc.refs.citations]
    assert statuses.count("unresolved") == 0
    # the list in the 调查 item: 本法第七条、第二十九条第二款… (2016) is one <mref>
    point = "art_37__para_1__point_6" if name.endswith("2016") else "art_36__para_1__point_6"
    mrefs = doc.root.xpath(f"//*[@eId='{point}']//a:mref", namespaces=NS)
    assert len(mrefs) == 1 and len(mrefs[0].xpath("a:ref | a:rref", namespaces=NS)) == 6


# 30 citations checked by hand against the text (the line, the words, the article they name)
HAND_CHECKED = {
    "company-law-2023": [
        (699, "本法第六十七条", "#art_67"),
        (455, "本法第一百八十九条", "#art_189"),
        (787, "本法第九十五条", "#art_95"),
        (1277, "前款", "#art_225__para_1"),
        (1277, "前条第二款", "#art_224__para_2"),
        (201, "前款", "#art_40__para_1"),
        (273, "前款", "#art_52__para_1"),
        (1091, "本法第一百八十二条至第一百八十四条", "#art_182", "#art_184"),
        (749, "第一百三十三条", "#art_133"),
        (749, "本法第一百二十一条第一款", "#art_121__para_1"),
        (1101, "前款", "#art_189__para_1"),
        (269, "前款", "#art_51__para_1"),
        (1053, "前款", "#art_178__para_1"),
        (627, "本法第四十四条", "#art_44"),
        (109, "前款", "#art_23__para_1"),
        (313, "前款", "#art_57__para_2"),
        (899, "前款", "#art_152__para_1"),
    ],
    "administrative-reconsideration-law-2023": [
        (239, "本法第三十条第一款", "#art_30__para_1"),
        (183, "前款", "#art_24__para_1"),
        (279, "第五十七条", "#art_57"),
        (279, "本法第五十六条", "#art_56"),
        (107, "前款", "#art_13__para_1"),
        (163, "本法第十一条", "#art_11"),
        (169, "前款", "#art_23__para_1"),
        (381, "本法第二十四条第二款", "#art_24__para_2"),
        (229, "本法第三十条第一款", "#art_30__para_1"),
        (19, "前款", "#art_2__para_1"),
        (399, "前款", "#art_53__para_1"),
        (197, "本法第二十五条第一项", "#art_25__para_1__point_1"),
        (197, "本法第二十四条第二款", "#art_24__para_2"),
    ],
}


def test_hand_checked_sample_is_30():
    assert sum(len(v) for v in HAND_CHECKED.values()) == 30


@pytest.mark.parametrize("name", sorted(HAND_CHECKED))
def test_internal_citations_resolve(name, index_factory):
    doc = convert(name, index_factory)
    internal = [c for c in doc.refs.citations if c.status in ("internal", "unresolved")]
    resolved = [c for c in internal if c.status == "internal"]
    assert len(internal) >= 25
    assert len(resolved) / len(internal) >= 0.98
    found = {(c.line, c.text): c.hrefs for c in doc.refs.citations}
    for line, text, *hrefs in HAND_CHECKED[name]:
        assert found.get((line, text)) == hrefs, (line, text, found.get((line, text)))
    # recall: every body line that cites (本法第, 前款, 第X条第Y款, 本条第) has a link
    text_lines = (CORPUS / f"{name}.txt").read_text("utf-8").split("\n")
    cited_lines = {c.line for c in resolved}
    pattern = re.compile("本法第|前款|第[一二三四五六七八九十百]+条第[一二三四五六七八九十]+款|本条第")
    missing = [
        n
        for n, t in enumerate(text_lines, 1)
        if pattern.search(t) and not re.match(r"^\d{4}年", t) and n not in cited_lines
    ]
    assert missing == []


def test_previous_paragraphs(index_factory):
    doc = convert("company-law-2023", index_factory)
    # 前两款 in the third 款 of 第一百一十条: one range of both earlier 款 (one link, not one per 款)
    rref = doc.root.xpath("//*[@eId='art_110__para_3']//a:rref", namespaces=NS)
    assert len(rref) == 1 and rref[0].text == "前两款"
    assert (rref[0].get("from"), rref[0].get("upTo")) == ("#art_110__para_1", "#art_110__para_2")
    assert refs_in(doc, "art_22__para_2") == [("前款", "#art_22__para_1")]


def test_broken_internal_href_is_an_error(seed_docs):
    from copy import deepcopy

    from fadian.akn.validate import validate_akn

    broken = deepcopy(seed_docs["digital-economy-promotion-law-expert-draft"].root)
    ref = broken.xpath("//a:ref", namespaces=NS)[0]
    ref.set("href", "#art_999")
    diags = validate_akn(broken, "law.txt")
    assert [d.code for d in diags] == ["F702"]


def test_links_keep_the_akn_valid(index_factory):
    for name in ("company-law-2023", "criminal-law-2023", "criminal-law-amendment-12-2023"):
        doc = convert(name, index_factory)
        assert doc.root.xpath("count(//a:ref)", namespaces=NS) > 0
        assert lxml_schema().validate(doc.root)


def test_amendment_cites_criminal_law_articles_by_short_name(index_factory):
    doc = convert("criminal-law-amendment-12-2023", index_factory)
    # an instrument's citations of the law it amends are the refs of its <mod>s
    hrefs = doc.root.xpath("//a:mod//a:ref/@href", namespaces=NS)
    assert "/akn/cn/act/1979-07-01/criminal-law/~art_165" in hrefs
    assert "/akn/cn/act/1979-07-01/criminal-law/~art_387__para_1" in hrefs


def test_corpus_document_citation_checks_target_eid(seed_docs):
    """A citation of another corpus document's article must name an article it has."""
    from fadian.refs.index import RefIndex, Work

    index = RefIndex()
    law = seed_docs["digital-economy-promotion-law-expert-draft"]
    index.add(
        Work(law.meta.work_uri, law.meta.title, frozenset(n.eid for n in law.tree.nodes()), corpus=True),
        "数字经济促进法",
    )
    text = (
        "---\nslug: t\ntype: act\ntitle: 测试法\ndate: 2024-01-01\n---\n测试法\n"
        "第一条 依照《数字经济促进法》第五条和《数字经济促进法》第九十条，制定本法。\n"
    ).encode()
    doc = compile_source("t.txt", text, index)
    found = {c.text: (c.status, c.hrefs) for c in doc.refs.citations}
    assert found["《数字经济促进法》第五条"] == ("corpus", [law.meta.work_uri + "/~art_5"])
    assert found["《数字经济促进法》第九十条"][0] == "unresolved"


def test_a_title_cited_without_its_issuer_finds_the_one_work_it_ends():
    """《关于…的实施方案》 for 山东省工业和信息化厅关于…的实施方案: found when one work's title ends
    with it, not when two do, not when the name is short; found again after another work is added."""
    from fadian.refs.index import RefIndex, Work

    index = RefIndex()
    plan = Work("/akn/cn-sd/plan", "山东省工业和信息化厅关于加快推进数字经济发展的实施方案", corpus=True)
    index.add(plan)
    assert index.lookup("关于加快推进数字经济发展的实施方案") is plan
    assert index.lookup("实施方案") is None  # too short to stand for a title
    assert index.lookup("关于加快推进数字经济发展的实施意见") is None
    other = Work("/akn/cn-hb/plan", "湖北省经济和信息化厅关于加快推进数字经济发展的实施方案", corpus=True)
    index.add(other)
    assert index.lookup("关于加快推进数字经济发展的实施方案") is None  # two works end with it
    assert index.lookup("经济和信息化厅关于加快推进数字经济发展的实施方案") is other


def test_names_citable_without_brackets_follow_the_index():
    """The names made once for every text's resolver are made again when a work joins the
    index, and a RecordingIndex notes the same answer as a fresh index gives."""
    from fadian.refs.index import RecordingIndex, RefIndex, Work, answer_digest

    index = RefIndex()
    index.add(Work("/akn/cn/act/1979/xingfa", "中华人民共和国刑法"), "刑法")
    first = index.alias_names()
    assert first == ["刑法"] and index.alias_names() is first  # made once
    index.add(Work("/akn/cn/act/1986/minfa", "中华人民共和国民法通则"), "民法通则")
    assert index.alias_names() == ["民法通则", "刑法"]  # longest first, the new one in
    recording = RecordingIndex(index)
    assert recording.alias_names() == index.alias_names()
    assert recording.queries[("alias_names", "")] == answer_digest(["民法通则", "刑法"])
