"""Table-driven tests of the citation patterns (refs/patterns.py): what each form of Chinese
citation matches, one row per form, without the resolver."""

from __future__ import annotations

import pytest

from fadian.refs.patterns import find_citations

# text, the citations found (matched text, the named group that recognised it)
ROWS = [
    ("依照本法第十二条处理", [("本法第十二条", "art")]),
    ("本条例第十二条之一第二款第（三）项", [("本条例第十二条之一第二款第（三）项", "art")]),
    ("违反第五条、第六条和第七条的", [("第五条", "art"), ("第六条", "art"), ("第七条", "art")]),
    ("第十条至第十二条", [("第十条", "art"), ("第十二条", "art")]),
    ("前款规定", [("前款", "rel")]),
    ("前两款规定", [("前两款", "rel")]),
    ("前条第二款", [("前条第二款", "rel")]),
    ("本条另有规定", [("本条", "rel")]),
    ("本章所称", [("本章", "rel")]),
    ("依照第三章规定", [("第三章", "div")]),
    ("第三十七条第一款、第三款", [("第三十七条第一款", "art"), ("第三款", "kuan")]),
    ("有第（一）项情形的", [("第（一）项", "xiang")]),
    ("《中华人民共和国反垄断法》第十二条", [("《中华人民共和国反垄断法》第十二条", "title")]),
    ("《数典》一书", [("《数典》", "title")]),
    ("（以下简称《规定》）", [("（以下简称《规定》）", "deftitle")]),
    ("（下称《条例》）", [("（下称《条例》）", "deftitle")]),
    ("（以下统称用人单位）", [("（以下统称用人单位）", "deftitle")]),
    ("本条例不适用于", [("本条例", None)]),  # 本条例 alone cites nothing
]


def kind_of(m) -> str | None:
    for group in ("deftitle", "title", "art", "rel", "div", "kuan", "xiang"):
        if m.group(group):
            return group
    return None


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[r[0] for r in ROWS])
def test_citation_pattern(text, expected):
    found = [(m.group(), kind_of(m)) for m in find_citations(text)]
    expected = [(t, k) for t, k in expected if k is not None]
    assert found == expected
