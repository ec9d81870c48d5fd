"""Apply an amendment instrument to a consolidated text: instructions in, the new source text
out, in the format editors commit (front matter carried over, new expression date).

Pure: the old text (as a string) and a parsed :class:`~fadian.amend.Instrument` in; the new
text, a change report and diagnostics out. The text is held as a list of units, each either a
line kept as printed (title, dated lines, headings, annexes) or an article's text
(amend/lawtext); each operation has its handler (amend/handlers). A decision that amends
several texts applies the section that names this one. Never silently wrong: an instrument
that would leave the text unchanged is an error, not a new version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fadian.amend.handlers import Applier
from fadian.amend.lawtext import ArticleText, Change, LawText, read_law_text, renumber_citations
from fadian.amend.model import Instrument, Provision, Section
from fadian.diagnostics import Diagnostic, diag
from fadian.read.numerals import cn_to_int
from fadian.refs.index import normalise_title

__all__ = [
    "ApplyResult",
    "applied_line",
    "apply_instrument",
    "provisions_for",
    "read_law_text",
    "recorded_forms",
    "renumber_citations",
]


@dataclass
class ApplyResult:
    text: str = ""
    changes: list[Change] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.text) and not any(d.is_error for d in self.diagnostics)


def apply_instrument(
    path: str,
    data: bytes,
    instrument: Instrument,
    section: str | None = None,
    instrument_path: str = "<instrument>",
) -> ApplyResult:
    """The consolidated text after ``instrument`` (the part of it that amends this text, or the
    ``section`` named: 2 or 二), with one Change per operation. A problem with an instruction is
    reported at its line in ``instrument_path``; one with the pairing, at the text."""
    result = ApplyResult()
    law, diags = read_law_text(path, data)
    result.diagnostics += diags
    if law is None or diags:
        return result
    provisions, problem = provisions_for(instrument, law.title, section)
    if problem:
        result.diagnostics.append(diag("F328", problem, path, 1, 1))
        return result
    already = recorded(law, instrument)
    if already:
        result.diagnostics.append(diag("F324", f"the text already records it: {already}", path, 1, 1))
        return result
    applier = Applier(instrument_path, law, reason=f"《{_nested(instrument.title)}》")
    applier.renumber_all = instrument.renumbers
    before = _body(law)
    for provision in provisions:
        for op in provision.operations:
            applier.apply(provision.num or provision.section, op)
    if not any(d.is_error for d in applier.diagnostics):
        applier.finish()
    result.changes, result.diagnostics = applier.changes, result.diagnostics + applier.diagnostics
    if any(d.is_error for d in result.diagnostics):
        return result
    if _body(law) == before:
        message = f"《{instrument.title}》 read as {len(result.changes)} change(s) leaves the text as it was"
        result.diagnostics.append(diag("F329", message, path, 1, 1))
        return result
    _add_header_line(law, applied_line(instrument, law))
    front = _front_with_date(law.front, instrument.date)
    result.text = ("\n".join(front) + "\n\n" if front else "") + _body(law) + "\n"
    return result


def provisions_for(
    instrument: Instrument, title: str, section: str | None = None
) -> tuple[list[Provision], str]:
    """The provisions that amend the text titled ``title`` and, when there are none, why: a
    decision's section chosen by its number or by the title it names; a one-text instrument's
    all (it must name this text, when it names one)."""
    if section is not None:
        chosen = _section_by_number(instrument.sections, section)
        if chosen is None:
            return [], f"the instrument has no section {section}: {_listing(instrument.sections)}"
        return [p for p in instrument.provisions if p.section == chosen.num], ""
    if instrument.sections:
        named = [s for s in instrument.sections if same_work(s.work, title)]
        if not named:
            return [], f"no section amends 《{title}》: {_listing(instrument.sections)}"
        return [p for p in instrument.provisions if p.section == named[0].num], ""
    works = instrument.works
    if works and not any(same_work(w, title) for w in works):
        return [], f"it amends 《{'》《'.join(works)}》, not 《{title}》"
    return instrument.provisions, ""


def same_work(named: str, title: str) -> bool:
    """A title as an instrument names it and a text's own: equal but for spaces, bracket forms
    (〈〉 for 《》), and the 中华人民共和国 prefix."""
    a, b = (normalise_title(t.replace("〈", "《").replace("〉", "》")) for t in (named, title))
    return a == b


def section_lines(instrument: Instrument, title: str, section: str | None = None) -> tuple[int, int] | None:
    """The lines (first, after the last) of the section of a decision amending several texts
    that amends ``title`` (or the ``section`` named); None for a one-text instrument, or when no
    one section does."""
    provisions, problem = provisions_for(instrument, title, section)
    nums = {p.section for p in provisions}
    if problem or len(nums) != 1 or not instrument.sections:
        return None
    (num,) = nums
    k = next((k for k, s in enumerate(instrument.sections) if s.num == num), None)
    if k is None:
        return None
    after = instrument.sections[k + 1].line if k + 1 < len(instrument.sections) else 1 << 30
    return instrument.sections[k].line, after


def _section_by_number(sections: list[Section], number: str) -> Section | None:
    try:
        value = int(number) if number.isdigit() else cn_to_int(number.rstrip("、"))
    except ValueError:
        return None
    return sections[value - 1] if 0 < value <= len(sections) else None


def _listing(sections: list[Section]) -> str:
    if not sections:
        return "it has no sections"
    return "; ".join(f"{k} {s.num}《{s.work}》" for k, s in enumerate(sections, start=1))


def _nested(title: str) -> str:
    """A title as it is cited inside another 《》: its own 《》 become 〈〉."""
    return title.replace("《", "〈").replace("》", "〉")


def recorded(law: LawText, instrument: Instrument) -> str:
    """The line of the text's header that records the instrument already ('' if none): one
    naming it (with 《》 or 〈〉 inside), or one naming the meeting and day that adopted it
    (…第1853次会议通过, as the Supreme People's Court's texts record a decision)."""
    forms = recorded_forms(instrument.title)
    adopted = ["".join(a.split()).removesuffix("通过") for a in instrument.adopted.split("、") if a]
    day = _chinese_date(instrument.date)
    for unit in law.units[: _first_article(law)]:
        squashed = "".join(str(unit).split())
        if not isinstance(unit, str):
            continue
        # a title a body gives many decisions (关于修改部分行政法规的决定) names this one only
        # on the day it was adopted; an instrument of no known date is told by its title only
        # where the line prints no date
        named = any(f in squashed for f in forms) and (
            not _DAY.match(squashed) or (bool(day) and squashed.startswith(day))
        )
        if named or any(len(a) > 11 and squashed.startswith(a) for a in adopted):
            return str(unit)
    return ""


_DAY = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")


def _chinese_date(iso: str | None) -> str:
    if not iso:
        return ""
    y, m, d = (int(x) for x in iso.split("-"))
    return f"{y}年{m}月{d}日"


def recorded_forms(title: str) -> set[str]:
    """The ways a text's header names an instrument (without spaces): 《title》, its inner 《》 as
    〈〉, and an NPC decision without the body that its meeting already names."""
    forms = {title, _nested(title)}
    forms |= {_NPC.sub("", t) for t in forms}
    return {"".join(f"《{t}》".split()) for t in forms}


_NPC = re.compile(r"^全国人民代表大会(?:常务委员会)?(?=关于)")


def applied_line(instrument: Instrument, law: LawText) -> str:
    """The header line the new text records the instrument with, in the official forms:
    ``2023年12月29日 第十四届…会议通过的《中华人民共和国刑法修正案（十二）》`` for a 修正案;
    ``2022年12月30日 第十三届…会议《关于修改〈…〉的决定》第二次修正`` for the NPC's decisions
    (the body that adopted it named by its meeting, not again in the title);
    ``2021年11月24日 最高人民法院审判委员会第1853次会议通过的《最高人民法院关于修改〈…〉的决定》
    修正`` for other bodies'."""
    adopted = instrument.adopted.rstrip("。 ")
    title = _nested(instrument.title)
    if "修正案" in instrument.title[-8:]:
        return f"{adopted}的《{title}》" if adopted.endswith("通过") else f"{adopted} 《{title}》"
    npc = _NPC.match(title)
    if npc is None:
        return (
            f"{adopted}的《{title}》{_nth(law)}"
            if adopted.endswith("通过")
            else f"{adopted} 《{title}》{_nth(law)}"
        )
    return f"{adopted.removesuffix('通过')}《{title[npc.end() :]}》{_nth(law)}"


