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


def test_diagnostics_json_is_laid_out_as_json_dumps_with_indent_one():
    """build/reports/diagnostics.json is written value by value through json's C encoder: the
    bytes are json.dumps(..., ensure_ascii=False, indent=1)'s, for any text a message holds."""
    import json

    from fadian.diagnostics import Diagnostic, Location
    from fadian.project.fingerprint import diagnostics_from_json, diagnostics_json

    cases = [
        Diagnostic("F104", "line holds only zero-width characters", Location("a/b.txt", 19, 1), ""),
        Diagnostic(
            "F701", 'citation "本项" \\ cannot\n\tbe resolved \u2028 \x00', Location("c.txt", None, 0), "h"
        ),
        Diagnostic("F803", "", Location("", 0, None), "提示：commit the change"),
    ]
    expected = json.dumps(
        [
            {
                "code": d.code,
                "message": d.message,
                "path": d.location.path,
                "line": d.location.line,
                "col": d.location.col,
                "hint": d.hint,
            }
            for d in cases
        ],
        ensure_ascii=False,
        indent=1,
    )
    assert diagnostics_json(cases) == expected
    assert diagnostics_json([]) == json.dumps([], indent=1)
    assert diagnostics_from_json(diagnostics_json(cases)) == cases
