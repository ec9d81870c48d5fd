"""Reading source files: bytes → checked text lines with their line numbers.

This is the only stage that touches raw bytes. It decides the encoding,
normalises line endings and invisible characters, splits the YAML front
matter and keeps every line's number so that later stages can point an
editor at ``path:line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from fadian.diagnostics import Diagnostic, diag
from fadian.read.patterns import ARTICLE_RE, DIVISION_RE
from fadian.read.schemas import MAX_FRONT_MATTER_BYTES, XML_FORBIDDEN, load_yaml

MAX_LINE_CHARS = 10_000
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_CONTROL = XML_FORBIDDEN
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*[^<>]*>")


class SourceLine(NamedTuple):
    """One line of the body; ``number`` is its 1-based line in the file."""

    number: int
    text: str


@dataclass
class SourceText:
    path: str
    lines: list[SourceLine]
    front: dict | None = None
    front_node: Any = None  # the composed YAML node, for the positions of values
    front_line: int = 1
    raw_front: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def decode_source(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8 (BOM tolerated); report GBK and other encodings precisely."""
    diags: list[Diagnostic] = []
    if data.startswith(b"\xef\xbb\xbf"):
        diags.append(diag("F102", "file starts with a UTF-8 byte order mark", path, 1, 1))
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        try:
            data.decode("gb18030")
            guess = " (it looks GBK/GB18030-encoded)"
        except UnicodeDecodeError:
            pass
        diags.append(
            diag("F101", f"file is not valid UTF-8{guess}: byte 0x{data[exc.start]:02x}", path, line, col)
        )
        return None, diags
    return text, diags


def split_lines(path: str, text: str) -> tuple[list[SourceLine], list[Diagnostic]]:
    """Split into numbered lines, normalising CRLF and invisible-only lines."""
    diags: list[Diagnostic] = []
    if "\r" in text:
        first = text[: text.index("\r")].count("\n") + 1
        diags.append(diag("F103", "file uses CR or CRLF line endings", path, first, 1))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    suspicious = (
        any(c in text for c in _INVISIBLE)
        or _CONTROL.search(text) is not None
        or _MARKUP.search(text) is not None
        or max(map(len, raw_lines)) > MAX_LINE_CHARS
    )
    if not suspicious:  # the common case: no per-line checks needed
        lines = [SourceLine(n, t) for n, t in enumerate(raw_lines, start=1)]
    else:
        lines = _checked_lines(path, raw_lines, diags)
    if text.endswith("\n"):
        lines.pop()
    return lines, diags


def _checked_lines(path: str, raw_lines: list[str], diags: list[Diagnostic]) -> list[SourceLine]:
    lines: list[SourceLine] = []
    invisible: list[int] = []
    hidden: list[tuple[int, int]] = []  # (line, column) of a heading an invisible character hides
    for number, raw in enumerate(raw_lines, start=1):
        line = raw
        if line and line.strip(_INVISIBLE + " \t\u3000") == "" and any(c in _INVISIBLE for c in line):
            invisible.append(number)
            line = ""
        elif _hides_heading(line):
            hidden.append((number, next(k for k, c in enumerate(line, 1) if c in _INVISIBLE)))
        line = line.replace("\ufeff", "")
        if len(line) > MAX_LINE_CHARS:
            diags.append(
                diag(
                    "F106",
                    f"line has {len(line)} characters (limit {MAX_LINE_CHARS})",
                    path,
                    number,
                    MAX_LINE_CHARS + 1,
                )
            )
            line = line[:MAX_LINE_CHARS]
        control = _CONTROL.search(line)
        if control:
            diags.append(
                diag(
                    "F107",
                    f"control character U+{ord(control.group()):04X}",
                    path,
                    number,
                    control.start() + 1,
                )
            )
            line = _CONTROL.sub("", line)
        markup = _MARKUP.search(line)
        if markup:
            diags.append(
                diag("F401", f"markup-like text {markup.group()[:40]!r}", path, number, markup.start() + 1)
            )
        lines.append(SourceLine(number, line))
    if invisible:
        more = f" (and {len(invisible) - 1} more lines)" if len(invisible) > 1 else ""
        diags.append(diag("F104", f"line holds only zero-width characters{more}", path, invisible[0], 1))
    if hidden:
        more = f" (and {len(hidden) - 1} more lines)" if len(hidden) > 1 else ""
        message = f"a zero-width character hides a heading: the line is read as text{more}"
        diags.append(diag("F109", message, path, *hidden[0]))
    return lines


def _hides_heading(line: str) -> bool:
    """A line that reads as an article or a chapter heading once its zero-width characters are
    taken out, but not as it is (the parser would take the article into the text before it)."""
    if not any(c in _INVISIBLE for c in line[:12]) or ARTICLE_RE.match(line) or DIVISION_RE.match(line):
        return False
    seen = "".join(c for c in line if c not in _INVISIBLE)
    return bool(ARTICLE_RE.match(seen) or DIVISION_RE.match(seen))


def split_front_matter(path: str, lines: list[SourceLine], *, required: bool) -> SourceText:
    """Separate a leading ``---`` YAML block from the body."""
    source = SourceText(path, lines)
    first = next((i for i, ln in enumerate(lines) if ln.text.strip()), None)
    if first is None or lines[first].text.strip() != "---":
        if required:
            source.diagnostics.append(diag("F201", "document has no YAML front matter", path, 1, 1))
        return source
    end = next((i for i in range(first + 1, len(lines)) if lines[i].text.strip() == "---"), None)
    if end is None:
        source.diagnostics.append(
            diag("F202", "front matter is not closed by a `---` line", path, lines[first].number, 1)
        )
        return source
    raw = "\n".join(ln.text for ln in lines[first + 1 : end])
    source.raw_front = raw
    source.front_line = lines[first].number + 1
    front, node, yaml_diags = load_yaml(
        raw, path, first_line=source.front_line, what="front matter", limit=MAX_FRONT_MATTER_BYTES
    )
    if yaml_diags:
        source.diagnostics += yaml_diags
        return source
    front = {} if front is None and not raw.strip() else front
    if not isinstance(front, dict):
        source.diagnostics.append(
            diag("F202", "front matter must be a mapping of fields", path, source.front_line, 1)
        )
        return source
    source.front = front
    source.front_node = node
    source.lines = lines[end + 1 :]
    return source


def read_source(path: str, data: bytes, *, front_matter: bool = True) -> SourceText:
    """Bytes of one source file → SourceText with every diagnostic found so far."""
    text, diags = decode_source(path, data)
    if text is None:
        return SourceText(path, [], diagnostics=diags)
    lines, line_diags = split_lines(path, text)
    diags.extend(line_diags)
    if not text.strip(_INVISIBLE + " \t\r\n\u3000"):
        return SourceText(path, [], diagnostics=[*diags, diag("F105", "file is empty", path, 1, 1)])
    source = split_front_matter(path, lines, required=front_matter)
    source.diagnostics[:0] = diags
    no_text = not any(ln.text.strip() for ln in source.lines)
    if no_text and not any(d.code in {"F201", "F202"} for d in source.diagnostics):
        source.diagnostics.append(diag("F105", "document has no text", path, 1, 1))
    return source
