"""EPUB and PDF editions from the AKN, through pandoc (pypandoc-binary) and typst.

AKN → a small semantic HTML (headings carry the eIds, 款/项/目 are divs with their eIds) →
pandoc → EPUB 3, or → typst markup compiled by the `typst` package into a tagged PDF. The
CJK font is found by path, subset per book for the EPUB (fontTools), and a missing font is a
build error rather than a PDF of empty boxes. SOURCE_DATE_EPOCH fixes every timestamp, so two
builds of the same sources give identical bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from fadian.akn.read import HEADING_KINDS, A, esc
from fadian.akn.read import text_of as _text


def _asset(name: str) -> str:
    """A package data file of fadian/render/assets: stylesheets, scripts, the typst preamble."""
    return (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")


FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk")
SERIF_FILE = "NotoSerifCJK-Regular.ttc"
SERIF_FAMILY = "Noto Serif CJK SC"
SANS_FAMILY = "Noto Sans CJK SC"
EDITION_VERSION = "2"  # bump to invalidate cached editions when the rendering changes


class EditionError(Exception):
    """An edition could not be made; the message says why (never a traceback)."""


def font_dir() -> Path:
    """Where the CJK fonts are: $FADIAN_FONT_DIR, else Debian's fonts-noto-cjk."""
    configured = os.environ.get("FADIAN_FONT_DIR")
    candidates = [Path(configured)] if configured else [Path(d) for d in FONT_DIRS]
    for d in candidates:
        if (d / SERIF_FILE).is_file():
            return d
    where = configured or " or ".join(FONT_DIRS)
    raise EditionError(
        f"CJK font {SERIF_FILE} not found in {where}; install fonts-noto-cjk "
        "(scripts/setup.sh does) or set FADIAN_FONT_DIR"
    )


