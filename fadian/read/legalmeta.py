"""What a Chinese legal text says about itself: who made it and when (the 题注 under its title),
when it takes effect (the header or its commencement article), its 文号, and the 效力级别 its
issuing body and title imply.

Pure: the document's lines in, a :class:`LegalMetadata` out. A fact the text does not print is
absent, never guessed; the few conventions used are the law's own (a law or local regulation
is promulgated on the day its legislature adopts it, by 主席令 or 公告; a 修正 leaves the
commencement article of the text it amends in place, so that article dates only an original or
a 修订 text).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fadian.read.numerals import cn_to_int
from fadian.read.patterns import ARTICLE_RE, DIVISION_RE, LEVEL1_RE, SPACE, squash
from fadian.read.sources import SourceLine

ADOPTED, AMENDED, REVISED = "adopted", "amended", "revised"
PROMULGATED, APPROVED, EFFECTIVE, REPEALED = "promulgated", "approved", "effective", "repealed"
EVENT_LABELS = {  # as a reader of the national database reads them
    ADOPTED: "通过",
    AMENDED: "修正",
    REVISED: "修订",
    PROMULGATED: "公布",
    APPROVED: "批准",
    EFFECTIVE: "施行",
    REPEALED: "废止",
}
CHANGES = (ADOPTED, AMENDED, REVISED, PROMULGATED)  # events that make a version of the text

_CN_DIGIT = "〇零○一二三四五六七八九"
DATE_RE = re.compile(
    rf"(?P<y>\d{{4}}|[{_CN_DIGIT}]{{4}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_DIGIT}十]{{1,2}})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|[{_CN_DIGIT}十]{{1,3}})\s*日"
)
_ORDINAL = "[0-9零〇一二三四五六七八九十百千]+"
_INSTRUMENT = re.compile(
    r"《(?:[^《》]|《[^《》]*》)*》|关于修改(?:[^，。；]*?)的决定|关于[^，。；《》]*?的决定"
)
_NUMBER = re.compile(
    rf"[\u4e00-\u9fff、]*?(?:令|公告)?\s*第\s*{_ORDINAL}\s*号令?|[\u4e00-\u9fff]{{1,6}}〔\d{{4}}〕\d+号"
)
_SESSION = re.compile(rf"第?{_ORDINAL}届|第{_ORDINAL}次(?:常务|全体)?会议|会议|审议")
_COMMENCEMENT = re.compile(r"本[\u4e00-\u9fff]{0,8}?自(?P<when>[^，。；、]{2,24}?)起?(?:施行|实施|生效)")
_PLACE = re.compile(
    r"^(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东"
    r"|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门)"
    r"|^[\u4e00-\u9fff]{2,7}?(?:省|自治区|自治州|自治县|市(?!场)|县|盟|地区)"
)
_LEGISLATURE = re.compile(r"人民代表大会")
_GOVERNMENT = re.compile(r"人民政府")
_MINISTRY = re.compile(r"(?:部|委员会|总局|局|署|银行|办公厅|办公室)$")


@dataclass(frozen=True, slots=True)
class LegalEvent:
    """One dated event the text prints: 通过, 修正, 修订, 公布, 批准, 施行 or 废止."""

    kind: str
    date: str  # YYYY-MM-DD
    body: str = ""  # who: 全国人民代表大会常务委员会, 国务院, 最高人民法院审判委员会 …
    instrument: str = ""  # the instrument it names (《关于修改…的决定》), without 《》
    number: str = ""  # the 文号 it names: 国务院令第422号 …
    line: int = 0

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]


@dataclass(frozen=True)
class LegalMetadata:
    """The legal metadata one text prints (every field None where it prints nothing)."""

    events: tuple[LegalEvent, ...] = ()
    issuer: str | None = None  # 制定机关
    document_number: str | None = None  # 文号
    promulgated: str | None = None  # 公布日期 of this version
    effective: str | None = None  # 施行日期 of this version
    level: str | None = None  # 效力级别
    commencement: str | None = None  # the commencement clause's when: 2019年10月1日, 公布之日 …
    repeals: tuple[str, ...] = ()  # the texts it repeals when it takes effect (…同时废止)
    # a dated editorial note in the body later than every event of the 题注 (（2011年1月8日删除）):
    # (its date, its line) — this text is a later version than its header says
    later_note: tuple[str, int] | None = None

    @property
    def adopted(self) -> str | None:
        """The date the text was first made (通过, else 公布)."""
        for kinds in ((ADOPTED,), (PROMULGATED, APPROVED)):
            dates = [e.date for e in self.events if e.kind in kinds]
            if dates:
                return min(dates)
        return None

    @property
    def version_date(self) -> str | None:
        """The date of the last change the text records (通过, 修正, 修订, 公布)."""
        dates = [e.date for e in self.events if e.kind in CHANGES]
        return max(dates) if dates else None

    @property
    def last_change(self) -> LegalEvent | None:
        changes = [e for e in self.events if e.kind in CHANGES]
        return max(changes, key=lambda e: (e.date, CHANGES.index(e.kind))) if changes else None


def iso_date(m: re.Match) -> str | None:
    """A printed date (Arabic or Chinese numerals) as YYYY-MM-DD; None when it is no date."""
    try:
        y = m["y"] if m["y"].isdigit() else "".join(str(cn_to_int(c)) for c in m["y"])
        month, day = (int(v) if v.isdigit() else cn_to_int(v) for v in (m["m"], m["d"]))
        year = int(y)
    except ValueError:
        return None
    return calendar_date(year, month, day)


def calendar_date(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD of a printed day, or None when the calendar has no such day (6月31日 is a
    misprint: the fact stays absent, never a date made up from it)."""
    if not 1900 <= year <= 2200:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def header_lines(lines: list[SourceLine]) -> list[SourceLine]:
    """The lines between the title and the body: the 题注 and the lines printed with it."""
    out: list[SourceLine] = []
    texts: list[SourceLine] = []
    for ln in lines:  # the first 24 lines that are not blank
        if ln.text.strip(SPACE):
            texts.append(ln)
            if len(texts) == 24:
                break
    for ln in texts[1:]:
        text = ln.text.strip(SPACE)
        squashed = squash(text)
        if ARTICLE_RE.match(text) or DIVISION_RE.match(text) or LEVEL1_RE.match(text):
            break
        if squashed in ("目录", "序言", "总则") or re.match(r"^[（(][一二三四五六七八九十]+[）)]", text):
            break
        dated = DATE_RE.search(text[:40]) is not None
        if len(text) > 90 and not dated:
            break
        out.append(ln)
    return out


