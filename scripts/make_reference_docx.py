"""Make fadian/render/assets/reference.docx, the style sheet pandoc gives every DOCX edition.

It starts from pandoc's own reference document and sets what makes the Word file look like the
official ones (GB/T 9704 公文 layout, as the national database's Word files use): A4 with the
公文 margins, the title centred in a large 宋体-style face, headings (编、章、节) centred in a
黑体-style face, body text in 三号 with a two-character first-line indent, lines 28 pt apart.
The faces are the Noto CJK ones Debian ships (fonts-noto-cjk): Noto Serif CJK SC for 宋/仿宋
text, Noto Sans CJK SC for 黑体 headings. A DOCX names its fonts, it does not carry them: a
reader without them sees Word's own CJK face, never missing glyphs.

Run once when the look changes (needs python-docx, a test dependency):
    .venv/bin/python scripts/make_reference_docx.py
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TARGET = Path(__file__).resolve().parents[1] / "fadian/render/assets/reference.docx"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号


def _fonts(style, face: str, size: int, bold: bool | None = None) -> None:
    style.font.name = face
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # its place in the sequence: before these three
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _spacing(style, before: int = 0, after: int = 0, indent: bool = False) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.first_line_indent = Pt(2 * BODY_PT) if indent else Pt(0)


def main() -> int:
    pandoc = pypandoc.get_pandoc_path()
    printed = subprocess.run(
        [pandoc, "--print-default-data-file", "reference.docx"], check=True, capture_output=True
    )
    raw = io.BytesIO(printed.stdout)
    doc = Document(raw)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    styles = doc.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact", "Definition", "Block Text"):
        if name in [s.name for s in styles]:
            _fonts(styles[name], SERIF, BODY_PT)
            _spacing(styles[name], indent=name in ("Body Text", "First Paragraph"))
    _fonts(styles["Title"], SERIF, TITLE_PT, bold=True)
    _spacing(styles["Title"], before=0, after=BODY_PT)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    styles["Title"].paragraph_format.line_spacing = Pt(36)
    for name in ("Subtitle", "Date", "Author"):
        _fonts(styles[name], SERIF, BODY_PT)
        _spacing(styles[name])
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for level in range(1, 10):
        name = f"Heading {level}"
        if name in [s.name for s in styles]:
            _fonts(styles[name], SANS, BODY_PT, bold=False)
            _spacing(styles[name], before=BODY_PT // 2, after=BODY_PT // 2)
            styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(styles["Definition Term"], SANS, BODY_PT, bold=False)
    _spacing(styles["Definition Term"])
    doc.core_properties.author = "fadian"
    doc.core_properties.title = ""
    doc.save(TARGET)
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
