"""Drafting: the amendment instrument that turns one version of a text into the next, in the
drafting style of a 修改决定, and the 修改前后对照表 legislatures publish with it.

Pure: two law texts in (amend/lawtext), the instrument's source text, the comparison rows and
diagnostics out. Articles are matched by content (history/align), then each change is said in
the smallest form that is faithful — a word substitution (将第X条第Y款中的“A”修改为“B”) where
only words changed, a 款 or the whole article (将第X条修改为：“…”) where more did; 删去第X条;
在第X条后增加一条，作为第X条之一 (or 作为第Y条 when the articles are numbered anew, with the
closing 此外，对条文顺序作相应调整). Faithful is checked, not assumed: each form is tried on
the article as the apply step would do it, and the whole draft is applied to the old text and
compared with the new article by article; an article that still differs is a warning.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from fadian.alignment import Provision, align
from fadian.amend.apply import apply_instrument, same_work
from fadian.amend.grammar import amended_work, parse_instrument
from fadian.amend.lawtext import ArticleText, LawText, read_law_text, renumber_citations
from fadian.diagnostics import Diagnostic, diag
from fadian.eids import Eid
from fadian.read.numerals import int_to_cn
from fadian.read.patterns import CIRCLED_NOTE_RE, DIVISION_RE, ITEM_RE
from fadian.read.sources import read_source

_NAMED = re.compile(
    r"^(?P<date>\d{4}年\d{1,2}月\d{1,2}日)\s*(?P<meeting>[^《]*?)\s*《(?P<title>[^》]*(?:〉[^》]*)*)》"
)
_MOST = 0.5  # a 款 more than half of which changed is given whole
_STOPS = "，。；：、,;:"  # words quoted for a change stop at punctuation when they can


@dataclass
class ComparisonRow:
    """One row of a 修改前后对照表: the article before and after (either may be absent)."""

    old_num: str
    old: list[str]
    new_num: str
    new: list[str]
    kind: str  # modified | added | deleted


@dataclass
class Draft:
    title: str
    adopted: str = ""
    work: str = ""
    items: list[str] = field(default_factory=list)
    renumbers: bool = False
    rows: list[ComparisonRow] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def text(self) -> str:
        """The instrument as an editor would commit it: a 修正案 goes straight to its numbered
        provisions; a decision on this text says what it amends first (决定对《X》作如下修改);
        one that amends several texts, or names none in its title, has a section for this one
        (一、对《X》作出修改) with its items （一） （二） … under it."""
        out = [self.title, ""]
        if self.adopted:
            out += [self.adopted, ""]
        meeting = re.sub(r"^\d{4}年\d{1,2}月\d{1,2}日\s*", "", self.adopted).removesuffix("通过")
        amendment = "修正案" in self.title[-8:]
        named = amended_work(self.title)
        sectioned = not amendment and (named is None or not same_work(named, self.work))
        if sectioned:
            out += [f"{meeting}决定：" if meeting else "决定：", "", f"一、对《{self.work}》作出修改", ""]
        elif not amendment:
            out += [
                f"{meeting}决定对《{self.work}》作如下修改："
                if meeting
                else f"对《{self.work}》作如下修改：",
                "",
            ]
        for k, item in enumerate(self.items, start=1):
            out += [f"（{int_to_cn(k)}）{item}" if sectioned else f"{int_to_cn(k)}、{item}", ""]
        if self.renumbers:
            out += ["此外，对条文顺序作相应调整。", ""]
        if not amendment:
            closing = "根据本决定作相应修改" + ("并对条文顺序作相应调整" if self.renumbers else "")
            out += [f"《{self.work}》{closing}，重新公布。"]
        return "\n".join(out).rstrip("\n") + "\n"


def draft_amendment(old_path: str, old_data: bytes, new_path: str, new_data: bytes) -> Draft:
    """The instrument that turns the text ``old_data`` into ``new_data`` (both law sources)."""
    old, old_diags = read_law_text(old_path, old_data)
    new, new_diags = read_law_text(new_path, new_data)
    if old is None or new is None or old_diags or new_diags:
        return Draft("", diagnostics=[*old_diags, *new_diags])
    draft = _header(old, new)
    drafter = _Drafter(old, new)
    draft.items, draft.renumbers, draft.rows = drafter.items(), drafter.renumbers, drafter.rows
    if not draft.items and _structure(old) == _structure(new):
        message = (
            "the two texts have the same provisions (they differ at most in their header): nothing to draft"
        )
        draft.diagnostics.append(diag("F331", message, new_path, 1, 1))
        return draft
    _verify(draft, drafter, old_path, old_data, new, new_path)
    return draft


def _header(old: LawText, new: LawText) -> Draft:
    """Title and adoption of the instrument, from the newest dated header line of the new text
    when the old one lacks it: the instrument it names (…会议《关于修改〈X〉的决定》修正), or
    the day and meeting of a revision (…会议修订) under a generic title; no date when the new
    text prints none."""
    work = new.title
    old_lines = {_bracketed(str(u)) for u in old.units}
    first = next((k for k, u in enumerate(new.units) if isinstance(u, ArticleText)), len(new.units))
    dated = [str(u) for u in new.units[:first] if _DATED.match(str(u))]
    if not dated or _bracketed(dated[-1]) in old_lines:
        return Draft(f"关于修改《{work}》的决定", "", work)
    newest = dated[-1].strip(" \u3000（()）")
    events = list(_LATER_EVENT.finditer(newest))  # a 题注 on one line: its last event
    if events:
        newest = newest[events[-1].end() :]
    m = _NAMED.match(newest)
    if m is None:  # 2023年12月29日 第十四届…第七次会议第二次修订
        day = _DATED.match(newest)
        assert day is not None
        meeting = re.sub(
            r"(?:第[一二三四五六七八九十]+次)?(?:修订|修正|通过)$", "", newest[day.end() :]
        ).strip()
        return Draft(
            f"关于修改《{work}》的决定", f"{day.group()} {meeting}通过" if meeting else day.group(), work
        )
    title = m.group("title").replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")
    meeting = m.group("meeting").strip().removesuffix("通过的").strip()
    if title.startswith("关于") and "全国人民代表大会常务委员会" in meeting:
        title = "全国人民代表大会常务委员会" + title
    elif title.startswith("关于") and "全国人民代表大会" in meeting:
        title = "全国人民代表大会" + title
    adopted = f"{m.group('date')} {meeting}通过" if meeting else m.group("date")
    return Draft(title, adopted, work)


_DATED = re.compile(r"^[（(]?\d{4}年\d{1,2}月\d{1,2}日")
_LATER_EVENT = re.compile(r"(?:^|\s)根据(?=\d{4}年\d{1,2}月\d{1,2}日)")  # …通过　根据2023年…修正


def _bracketed(text: str) -> str:
    """A header line compared across versions: without spaces, its inner titles' brackets one
    form (<>, 〈〉 and 《》 are all printed)."""
    return "".join(text.split()).translate(str.maketrans("<>〈〉", "《》《》")).rstrip("）)")


def _provision(art: ArticleText) -> Provision:
    text = "\n".join(art.lines)
    eid = str(Eid.article(art.value, art.sub))
    return Provision(eid, art.head.strip(), (art.value, art.sub), text, _squash(text))


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200b]+", "", text)


def _label(art: ArticleText, para: int | None = None, point: int | None = None) -> str:
    out = f"第{int_to_cn(art.value)}条" + (f"之{int_to_cn(art.sub)}" if art.sub else "")
    if para is not None:
        out += f"第{int_to_cn(para)}款"
    if point is not None:
        out += f"第{int_to_cn(point)}项"
    return out


def _quote(lines: list[str]) -> str:
    """Paragraphs as an instrument quotes them: each opens with “, the last closes with ”."""
    return "\n\n".join("“" + t for t in lines) + "”"


def _num(art: ArticleText | None) -> str:
    return "" if art is None else art.head.strip()


class _Drafter:
    """The instructions, article by article, in the order of the old text."""

    def __init__(self, old: LawText, new: LawText):
        self.old, self.new = old, new
        olds, news = _provisions_only(old.articles()), _provisions_only(new.articles())
        self.original = {
            id(c): a for c, a in zip([*olds, *news], [*old.articles(), *new.articles()], strict=True)
        }
        provs, nprovs = [_provision(a) for a in olds], [_provision(a) for a in news]
        by_id = {id(p): a for p, a in zip([*provs, *nprovs], [*olds, *news], strict=True)}
        self.pairs = _substitutions(
            [(by_id[id(o)] if o else None, by_id[id(w)] if w else None) for o, w in align(provs, nprovs)]
        )
        self.renumbers = any(
            o is not None and w is not None and (o.value, o.sub) != (w.value, w.sub) for o, w in self.pairs
        )
        self.mapping = {
            (o.value, o.sub): w.value if not w.sub else (w.value, w.sub)
            for o, w in self.pairs
            if o is not None and w is not None and (o.value, o.sub) != (w.value, w.sub)
        }
        self.rows: list[ComparisonRow] = []
        self.whole: set[int] = set()  # id of old articles to give whole (after a failed check)

    def items(self) -> list[str]:
        out: list[str] = []
        self.rows = []
        previous: ArticleText | None = None  # the last old article the new text keeps
        for k, (o, w) in enumerate(self.pairs):
            if o is not None and w is not None:
                item = self.changed(o, w)
                if item:
                    out.append(item)
                    self.rows.append(ComparisonRow(_num(o), o.lines, _num(w), w.lines, "modified"))
                previous = o
            elif o is not None:
                out.append(f"删去{_label(o)}。")
                self.rows.append(ComparisonRow(_num(o), o.lines, "", [], "deleted"))
            elif w is not None:
                before_previous = (
                    bool(out) and self.pairs[k - 1][1] is not None and self.pairs[k - 1][0] is None
                )
                out.append(self.added(w, previous, k, out[-1] if before_previous else ""))
                self.rows.append(ComparisonRow("", [], _num(w), w.lines, "added"))
        return out + self.headings() + self.annexes()

    def headings(self) -> list[str]:
        """第X章章名“A”修改为“B” for each chapter the new text names otherwise (same chapters)."""
        old = [u for u in self.old.units if isinstance(u, str) and DIVISION_RE.match(u)]
        new = [u for u in self.new.units if isinstance(u, str) and DIVISION_RE.match(u)]
        if len(old) != len(new):
            return []
        out = []
        for a, b in zip(old, new, strict=True):
            ma, mb = DIVISION_RE.match(a), DIVISION_RE.match(b)
            assert ma is not None and mb is not None
            name_a, name_b = (ma.group("title") or "").strip(), (mb.group("title") or "").strip()
            same_place = _squash(ma.group("num")) == _squash(mb.group("num")) and ma.group(
                "unit"
            ) == mb.group("unit")
            if same_place and ma.group("unit") == "章" and _squash(name_a) != _squash(name_b) and name_a:
                out.append(
                    f"{_squash(a[: ma.end('unit')])}章名“{name_a}”修改为“{name_b}”。".replace(
                        "章章名", "章章名"
                    )
                )
        return out

    def annexes(self) -> list[str]:
        """删去附件 when the new text ends with its last article and the old one did not."""
        old_tail, new_tail = _tail(self.old), _tail(self.new)
        if not old_tail or new_tail:
            return []
        first = _squash(old_tail[0])
        word = "附录" if first.startswith("附录") else "附表" if first.startswith("附表") else "附件"
        self.rows.append(ComparisonRow(word, old_tail, "", [], "deleted"))
        return [f"删去{word}。"]

    # -- changed articles -------------------------------------------------------------------
    def changed(self, o: ArticleText, w: ArticleText) -> str:
        """The smallest faithful instruction for an article the new text changes ('' if the
        renumbering alone gives it)."""
        if self.after_renumbering(o.lines) == list(w.lines):
            return ""
        whole = f"将{_label(o)}修改为：\n\n{_quote(w.lines)}"
        if id(o) in self.whole:
            return whole
        go, gw = o.paragraphs(), w.paragraphs()
        if [len(g) for g in go] != [len(g) for g in gw]:
            return whole
        clauses: list[str] = []
        single = len(go) == 1
        for p, (lines_o, lines_w) in enumerate(zip(go, gw, strict=True), start=1):
            old_lines = [o.lines[i] for i in lines_o]
            new_lines = [w.lines[i] for i in lines_w]
            if self.after_renumbering(old_lines) == new_lines:
                continue
            words = self.word_clauses(o, p, single, lines_o, w, lines_w)
            if words is not None:
                clauses += words
            elif single:
                return whole
            else:
                clauses.append(f"将{_label(o, p)}修改为：\n\n{_quote(new_lines)}")
        if not clauses:
            return whole
        return "；".join(clauses) + ("" if clauses[-1].endswith("”") and "\n" in clauses[-1] else "。")

    def after_renumbering(self, lines: list[str]) -> list[str]:
        return [renumber_citations(t, self.mapping) for t in lines] if self.renumbers else list(lines)

    def word_clauses(
        self, o: ArticleText, para: int, single: bool, lines_o: list[int], w: ArticleText, lines_w: list[int]
    ) -> list[str] | None:
        """将第X条第Y款(第Z项)中的“A”修改为“B” for each changed line of a 款, or None when a
        line is better given whole (most of it changed, or the words are not unique there)."""
        out = []
        points = 0
        for i, j in zip(lines_o, lines_w, strict=True):
            a, b = o.lines[i], w.lines[j]
            point = None
            if i != lines_o[0]:
                if not ITEM_RE.match(a) or not ITEM_RE.match(b):
                    return None
                points += 1
                point = points
            if self.after_renumbering([a]) == [b]:
                continue
            hunks = _word_hunks(a, b)
            if (
                hunks is None
                or renumber_citations(_replaced(a, hunks), self.mapping if self.renumbers else {}) != b
            ):
                return None
            place = _label(o, None if single else para, point)
            for n, (x, y) in enumerate(hunks):
                where = f"将{place}中的" if n == 0 else ""
                out.append(
                    f"{'删去' + place + '中的' if not y and n == 0 else where}“{x}”"
                    + (f"修改为“{y}”" if y else "")
                )
            if any(not y for _x, y in hunks) and len(hunks) > 1:
                return None  # a deletion chained after a substitution is not one clause form
        return out

    # -- added articles ---------------------------------------------------------------------
    def added(self, w: ArticleText, previous: ArticleText | None, k: int, last: str) -> str:
        """在第X条后增加一条，作为第X条之一 (or 作为第Y条 when numbered anew); before the next
        old article when the new one opens a chapter (or the text), and so are the ones added
        right after such a one (``last``: the instruction of the article added just before)."""
        following = next((o for o, kept in self.pairs[k + 1 :] if o is not None and kept is not None), None)
        opens = (
            self.opens_division(w)
            or previous is None
            or (following is not None and last.startswith(f"在{_label(following)}前"))
        )
        number = f"第{int_to_cn(w.value)}条" + (f"之{int_to_cn(w.sub)}" if w.sub else "")
        if opens and following is not None:
            where = f"在{_label(following)}前"
        elif previous is not None:
            where = f"在{_label(previous)}后"
        else:
            where = ""
        return f"{where}增加一条，作为{number}：\n\n{_quote(w.lines)}"

    def opens_division(self, w: ArticleText) -> bool:
        """The new text prints a 编/章/节 heading right before the article."""
        index = self.new.units.index(self.original[id(w)])
        before = self.new.units[index - 1] if index else ""
        return isinstance(before, str) and bool(DIVISION_RE.match(before))


def _substitutions(pairs: list[Pair]) -> list[Pair]:
    """Within each run of articles the alignment left unmatched, the old ones deleted and the new
    ones added at the same place are paired in order: an article replaced by another is said
    as one substitution (将第X条修改为), not as a deletion and an insertion."""
    out: list[Pair] = []
    run: list[Pair] = []
    for pair in [*pairs, (None, None)]:
        if (pair[0] is None) != (pair[1] is None):
            run.append(pair)
            continue
        olds = [o for o, _w in run if o is not None]
        news = [w for _o, w in run if w is not None]
        n = min(len(olds), len(news))
        out += list(zip(olds[:n], news[:n], strict=True))
        out += [(o, None) for o in olds[n:]] + [(None, w) for w in news[n:]]
        run = []
        if pair != (None, None):
            out.append(pair)
    return out


Pair = tuple[ArticleText | None, ArticleText | None]


def _provisions_only(articles: list[ArticleText]) -> list[ArticleText]:
    """The articles without the editors' notes (① …) a consolidated text adds: not provisions,
    and not what an instrument changes."""
    return [
        dataclasses.replace(a, lines=[t for t in a.lines if not CIRCLED_NOTE_RE.match(t)]) for a in articles
    ]


def _word_hunks(a: str, b: str) -> list[tuple[str, str]] | None:
    """The changed runs of a line as (old words, new words), each old run widened until it is
    unique in the line as it is when its turn comes; None when most of the line changed, there
    are many runs, or a run holds a quotation mark."""
    ops = [op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    merged: list[list[int]] = []
    for _tag, i1, i2, j1, j2 in ops:
        if merged and i1 - merged[-1][1] < 3:
            merged[-1][1], merged[-1][3] = i2, j2
        else:
            merged.append([i1, i2, j1, j2])
    if not merged or len(merged) > 3:
        return None
    changed = sum((i2 - i1) + (j2 - j1) for i1, i2, j1, j2 in merged)
    if changed > _MOST * max(len(a), 1) * 2:
        return None
    hunks = []
    current = a
    for i1, i2, j1, j2 in merged:
        widened = 0
        while True:
            x = a[i1:i2]
            if len(x) >= 2 and current.count(x) == 1:
                break
            if i1 == 0 and i2 == len(a):
                return None
            # the words before the change first (将“本法”修改为“本法和有关法律”), the ones
            # after it when those are not enough or the line starts there
            if i1 > 0 and (widened < 4 or i2 == len(a)) and a[i1 - 1] not in _STOPS:
                i1, j1 = i1 - 1, j1 - 1
            elif i2 < len(a):
                i2, j2 = i2 + 1, j2 + 1
            else:
                i1, j1 = i1 - 1, j1 - 1
            widened += 1
        x, y = a[i1:i2], b[j1:j2]
        if any(q in x + y for q in '“”"') or "\n" in x + y:
            return None
        hunks.append((x, y))
        at = current.index(x)
        current = current[:at] + y + current[at + len(x) :]
    return hunks


def _replaced(line: str, hunks: list[tuple[str, str]]) -> str:
    """The line after the substitutions, as the apply step makes them (each the first match)."""
    for x, y in hunks:
        at = line.find(x)
        if at < 0:
            return ""
        line = line[:at] + y + line[at + len(x) :]
    return line


def _verify(
    draft: Draft, drafter: _Drafter, old_path: str, old_data: bytes, new: LawText, new_path: str
) -> None:
    """Apply the draft to the old text and compare with the new article by article; an article
    that differs is given whole and the draft tried again; what still differs is a warning."""
    for _attempt in range(3):
        different = _differences(draft, old_path, old_data, new)
        if different is None:
            draft.diagnostics.append(diag("F332", "the draft does not apply to the old text", new_path, 1, 1))
            return
        if not different:
            return
        widened = {
            id(o) for o, w in drafter.pairs if o is not None and w is not None and _num(w) in different
        }
        if widened <= drafter.whole:
            break
        drafter.whole |= widened
        draft.items, draft.rows = drafter.items(), drafter.rows
    for num in sorted(different):
        draft.diagnostics.append(
            diag(
                "F332",
                f"{num}: applying the draft to the old text does not give the new text's",
                new_path,
                1,
                1,
            )
        )


def _differences(draft: Draft, old_path: str, old_data: bytes, new: LawText) -> set[str] | None:
    """The numbers of the new text's articles the draft, applied, does not give (None: it does
    not apply)."""
    text = draft.text()
    source = read_source("draft.txt", text.encode(), front_matter=False)
    instrument, diags = parse_instrument(source.lines, "draft.txt")
    if any(d.is_error for d in diags):
        return None
    result = apply_instrument(old_path, old_data, instrument, None, "draft.txt")
    if not result.ok:
        return None
    applied, _d = read_law_text("applied.txt", result.text.encode())
    if applied is None:
        return None
    got = {(a.value, a.sub): [_squash(t) for t in a.lines] for a in _provisions_only(applied.articles())}
    want = {(a.value, a.sub): [_squash(t) for t in a.lines] for a in _provisions_only(new.articles())}
    heads = {(a.value, a.sub): _num(a) for a in [*new.articles(), *applied.articles()]}
    out = {heads[key] for key in set(got) | set(want) if got.get(key) != want.get(key)}
    structure, wanted = _structure(applied), _structure(new)
    if structure != wanted:  # a heading or an annex line the draft does not say
        first = next((b for a, b in zip(structure, wanted, strict=False) if a != b), None)
        out.add(f"“{(first or (wanted + structure)[min(len(wanted), len(structure))])[:30]}”")
    return out


def _structure(law: LawText) -> list[str]:
    """The lines of a text's body that are not articles: 编, 章 and 节 headings, annexes."""
    first = next(
        (k for k, u in enumerate(law.units) if isinstance(u, ArticleText) or DIVISION_RE.match(str(u))),
        len(law.units),
    )
    return [_squash(u) for u in law.units[first:] if isinstance(u, str) and not CIRCLED_NOTE_RE.match(u)]


def _tail(law: LawText) -> list[str]:
    last = max((k for k, u in enumerate(law.units) if isinstance(u, ArticleText)), default=len(law.units) - 1)
    return [str(u) for u in law.units[last + 1 :]]