def joined_header(head: list[SourceLine]) -> list[SourceLine]:
    """Header lines with their continuations joined: a dated line broken before its verb
    (2017年7月28日 山东省 / 第十二届…会议…修正) or inside an instrument's title."""
    out: list[SourceLine] = []
    for ln in head:
        text = ln.text.strip(SPACE)
        if out and not DATE_RE.match(text) and _unfinished(out[-1].text):
            out[-1] = SourceLine(out[-1].number, out[-1].text.rstrip(SPACE) + text)
        else:
            out.append(SourceLine(ln.number, text))
    return out


def _unfinished(text: str) -> bool:
    """A dated header line that stops before saying what happened, or inside 《》."""
    text = text.strip(SPACE + "（(")
    m = DATE_RE.match(text)
    if m is None:
        return False
    return text.count("《") > text.count("》") or not _kinds(text[m.end() :])


def read_legal_metadata(lines: list[SourceLine], title: str = "") -> LegalMetadata:
    """Every event the 题注 prints, the 文号, 制定机关, 公布 and 施行 dates and 效力级别."""
    head = joined_header(header_lines(lines))
    events = [e for ln in head for e in line_events(ln.text, ln.number)]
    numbers = [
        m.group().strip().replace("中华人民共和国", "")
        for ln in head
        for m in _NUMBER.finditer(_strip_instruments(ln.text))
    ]
    events.sort(key=lambda e: e.date)
    commencement, repeals = _commencement(lines)
    issuer = _issuer(events)
    level = infer_level(title, events, numbers)
    promulgated = _promulgated(events, level)
    effective = _effective(events, commencement, promulgated)
    number = next((e.number for e in reversed(events) if e.number), None) or _doc_number(numbers)
    later = _later_note(lines, head, events)
    if later is not None:  # the header's dates are an earlier version's: this one's are not printed
        promulgated = effective = None
    return LegalMetadata(
        tuple(events), issuer, number, promulgated, effective, level, commencement, repeals, later
    )


