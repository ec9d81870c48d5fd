"""What a text says about itself (read/legalmeta), against the national database's record of the
300 sample texts, and on the forms of 题注 by hand.

The database gives, per text, 效力级别, 公布日期 and 施行日期. A date counts as *printed* when the
text prints it as that kind of date: on a line with 公布/发布/公告/主席令 (公布日期) or with
施行/实施/生效 (施行日期). Many database dates are not printed (a local regulation's 公告, the
commencement of the decision that last amended a text); those must stay absent, so they are not
scored here except as "wrong" when fadian gives a different date for a text that does print it.
"""

from __future__ import annotations

import json
import re

import pytest

from fadian.read.legalmeta import DATE_RE, iso_date, line_events, read_legal_metadata
from fadian.read.sources import SourceLine, read_source

from conftest import SHARED

SAMPLE = SHARED / "corpus" / "national-sample"
WORDS = {"promulgated": r"公布|发布|公告|主席令", "effective": r"施行|实施|生效"}


def printed_as(text: str, date: str, key: str) -> bool:
    """The text prints ``date`` as its 公布日期 / 施行日期 (the word within the same line)."""
    for line in text.split("\n"):
        for m in DATE_RE.finditer(line):
            if iso_date(m) == date and re.search(WORDS[key], line[m.start() : m.end() + 40]):
                return True
    return False


@pytest.fixture(scope="module")
def sample():
    manifest = json.loads((SAMPLE / "manifest.json").read_text("utf-8"))
    out = []
    for entry in manifest["documents"]:
        data = (SAMPLE / entry["file"]).read_bytes()
        source = read_source(entry["file"], data, front_matter=False)
        title = next(ln.text.strip() for ln in source.lines if ln.text.strip())
        out.append((entry, data.decode("utf-8"), read_legal_metadata(source.lines, title)))
    return out


def test_level_equals_the_national_database_for_97_percent(sample):
    differences = [
        f"{entry['file']}: database {entry['national_database']['level']}, fadian {meta.level}"
        for entry, _text, meta in sample
        if meta.level != entry["national_database"]["level"]
    ]
    print("\n".join(differences))
    assert len(differences) <= 0.03 * len(sample), differences
    # a level fadian gives is never a different one: where it cannot tell, it says nothing
    assert [d for d in differences if not d.endswith("fadian None")] == []


@pytest.mark.parametrize("key", ["promulgated", "effective"])
def test_dates_printed_are_found_and_never_wrong(sample, key):
    printed = found = 0
    differences = []
    for entry, text, meta in sample:
        want, got = entry["national_database"][key], getattr(meta, key)
        if not want or not printed_as(text, want, key):
            continue
        printed += 1
        found += got == want
        if got != want:
            differences.append(f"{entry['file']}: database {want}, fadian {got}")
    print(f"{key}: {found}/{printed} printed found; differences:\n" + "\n".join(differences))
    assert printed >= 40  # the sample holds enough of them to measure
    assert found >= 0.95 * printed, differences
    wrong = [d for d in differences if not d.endswith("fadian None")]
    assert len(wrong) <= 0.01 * printed, wrong


def test_a_date_the_text_does_not_print_is_absent(sample):
    """No date fadian gives is one the text does not print (dates are read, never made up)."""
    invented = []
    for entry, text, meta in sample:
        printed = {iso_date(m) for m in DATE_RE.finditer(text)}
        for key in ("promulgated", "effective", "adopted"):
            value = getattr(meta, key)
            if value is not None and value not in printed:
                invented.append(f"{entry['file']} {key} {value}")
    assert invented == []


def lines(*texts: str) -> list[SourceLine]:
    return [SourceLine(k, t) for k, t in enumerate(texts, start=1)]


def test_a_judicial_interpretation_in_brackets():
    meta = read_legal_metadata(
        lines(
            "最高人民法院关于审理某类案件适用法律若干问题的解释",
            "（2020年12月23日最高人民法院审判委员会第1823次会议通过，2020年12月29日最高人民法院公告公布，"
            "自2021年1月1日起施行）",
            "法释〔2020〕17号",
            "为正确审理某类案件，制定本解释。",
            "第一条 本解释适用于某类案件。",
        ),
        "最高人民法院关于审理某类案件适用法律若干问题的解释",
    )
    assert (meta.adopted, meta.promulgated, meta.effective) == ("2020-12-23", "2020-12-29", "2021-01-01")
    assert meta.issuer == "最高人民法院" and meta.document_number == "法释〔2020〕17号"
    assert meta.level == "司法解释"