# -- AKN → HTML ---------------------------------------------------------------------------------
class _Html:
    def __init__(self, internal_prefix: str = ""):
        self.out: list[str] = []
        self.prefix = internal_prefix  # eIds of several documents in one book need a prefix

    def anchor(self, eid: str | None) -> str:
        return f"{self.prefix}{eid}" if eid else ""

    def inline(self, el: etree._Element) -> str:
        parts = [esc(el.text)]
        for child in el:
            tag = etree.QName(child).localname
            inner = self.inline(child)
            href = child.get("href", "") if tag != "rref" else child.get("from", "")
            if tag in ("ref", "rref") and href.startswith("#"):
                parts.append(f'<a href="#{esc(self.anchor(href[1:]))}">{inner}</a>')
            elif tag == "mref" or tag in ("def", "docTitle", "docStage", "span", "ref"):
                parts.append(inner)
            else:
                parts.append(esc(_text(child)))
            parts.append(esc(child.tail))
        return "".join(parts)

    def blocks(self, container: Iterable[etree._Element]) -> None:
        """Block elements of ``container`` (an element, or a list of blocks) as HTML."""
        for el in container:
            tag = etree.QName(el).localname
            if tag == "p":
                self.out.append(f"<p>{self.inline(el)}</p>")
            elif tag == "tblock":
                caption = " ".join(self.inline(p) for p in el.iterfind(f"{A}p"))
                self.out.append(
                    f'<div id="{esc(self.anchor(el.get("eId")))}"><p>（图略）'
                    f"{esc(el.findtext(f'{A}num'))} {caption}</p></div>"
                )
            elif tag == "blockList":
                self.block_list(el)
            elif tag == "toc":  # the printed 目录, as the text has it
                for item in el.iterfind(f"{A}tocItem"):
                    href = item.get("href", "")
                    target = (
                        f' href="#{esc(self.anchor(href[1:]))}"'
                        if href.startswith("#") and len(href) > 1 and href != "#toc"
                        else ""
                    )
                    entry = f"<a{target}>{esc(_text(item))}</a>" if target else esc(_text(item))
                    self.out.append(f'<p class="toc">{entry}</p>')

    def block_list(self, el: etree._Element) -> None:
        head = el.find(f"{A}listIntroduction")
        if head is not None and _text(head):
            self.out.append(f"<p>{esc(_text(head))}</p>")
        for item in el.iterfind(f"{A}item"):
            num = item.findtext(f"{A}num") or ""
            body = "".join(self.inline(p) for p in item.iterfind(f"{A}p"))
            self.out.append(f'<div id="{esc(self.anchor(item.get("eId")))}"><p>{esc(num)}{body}</p></div>')
            for nested in item.iterfind(f"{A}blockList"):
                self.block_list(nested)
        tail = el.find(f"{A}listWrapUp")
        if tail is not None and _text(tail):
            self.out.append(f"<p>{esc(_text(tail))}</p>")

    def unit(self, el: etree._Element) -> None:
        """款 / 项 / 目 and policy paragraphs: a div with the eId, the number run in."""
        num = el.findtext(f"{A}num") or ""
        heading = el.findtext(f"{A}heading") or ""
        self.out.append(f'<div id="{esc(self.anchor(el.get("eId")))}">')
        lead = esc(num) + (esc(heading) + "　" if heading else "")
        first = True
        for child in el:
            tag = etree.QName(child).localname
            if tag in ("content", "intro", "wrapUp"):
                for p in child:
                    if etree.QName(p).localname == "p" and first and lead:
                        self.out.append(f"<p>{lead}{self.inline(p)}</p>")
                        first = False
                    else:
                        self.blocks([p])
                        first = False
            elif tag in ("paragraph", "point"):
                if first and lead:
                    self.out.append(f"<p>{lead}</p>")
                    first = False
                self.unit(child)
        self.out.append("</div>")

    def heading(self, el: etree._Element, level: int) -> None:
        num = el.findtext(f"{A}num") or ""
        heading = el.findtext(f"{A}heading") or ""
        title = "　".join(t for t in (num, heading) if t) or "　"
        level = min(level, 6)
        self.out.append(f'<h{level} id="{esc(self.anchor(el.get("eId")))}">{esc(title)}</h{level}>')
        for child in el:
            tag = etree.QName(child).localname
            if tag in ("content", "intro", "wrapUp"):
                self.blocks(child)
            elif tag in HEADING_KINDS:
                self.heading(child, level + 1)
            elif tag in ("paragraph", "point"):
                self.unit(child)

    def document(self, document: etree._Element, level: int = 1) -> None:
        """One AKN act/bill/doc: title, preface lines, body, conclusions."""
        title = (
            _text(document.find(f".//{A}docTitle")) if document.find(f".//{A}docTitle") is not None else ""
        )
        self.out.append(f'<h{level} id="{esc(self.anchor("title"))}">{esc(title)}</h{level}>')
        preface = document.find(f"{A}preface")
        if preface is not None:
            for child in preface:
                tag = etree.QName(child).localname
                if tag == "p":
                    self.out.append(f'<p class="center">{self.inline(child)}</p>')
                elif tag == "container":
                    self.blocks(child)
        for part in ("preamble", "body", "mainBody"):
            el = document.find(f"{A}{part}")
            if el is None:
                continue
            for child in el:
                tag = etree.QName(child).localname
                if tag in HEADING_KINDS:
                    self.heading(child, level + 1)
                elif tag in ("paragraph", "point"):
                    self.unit(child)
                else:
                    self.blocks([child])
        conclusions = document.find(f"{A}conclusions")
        if conclusions is not None:
            self.blocks(conclusions)


def document_html(akn: Path) -> tuple[str, dict]:
    """HTML body of one document's edition, and its metadata."""
    root = etree.parse(str(akn)).getroot()
    document = root[0]
    writer = _Html()
    writer.document(document)
    ident = document.find(f"{A}meta/{A}identification")
    meta = {
        "title": ident.find(f"{A}FRBRWork/{A}FRBRalias[@name='title']").get("value"),
        "identifier": ident.find(f"{A}FRBRExpression/{A}FRBRuri").get("value"),
        "date": ident.find(f"{A}FRBRExpression/{A}FRBRdate").get("date"),
    }
    return "\n".join(writer.out), meta


