"""FRBR URIs as values: every URI fadian writes parses back into the parts it was made from."""

from __future__ import annotations

import pytest

from fadian.uri import FrbrUri, portion_href, split_portion


def test_a_work_with_locality_and_subtype_round_trips():
    uri = FrbrUri.of_jurisdiction("cn-hb", "bill", "2023-04-15", "wuhan-draft", subtype="wuhan")
    assert uri.work_uri == "/akn/cn-hb/bill/wuhan/2023-04-15/wuhan-draft"
    expr = uri.expression("2023-05-01")
    assert expr.expression_uri == "/akn/cn-hb/bill/wuhan/2023-04-15/wuhan-draft/zho@2023-05-01"
    assert expr.manifestation_uri == expr.expression_uri + "/!main.xml"
    assert expr.this("work") == uri.work_uri + "/!main"
    back = FrbrUri.parse(expr.manifestation_uri)
    assert (back.country, back.locality, back.doctype, back.subtype) == ("cn", "hb", "bill", "wuhan")
    assert (back.date, back.number, back.language, back.expression_date) == (
        "2023-04-15",
        "wuhan-draft",
        "zho",
        "2023-05-01",
    )
    assert back.work() == FrbrUri.parse(uri.work_uri)


def test_a_work_without_subtype_and_a_portion():
    uri = FrbrUri.parse("/akn/cn/act/2020-01-01/2021/~art_5__para_2")
    assert (uri.subtype, uri.date, uri.number, uri.portion) == (None, "2020-01-01", "2021", "art_5__para_2")
    assert str(uri) == "/akn/cn/act/2020-01-01/2021/~art_5__para_2"
    assert split_portion(str(uri)) == ("/akn/cn/act/2020-01-01/2021", "art_5__para_2")
    assert portion_href("/akn/cn/act/2020-01-01/x", "art_1") == "/akn/cn/act/2020-01-01/x/~art_1"
    assert split_portion("/akn/cn/act/2020-01-01/x") == ("/akn/cn/act/2020-01-01/x", "")


@pytest.mark.parametrize(
    "bad", ["", "akn/cn/act/2020-01-01/x", "/akn/cn/act/x", "/akn/china/act/2020-01-01/x"]
)
def test_what_is_not_an_frbr_uri_is_refused(bad):
    with pytest.raises(ValueError):
        FrbrUri.parse(bad)
