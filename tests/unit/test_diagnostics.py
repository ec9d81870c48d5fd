"""The diagnostics catalogue: one Enum of specs (the reference page is made from it: test_reference_docs)."""

from __future__ import annotations

import re

from fadian.diagnostics import CATALOGUE, Code, Severity, diag


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