def bulletin_html(coll_akn: Path, documents: dict[str, Path]) -> tuple[str, dict]:
    """The whole issue: title page (期号, date), masthead, then per rubric the editor's notes and
    the documents in order. ``documents`` maps expression URIs to the documents' AKN files."""
    root = etree.parse(str(coll_akn)).getroot()
    coll = root[0]
    out = _Html()
    cover = coll.find(f"{A}coverPage")
    lines = [_text(p) for p in cover.iterfind(f"{A}p")] if cover is not None else []
    title = coll.find(f"{A}meta/{A}identification/{A}FRBRWork/{A}FRBRname").get("value")
    issue_line = next((x for x in lines if "期" in x), "")
    out.out.append(f'<h1 id="cover">{esc(title)}</h1>')
    for line in lines:
        out.out.append(f'<p class="center">{esc(line)}</p>')
    if cover is not None:
        masthead = cover.find(f"{A}container[@name='masthead']")
        if masthead is not None:
            out.out.append('<h2 id="masthead">刊物信息</h2>')
            for p in masthead.iterfind(f"{A}p"):
                out.out.append(f"<p>{esc(_text(p))}</p>")
            for tb in masthead.iterfind(f"{A}tblock"):
                values = "、".join(_text(p) for p in tb.iterfind(f"{A}p") if _text(p))
                out.out.append(f"<p>{esc(tb.findtext(f'{A}heading'))}：{esc(values)}</p>")
        statement = cover.find(f"{A}container[@name='statement']")
        if statement is not None:
            out.blocks(statement)
        contents = cover.find(f"{A}container[@name='contents']")
        if contents is not None:
            out.out.append('<h2 id="contents">本期要目</h2>')
            for item in contents.iterfind(f".//{A}tocItem"):
                out.out.append(f"<p>{esc(_text(item))}</p>")
    body = coll.find(f"{A}collectionBody")
    n = 0
    for comp in body.iterfind(f"{A}component"):
        inter = comp.find(f"{A}interstitial")
        ref = comp.find(f"{A}documentRef")
        if inter is not None and inter.find(f"{A}p[@class='rubric']") is not None:
            out.out.append(f'<h2 id="{esc(comp.get("eId"))}">{esc(_text(inter))}</h2>')
        elif inter is not None:
            out.out.append(f'<div id="{esc(comp.get("eId"))}" class="note">')
            for p in inter.iterfind(f"{A}p"):
                out.out.append(
                    f"<p><strong>{out.inline(p)}</strong></p>"
                    if p.get("class") == "heading"
                    else f"<p>{out.inline(p)}</p>"
                )
            out.out.append("</div>")
        elif ref is not None:
            path = documents.get(ref.get("href", ""))
            if path is None:
                continue
            n += 1
            writer = _Html(internal_prefix=f"d{n}-")
            writer.document(etree.parse(str(path)).getroot()[0], level=3)
            out.out.extend(writer.out)
    conclusions = coll.find(f"{A}conclusions")
    if conclusions is not None:
        out.out.append('<h2 id="profiles">主办单位</h2>')
        for box in conclusions.iterfind(f"{A}container"):
            for p in box.iterfind(f"{A}p"):
                out.out.append(f"<p>{esc(_text(p))}</p>")
    date = coll.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRdate").get("date")
    meta = {
        "title": f"{title} {issue_line}".strip(),
        "identifier": coll.find(f"{A}meta/{A}identification/{A}FRBRExpression/{A}FRBRuri").get("value"),
        "date": date,
    }
    return "\n".join(out.out), meta


# -- fonts ---------------------------------------------------------------------------------------
_EXTRA_CHARS = "　，。、；：？！“”‘’（）《》【】—…·0123456789"


