"""The numbering of a text once an instrument's instructions are applied: articles an instruction
numbered as in the new text take the place that number means, 条文顺序作相应调整 numbers every
article anew, and the text's citations of its own articles follow, in one pass from the old
numbering to the new."""

from __future__ import annotations

from fadian.amend.lawtext import ArticleText, LawText, renumber_citations
from fadian.read.numerals import int_to_cn
from fadian.read.patterns import ARTICLE_RE


def settle_numbering(law: LawText, renumber_all: bool) -> str:
    """Articles an instruction gave a number in the new text without a place (增加一条作为第N条,
    将第二条修改为第六条) take the place that number means: among the others in order, or — when
    every article is numbered anew (之一 included) — at that position. Citations follow (not those
    in quoted new text, already in the new numbering). Returns what went wrong, or ''."""
    articles = law.articles()
    if not renumber_all and all(a.new_value is None for a in articles):
        return ""
    old = {id(a): (a.value, a.sub) for a in articles if not a.inserted}
    floating = [a for a in articles if a.new_value is not None and not a.placed]
    numbers = [a.new_value for a in floating]
    twice = next((n for n in numbers if numbers.count(n) > 1), None)
    if twice is not None:
        return f"two articles are to be 第{int_to_cn(twice)}条 in the new text"
    for a in floating:
        law.units.remove(a)
    problem = _number_anew(law, floating) if renumber_all else _number_in_place(law, floating)
    if problem:
        return problem
    mapping: dict = {}
    for art in law.articles():
        if art.new_value is not None and (art.value, art.sub) != (art.new_value, 0):
            return f"the article given as 第{int_to_cn(art.new_value)}条 would be {art.head.strip()}"
        if id(art) in old and old[id(art)] != (art.value, art.sub):
            mapping[old[id(art)]] = art.value if not art.sub else (art.value, art.sub)
    for unit in law.articles():
        unit.lines = [renumber_citations(t, mapping) for t in unit.lines]
    return ""


def _number_anew(law: LawText, floating: list[ArticleText]) -> str:
    """Every article numbered 1, 2, … in order, each floating one at its number (right after the
    article before it)."""
    pinned = {a.new_value: a for a in floating}
    out: list[str | ArticleText] = []
    last: int | None = None  # where in ``out`` the last article is
    n = 1

    def place_pinned() -> None:
        nonlocal last, n
        while n in pinned:
            art = pinned.pop(n)
            set_number(art, n)
            last = last + 1 if last is not None else len(out)
            out.insert(last, art)
            n += 1

    for unit in law.units:
        if isinstance(unit, ArticleText):
            place_pinned()
            set_number(unit, n)
            out.append(unit)
            last, n = len(out) - 1, n + 1
        else:
            out.append(unit)
    place_pinned()
    if pinned:
        return f"第{int_to_cn(min(pinned))}条 is beyond the {n - 1} articles of the new text"
    law.units[:] = out
    return ""


def _number_in_place(law: LawText, floating: list[ArticleText]) -> str:
    """Numbers kept; each floating article goes after the last with a lower number."""
    for art in sorted(floating, key=lambda a: a.new_value or 0):
        assert art.new_value is not None
        set_number(art, art.new_value)
        units = law.units
        numbered = [(k, (u.value, u.sub)) for k, u in enumerate(units) if isinstance(u, ArticleText)]
        if any(n == (art.value, 0) for _k, n in numbered):
            return f"two articles would be 第{int_to_cn(art.value)}条 in the new text"
        earlier = [k for k, n in numbered if n < (art.value, 0)]
        later = [k for k, n in numbered if n > (art.value, 0)]
        units.insert(earlier[-1] + 1 if earlier else later[0] if later else len(units), art)
    return ""


def set_number(art: ArticleText, n: int) -> None:
    art.value, art.sub = n, 0
    art.head = renumbered_head(art.head, n, 0)


def renumbered_head(head: str, value: int, sub: int) -> str:
    """第五条 … → 第六条 … (之一 as given)."""
    num = f"第{int_to_cn(value)}条" + (f"之{int_to_cn(sub)}" if sub else "")
    m = ARTICLE_RE.match(head)
    return num + head[m.end() :] if m else head
