"""The handlers of an instrument's operations, one per kind, over a law's text (amend/lawtext):
what each instruction does to the articles, 款, 项, words, preamble and headings it names."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import ClassVar

from fadian.amend.lawtext import (
    END_PUNCT,
    HEAD_SEPARATOR,
    ArticleText,
    Change,
    InsertedLine,
    LawText,
    QuotedLine,
    renumber_citations,
)
from fadian.amend.model import ANNEX, PART, PREAMBLE, TITLE, Operation, OpKind, Target
from fadian.amend.numbering import settle_numbering
from fadian.diagnostics import Diagnostic, diag
from fadian.read.numerals import cn_to_int, int_to_cn
from fadian.read.patterns import ARTICLE_RE, DIVISION_RE, ITEM_RE


def quoted(lines: list[str]) -> list[str]:
    """Lines an instrument gives, marked as such (their citations are the new text's)."""
    return [QuotedLine(t) for t in lines]


def _numbered_annexes(tail: list) -> int:
    """How many annexes the lines after the last article hold (附件一, 附件2 … headings)."""
    return sum(
        1
        for u in tail
        if isinstance(u, str) and re.match(r"^附件[一二三四五六七八九十0-9]", "".join(u.split()))
    )


def _own_number(label: str) -> re.Pattern[str]:
    """An article's number at the start of its quoted text (“第十条　…”): the text has it already."""
    return re.compile(rf"^{re.escape(label)}[\s\u3000]+")


_ADDRESSEE = re.compile(r"^[^。；，,：:]{2,40}[：:]$")  # 某省高级人民法院：
# 一、总体要求: the heading of a part of a text without articles
_PART_HEADING = re.compile(r"^\s*([一二三四五六七八九十百]+)、")


class Applier:
    """The handlers of the operations, over one law text; ``changes`` and ``diagnostics`` collect
    what happened. Instructions cite the old numbering: they apply in order against it, and what
    renumbers (相应调整, an explicit new number) is settled last by :meth:`finish`."""

    def __init__(self, path: str, law: LawText, reason: str = ""):
        self.path = path
        self.law = law
        self.reason = reason  # the instrument as a new text's notes name it: 《…》
        self.changes: list[Change] = []
        self.diagnostics: list[Diagnostic] = []
        self.renumber_all = False  # 条文顺序作相应调整
        self.moved: dict[tuple[int, int], int] = {}  # (old value, sub) → new value

    def error(self, code: str, message: str, op: Operation) -> None:
        self.diagnostics.append(diag(code, message, self.path, op.line, op.col))

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
        self.changes.append(
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
        """Indexes into ``art.lines`` of the 款 (a run of them, or a 项) the target names; all
        lines for an article."""
        if target.para is None and target.point is None:
            return list(range(len(art.lines)))
        groups = art.paragraphs()
        para = (target.para or 1) - 1
        last = (target.para_to or target.para or 1) - 1
        if last >= len(groups):
            self.error("F322", f"{target.label()}: the article has {len(groups)} 款", op)
            return None
        if target.point is None:
            return [k for g in groups[para : last + 1] for k in g]
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
        assert op.target is not None
        if op.target.article == PREAMBLE:
            self.preamble_lines(op, op.quoted)
            return
        if op.target.article == TITLE:
            self.title_line(op)
            return
        if op.target.article == PART:
            self.part_heading_line(op)
            return
        found = self.located(op)
        if found is not None:
            art, where = found
            new = list(op.quoted)
            if op.target.para is None and new:  # a whole article quoted with its own number
                new[0] = _own_number(op.target.label()).sub("", new[0], count=1) or new[0]
            art.lines[where[0] : where[-1] + 1] = quoted(new)

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
            art.lines[0:0] = quoted(op.quoted)
        else:
            art.lines[at:at] = quoted(op.quoted)

    def do_append(self, op: Operation) -> None:
        """宪法第十一条增加规定：“…”: new 款 after the article's last."""
        assert op.target is not None
        art = self.article(op.target, op)
        if art is not None:
            art.lines.extend(quoted(op.quoted))

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
        art.lines[at:at] = [QuotedLine(text)]

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
        new = ArticleText(base.value, sub, head, quoted(op.quoted) or [QuotedLine("")], inserted=True)
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
                new_units.append(ArticleText(value, 0, text[:end], [QuotedLine(text[end:])], inserted=True))
            elif isinstance(new_units[-1], ArticleText):
                new_units[-1].lines.append(QuotedLine(text))
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
        """删去第X条 (和第Y条), 删去第X条第K款: the articles, or the 款, taken out (the 款 after
        the later ones first, so that each is where the instruction says)."""
        assert op.target is not None
        if op.target.article == ANNEX:
            self.repeal_annex(op)
            return
        targets = [op.target, *op.others]
        for target in sorted(targets, key=lambda t: (t.article, t.sub, t.para or 0), reverse=True):
            art = self.article(target, op)
            if art is None:
                continue
            if target.para is None and target.point is None:
                self.law.units.remove(art)
                continue
            where = self.lines_of(art, target, op)
            if where is not None:
                del art.lines[where[0] : where[-1] + 1]
                if not art.lines:
                    self.law.units.remove(art)

    def repeal_annex(self, op: Operation) -> None:
        """删去附件: the lines after the last article (all of them; 附件二 alone is not yet told
        apart, so a numbered one is an error rather than a guess)."""
        assert op.target is not None
        last = max((k for k, u in enumerate(self.law.units) if isinstance(u, ArticleText)), default=None)
        tail = [] if last is None else self.law.units[last + 1 :]
        if not tail:
            self.error("F322", "the text has no annex after its last article", op)
        elif op.target.para not in (None, 1) or _numbered_annexes(tail) > 1:
            self.error(
                "F322",
                f"{op.target.label()}: the text has several annexes; fadian cannot tell them apart yet",
                op,
            )
        else:
            assert last is not None
            del self.law.units[last + 1 :]

    def words(self, op: Operation, old: str, new: str) -> None:
        """“A” changed into “B” (or deleted) in the place named: an article or its 款/项, the
        preamble or one of its paragraphs, the title, or — no place named — the whole text,
        where it must occur once. Several quoted paragraphs are consecutive lines."""
        places = self.word_places(op)
        if places is None:
            return
        if not old and places and op.target is not None:  # 末尾增加: after the place's last line
            lines, k = places[-1]
            lines[k] = type(lines[k])(lines[k] + new)
            return
        if "\n" in old:
            if self.paragraph_run(places, old.split("\n"), new.split("\n") if new else []):
                return
        else:
            pattern = re.compile("".join("[，,]" if c in "，," else re.escape(c) for c in old))
            hits = [(lines, k, m) for lines, k in places if (m := pattern.search(lines[k]))]
            if len(hits) > 1 and op.target is None:
                self.error("F323", f"“{old[:30]}” occurs {len(hits)} times: name the article", op)
                return
            if hits:
                lines, k, m = hits[0]
                lines[k] = type(lines[k])(lines[k][: m.start()] + new + lines[k][m.end() :])
                return
        where = op.target.label() if op.target else "the text"
        self.error("F323", f"“{old[:30]}” is not in {where}", op)

    def word_places(self, op: Operation) -> list[tuple[list, int]] | None:
        """(a list of lines, an index in it) for every line the target covers."""
        target = op.target
        units = self.law.units
        if target is None:
            out: list[tuple[list, int]] = []
            for k, u in enumerate(units):
                if isinstance(u, ArticleText):
                    out += [(u.lines, j) for j in range(len(u.lines))]
                else:
                    out.append((units, k))
            return out
        if target.article == TITLE:
            first = next(k for k, u in enumerate(units) if isinstance(u, str))
            return [(units, first)]
        if target.article == PREAMBLE:
            where = self.preamble_indexes(op)
            return [(units, k) for k in where] if where is not None else None
        found = self.located(op)
        return [(found[0].lines, k) for k in found[1]] if found is not None else None

    def paragraph_run(self, places: list[tuple[list, int]], old: list[str], new: list[str]) -> bool:
        """Consecutive lines equal to ``old`` replaced by ``new`` (宪法第十三条“…”“…”修改为)."""
        squash = lambda t: "".join(str(t).split())  # noqa: E731
        for start in range(len(places) - len(old) + 1):
            run = places[start : start + len(old)]
            if all(squash(lines[k]) == squash(o) for (lines, k), o in zip(run, old, strict=True)):
                lines, first = run[0]
                if any(lst is not lines for lst, _k in run):
                    return False
                lines[first : first + len(old)] = quoted(new)
                return True
        return False

    def preamble_indexes(self, op: Operation) -> list[int] | None:
        """The units of the preamble (序言, 引言) the target names: one 自然段 or all."""
        assert op.target is not None
        where = self.law.preamble()
        if where and _ADDRESSEE.match("".join(str(self.law.units[where[0]]).split())):
            where = where[1:]  # 某省高级人民法院：, to whom a 批复 is written, is no paragraph of it
        if not where:
            self.error("F322", "the text has no preamble (序言 or 引言)", op)
            return None
        if op.target.para is None:
            return where
        if op.target.para > len(where):
            self.error("F322", f"{op.target.label()}: the preamble has {len(where)} paragraphs", op)
            return None
        return [where[op.target.para - 1]]

    def title_line(self, op: Operation) -> None:
        """The text's title (its first line) replaced by the one quoted."""
        first = next((k for k, u in enumerate(self.law.units) if isinstance(u, str) and u.strip()), None)
        if first is None or len(op.quoted) != 1:
            self.error("F322", "a new name is one line, and the text must have one", op)
            return
        self.law.units[first] = op.quoted[0]

    def part_heading_line(self, op: Operation) -> None:
        """The heading of the N-th part (一、…) of a text without articles replaced by the one
        quoted; a quotation without the part's number keeps it."""
        assert op.target is not None and op.target.para is not None
        wanted = op.target.para
        for k, unit in enumerate(self.law.units):
            m = _PART_HEADING.match(str(unit)) if isinstance(unit, str) else None
            if m is None or cn_to_int(m.group(1)) != wanted:
                continue
            if len(op.quoted) != 1:
                self.error("F322", "a part's new heading is one line", op)
                return
            new = op.quoted[0].strip()
            self.law.units[k] = new if _PART_HEADING.match(new) else m.group(0) + new
            return
        part = int_to_cn(wanted)
        self.error("F322", f"the text has no part headed {part}、 (第{part}部分)", op)

    def preamble_lines(self, op: Operation, new: list[str]) -> None:
        where = self.preamble_indexes(op)
        if where is not None:
            self.law.units[where[0] : where[-1] + 1] = quoted(new)

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
        if not op.mapping:  # 条文顺序作相应调整: settled when every other change is made
            self.renumber_all = True
            return
        articles = [u for u in self.law.units if isinstance(u, ArticleText) and not u.inserted]
        mapping = dict(op.mapping)
        missing = [old for old in mapping if not any(a.value == old for a in articles)]
        if missing:
            self.error("F322", f"第{int_to_cn(missing[0])}条 is not in the text to renumber", op)
            return
        for art in articles:
            if art.value in mapping:
                art.value = mapping[art.value]
                num = f"第{int_to_cn(art.value)}条" + (f"之{int_to_cn(art.sub)}" if art.sub else "")
                m = ARTICLE_RE.match(art.head)
                art.head = num + art.head[m.end() :] if m else art.head
        for unit in self.law.units:
            if isinstance(unit, ArticleText):
                unit.lines = [renumber_citations(t, mapping) for t in unit.lines]

    def do_move(self, op: Operation) -> None:
        """将第二条修改为第六条(：“…”): the article takes its number in the new text (settled by
        finish), with the new text when one is quoted."""
        assert op.target is not None and op.new_number
        art = self.article(op.target, op)
        if art is None:
            return
        if op.quoted:
            art.lines = quoted(op.quoted)
        self.moved[(art.value, art.sub)] = op.new_number
        art.new_value = op.new_number

    def do_insert_numbered(self, op: Operation) -> None:
        """增加一条作为第N条：“…”: a new article numbered as in the new text (placed by finish);
        在第X条后(前)增加一条，作为第N条: placed now, its number checked by finish."""
        assert op.new_number
        head = f"第{int_to_cn(op.new_number)}条 "
        new = ArticleText(op.new_number, 0, head, quoted(op.quoted), inserted=True, new_value=op.new_number)
        if op.target is None:
            self.law.units.append(new)
            return
        base = self.article(op.target, op)
        if base is None:
            return
        index = self.law.units.index(base)
        if not op.before:  # after the article, its 之一, 之二 … and what was added after it
            index += 1
            while index < len(self.law.units):
                nxt = self.law.units[index]
                follows = isinstance(nxt, ArticleText) and (
                    (nxt.value == base.value and nxt.sub > base.sub) or (nxt.inserted and nxt.placed)
                )
                if not follows:
                    break
                index += 1
        new.placed = True
        self.law.units.insert(index, new)

    def do_suspend(self, op: Operation) -> None:
        """…不再适用: the provision stays, with a note saying it no longer applies and why."""
        assert op.target is not None
        for target in (op.target, *op.others):
            found = self.located(op, target)
            if found is None:
                continue
            art, where = found
            unit = "本款" if target.para else "本项" if target.point else "本条"
            note = f"（{unit}根据{self.reason}不再适用。）" if self.reason else f"（{unit}不再适用。）"
            art.lines.insert(where[-1] + 1, QuotedLine(note))

    def do_rename_division(self, op: Operation) -> None:
        """宪法第四章章名“…”修改为“…”: words of a chapter's heading."""
        for k, unit in enumerate(self.law.units):
            if not isinstance(unit, str):
                continue
            m = DIVISION_RE.match(unit)
            chapter = m is not None and m.group("unit") == "章" and cn_to_int("".join(m.group("num").split()))
            if chapter == op.new_number and op.old_words in unit:
                self.law.units[k] = unit.replace(op.old_words, op.new_words, 1)
                return
        self.error(
            "F323", f"“{op.old_words[:30]}” is not the heading of 第{int_to_cn(op.new_number or 0)}章", op
        )

    # -- what is settled last -----------------------------------------------------------
    def finish(self) -> None:
        """Settle the numbering once every instruction is applied (amend/numbering)."""
        problem = settle_numbering(self.law, self.renumber_all)
        if problem:
            self.diagnostics.append(diag("F322", problem, self.path, 1, 1))

    HANDLERS: ClassVar[dict[OpKind, Callable[[Applier, Operation], None]]] = {
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
        OpKind.APPEND: do_append,
        OpKind.MOVE: do_move,
        OpKind.INSERT_NUMBERED: do_insert_numbered,
        OpKind.SUSPEND: do_suspend,
        OpKind.RENAME_DIVISION: do_rename_division,
    }
