"""Apply an amendment instrument to a consolidated text: instructions in, the new source text
out, in the format editors commit (front matter carried over, new expression date).

Pure: the old text (as a string) and a parsed :class:`~fadian.amend.Instrument` in; the new
text, a change report and diagnostics out. The text is held as a list of units, each either a
line kept as printed (title, dated lines, headings, annexes) or an :class:`ArticleText`;
instructions cite the *old* numbering, so they are applied in order against it, and a
renumbering (相应调整条文顺序) comes last, with the internal citations it moves.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from fadian.amend.lawtext import (
    END_PUNCT,
    HEAD_SEPARATOR,
    ArticleText,
    Change,
    InsertedLine,
    LawText,
    read_law_text,
    renumber_citations,
)
from fadian.amend.model import Instrument, Operation, OpKind, Target
from fadian.diagnostics import Diagnostic, diag
from fadian.read.numerals import cn_to_int, int_to_cn
from fadian.read.patterns import ARTICLE_RE, DIVISION_RE, ITEM_RE

__all__ = ["ApplyResult", "apply_instrument", "read_law_text", "renumber_citations"]


@dataclass
class ApplyResult:
    text: str = ""
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.text) and not any(d.is_error for d in self.diagnostics)


def apply_instrument(path: str, data: bytes, instrument: Instrument) -> ApplyResult:
    """The consolidated text after ``instrument``, with one Change per operation."""
    result = ApplyResult()
    law, diags = read_law_text(path, data)
    result.diagnostics += diags
    if law is None or diags:
        return result
    applied_line = _applied_line(instrument)
    if any(isinstance(u, str) and f"《{instrument.title}》" in u for u in law.units):
        result.diagnostics.append(
            diag("F324", f"the text already records 《{instrument.title}》", path, 1, 1)
        )
        return result
    state = _Applier(path, law, result)
    for provision in instrument.provisions:
        for op in provision.operations:
            state.apply(provision.num, op)
    if any(d.is_error for d in result.diagnostics):
        return result
    _add_header_line(law, applied_line)
    front = _front_with_date(law.front, instrument.date)
    body = "\n\n".join(u if isinstance(u, str) else u.text() for u in law.units)
    result.text = ("\n".join(front) + "\n\n" if front else "") + body + "\n"
    return result


def _applied_line(instrument: Instrument) -> str:
    """2023年12月29日 第十四届…第七次会议通过的《中华人民共和国刑法修正案（十二）》."""
    adopted = instrument.adopted.rstrip("。 ")
    return (
        f"{adopted}的《{instrument.title}》"
        if adopted.endswith("通过")
        else f"{adopted} 《{instrument.title}》"
    )


def _add_header_line(law: LawText, line: str) -> None:
    dated = [k for k, u in enumerate(law.units) if isinstance(u, str) and re.match(r"^\d{4}年", u)]
    first_article = next((k for k, u in enumerate(law.units) if isinstance(u, ArticleText)), len(law.units))
    header = [k for k in dated if k < first_article]
    law.units.insert(header[-1] + 1 if header else 1, line)


def _front_with_date(front: list[str], date: str | None) -> list[str]:
    if not front or not date:
        return front
    lines = [ln for ln in front if not ln.startswith("expression_date:")]
    return [*lines[:-1], f"expression_date: '{date}'", lines[-1]]


class _Applier:
    def __init__(self, path: str, law: LawText, result: ApplyResult):
        self.path = path
        self.law = law
        self.result = result

    def error(self, code: str, message: str, op: Operation) -> None:
        self.result.diagnostics.append(diag(code, message, self.path, op.line, op.col))

    def article(self, target: Target, op: Operation, *, inserted: bool = False) -> ArticleText | None:
        for unit in self.law.units:
            if (
                isinstance(unit, ArticleText)
                and unit.inserted == inserted
                and (unit.value, unit.sub) == (target.article, target.sub)
            ):
                return unit
        self.error("F322", f"{target.label()} is not in the text the instrument amends", op)
        return None

    def record(self, provision: str, op: Operation, target: Target | None) -> None:
        self.result.changes.append(
            Change(provision, op.mod_type or op.kind, target.label() if target else "", op.line)
        )

    # -- dispatch ---------------------------------------------------------------------------
    def apply(self, provision: str, op: Operation) -> None:
        handler = self.HANDLERS.get(op.kind)
        if handler is None:  # commence: nothing to change in the text
            return
        handler(self, op)
        self.record(provision, op, op.target)

    def lines_of(self, art: ArticleText, target: Target, op: Operation) -> list[int] | None:
        """Indexes into ``art.lines`` of the 款 (or 项) the target names; all lines for an article."""
        if target.para is None and target.point is None:
            return list(range(len(art.lines)))
        groups = art.paragraphs()
        para = (target.para or 1) - 1
        if para >= len(groups):
            self.error("F322", f"{target.label()}: the article has {len(groups)} 款", op)
            return None
        if target.point is None:
            return groups[para]
        points = [k for k in groups[para] if ITEM_RE.match(art.lines[k])]
        if target.point > len(points):
            self.error("F322", f"{target.label()}: the 款 has {len(points)} 项", op)
            return None
        return [points[target.point - 1]]

    def located(self, op: Operation, target: Target | None = None) -> tuple[ArticleText, list[int]] | None:
        """The article an operation names and the indexes of its lines the target covers (an
        error is reported when either is missing)."""
        target = target or op.target
        assert target is not None
        art = self.article(target, op)
        where = self.lines_of(art, target, op) if art is not None else None
        return (art, where) if art is not None and where is not None else None

    # -- operations ---------------------------------------------------------------------------
    def do_substitute(self, op: Operation) -> None:
        found = self.located(op)
        if found is not None:
            art, where = found
            art.lines[where[0] : where[-1] + 1] = op.quoted

    def do_insert_para(self, op: Operation) -> None:
        assert op.target is not None and op.new_number
        art = self.article(op.target, op)
        if art is None:
            return
        groups = art.paragraphs()
        if op.new_number > len(groups) + 1:
            self.error(
                "F322", f"{op.target.label()} has {len(groups)} 款; cannot add a 第{op.new_number}款", op
            )
            return
        at = groups[op.new_number - 1][0] if op.new_number <= len(groups) else len(art.lines)
        if at == 0:  # a new first 款 goes on the heading line
            art.lines[0:0] = op.quoted
        else:
            art.lines[at:at] = op.quoted

    def do_insert_point(self, op: Operation) -> None:
        assert op.target is not None and op.new_number
        art = self.article(op.target, op)
        if art is None:
            return
        groups = art.paragraphs()
        if op.target.para:
            if op.target.para > len(groups):
                self.error("F322", f"{op.target.label()}: no such 款", op)
                return
            group = groups[op.target.para - 1]
        else:
            group = next((g for g in groups if any(ITEM_RE.match(art.lines[k]) for k in g[1:])), groups[0])
        points = [k for k in group if k != group[0] and ITEM_RE.match(art.lines[k])]
        n = op.new_number
        if n > len(points) + 1:
            self.error("F322", f"{op.target.label()} has {len(points)} 项; cannot add a 第{n}项", op)
            return
        text = op.quoted[0] if op.quoted else ""
        if not ITEM_RE.match(text):
            text = f"（{int_to_cn(n)}）{text}"
        if text[-1] not in END_PUNCT:
            text += "。"
        # renumber the 项 after it
        for k in points[n - 1 :]:
            m = ITEM_RE.match(art.lines[k])
            assert m is not None
            value = cn_to_int(m.group("n")) + 1
            art.lines[k] = f"{m.group('q')}（{int_to_cn(value)}）{m.group('text')}"
        at = points[n - 1] if n <= len(points) else group[-1] + 1
        if n > len(points) and points:
            # the list ended with a full stop: the new last item takes it, the old one a ；
            last = points[-1]
            if art.lines[last].endswith("。"):
                art.lines[last] = art.lines[last][:-1] + "；"
        art.lines[at:at] = [text]

    def do_insert_article(self, op: Operation) -> None:
        assert op.target is not None and op.new_number
        base = self.article(Target(op.target.article, 0), op)
        if base is None:
            return
        sub = op.new_number
        existing = [
            u
            for u in self.law.units
            if isinstance(u, ArticleText) and (u.value, u.sub) == (op.target.article, sub)
        ]
        if existing:
            self.error("F324", f"{existing[0].head.strip()} is already in the text", op)
            return
        index = self.law.units.index(base)
        while index + 1 < len(self.law.units):
            nxt = self.law.units[index + 1]
            if isinstance(nxt, ArticleText) and nxt.value == base.value and 0 < nxt.sub < sub:
                index += 1
            else:
                break
        head = f"第{int_to_cn(base.value)}条之{int_to_cn(sub)} "
        new = ArticleText(base.value, sub, head, list(op.quoted) or [""], inserted=True)
        self.law.units.insert(index + 1, new)

    def do_insert_section(self, op: Operation) -> None:
        """增加一节: the heading and articles come with the next operation (增加N条…内容如下)."""

    def do_insert_section_articles(self, op: Operation) -> None:
        lines = op.quoted
        if not lines:
            self.error("F320", "the new articles are not quoted", op)
            return
        first = next((k for k, t in enumerate(lines) if ARTICLE_RE.match(t)), None)
        if first is None:
            self.error("F320", "the quoted text holds no article", op)
            return
        numbers = []
        new_units: list[str | ArticleText] = [InsertedLine(t) for t in lines[:first]]
        for text in lines[first:]:
            m = ARTICLE_RE.match(text)
            if m:
                sep = HEAD_SEPARATOR.match(text, m.end())
                end = sep.end() if sep else m.end()
                value = cn_to_int("".join(m.group("num").split()))
                numbers.append(value)
                new_units.append(ArticleText(value, 0, text[:end], [text[end:]], inserted=True))
            elif isinstance(new_units[-1], ArticleText):
                new_units[-1].lines.append(text)
        # after the article numbered just before the first new one
        before = self.article(Target(numbers[0] - 1), op)
        if before is None:
            return
        index = self.law.units.index(before) + 1
        self.law.units[index:index] = new_units

    def do_renumber_division(self, op: Operation) -> None:
        """宪法第三章第七节相应改为第八节."""
        chapter = None
        (old, new), found = op.mapping[0], False
        for k, unit in enumerate(self.law.units):
            if not isinstance(unit, str) or isinstance(unit, InsertedLine):
                continue
            m = DIVISION_RE.match(unit)
            if not m:
                continue
            value = cn_to_int("".join(m.group("num").split()))
            if m.group("unit") == "章":
                chapter = value
            elif m.group("unit") == "节" and chapter == op.new_number and value == old:
                self.law.units[k] = f"第{int_to_cn(new)}节" + unit[m.end("unit") :]
                found = True
        if not found:
            self.error(
                "F322", f"第{int_to_cn(op.new_number or 0)}章第{int_to_cn(old)}节 is not in the text", op
            )

    def do_repeal(self, op: Operation) -> None:
        assert op.target is not None
        for target in (op.target, *op.others):
            art = self.article(target, op)
            if art is not None:
                self.law.units.remove(art)

    def words(self, op: Operation, old: str, new: str) -> None:
        found = self.located(op)
        if found is None:
            return
        art, where = found
        assert op.target is not None
        pattern = re.compile("".join("[，,]" if c in "，," else re.escape(c) for c in old))
        for k in where:
            m = pattern.search(art.lines[k])
            if m:
                art.lines[k] = art.lines[k][: m.start()] + new + art.lines[k][m.end() :]
                return
        self.error("F323", f"“{old[:30]}” is not in {op.target.label()}", op)

    def do_delete_words(self, op: Operation) -> None:
        self.words(op, op.old_words, "")

    def do_replace_words(self, op: Operation) -> None:
        self.words(op, op.old_words, op.new_words)

    def do_prepend(self, op: Operation) -> None:
        found = self.located(op)
        if found is None or not op.quoted:
            return
        art, where = found
        added = op.quoted[0]
        if added and added[-1] not in END_PUNCT:
            added += "。"
        art.lines[where[0]] = added + art.lines[where[0]]

    def do_replace_lead(self, op: Operation) -> None:
        assert op.target is not None
        found = self.located(op, Target(op.target.article, op.target.sub, op.target.para or 1))
        if found is None or not op.quoted:
            return
        art, where = found
        old = art.lines[where[0]]
        new = op.quoted[0]
        if new and new[-1] not in END_PUNCT and old and old[-1] in "：:":
            new += "："
        art.lines[where[0]] = new

    def do_join(self, op: Operation) -> None:
        assert op.target is not None
        art = self.article(op.target, op)
        if art is None:
            return
        for other in op.others:
            merged = self.article(other, op)
            if merged is not None:
                self.law.units.remove(merged)
        art.lines = list(op.quoted)

    def do_renumber(self, op: Operation) -> None:
        articles = [u for u in self.law.units if isinstance(u, ArticleText) and not u.inserted]
        if op.mapping:
            mapping = dict(op.mapping)
            missing = [old for old in mapping if not any(a.value == old for a in articles)]
            if missing:
                self.error("F322", f"第{int_to_cn(missing[0])}条 is not in the text to renumber", op)
                return
        else:
            bases = sorted({a.value for a in self.law.units if isinstance(a, ArticleText)})
            mapping = {old: new for new, old in enumerate(bases, start=1) if old != new}
        for art in articles:
            if art.value in mapping:
                art.value = mapping[art.value]
                num = f"第{int_to_cn(art.value)}条" + (f"之{int_to_cn(art.sub)}" if art.sub else "")
                m = ARTICLE_RE.match(art.head)
                art.head = num + art.head[m.end() :] if m else art.head
        for unit in self.law.units:
            if isinstance(unit, ArticleText):
                unit.lines = [renumber_citations(t, mapping) for t in unit.lines]

    HANDLERS: ClassVar[dict[OpKind, Callable[[_Applier, Operation], None]]] = {
        OpKind.SUBSTITUTE: do_substitute,
        OpKind.INSERT_PARA: do_insert_para,
        OpKind.INSERT_POINT: do_insert_point,
        OpKind.INSERT_ARTICLE: do_insert_article,
        OpKind.INSERT_SECTION: do_insert_section,
        OpKind.INSERT_ARTICLES: do_insert_section_articles,
        OpKind.RENUMBER_DIVISION: do_renumber_division,
        OpKind.REPEAL: do_repeal,
        OpKind.DELETE_WORDS: do_delete_words,
        OpKind.REPLACE_WORDS: do_replace_words,
        OpKind.PREPEND: do_prepend,
        OpKind.REPLACE_LEAD: do_replace_lead,
        OpKind.JOIN: do_join,
        OpKind.RENUMBER: do_renumber,
    }
