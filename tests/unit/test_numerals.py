import pytest
from hypothesis import given
from hypothesis import strategies as st

from fadian.read.numerals import cn_to_int, int_to_cn


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百二十八", 128),
        ("四百五十二", 452),
        ("一千零一", 1001),
        ("两百", 200),
        ("一九四九", 1949),
        ("二〇二三", 2023),
        ("１２", 12),
        ("65", 65),
        ("一万零一", 10001),
    ],
)
def test_known_numerals(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (452, "四百五十二"),
        (1010, "一千零一十"),
    ],
)
def test_statute_spelling(value, text):
    assert int_to_cn(value) == text


@given(st.integers(min_value=1, max_value=99_999_999))
def test_round_trip(value):
    assert cn_to_int(int_to_cn(value)) == value


@pytest.mark.parametrize("bad", ["", "条", "第一", "a1"])
def test_rejects_non_numerals(bad):
    with pytest.raises(ValueError):
        cn_to_int(bad)
