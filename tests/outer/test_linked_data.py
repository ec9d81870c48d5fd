"""Every document page carries its identity, dates, force and versions as schema.org
Legislation (JSON-LD), read by a JSON-LD processor and equal to what the page's own panel and
downloads say, in under 2 KB."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pyld import jsonld

from conftest import run_fadian

S = "https://schema.org/"
LAW = """---
slug: law
type: act
title: 测试法
date: '2024-01-01'
---

测试法

（2024年1月1日全国人民代表大会常务委员会第一次会议通过　2024年1月1日中华人民共和国主席令第十号公布　自2024年3月1日起施行）

第一条 为了测试，制定本法。
"""


def linked_data(page: Path) -> dict:
    tree = lxml_html.fromstring(page.read_bytes())
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    (node,) = json.loads(script.text)  # one node, in an array: see render/linked_data
    return node


def panel(page: Path) -> dict[str, str]:
    tree = lxml_html.fromstring(page.read_bytes())
    return {
        div.findtext("dt"): div.find("dd").get("data-status") or div.findtext("dd")
        for div in tree.xpath("//dl[@class='fadian-legal-meta']/div")
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("linked-data")
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "documents" / "law.txt").write_text(LAW, "utf-8")
    done = run_fadian("build", "--no-editions", "--no-search", "--as-of", "2025-01-01", cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    return root / "site"


def test_a_page_says_what_its_panel_says_as_linked_data(site):
    page = site / "documents" / "law" / "index.html"
    data = linked_data(page)
    (node,) = jsonld.expand(data)  # a JSON-LD processor reads it (the vocabulary is inline)
    assert node["@type"] == [S + "Legislation"]
    shown = panel(page)
    assert node[S + "name"][0]["@value"] == lxml_html.fromstring(page.read_bytes()).findtext(".//h1")
    assert node[S + "legislationType"][0]["@value"] == shown["效力级别"] == "法律"
    assert node[S + "legislationPassedBy"][0][S + "name"][0]["@value"] == shown["制定机关"]
    assert node[S + "legislationIdentifier"][0]["@value"] == shown["文号"] == "主席令第十号"
    assert node[S + "legislationDate"][0]["@value"] == shown["公布日期"]
    assert node[S + "legislationLegalForce"][0]["@value"] == "InForce" and shown["时效性"] == "现行有效"
    assert node["@id"].endswith("/zho@2024-01-01") and node[S + "inLanguage"][0]["@value"] == "zh"
    formats = {e[S + "encodingFormat"][0]["@value"] for e in node[S + "encoding"]}
    assert "application/akn+xml" in formats


def test_the_linked_data_is_small_and_cannot_end_its_element(built_project, site):
    pages = [*sorted((built_project / "site" / "documents").glob("*/index.html")), site / "documents" / "law" / "index.html"]
    for page in pages:
        html = page.read_text("utf-8")
        (text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
        assert len(text.encode("utf-8")) <= 2048, page
        assert not set("<>&") & set(text)  # no markup can end the element or open a comment
        assert linked_data(page)["name"]


def test_an_amended_text_and_its_instrument_link_each_other(criminal_project):
    """刑法 (2023) carries 修正案（十二）'s changes: legislationConsolidates names it, as the page's
    根据《…》修改 notes do; the 修正案 changes 刑法: legislationChanges names it."""
    site = criminal_project / "site" / "documents"
    law = linked_data(site / "criminal-law" / "index.html")
    amendment = linked_data(site / "amendment-12" / "index.html")
    (consolidated,) = law["legislationConsolidates"]
    assert consolidated["@id"] in (amendment["@id"], amendment["isPartOf"]["@id"])
    assert consolidated["name"] == amendment["name"]
    assert f"《{amendment['name']}》</a>修改" in (site / "criminal-law" / "index.html").read_text("utf-8")
    (changed,) = amendment["legislationChanges"]
    assert changed["@id"] == law["isPartOf"]["@id"] and changed["name"] == law["name"]
    assert "legislationChanges" not in law and "legislationConsolidates" not in amendment
