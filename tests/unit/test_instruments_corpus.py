"""Issue 21: every real instrument of the corpus converts with each instruction read and written
as a ``<mod>`` (its targets linked, its kind a textualMod, its quoted text inside), and nothing
unread."""

from __future__ import annotations

import pytest

from fadian.akn.validate import lxml_schema
from fadian.amend.grammar import parse_instrument
from fadian.amend.tree import textual_mods
from fadian.pipeline import compile_standalone
from fadian.read.sources import read_source
from fadian.refs.index import RefIndex, Work

from amend_texts import NS
from conftest import CORPUS, SHARED

REAL = [
    *sorted((SHARED / "corpus" / "instruments").glob("*.txt")),
    SHARED / "corpus" / "national-sample" / "157.txt",  # 刑法修正案（十）: an instruction in the preamble
    SHARED / "corpus" / "national-sample" / "192.txt",  # 宪法修正案（2004年）
    CORPUS / "criminal-law-amendment-12-2023.txt",
    CORPUS / "spc-decision-amending-railway-injury-interpretation-2021.txt",
]


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.stem)
def test_every_instruction_of_a_real_instrument_is_a_mod(path):
    data = path.read_bytes()
    parsed, diags = parse_instrument(read_source(path.name, data, front_matter=False).lines, path.name)
    unread = [d.format() for d in diags if d.is_error or d.code == "F326"]
    assert unread == [], unread
    # every text it amends is known, so that every change is linked
    index = RefIndex()
    for k, title in enumerate(dict.fromkeys([parsed.work, *parsed.works]), start=1):
        index.add(Work(f"/akn/cn/act/test/2000-01-01/amended-{k}", title))
    doc = compile_standalone(path.name, data, "instrument", index, doc_type="amendment")
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    assert not [d for d in doc.diagnostics if d.code in ("F320", "F325", "F326")]
    assert lxml_schema().validate(doc.root), lxml_schema().error_log
    changing = [p for p in parsed.provisions if any(op.mod_type for op in p.operations)]
    assert changing, "an instrument that changes nothing"
    mods = doc.root.xpath("//a:mod", namespaces=NS)
    assert len(mods) == len(changing)
    for prov, mod in zip(changing, mods, strict=True):
        text = _squash("".join(mod.itertext()))
        for op in prov.operations:
            for paragraph in op.quoted:  # the quoted new text is in the mod
                assert _squash(paragraph) in text, (prov.num, paragraph[:20])
            if op.target is not None and op.target.article > 0 and op.work in ("", parsed.work):
                # the place it names is a link into the amended work
                assert mod.xpath(".//a:ref", namespaces=NS), (prov.num, op.kind)
    textual = doc.root.xpath("//a:activeModifications/a:textualMod", namespaces=NS)
    expected = [m for op in parsed.operations if op.mod_type for m in textual_mods(op)]
    assert [t.get("type") for t in textual] == [m.type for m in expected]
    sources = {t.find("a:source", NS).get("href")[1:] for t in textual}
    assert sources <= {m.get("eId") for m in mods}
    destinations = [d.get("href") for t in textual for d in t.iterfind("a:destination", NS)]
    assert all(d.startswith("/akn/cn/act/test/2000-01-01/amended-") for d in destinations)


def test_decision_amending_eighteen_texts_has_a_section_for_each():
    path = SHARED / "corpus" / "instruments" / "spc-decision-18-ip-interpretations-2020.txt"
    parsed, _ = parse_instrument(
        read_source(path.name, path.read_bytes(), front_matter=False).lines, path.name
    )
    assert len(parsed.sections) == 18 and len(parsed.works) == 18
    assert all(p.work and p.section for p in parsed.provisions)
    # the section's items are numbered 1. 2. … under it, each read
    first = [p for p in parsed.provisions if p.section == parsed.sections[0].num]
    assert [p.num for p in first] == [f"{k}." for k in range(1, len(first) + 1)]
