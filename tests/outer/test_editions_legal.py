"""The editions of an amended law: DOCX, EPUB and PDF each carry the metadata panel (from the
AKN's legal metadata), the version's date and the "根据《…》修改" notes; the DOCX opens in
python-docx with every article's text, styled as the official Word files are."""

from __future__ import annotations

import json
import re
import zipfile

import pytest
from lxml import etree

from fadian.render.legal import legal_fields

from amend_texts import LAW, NS, amended_law_repository

# the test law as the national database prints it: a 题注 naming the body and the day
HEADED_LAW = LAW.replace(
    "2020年1月1日 第一次会议通过",
    "（2020年1月1日第十三届全国人民代表大会常务委员会第十五次会议通过）",
)
INSTRUMENT_TITLE = "测试法修正案（一）"


@pytest.fixture(scope="module")
def amended(tmp_path_factory):
    """A project in git: the law, its 修正案, the law as amended; built with editions."""
    from fadian.project.build import Project, build_project

    root = tmp_path_factory.mktemp("amended")
    amended_law_repository(root, HEADED_LAW)
    result = build_project(Project(root), editions=True)
    assert result.ok, [d.format() for d in result.all_diagnostics if d.is_error]
    return root


def _entry(root, slug: str) -> dict:
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    return next(d for d in manifest["documents"] if d["slug"] == slug)


def _facts(root) -> tuple[list[str], str, list[str]]:
    """From the law's AKN: the panel's values, the version's date, each article's text."""
    law = etree.parse(str(root / _entry(root, "test-law")["akn"])).getroot()
    document = law[0]
    values = [value for _key, _label, value in legal_fields(document)]
    date = law.xpath("string(//a:FRBRExpression/a:FRBRdate/@date)", namespaces=NS)
    articles = [re.sub(r"\s+", "", "".join(a.itertext())) for a in law.iterfind(".//a:article", NS)]
    return values, date, articles


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_law_has_metadata_and_was_amended(amended):
    values, date, articles = _facts(amended)
    assert len(values) >= 3 and "法律" in values and date.startswith("2024-")  # the amended version
    assert len(articles) == 4 and "第三条本法适用于一切测试活动。" in articles  # 第四条 deleted


def test_docx_opens_with_every_article_the_panel_the_date_and_the_notes(amended):
    import docx

    entry = _entry(amended, "test-law")
    document = docx.Document(str(amended / entry["docx"]))
    paragraphs = [p for p in document.paragraphs]
    text = _compact("\n".join(p.text for p in paragraphs))
    values, date, articles = _facts(amended)
    for article in articles:
        assert article in text, article
    for value in values:
        assert _compact(value) in text, value
    assert date in text and f"根据《{INSTRUMENT_TITLE}》修改" in text
    # the look of the official Word files: the title centred, a CJK face named for CJK text
    title = next(p for p in paragraphs if p.text.strip() == "测试法")
    assert title.style.name == "Title" and title.style.paragraph_format.alignment == 1  # CENTER
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert "CJK" in fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert document.core_properties.title == "测试法"


def test_epub_carries_the_panel_the_date_and_the_notes(amended):
    entry = _entry(amended, "test-law")
    with zipfile.ZipFile(amended / entry["epub"]) as z:
        text = _compact(
            "".join(
                re.sub(r"<[^>]+>", "", z.read(n).decode("utf-8"))
                for n in sorted(z.namelist())
                if n.endswith(".xhtml")
            )
        )
    values, date, _articles = _facts(amended)
    for value in values:
        assert _compact(value) in text, value
    assert date in text and f"根据《{INSTRUMENT_TITLE}》修改" in text


def test_pdf_carries_the_panel_the_date_and_the_notes(amended):
    import pypdf

    entry = _entry(amended, "test-law")
    reader = pypdf.PdfReader(str(amended / entry["pdf"]))
    text = _compact("".join(page.extract_text() for page in reader.pages))
    values, date, _articles = _facts(amended)
    for value in values:
        assert _compact(value) in text, value
    assert f"根据《{INSTRUMENT_TITLE}》修改" in text
    assert date in text or date.replace("-", "年", 1).replace("-", "月") + "日" in text


def test_the_site_offers_the_word_file_beside_pdf_and_epub(amended):
    page = (amended / "site" / "documents" / "test-law" / "index.html").read_text("utf-8")
    downloads = re.search(r'<div class="fadian-downloads">(.*?)</div>', page, re.S).group(1)
    labels = re.findall(r'download="[^"]+">([^<]+)</a>', downloads)
    assert labels[:1] == ["Word"] and {"PDF", "EPUB", "AKN XML"} <= set(labels)
    href = re.search(r'href="([^"]+\.docx)"', downloads).group(1)
    target = (amended / "site" / "documents" / "test-law" / href).resolve()
    assert target.is_file() and zipfile.is_zipfile(target)
