"""Spans as AKN inline markup: <ref>, <rref> (a range), <mref> (a list), <def> (a defined term)."""

from __future__ import annotations

from fadian.refs.index import Span


def inline_xml(text: str, spans: list[Span], esc) -> str:
    """Text with its spans as AKN inline markup (spans do not overlap)."""
    out: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos:
            continue  # overlapping spans: keep the first
        out.append(esc(text[pos : span.start]))
        out.append(_span_xml(text, span, esc))
        pos = span.end
    out.append(esc(text[pos:]))
    return "".join(out)


def _span_xml(text: str, span: Span, esc) -> str:
    inner = esc(text[span.start : span.end])
    if span.kind == "ref":
        return f'<ref href="{esc(span.href)}">{inner}</ref>'
    if span.kind == "def":
        return f'<def refersTo="{esc(span.refers_to)}">{inner}</def>'
    if span.kind == "rref":
        return f'<rref from="{esc(span.href)}" upTo="{esc(span.up_to)}">{inner}</rref>'
    if span.kind == "footnote":
        return f'<ref href="{esc(span.href)}" class="footnoteRef">{inner}</ref>'
    # mref: children are refs inside the same range; when they share one text run
    # (前两款) the words are split evenly would be wrong, so the first child takes the text
    parts: list[str] = []
    pos = span.start
    distinct = [c for c in span.children if c.start >= pos]
    same_run = all(c.start == span.start and c.end == span.end for c in span.children)
    if same_run:
        refs = "".join(
            f'<ref href="{esc(c.href)}">{inner if k == 0 else ""}</ref>' for k, c in enumerate(span.children)
        )
        return f"<mref>{refs}</mref>"
    for child in distinct:
        parts.append(esc(text[pos : child.start]))
        parts.append(_span_xml(text, child, esc))
        pos = child.end
    parts.append(esc(text[pos : span.end]))
    return "<mref>" + "".join(parts) + "</mref>"
