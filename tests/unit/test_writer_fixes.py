"""Generator bugs the fuzzer found (issue 14): inputs that used to give schema-invalid AKN now
give valid AKN, and the schema check stays as the net."""

from __future__ import annotations

from fadian.akn.validate import lxml_schema
from fadian.pipeline import compile_standalone

NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}


def convert(text: str):
    doc = compile_standalone("x.txt", text.encode("utf-8"), "x", date="2024-01-01")  # dated: no F212
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    assert lxml_schema().validate(doc.root)
    return doc


def test_a_lone_table_of_contents_line_writes_no_empty_toc():
    doc = convert("测试法\n\n目录\n\n第一条 为了测试，制定本法。\n")
    assert not doc.root.xpath("//a:toc", namespaces=NS)


def test_a_toc_entry_the_body_lacks_points_at_the_toc_not_at_hash():
    doc = convert(
        "测试法\n\n目录\n\n第一章 总则\n\n第二章 附则\n\n第一章 总则\n\n第一条 为了测试，制定本法。\n"
    )
    hrefs = doc.root.xpath("//a:tocItem/@href", namespaces=NS)
    assert hrefs == ["#chp_1", "#toc"] and "#" not in hrefs
    assert [d.code for d in doc.diagnostics] == ["F308"]


def test_characters_xml_forbids_are_errors_with_their_position():
    doc = compile_standalone("x.txt", "测试法\n\n第一条 为了\ufffe测试。\n".encode(), "x")
    (d,) = [d for d in doc.diagnostics if d.is_error]
    assert d.code == "F107" and (d.location.line, d.location.col) == (3, 7)