def test_a_law_amended_by_decision_has_no_effective_date_of_its_own():
    """A 修正 leaves the original commencement article in place: 本法自2006年1月1日起施行 dates
    the original, not this version, whose 施行日期 the text does not print."""
    meta = read_legal_metadata(
        lines(
            "中华人民共和国测试法",
            "2005年2月28日 第十届全国人民代表大会常务委员会第十四次会议通过",
            "2009年12月26日 第十一届全国人民代表大会常务委员会第十二次会议《关于修改〈中华人民共和国测试法〉的决定》修正",
            "第一条 为了测试，制定本法。",
            "第二条 本法自2006年1月1日起施行。",
        ),
        "中华人民共和国测试法",
    )
    assert meta.effective is None
    assert meta.promulgated == "2009-12-26"  # a law is promulgated by 主席令 the day it is adopted
    assert meta.level == "法律" and meta.issuer == "全国人民代表大会常务委员会"
    assert [e.kind for e in meta.events] == ["adopted", "amended"]
    assert meta.events[1].instrument == "关于修改〈中华人民共和国测试法〉的决定"


def test_a_revised_text_takes_effect_by_its_commencement_article():
    meta = read_legal_metadata(
        lines(
            "中华人民共和国测试法",
            "1993年12月29日 第八届全国人民代表大会常务委员会第五次会议通过",
            "2023年12月29日 第十四届全国人民代表大会常务委员会第七次会议修订",
            "第一条 为了测试，制定本法。",
            "第二条 本法自2024年7月1日起施行。",
        ),
        "中华人民共和国测试法",
    )
    assert (meta.adopted, meta.version_date, meta.effective) == ("1993-12-29", "2023-12-29", "2024-07-01")


def test_a_local_regulation_keeps_its_unprinted_promulgation_absent():
    """A provincial legislature promulgates by 公告, often days later: not printed, not given."""
    meta = read_legal_metadata(
        lines(
            "浙江省测试条例",
            "2021年9月29日 浙江省第十三届人民代表大会常务委员会第三十一次会议通过",
            "第一条 为了测试，制定本条例。",
            "第二条 本条例自2022年1月1日起施行。",
        ),
        "浙江省测试条例",
    )
    assert meta.promulgated is None and meta.effective == "2022-01-01"
    assert meta.level == "地方性法规" and meta.issuer == "浙江省人民代表大会常务委员会"


def test_a_day_the_calendar_lacks_is_no_date():
    """6月31日 (a misprint, or a mutant the fuzzer made): the event has no date, so nothing is
    dated by it — and nothing fails on it (it raised ValueError deep in the 制定机关 rule)."""
    assert iso_date(DATE_RE.search("2021年6月31日")) is None
    assert iso_date(DATE_RE.search("2024年2月29日")) == "2024-02-29"
    meta = read_legal_metadata(
        lines(
            "丽水市测试条例",
            "2021年6月31日 丽水市第四届人民代表大会常务委员会第三十一次会议审议通过",
            "2021年7月30日 浙江省第十三届人民代表大会常务委员会第三十一次会议批准",
            "第一条 为了测试，制定本条例。",
        ),
        "丽水市测试条例",
    )
    assert meta.adopted != "2021-06-31" and all(e.date != "2021-06-31" for e in meta.events)


def test_a_state_council_regulation_with_its_order_number():
    meta = read_legal_metadata(
        lines(
            "测试条例",
            "2004年10月13日 国务院第66次常务会议通过",
            "2004年10月20日 中华人民共和国国务院令第422号公布",
            "2004年12月1日 施行",
            "第一条 为了测试，制定本条例。",
        ),
        "测试条例",
    )
    assert (meta.promulgated, meta.effective) == ("2004-10-20", "2004-12-01")
    assert meta.document_number == "国务院令第422号" and meta.level == "行政法规"
    assert meta.issuer == "国务院"


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("中华人民共和国测试法", "法律"),
        ("测试管理条例", "行政法规"),  # a 部门规章 may not be called 条例
        ("上海市测试条例", "地方性法规"),
        ("某某自治州测试自治条例", "自治条例和单行条例"),
        ("测试管理办法", None),  # a 规章 or a 行政法规: the title does not say
        ("中华人民共和国测试管理办法", None),
    ],
)
def test_level_from_the_title_alone(title, level):
    assert read_legal_metadata(lines(title, "第一条 测试。"), title).level == level


