"""Real Chinese laws nobody here wrote: `fadian convert` gives valid, complete AKN whose
structure counts match the corpus manifest."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from fadian.akn.validate import lxml_schema

from conftest import CORPUS, akn_text, han, run_fadian

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
FILES = sorted(p.name for p in CORPUS.glob("*.txt"))
ITEM_NUM = re.compile(r"^“?[（(][一二三四五六七八九十]+[）)]$")
SUBITEM_NUM = re.compile(r"^“?[0-9０-９]+[.．]$")


def count(root, xpath):
    return len(root.xpath(xpath, namespaces=NS))


def numbered(root, xpath, pattern):
    return sum(
        1
        for el in root.xpath(xpath, namespaces=NS)
        if pattern.match(el.findtext("a:num", default="", namespaces=NS))
    )


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each corpus file converted by the real command line, once."""
    out = tmp_path_factory.mktemp("convert")
    results = {}
    for name in FILES:
        target = out / name.replace(".txt", ".xml")
        proc = run_fadian("convert", str(CORPUS / name), "-o", str(target))
        results[name] = (proc, target)
    return results


def test_manifest_lists_every_file(manifest):
    assert sorted(d["file"] for d in manifest["documents"]) == FILES


@pytest.mark.parametrize("name", FILES)
def test_converts_to_valid_complete_akn(converted, name):
    proc, target = converted[name]
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    root = etree.parse(str(target)).getroot()
    assert lxml_schema().validate(root), lxml_schema().error_log
    # complete text: every Han character of the file, in order
    assert han(akn_text(root)) == han((CORPUS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", FILES)
def test_structure_counts_match_manifest(converted, manifest, name):
    counts = next(d["counts"] for d in manifest["documents"] if d["file"] == name)
    root = etree.parse(str(converted[name][1])).getroot()
    legal = counts["tiao"] > 0
    assert count(root, "//a:book") == counts["bian"]
    assert count(root, "//a:part") == counts["fenbian"]
    assert count(root, "//a:chapter") == counts["zhang"]
    if root.xpath("/a:akomaNtoso/a:act/@name", namespaces=NS) == ["amendment"]:
        # an amendment instrument: its provisions 一、二、… are its articles, each holding a mod;
        # the 项 the manifest counts are quoted provisions of the amended law
        text = (CORPUS / name).read_text(encoding="utf-8")
        provisions = re.findall(r"^[一二三四五六七八九十]+、.*$", text, flags=re.M)
        commencing = [p for p in provisions if re.search(r"^[一二三四五六七八九十]+、本.{1,4}自.*施行。$", p)]
        assert count(root, "//a:body/a:article") == len(provisions)
        # every provision holds a mod, except a commencement clause (本修正案自…施行)
        assert count(root, "//a:body/a:article//a:mod") == len(provisions) - len(commencing)
        assert counts["tiao"] == 0
        quoted_items = numbered(root, "//a:quotedStructure//a:point", ITEM_NUM)
        assert quoted_items == counts["items_fullwidth"] + counts["items_halfwidth"]
        return
    assert count(root, "//a:article") == counts["tiao"]
    if legal:
        assert count(root, "//a:section") == counts["jie"]
    assert count(root, "//a:article[contains(a:num, '之')]") == counts.get("tiao_zhi", 0)
    # 项: （一） items; in texts without articles (amendment instruments) they sit in units 一、
    items = numbered(root, "//a:point", ITEM_NUM) + numbered(root, "//a:subsection", ITEM_NUM)
    assert items == counts["items_fullwidth"] + counts["items_halfwidth"]
    # 目: numbered sub-items of a 项. The manifest counts every line that starts with "1．";
    # in 刑法 those 23 lines are the numbered lists of 附件一/附件二, not 目 of any 项.
    mu = numbered(root, "//a:point", SUBITEM_NUM)
    annex_list_items = count(root, "//a:hcontainer[@name='annex']//a:blockList/a:item")
    assert mu + annex_list_items == counts["mu_subitems"]
    if name.startswith("criminal-law-20"):
        assert (mu, annex_list_items) == (0, 23)
    # articles are numbered continuously: art_1 … with 之一 as art_N-1
    eids = [a.get("eId") for a in root.xpath("//a:article", namespaces=NS)]
    assert len(eids) == len(set(eids))
    if legal:
        assert eids[0] == "art_1"
        assert eids[-1] == f"art_{counts['article_last']}"


def test_criminal_law_shape(converted):
    root = etree.parse(str(converted["criminal-law-2023.txt"][1])).getroot()
    # 编 → book; chapters restart in each 编, so they carry the book's prefix
    assert [b.get("eId") for b in root.xpath("//a:book", namespaces=NS)] == ["book_1", "book_2"]
    assert root.xpath("//a:book[@eId='book_2']/a:chapter[1]/@eId", namespaces=NS) == ["book_2__chp_1"]
    assert root.xpath("//a:article[@eId='art_17-1']/a:num/text()", namespaces=NS) == ["第十七条之一"]
    # the unnumbered 附则 after the 编 and the annexes are kept as containers
    assert root.xpath(
        "//a:body/a:hcontainer[@name='supplementaryProvisions']/a:heading/text()", namespaces=NS
    ) == ["附则"]
    assert root.xpath("//a:hcontainer[@name='annex']/a:num/text()", namespaces=NS) == ["附件一", "附件二"]
    # the deleted article keeps its place and number
    assert root.xpath("//a:article[@eId='art_199']//a:p/text()", namespaces=NS) == ["（删去）"]


def test_metadata_inferred_from_header(converted):
    root = etree.parse(str(converted["company-law-2023.txt"][1])).getroot()
    assert root.xpath("//a:FRBRWork/a:FRBRdate/@date", namespaces=NS) == ["1993-12-29"]
    assert root.xpath("//a:FRBRExpression/a:FRBRdate/@date", namespaces=NS) == ["2023-12-29"]
    assert root.xpath("//a:FRBRExpression/a:FRBRlanguage/@language", namespaces=NS) == ["zho"]
    assert root.xpath("//a:docTitle/text()", namespaces=NS) == ["中华人民共和国公司法"]
    # the dated adoption and amendment lines stay in the preface
    assert count(root, "//a:preface/a:p[@class='history']") == 7


def test_admin_reconsideration_mu_under_xiang(converted):
    root = etree.parse(str(converted["administrative-reconsideration-law-2017.txt"][1])).getroot()
    mu = root.xpath(
        "//a:article[@eId='art_28']//a:point[@eId='art_28__para_1__point_3']/a:point", namespaces=NS
    )
    assert [m.get("eId") for m in mu] == [f"art_28__para_1__point_3__point_{k}" for k in range(1, 6)]
