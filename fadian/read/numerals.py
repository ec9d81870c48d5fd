"""Chinese numerals <-> integers, as printed in Chinese legal numbering.

Legal texts number with 一 … 九千九百九十九 (第一百二十八条), occasionally
with 〇/零 inside (第一百零五条), 两 in running text, and full-width Arabic
digits after PDF conversion. This module is pure and small so that the
parser can call it in its hot path.
"""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "两": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10000}

CN_NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS)

_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")

_PLAIN = "零一二三四五六七八九"
_ASCII_TO_CN = str.maketrans("0123456789", _PLAIN)


def to_halfwidth_digits(text: str) -> str:
    """Replace full-width digits (０-９) with ASCII ones."""
    return text.translate(_FULLWIDTH)


def cn_to_int(text: str) -> int:
    """Parse a Chinese (or Arabic, half- or full-width) numeral.

    Accepts positional forms too (一九四九 → 1949). Raises ValueError on
    anything that is not a numeral, so callers can report the position.
    """
    if not text:
        raise ValueError("empty numeral")
    ascii_digits = to_halfwidth_digits(text)
    if ascii_digits.isdigit() and ascii_digits.isascii():
        return int(ascii_digits)
    text = ascii_digits.translate(_ASCII_TO_CN)  # mixed: 第5十条 → 五十 (the parser warns)
    if any(ch not in DIGITS and ch not in UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in UNITS for ch in text):
        # positional: 一九四九, 二〇二三
        value = 0
        for ch in text:
            value = value * 10 + DIGITS[ch]
        return value
    total = 0  # completed 万 groups
    section = 0  # value below 万
    digit: int | None = None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
            continue
        unit = UNITS[ch]
        if unit == 10000:
            section += digit or 0
            total += (section or 1) * unit
            section = 0
        else:
            # a bare 十 at the start means 一十
            section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def int_to_cn(value: int) -> str:
    """Write a positive integer the way statutes print it (一百零五, 十二)."""
    if value < 0:
        raise ValueError("negative numbers are not used in legal numbering")
    if value == 0:
        return "零"
    if value >= 100_000_000:
        raise ValueError("number too large for legal numbering")
    if value >= 10000:
        high, low = divmod(value, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + _below_10000(low, leading=False)
        return _below_10000(high, leading=True) + "万" + rest
    return _below_10000(value, leading=True)


def _below_10000(value: int, *, leading: bool) -> str:
    parts: list[str] = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit)
        if digit == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        if unit == 10 and digit == 1 and not parts and leading:
            parts.append("十")  # 十二, not 一十二
        else:
            parts.append(_PLAIN[digit] + name)
    return "".join(parts)