def test_a_joint_adoption_shares_its_verb():
    events = line_events(
        "2004年9月1日 最高人民法院审判委员会第1323次会议、2004年9月2日最高人民检察院第十届检察委员会第26次会议通过"
    )
    assert [(e.kind, e.date, e.body) for e in events] == [
        ("adopted", "2004-09-01", "最高人民法院审判委员会"),
        ("adopted", "2004-09-02", "最高人民检察院检察委员会"),
    ]


def test_a_sentence_of_the_preamble_is_no_event():
    assert line_events("为正确适用本法，现就人民法院2015年11月1日以后审理的案件规定如下：") == []


def test_a_standalone_text_without_a_date_says_it_was_dated_1970():
    """`fadian convert` of a text printing no date: the AKN URI needs one, so it is 1970-01-01 —
    never silently: warning F212 says so, and --date gives the real one."""
    from fadian.api import convert

    undated = convert("测试法\n\n第一条 甲。\n")
    assert undated.xml is not None and b'date="1970-01-01"' in undated.xml
    assert [d.code for d in undated.diagnostics] == ["F212"]
    dated = convert("测试法\n\n第一条 甲。\n", date="2020-01-01")
    assert dated.xml is not None and not dated.diagnostics and b'date="2020-01-01"' in dated.xml
    printed = convert("测试法\n\n2020年5月1日 第一次会议通过\n\n第一条 甲。\n")
    assert "F212" not in [d.code for d in printed.diagnostics]


@pytest.mark.parametrize(
    ("header", "promulgated"),
    [
        # a regulation revised by an order: that order's date is this version's 公布日期
        ("（2005年3月1日中华人民共和国国务院令第430号公布　根据2016年2月6日中华人民共和国国务院令第666号修订）", "2016-02-06"),
        ("2010年5月1日交通运输部令第5号发布　2018年6月1日交通运输部令第12号修正", "2018-06-01"),
        # …修正公布 by a body that does not promulgate by 主席令
        ("（1995年5月1日某省人民代表大会常务委员会通过　2001年10月27日某省人民代表大会常务委员会修正公布）", "2001-10-27"),
        # issued with a notice
        ("（1993年4月20日以法发〔1993〕15号通知印发）", "1993-04-20"),
        # a one-line bracketed 题注 below the title
        ("（2001年12月24日最高人民法院审判委员会第1203次会议通过　2002年3月15日最高人民法院公告公布　自2002年3月26日起施行）", "2002-03-15"),
        # a revision by a body that promulgates later (常务会议): no 公布日期 printed
        ("（2005年3月1日某省人民政府令第1号公布　2016年2月6日某省人民政府常务会议修订）", None),
    ],
)
def test_the_date_a_version_is_promulgated(header, promulgated):
    meta = read_legal_metadata(lines("某某规定", header, "第一条 为了测试，制定本规定。"), "某某规定")
    assert meta.promulgated == promulgated


def test_a_notice_is_no_issuer():
    meta = read_legal_metadata(
        lines("某某规定", "（1993年4月20日以法发〔1993〕15号通知印发）", "第一条 为了测试，制定本规定。"), "某某规定"
    )
    assert meta.document_number == "法发〔1993〕15号" and meta.issuer in (None, "")


LATER_NOTE = (
    "某某条例",
    "（2001年3月1日某某市人民代表大会常务委员会第二十次会议通过　2001年3月5日公布　自2001年5月1日起施行）",
    "第一条 为了测试，制定本条例。",
    "第二条 （2011年1月8日删除）",
    "第三条 本条例自2001年5月1日起施行。",
)


def test_a_change_the_body_notes_after_the_header_leaves_this_versions_dates_absent():
    meta = read_legal_metadata(lines(*LATER_NOTE), "某某条例")
    assert meta.later_note is not None and meta.later_note[0] == "2011-01-08"
    assert (meta.adopted, meta.promulgated, meta.effective) == ("2001-03-01", None, None)


def test_an_editorial_note_no_later_than_the_header_changes_nothing():
    earlier = tuple(line.replace("2011年1月8日删除", "2001年3月1日删除") for line in LATER_NOTE)
    meta = read_legal_metadata(lines(*earlier), "某某条例")
    assert meta.later_note is None
    assert (meta.promulgated, meta.effective) == ("2001-03-05", "2001-05-01")
