"""Golden `apply` cases, like pandoc's command tests: each folder of tests/unit/fixtures/apply
holds an instrument, the text it amends and the text it must give. Regenerate after an intended
change with ``pytest tests/unit/test_apply_golden.py --update-golden`` and read the diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from fadian.amend.apply import apply_instrument

from amend_texts import instrument

CASES = Path(__file__).parent / "fixtures" / "apply"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_instrument_applied_to_the_old_text_gives_the_new(case, request):
    folder = CASES / case
    parsed, diags = instrument((folder / "instrument.txt").read_text("utf-8"))
    assert not [d for d in diags if d.is_error], [d.format() for d in diags]
    result = apply_instrument("old.txt", (folder / "old.txt").read_bytes(), parsed)
    assert result.ok, [d.format() for d in result.diagnostics]
    if request.config.getoption("--update-golden"):
        (folder / "new.txt").write_text(result.text, "utf-8")
    assert result.text == (folder / "new.txt").read_text("utf-8")
    assert result.text != (folder / "old.txt").read_text("utf-8")  # an instrument changes its text


def test_there_is_a_case_per_family_of_instructions():
    assert len([p for p in CASES.iterdir() if p.is_dir()]) >= 4
