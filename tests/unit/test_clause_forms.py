"""The amendment grammar's table: every row carries an instruction written in its form, each
example is read by its own row (so no earlier row shadows a later one), and builds operations."""

from __future__ import annotations

import re

import pytest

from fadian.amend.clause_forms import CLAUSE_FORMS, clause_patterns, read_clause
from fadian.amend.clauses import ClauseState, normalise_clause
from fadian.amend.model import PREAMBLE, QUOTE_MARK, Quote, Target


def marked(example: str) -> tuple[str, list[Quote]]:
    """The example as the clause reader sees it: each “quotation” taken out as a mark."""
    quotes: list[Quote] = []

    def take(m: re.Match) -> str:
        quotes.append(Quote(m.group(1).split("\n"), 1, m.start() + 1))
        return f"{QUOTE_MARK}{len(quotes) - 1}{QUOTE_MARK}"

    return re.sub(r"“([^”]*)”", take, example), quotes


@pytest.mark.parametrize("row", range(len(CLAUSE_FORMS)), ids=lambda k: CLAUSE_FORMS[k].example[:24])
def test_each_example_is_read_first_by_its_own_row(row):
    text, _quotes = marked(CLAUSE_FORMS[row].example)
    normalised, _named = normalise_clause(text)
    first = next(k for k, (pattern, _build) in enumerate(clause_patterns()) if pattern.match(normalised))
    assert first == row, f"{CLAUSE_FORMS[row].example!r} is read by row {first}: {CLAUSE_FORMS[first].example!r}"


@pytest.mark.parametrize("row", range(len(CLAUSE_FORMS)), ids=lambda k: CLAUSE_FORMS[k].example[:24])
def test_each_example_builds_its_operations(row):
    text, quotes = marked(CLAUSE_FORMS[row].example)
    context = Target(PREAMBLE, 0, 7) if "自然段相应" in text else Target(10)
    state = ClauseState(quotes, line=1, context=context)
    assert read_clause(text, state) is not None


def test_the_examples_are_all_different():
    assert len({form.example for form in CLAUSE_FORMS}) == len(CLAUSE_FORMS)
