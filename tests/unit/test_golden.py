"""Golden round trips, one writer at a time (like bluebell's tests/roundtrip): every
``tests/unit/fixtures/*.txt`` converts to exactly its ``.xml``, which is schema-valid. Regenerate
after an intended change with ``pytest tests/unit/test_golden.py --update-golden`` and read the diff."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from fadian.akn.validate import lxml_schema
from fadian.pipeline import compile_standalone
from fadian.refs.registry import load_registry, registry_index

from conftest import REPO

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.stem for p in FIXTURES.glob("*.txt"))


@pytest.fixture(scope="module")
def registry():
    path = REPO / "sources" / "registry.yaml"
    works, diags = load_registry(str(path), path.read_bytes())
    assert not diags
    return works


def convert(name: str, works) -> bytes:
    source = FIXTURES / f"{name}.txt"
    doc = compile_standalone(
        f"tests/unit/fixtures/{name}.txt", source.read_bytes(), name, registry_index(works)
    )
    assert doc.ok, [d.format() for d in doc.diagnostics if d.is_error]
    return doc.xml_bytes()


def test_there_are_enough_fixtures():
    assert len(CASES) >= 20


@pytest.mark.parametrize("name", CASES)
def test_fixture_converts_to_its_golden_xml(name, registry, request):
    xml = convert(name, registry)
    golden = FIXTURES / f"{name}.xml"
    if request.config.getoption("--update-golden"):
        golden.write_bytes(xml)
    assert lxml_schema().validate(etree.fromstring(xml)), lxml_schema().error_log
    assert golden.exists(), f"{golden.name} is missing: run with --update-golden"
    assert xml == golden.read_bytes(), f"{name}: output differs from {golden.name} (see --update-golden)"