_EDITORIAL_NOTE = re.compile(rf"[（(]\s*(?:{DATE_RE.pattern})\s*(?:删除|删去|修改|修订|修正|增加|调整)[）)]")


def _later_note(
    lines: list[SourceLine], head: list[SourceLine], events: list[LegalEvent]
) -> tuple[str, int] | None:
    """The latest dated editorial note of the body (（2011年1月8日删除）), when it is later than
    every change the 题注 lists."""
    last = max((e.date for e in events if e.kind in CHANGES), default=None)
    after = max((ln.number for ln in head), default=0)
    notes = [
        (date, ln.number)
        for ln in lines
        if ln.number > after
        for m in _EDITORIAL_NOTE.finditer(ln.text)
        if (date := iso_date(m)) is not None
    ]
    latest = max(notes, default=None)
    return latest if latest is not None and last is not None and latest[0] > last else None


_DATED_START = re.compile(rf"^[（(]?(?:根据)?[{SPACE}]*(?:{DATE_RE.pattern})")


def line_events(text: str, line: int = 0) -> list[LegalEvent]:
    """The events of one header line: a line that starts with a date (a sentence of the
    preamble that mentions one is not a 题注); it may hold several (（…通过，…公布，自…起施行）),
    and a segment without its own verb shares the next one's (两院 …会议、…会议通过)."""
    text = text.strip(SPACE)
    if not _DATED_START.match(text):
        return []
    text = text.strip(SPACE + "（）()")
    starts = [m for m in DATE_RE.finditer(text)]
    segments = []
    for k, m in enumerate(starts):
        end = starts[k + 1].start() if k + 1 < len(starts) else len(text)
        segments.append((m, text[m.end() : end]))
    events: list[LegalEvent] = []
    pending: list[tuple[str, str]] = []  # segments waiting for a verb: (date, rest)
    for m, rest in segments:
        date = iso_date(m)
        if date is None:
            continue
        kinds = _kinds(rest)
        if not kinds:
            if re.search("会议|委员会|人民法院|人民检察院", rest):
                pending.append((date, rest))
            continue
        for when, words in [*pending, (date, rest)]:
            for kind in kinds if words is rest else kinds[:1]:
                events.append(_event(kind, when, words, line))
        pending = []
    for when, words in pending:  # 2020年8月31日 最高人民法院审判委员会第1811次会议 (通过 on the next line)
        events.append(_event(ADOPTED, when, words, line))
    return events


_VERBS = (  # the last verb of a segment says what happened; the first that matches wins
    (re.compile("修订"), REVISED),
    (re.compile("修正|修改"), AMENDED),
    (re.compile("废止"), REPEALED),
    (re.compile("公布|发布|颁布|印发"), PROMULGATED),
    (re.compile("批准"), APPROVED),
    (re.compile("起?施行|实施|生效"), EFFECTIVE),
    (re.compile("通过"), ADOPTED),
)
_BOTH = re.compile("公布施行|发布施行")
_CHANGED_AND_PROMULGATED = re.compile("(修订|修正|修改)(?:后|并)?(?:公布|发布)")  # …修正公布
_ADOPTED_INSTRUMENT = re.compile(r"通过的\s*《")
_AMENDING_INSTRUMENT = re.compile(r"《[^》]*(?:修正案|决定)")


def _kinds(rest: str) -> list[str]:
    """What a segment says happened, from its verb."""
    words = _strip_instruments(rest)
    if _BOTH.search(words):
        return [PROMULGATED, EFFECTIVE]
    if both := _CHANGED_AND_PROMULGATED.search(words):
        return [REVISED if both.group(1) == "修订" else AMENDED, PROMULGATED]
    if _ADOPTED_INSTRUMENT.search(rest) or (_AMENDING_INSTRUMENT.search(rest) and "修" not in words):
        return [AMENDED]  # …通过的《刑法修正案（十二）》: an amendment of this text
    for pattern, kind in _VERBS:
        if pattern.search(words):
            return [kind]
    return []


def _strip_instruments(text: str) -> str:
    return _INSTRUMENT.sub("", text)


