"""Reading an instrument: the reader's state (its diagnostics, strict or lenient) and the
quotations of a provision, taken out before its clauses are read (the quoted text is the
instrument's payload, never its own structure)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fadian.amend.model import QUOTE_MARK, Quote
from fadian.diagnostics import Diagnostic, diag
from fadian.read.sources import SourceLine


@dataclass
class InstrumentReader:
    path: str
    strict: bool = True
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: str, line: int, col: int = 1) -> None:
        if not self.strict:  # recognised by its title only: kept as text, with a warning
            message, code = f"{message}; kept as text", "F326"
        self.diagnostics.append(diag(code, message, self.path, line, col))

    def warn(self, code: str, message: str, line: int, col: int = 1) -> None:
        self.diagnostics.append(diag(code, message, self.path, line, col))


# -- quotations -----------------------------------------------------------------------
def _close_quote(text: str, start: int, depth: int) -> int | None:
    """Index just after the ” that closes a quotation open at ``depth``, or None."""
    for k in range(start, len(text)):
        c = text[k]
        if c == "“":
            depth += 1
        elif c == "”":
            depth -= 1
            if depth == 0:
                return k + 1
    return None


@dataclass
class Statement:
    """One line of an instrument (with the lines a quotation runs over) as a clause text whose
    quotations are placeholders, and those quotations."""

    text: str
    quotes: list[Quote]
    next: int  # the index of the line after it
    unclosed: tuple[int, int] | None = None  # where a “ opened that is never closed


def take_quotes(
    lines: list[SourceLine],
    k: int,
    quotes: list[Quote],
    starts_next: Callable[[str], bool] = lambda _text: False,
) -> Statement:
    """The statement starting at ``lines[k]`` with its quotations replaced by placeholders
    (numbered after those already in ``quotes``, which it extends).

    A quotation may run over several lines: each further paragraph opens with “ (a paragraph
    mark, not a nested quote) and the last one closes with ”. A quotation whose ” is missing
    ends before a line that ``starts_next`` says is the next provision (reported by the
    caller)."""
    text, pos, line_number = lines[k].text, 0, lines[k].number
    k += 1
    out: list[str] = []
    unclosed = None
    while True:
        open_at = text.find("“", pos)
        if open_at < 0:
            out.append(text[pos:])
            if text.rstrip().endswith(("：", ":")) and k < len(lines) and lines[k].text.startswith("“"):
                # 将第六条和第七条合并修改为： / “…” on the lines below
                text, pos, line_number = lines[k].text, 0, lines[k].number
                k += 1
                continue
            break
        out.append(text[pos:open_at])
        end = _close_quote(text, open_at + 1, 1)
        if end is not None:
            quotes.append(Quote([text[open_at + 1 : end - 1]], line_number, open_at + 1))
            out.append(f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}")
            pos = end
            continue
        # runs over the following lines
        paragraphs = [text[open_at + 1 :]]
        opened = (line_number, open_at + 1)
        rest = None
        while k < len(lines) and not starts_next(lines[k].text):
            nxt = lines[k].text
            line_number = lines[k].number
            k += 1
            body = nxt[1:] if nxt.startswith("“") else nxt
            end = _close_quote(body, 0, 1)
            if end is None:
                paragraphs.append(body)
                continue
            paragraphs.append(body[: end - 1])
            rest = body[end:]
            break
        quotes.append(Quote(paragraphs, opened[0], opened[1]))
        out.append(f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}")
        if rest is None:
            unclosed = opened
            break
        text, pos = rest, 0  # the rest of the line that closed it: more words, more quotations
    return Statement("".join(out), quotes, k, unclosed)