def _subset(
    source: Path, font_number: int, text: str, target: Path, flatten: bool = False, bounds: bool = True
) -> None:
    from fontTools import subset

    options = subset.Options()
    options.recalc_bounds = bounds  # glyph bounds are already right in the corpus font
    if flatten:  # the corpus font: no subroutines or hints, so books are cut from it fast
        options.desubroutinize = True
        options.hinting = False
    options.font_number = font_number
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = subset.load_font(str(source), options, lazy=not bounds)
    font["head"].modified = font["head"].created  # no build time inside the font
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) | set(_EXTRA_CHARS))))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def corpus_font(text: str, cache: Path) -> Path:
    """Noto Serif CJK SC cut down to every character of the corpus, once per build (slow: the
    CJK font has 65,000 glyphs); each book's own subset is then cut from it quickly."""
    from fontTools.ttLib import TTCollection

    chars = "".join(sorted(set(text) | set(_EXTRA_CHARS)))
    source = font_dir() / SERIF_FILE
    key = hashlib.sha256((str(source) + "\0" + chars).encode()).hexdigest()[:24]
    target = cache / f"corpus-font-{EDITION_VERSION}-{key}.ttf"
    if not target.exists():
        collection = TTCollection(str(source), lazy=True)
        index = next(
            i for i, f in enumerate(collection.fonts) if SERIF_FAMILY in str(f["name"].getDebugName(1))
        )
        flat = target.with_suffix(f".{os.getpid()}.otf.tmp")  # per process: builds may share a cache
        _subset(source, index, chars, flat, flatten=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        _cff_to_truetype(flat, tmp)
        flat.unlink()
        tmp.replace(target)
    return target


def _cff_to_truetype(source: Path, target: Path) -> None:
    """Quadratic (glyf) outlines: cutting a book's subset from them is several times faster than
    from CFF, whose charstrings fontTools must execute glyph by glyph."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source), recalcTimestamp=False)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["post"].formatType = 3.0
    font["head"].glyphDataFormat = 0
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(str(target))


def subset_font(text: str, target: Path, source: Path | None = None) -> None:
    """The book's own subset (about 0.4 MB instead of 20 MB for the full face)."""
    if source is None:
        from fontTools.ttLib import TTCollection

        full = font_dir() / SERIF_FILE
        collection = TTCollection(str(full), lazy=True)
        index = next(
            i for i, f in enumerate(collection.fonts) if SERIF_FAMILY in str(f["name"].getDebugName(1))
        )
        _subset(full, index, text, target)
    else:
        from fontTools.ttLib import TTFont

        with TTFont(str(source), lazy=True) as font:
            covered = set(font.getBestCmap())
        wanted = {ord(c) for c in text} | {ord(c) for c in _EXTRA_CHARS}
        if covered <= wanted:  # the book uses every character of the corpus (the whole issue)
            target.write_bytes(source.read_bytes())
        else:
            _subset(source, 0, text, target, bounds=False)


# -- EPUB -----------------------------------------------------------------------------------------
EPUB_CSS = _asset("epub.css")


def _epoch(date: str | None) -> str:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        return value
    day = dt.date.fromisoformat(date) if date else dt.date(1970, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


def make_epub(
    body: str, meta: dict, target: Path, publisher: str = "fadian", font: Path | None = None
) -> None:
    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        book_font = tmpdir / ("fadian-serif.ttf" if font is not None else "fadian-serif.otf")
        subset_font(html.unescape(re.sub(r"<[^>]+>", "", body)) + meta["title"], book_font, font)
        css = tmpdir / "edition.css"
        css.write_text(EPUB_CSS.replace("FONTFILE", book_font.name), "utf-8")
        doc = f'<html lang="zh-CN"><head><title>{esc(meta["title"])}</title></head><body>{body}</body></html>'
        env = dict(os.environ, SOURCE_DATE_EPOCH=_epoch(meta.get("date")))
        metadata = tmpdir / "metadata.yaml"
        metadata.write_text(
            json.dumps(
                {
                    "title": meta["title"],
                    "lang": "zh-CN",
                    "identifier": [{"scheme": "URI", "text": meta["identifier"]}],
                    "date": meta["date"],
                    "publisher": publisher,
                    "creator": publisher,
                    "toc-title": "目录",
                    "rights": "法律法规文本不受著作权保护（《中华人民共和国著作权法》第五条）",
                },
                ensure_ascii=False,
            ),
            "utf-8",
        )
        old_env = os.environ.copy()
        os.environ.update(env)
        try:
            pypandoc.convert_text(
                doc,
                "epub3",
                format="html",
                outputfile=str(target),
                extra_args=[
                    "--toc",
                    "--toc-depth=4",
                    "--split-level=2",
                    f"--css={css}",
                    f"--epub-embed-font={book_font}",
                    f"--metadata-file={metadata}",
                    "--epub-title-page=true",
                    "--quiet",
                ],
            )
        except RuntimeError as exc:
            raise EditionError(f"pandoc could not make the EPUB: {str(exc).strip()[:300]}") from exc
        finally:
            os.environ.clear()
            os.environ.update(old_env)


# -- PDF ------------------------------------------------------------------------------------------
TYPST_PREAMBLE = _asset("preamble.typ")


def make_pdf(body: str, meta: dict, target: Path, publisher: str = "fadian") -> None:
    import pypandoc
    import typst

    fonts = font_dir()
    doc = f'<html lang="zh-CN"><head><title>{esc(meta["title"])}</title></head><body>{body}</body></html>'
    try:
        markup = pypandoc.convert_text(
            doc, "typst-smart", format="html", extra_args=["--wrap=none", "--quiet"]
        )
    except RuntimeError as exc:
        raise EditionError(f"pandoc could not make typst markup: {str(exc).strip()[:300]}") from exc
    title = meta["title"].replace("\\", "\\\\").replace('"', '\\"')
    day = dt.date.fromisoformat(meta["date"]) if meta.get("date") else None
    date = f", date: datetime(year: {day.year}, month: {day.month}, day: {day.day})" if day else ""
    preamble = TYPST_PREAMBLE.format(
        title=title,
        publisher=publisher,
        date=date,
        serif=SERIF_FAMILY,
        sans=SANS_FAMILY,
        title_text=_typst_text(meta["title"]),
    )
    source = preamble + "\n" + markup
    with tempfile.TemporaryDirectory() as tmp:
        main = Path(tmp) / "main.typ"
        main.write_text(source, "utf-8")
        try:
            pdf, warnings = typst.compile_with_warnings(
                str(main),
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
                timestamp=int(_epoch(meta.get("date"))),
                pdf_tags=True,
            )
        except typst.TypstError as exc:
            raise EditionError(f"typst could not make the PDF: {str(exc)[:300]}") from exc
    problems = [str(w) for w in warnings if "font" in str(w).lower()]
    if problems:
        raise EditionError("typst: " + "; ".join(problems)[:400])
    target.write_bytes(pdf)


def _typst_text(text: str) -> str:
    return re.sub(r"([\\#\[\]*_`$<>@~/\"])", r"\\\1", text)


# -- cache ----------------------------------------------------------------------------------------
def content_key(kind: str, body: str, meta: dict, font: str = "") -> str:
    """Same HTML, metadata, font and renderer → same edition: no need to rebuild it."""
    h = hashlib.sha256()
    h.update(font.encode())
    h.update(f"{EDITION_VERSION}\0{kind}\0{json.dumps(meta, sort_keys=True, ensure_ascii=False)}\0".encode())
    h.update(body.encode())
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    return h.hexdigest()[:32]


@dataclass
class EditionJob:
    kind: str  # epub | pdf
    body: str
    meta: dict
    target: str
    cache: str
    font: str | None = None  # the corpus-wide font subset the EPUB's own subset is cut from


def run_job(job: EditionJob) -> tuple[str, str | None]:
    """Make one edition (in a worker process); returns (target, error message or None)."""
    cached = Path(job.cache)
    target = Path(job.target)
    try:
        if not cached.exists():
            tmp = cached.with_suffix(f"{cached.suffix}.{os.getpid()}.tmp")
            if job.kind == "epub":
                make_epub(job.body, job.meta, tmp, font=Path(job.font) if job.font else None)
            else:
                make_pdf(job.body, job.meta, tmp)
            tmp.replace(cached)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(cached.read_bytes())
    except EditionError as exc:
        return job.target, str(exc)
    except Exception as exc:  # a tool failing in an unexpected way: reported, not raised
        return job.target, f"{type(exc).__name__}: {exc}"
    return job.target, None
