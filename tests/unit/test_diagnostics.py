"""The diagnostics catalogue: one Enum of specs, and the README's table generated from it."""

from __future__ import annotations

import re

from fadian.diagnostics import CATALOGUE, Code, Severity, catalogue_table, diag

from conftest import REPO

START = "<!-- diagnostics: generated from fadian/diagnostics.py by tests/unit/test_diagnostics.py -->\n"
END = "<!-- /diagnostics -->"


def test_readme_table_is_generated_from_the_catalogue(request):
    readme = REPO / "README.md"
    text = readme.read_text("utf-8")
    before, rest = text.split(START)
    _old, after = rest.split(END)
    current = before + START + catalogue_table() + END + after
    if request.config.getoption("--update-golden"):
        readme.write_text(current, encoding="utf-8")
    assert text == current, (
        "README's diagnostics table is stale: run pytest tests/unit/test_diagnostics.py --update-golden"
    )


def test_every_code_has_a_severity_title_and_hint():
    assert len(Code) == len(CATALOGUE) >= 50
    for code in Code:
        assert re.fullmatch(r"F\d{3}", code.name)
        assert isinstance(code.value.severity, Severity) and code.value.title and code.value.hint


def test_unknown_codes_are_refused():
    try:
        diag("F000", "no such code", "x.txt")
    except KeyError:
        return
    raise AssertionError("diag accepted a code that is not in the catalogue")