def _event(kind: str, date: str, rest: str, line: int) -> LegalEvent:
    instrument = ""
    named = _INSTRUMENT.search(rest)
    if named:
        instrument = named.group().strip("《》")
    words = _strip_instruments(rest)
    number_match = _NUMBER.search(words)
    number = number_match.group().strip().replace("中华人民共和国", "") if number_match else ""
    number = number.removeprefix("以")  # 以法发〔1993〕15号通知印发
    if re.search(r"(?:通过|会议|批准)", number):  # 第N次会议…: no 文号
        number = ""
    body = _body(words, number)
    if not body and instrument.startswith(("国务院关于", "全国人民代表大会常务委员会关于")):
        body = instrument.split("关于", 1)[0]
    return LegalEvent(kind, date, body, instrument, number, line)


_LINKING = re.compile("根据|通过的|的$")
_VERB_TAIL = re.compile(
    r"(?:第[一二三四五六七八九十]+次)?(?:修订|修正|修改|通过|公布施行|发布施行|公布|发布|颁布|印发|批准|起?施行|实施|生效|废止).*$"
)
_SEPARATORS = re.compile(r"^[自于]|[、，,\s\u3000]+")
_ORDER = re.compile(rf"(?:令|公告)\s*第\s*{_ORDINAL}\s*号|第{_ORDINAL}号令|第{_ORDINAL}号")


def _body(words: str, number: str) -> str:
    """The organ that acted, without 届, 会议 and 文号: 上海市人民代表大会常务委员会."""
    body = words.replace(number, "") if number else words
    body = _SEPARATORS.sub("", _VERB_TAIL.sub("", _SESSION.sub("", _LINKING.sub("", body))))
    body = body.removeprefix("中华人民共和国").removeprefix("原")
    body = re.sub(r"^以|(?:通知|文件|函)$", "", body)  # 以法发〔1993〕15号通知印发: no organ named
    if number and not body and re.search("令|公告", number):  # 国务院令第N号: 国务院
        body = _SESSION.sub("", _ORDER.sub("", number)).removeprefix("中华人民共和国")
    return body if len(body) <= 40 else ""


def _organ(body: str) -> str:
    """The organ a body belongs to: 最高人民法院审判委员会 → 最高人民法院; 国务院常务 → 国务院."""
    body = re.sub(r"(?:审判委员会|检察委员会|常务)$", "", body)
    return body


def _issuer(events: list[LegalEvent]) -> str | None:
    """制定机关: who first made the text (通过, else 批准, else 公布), joint makers together."""
    for kind in (ADOPTED, APPROVED, PROMULGATED):
        first = [e for e in events if e.kind == kind and e.body]
        if first:
            day = first[0].date
            organs = dict.fromkeys(_organ(e.body) for e in first if e.date <= _days_after(day, 31))
            return "、".join(o for o in organs if o) or None
    return None


