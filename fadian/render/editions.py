"""EPUB, PDF and DOCX editions from the AKN, through pandoc (pypandoc-binary) and typst.

AKN → a small semantic HTML (headings carry the eIds, 款/项/目 are divs with their eIds) →
pandoc → EPUB 3, or → DOCX styled by a reference document (assets/reference.docx, made by
scripts/make_reference_docx.py), or → typst markup compiled by the `typst` package into a
tagged PDF. The
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
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from fadian.render.html import asset, asset_path, render

FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/opentype/noto-cjk")
SERIF_FILE = "NotoSerifCJK-Regular.ttc"
SERIF_FAMILY = "Noto Serif CJK SC"
SANS_FAMILY = "Noto Sans CJK SC"
EDITION_VERSION = "4"  # bump to invalidate cached editions when the rendering changes


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
EPUB_CSS = asset("epub.css")


def _epoch(date: str | None) -> str:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        return value
    day = dt.date.fromisoformat(date) if date else dt.date(1970, 1, 1)
    return str(int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()))


@contextmanager
def _source_date(date: str | None):
    """SOURCE_DATE_EPOCH for pandoc while it runs: every timestamp in the file is the text's."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = _epoch(date)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


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
        doc = render("book.html.j2", title=meta["title"], body=Markup(body))
        metadata = tmpdir / "metadata.yaml"
        metadata.write_text(
            json.dumps(
                {
                    "title": meta["title"],
                    "lang": "zh-CN",
                    "identifier": [{"scheme": "URI", "text": meta["identifier"]}],
                    "date": meta["date"],
                    "publisher": publisher,
                    "creator": meta.get("creator") or publisher,
                    "toc-title": "目录",
                    "rights": meta.get("rights", ""),
                },
                ensure_ascii=False,
            ),
            "utf-8",
        )
        try:
            with _source_date(meta.get("date")):
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


# -- DOCX -----------------------------------------------------------------------------------------
def make_docx(body: str, meta: dict, target: Path) -> None:
    """The Word file: the book's HTML through pandoc with fadian's reference document (the
    official files' layout); its first heading is the document's title (style Title)."""
    import pypandoc

    doc = render("book.html.j2", title=meta["title"], body=Markup(body))
    with tempfile.TemporaryDirectory() as tmp:
        metadata = Path(tmp) / "metadata.yaml"
        metadata.write_text(
            json.dumps(
                {
                    "lang": "zh-CN",  # no author: pandoc would print it under the title
                    "subject": meta["identifier"],
                    "description": meta.get("rights", ""),
                },
                ensure_ascii=False,
            ),
            "utf-8",
        )
        with _source_date(meta.get("date")):
            try:
                pypandoc.convert_text(
                    doc,
                    "docx",
                    format="html",
                    outputfile=str(target),
                    extra_args=[
                        f"--reference-doc={asset_path('reference.docx')}",
                        "--shift-heading-level-by=-1",
                        f"--metadata-file={metadata}",
                        "--quiet",
                    ],
                )
            except RuntimeError as exc:
                raise EditionError(f"pandoc could not make the DOCX: {str(exc).strip()[:300]}") from exc


# -- PDF ------------------------------------------------------------------------------------------
TYPST_PREAMBLE = asset("preamble.typ")


def make_pdf(body: str, meta: dict, target: Path, publisher: str = "fadian") -> None:
    import pypandoc
    import typst

    fonts = font_dir()
    doc = render("book.html.j2", title=meta["title"], body=Markup(body))
    try:
        markup = pypandoc.convert_text(
            doc,
            "typst-smart",
            format="html",
            extra_args=["--wrap=none", "--quiet", f"--lua-filter={asset_path('typst-contents.lua')}"],
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
    kind: str  # epub | pdf | docx
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
            elif job.kind == "docx":
                make_docx(job.body, job.meta, tmp)
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
