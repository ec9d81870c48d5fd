"""Reading an instrument: the reader's state (its diagnostics, strict or lenient) and the
quotations of a provision, taken out before its clauses are read (the quoted text is the
instrument's payload, never its own structure)."""

from __future__ import annotations

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


def take_quotes(
    p: InstrumentReader, lines: list[SourceLine], k: int
) -> tuple[str, list[Quote], int, tuple[int, int] | None]:
    """The provision starting at ``lines[k]`` with its quotations replaced by placeholders.

    A quotation may run over several lines: each further paragraph opens with “ (a paragraph
    mark, not a nested quote) and the last one closes with ”. Returns the clause text, the
    quotes, the index of the next line, and the position of an unclosed “ if there is one."""
    first = lines[k]
    text = first.text
    out: list[str] = []
    quotes: list[Quote] = []
    pos = 0
    k += 1
    line_number = first.number
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
        closed = False
        while k < len(lines):
            nxt = lines[k].text
            k += 1
            body = nxt[1:] if nxt.startswith("“") else nxt
            end = _close_quote(body, 0, 1)
            if end is None:
                paragraphs.append(body)
                continue
            paragraphs.append(body[: end - 1])
            rest = body[end:]
            closed = True
            break
        quotes.append(Quote(paragraphs, opened[0], opened[1]))
        out.append(f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}")
        if not closed:
            return "".join(out), quotes, k, opened
        out.append(rest)
        break
    return "".join(out), quotes, k, None


# -- clauses ------------------------------------------------------------------------
