"""The public Python API: fadian.convert and fadian.Project."""

from __future__ import annotations

import fadian
from fadian.akn.validate import lxml_schema

from conftest import CORPUS, REPO

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def test_convert_a_law_text():
    result = fadian.convert(
        (CORPUS / "foreign-trade-law-2022.txt").read_text("utf-8"), slug="foreign-trade-law"
    )
    assert result.ok and not result.errors
    assert result.xml.startswith(b"<?xml") and lxml_schema().validate(result.root)
    assert result.root.xpath("count(//a:article)", namespaces=NS) == result.tree.count("article") == 69


def test_convert_reports_errors_without_output():
    result = fadian.convert("测试法\n\n第一条 甲。\n\n第一条 乙。\n")
    assert not result.ok and result.xml is None and result.root is None
    assert [d.code for d in result.errors] == ["F301"]


def test_convert_takes_metadata_and_a_registry():
    text = "测试规定\n\n第一条 依照刑法第一百六十五条处理。\n"
    result = fadian.convert(
        text,
        slug="rules",
        title="测试规定",
        date="2024-01-01",
        first_article=1,
        registry=str(REPO / "sources" / "registry.yaml"),
    )
    assert result.ok
    assert result.root.xpath("//a:ref/@href", namespaces=NS) == [
        "/akn/cn/act/1979-07-01/criminal-law/~art_165"
    ]
    assert result.root.xpath("//a:FRBRWork/a:FRBRthis/@value", namespaces=NS) == [
        "/akn/cn/act/2024-01-01/rules/!main"
    ]