def _days_after(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def _doc_number(numbers: list[str]) -> str | None:
    """A 文号 printed on a line of its own (法释〔2022〕3号)."""
    return next((n for n in reversed(numbers) if "〔" in n or "令" in n), None)


def _commencement(lines: list[SourceLine]) -> tuple[str | None, tuple[str, ...]]:
    """When the commencement clause (本法自…起施行) says the text takes effect — the last such
    clause of the text, as printed (2019年10月1日, 公布之日) — and the texts it repeals in the
    same article (《上海市募捐条例》同时废止)."""
    for ln in reversed(lines):
        text = ln.text
        if "自" not in text or not ("施行" in text or "实施" in text or "生效" in text):
            continue
        m = _COMMENCEMENT.search(text)
        if m and not m.group().startswith(("本解释施行", "本规定施行")):
            repealed = tuple(
                title.strip("《》")
                for sentence in _REPEALING.findall(text[m.end() :])
                for title in _TITLE.findall(sentence)
            )
            return m.group("when").strip(SPACE), repealed
    return None, ()


_REPEALING = re.compile(r"[^。；]*?同时废止")
_TITLE = re.compile(r"《(?:[^《》]|《[^《》]*》)+》")


_BY_ORDER = re.compile(r"令\s*第")  # 国务院令第N号, 主席令第N号, 部令第N号


def _promulgated(events: list[LegalEvent], level: str | None) -> str | None:
    """公布日期 of this version: the last change when it is a 公布, or a change by a body that
    promulgates what it adopts on the same day (a legislature by 公告 or 主席令, the State
    Council's decisions by 国务院令); absent when only a body that promulgates later acted
    (审判委员会, 常务会议)."""
    last = max((e for e in events if e.kind in CHANGES), key=lambda e: e.date, default=None)
    if last is None:
        return None
    if last.kind == PROMULGATED:
        return last.date
    same_day = [e for e in events if e.date == last.date and e.kind == PROMULGATED]
    if same_day:
        return last.date
    if last.body in ("全国人民代表大会", "全国人民代表大会常务委员会"):
        return last.date  # a law is promulgated by 主席令 on the day it is adopted
    if last.kind in (AMENDED, REVISED) and _BY_ORDER.search(last.number):
        return last.date  # …国务院令第666号修订: the order that revises promulgates this version
    if (
        last.kind in (AMENDED, REVISED)
        and last.instrument.startswith("国务院关于")
        and not last.body.endswith("常务")
    ):
        return last.date
    return None


def _effective(events: list[LegalEvent], commencement: str | None, promulgated: str | None) -> str | None:
    """施行日期 of this version: printed in the header; else, for an original or 修订 text, its
    commencement article (自公布之日起: the 公布日期); absent for a text last changed by a 修正
    (its commencement article is the original's)."""
    changes = [e for e in events if e.kind in CHANGES]
    last_change = max((e.date for e in changes), default="")
    explicit = [e.date for e in events if e.kind == EFFECTIVE and e.date >= last_change]
    if explicit:
        return max(explicit)
    last = [e for e in changes if e.date == last_change]
    amended = any(e.kind == AMENDED for e in last) and not any(e.kind == REVISED for e in last)
    if commencement is None:
        return None
    m = DATE_RE.search(commencement)
    if m:  # a date on or after the last change can only be this version's
        date = iso_date(m)
        return date if date is not None and date >= last_change else None
    if re.search(r"公布|发布", commencement) and not amended:
        return promulgated
    return None


def infer_level(title: str, events: list[LegalEvent], numbers: list[str] | None = None) -> str | None:
    """效力级别 from the bodies that made the text and its title (None when they do not say)."""
    t = squash(title)
    bodies = [e.body for e in events if e.body] + [
        e.instrument.split("关于", 1)[0] for e in events if e.instrument
    ]
    bodies += [n for n in numbers or []]
    if t.startswith(("中华人民共和国宪法", "宪法修正案")):
        return "宪法"
    if any("监察委员会" in b and "国家" in b for b in bodies):
        return "监察法规"
    if t.startswith(("最高人民法院", "最高人民检察院")) or any(
        b.startswith(("最高人民法院", "最高人民检察院")) for b in bodies
    ):
        return "司法解释"
    if any(b.startswith("全国人民代表大会") or "主席令" in b for b in bodies):
        return "法律"
    if t.startswith("国务院") or any(b.startswith("国务院") for b in bodies):
        return "行政法规"
    local = [b for b in bodies if _PLACE.match(b) or b.startswith(("省", "市", "县", "自治"))]
    if any(_LEGISLATURE.search(b) for b in local):
        return _local_level(t, local)
    if any(_GOVERNMENT.search(b) for b in local):
        return "地方政府规章"
    if any(_MINISTRY.search(re.sub(r"(?:令|公告).*$", "", b)) for b in bodies if not _PLACE.match(b)):
        return "部门规章"
    return _level_from_title(t)


def _local_level(title: str, bodies: list[str]) -> str:
    """A local legislature's text: an 自治条例 or 单行条例 when its title says so (a 民族自治地方's
    other regulations are 地方性法规 in the national database)."""
    if re.search(r"(?:自治条例|单行条例)(?:[（(].*[）)])?$", title):
        return "自治条例和单行条例"
    return "地方性法规"


def _level_from_title(t: str) -> str | None:
    """A text that prints no maker: what its title alone settles (a 条例 without a place is a
    行政法规 — a 部门规章 may not be called 条例; 中华人民共和国…法 is a 法律)."""
    if t.startswith("中华人民共和国") and re.search(r"(?<!办)法(?:[（(].*[）)])?$", t):
        return "法律"
    if _PLACE.match(t):
        if "人民政府" in t[:16]:
            return "地方政府规章"
        if re.search(r"(?:自治条例|单行条例)(?:[（(].*[）)])?$", t):
            return "自治条例和单行条例"
        return "地方性法规" if re.search(r"(?:条例|规定|办法|规则|决定)(?:[（(].*[）)])?$", t) else None
    if re.search(r"条例(?:[（(].*[）)])?$", t):
        return "行政法规"
    return None