def _nth(law: LawText) -> str:
    """第三次修正 when the header counts the amendments so far (修正 or 修订, as it says them);
    修正 otherwise."""
    header = [u for u in law.units[: _first_article(law)] if isinstance(u, str)]
    counted = [m for u in header if (m := re.search(r"第([一二三四五六七八九十]+)次(修正|修订)", u))]
    if not counted or len(counted) + 1 >= len(_CN):
        return "修正"
    return f"第{_CN[len(counted) + 1]}次{counted[-1].group(2)}"


_CN = "零一二三四五六七八九十"


def _first_article(law: LawText) -> int:
    return next((k for k, u in enumerate(law.units) if isinstance(u, ArticleText)), len(law.units))


def _body(law: LawText) -> str:
    return "\n\n".join(u if isinstance(u, str) else u.text() for u in law.units)


def _add_header_line(law: LawText, line: str) -> None:
    first = _first_article(law)
    dated = [k for k, u in enumerate(law.units[:first]) if isinstance(u, str) and re.match(r"^\d{4}年", u)]
    law.units.insert(dated[-1] + 1 if dated else 1, line)


def _front_with_date(front: list[str], date: str | None) -> list[str]:
    if not front or not date:
        return front
    lines = [ln for ln in front if not ln.startswith("expression_date:")]
    return [*lines[:-1], f"expression_date: '{date}'", lines[-1]]
