"""Golden AKN → HTML: each golden AKN fixture (tests/unit/fixtures/*.xml) rendered by the one
renderer, as a site page body and as the book HTML of the editions, equals its committed HTML
(tests/unit/fixtures/html/). Regenerate after an intended change with
``pytest tests/unit/test_golden_html.py --update-golden`` and read the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from fadian.render.edition_html import document_html
from fadian.render.pages import document_page
from fadian.render.site import SiteContext, SiteDocument

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.stem for p in FIXTURES.glob("*.xml"))


def site_page(akn: Path) -> str:
    """The document's page on a site that holds only it."""
    from lxml import etree

    from fadian.akn.read import A

    document = etree.parse(str(akn)).getroot()[0]
    ident = document.find(f"{A}meta/{A}identification")
    work = ident.find(f"{A}FRBRWork/{A}FRBRuri").get("value")
    doc = SiteDocument(
        slug=akn.stem,
        title=ident.find(f"{A}FRBRWork/{A}FRBRalias[@name='title']").get("value"),
        doc_type=etree.QName(document).localname,
        name=document.get("name"),
        work_uri=work,
        expression_uri=ident.find(f"{A}FRBRExpression/{A}FRBRuri").get("value"),
        akn_path=akn,
        page=f"documents/{akn.stem}.md",
    )
    return document_page(SiteContext({doc.slug: doc}, {work: doc}, {}, {}), doc)


@pytest.mark.parametrize("name", CASES)
def test_akn_renders_to_its_golden_html(name, request):
    akn = FIXTURES / f"{name}.xml"
    outputs = {"page": site_page(akn), "book": document_html(akn)[0]}
    for kind, html in outputs.items():
        golden = FIXTURES / "html" / f"{name}.{kind}.html"
        if request.config.getoption("--update-golden"):
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(html, "utf-8")
        assert golden.exists(), f"{golden.name} is missing: run with --update-golden"
        assert html == golden.read_text("utf-8"), f"{name}: {kind} HTML differs from {golden.name}"


def test_the_unit_a_body_of_no_units_is_given_is_not_shown():
    """刑法修正案（十） has no article: its one change is its preamble. The AKN body's empty unit
    (AKN requires one) is not a heading, on the page or in its contents list."""
    from fadian.render.html import toc_entries

    akn = FIXTURES / "amendment-without-articles.xml"
    assert b'name="text"' in akn.read_bytes()  # (the fixture has the empty unit)
    for html in (site_page(akn), document_html(akn)[0]):
        assert "fadian-hcontainer" not in html and ">text<" not in html
        assert "刑法第二百九十九条" in html  # the change itself is shown
    from lxml import etree

    assert toc_entries(etree.parse(str(akn)).getroot()[0]) == []
