"""The line patterns of Chinese legal and policy numbering, and the tests on a line's text that
every reading mode shares (is it structure, does it read as a heading, which policy level)."""

from __future__ import annotations

import re

from fadian.read.numerals import CN_NUMERAL_CHARS

_NUM = f"[{CN_NUMERAL_CHARS}0-9０-９]"


# every space a PDF or a word processor leaves: U+3000, no-break, U+2000–U+200A, U+202F, U+205F
SPACE = " \t\u3000\u00a0\u202f\u205f" + "".join(chr(c) for c in range(0x2000, 0x200B))
_WS = f"[{SPACE}]"
ARTICLE_RE = re.compile(
    rf"^(?P<di>[第笫])(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*条"
    rf"(?:之(?P<sub>[一二三四五六七八九十]+))?(?=$|{_WS}|【|[（(]删)"
)


DIVISION_RE = re.compile(
    rf"^(?P<di>[第笫])(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*(?P<unit>分编|编|章|节)"
    rf"(?:{_WS}*(?P<title>[^。；]*))?$"
)


# 第一百二十八 条侦查人员…: a space in the wrong place, no space after 条. Read only when the
# number is the one expected next (see _loose_article).
LOOSE_ARTICLE_RE = re.compile(
    rf"^(?P<di>[第笫]){_WS}*(?P<num>{_NUM}(?:{_NUM}|{_WS})*?){_WS}*条"
    rf"(?:之(?P<sub>[一二三四五六七八九十]+))?(?!款|项|规定|的|所)"
)


ITEM_RE = re.compile(r"^(?P<q>“?)(?P<num>[（(](?P<n>[一二三四五六七八九十]+)[）)])\s*(?P<text>.*)$")
SUBITEM_RE = re.compile(r"^(?P<q>“?)(?P<num>(?P<n>[0-9０-９]{1,3})[.．](?![0-9０-９]))\s*(?P<text>.*)$")
LEVEL1_RE = re.compile(r"^(?P<q>“?)(?P<num>(?P<n>[一二三四五六七八九十]+)、)\s*(?P<text>.*)$")
ARABIC_PAREN_RE = re.compile(r"^(?P<q>“?)(?P<num>[（(](?P<n>[0-9０-９]{1,3})[）)])\s*(?P<text>.*)$")
FIGURE_RE = re.compile(r"^图\s*(?P<n>[0-9０-９]{1,3})\s*(?P<text>.*)$")
SOURCE_RE = re.compile(r"^[（(]来源[：:](?P<org>.+?)[）)]$")
FOOTNOTES_RE = re.compile(r"^[（(]附注[：:](?P<body>.*?)[）)]?$")
CIRCLED_NOTE_RE = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")
DATE_LINE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")
PAREN_LINE_RE = re.compile(r"^[（(][^（()）]+[）)]$")
ANNEX_RE = re.compile(r"^附件[一二三四五六七八九十0-9]*$")
DELETED_RE = re.compile(r"^[（(]删[去除][）)]$")
UNNUMBERED_LEGAL = {"附则": "supplementaryProvisions", "总则": "generalProvisions"}
TOC_TITLES = {"目录", "报告目录", "本期要目"}
DIVISION_KIND = {"编": "book", "分编": "part", "章": "chapter", "节": "section"}


# rank in the legal hierarchy; a unit may only nest inside a lower rank
LEGAL_RANK = {"book": 0, "part": 1, "chapter": 2, "section": 3, "hcontainer": 0, "article": 4}
POLICY_KINDS = ("section", "subsection", "paragraph", "point")
ARTICLE_START = frozenset("第笫")
ITEM_START = frozenset("（(“")


def squash(text: str) -> str:
    """Remove all white space (U+3000 too): 第一章 总 则 → 第一章总则."""
    return "".join(text.split())


# -- preface ------------------------------------------------------------------
def is_structural(text: str) -> bool:
    return bool(
        ARTICLE_RE.match(text)
        or DIVISION_RE.match(text)
        or LEVEL1_RE.match(text)
        or squash(text) in TOC_TITLES
        or squash(text) == "序言"
    )


CHAPTER_LINE_RE = re.compile(rf"^[第笫]{_NUM}+{_WS}*章(?:$|{_WS})")
_SENTENCE_PUNCT = re.compile("[。，；：:;,、]")
_HEADING_END = re.compile(r"[\u4e00-\u9fff）]$")


def is_heading_like(text: str) -> bool:
    return (
        len(text) <= 40
        and not _SENTENCE_PUNCT.search(text)
        and not ITEM_RE.match(text)
        and not SUBITEM_RE.match(text)
        and not CIRCLED_NOTE_RE.match(text)
        and not SOURCE_RE.match(text)
        and not DELETED_RE.match(text)
        and _HEADING_END.search(text) is not None
    )


# -- policy mode ------------------------------------------------------------------
def policy_level(text: str) -> tuple[int, re.Match] | None:
    for level, regex in enumerate((LEVEL1_RE, ITEM_RE, SUBITEM_RE, ARABIC_PAREN_RE)):
        m = regex.match(text)
        if m:
            return level, m
    return None


# A division's numbers run through its scope: 章 through a 编 (民法典 numbers its chapters
# across the 分编 of a 编; 刑法 restarts them in each 编), 节 through a 章.
DIVISION_SCOPE = {"book": None, "part": "book", "chapter": "book", "section": "chapter"}
