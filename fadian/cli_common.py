"""What every fadian command shares: the --root option, compiler-style diagnostics on stderr,
a progress bar on a terminal, and the exit codes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from fadian.diagnostics import Diagnostic, Severity

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Project folder (holds sources/, build/ and mkdocs.yml).",
)
EXIT_ERRORS = 1
EXIT_INTERNAL = 70


def print_diagnostics(diags: list[Diagnostic]) -> tuple[int, int]:
    errors = warnings = 0
    for d in sorted(diags, key=lambda d: (d.location.path, d.location.line, d.location.col)):
        click.echo(d.format(), err=True)
        if d.severity is Severity.ERROR:
            errors += 1
        else:
            warnings += 1
    return errors, warnings


@contextmanager
def progress_printer(total: int, label: str) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on a terminal; silent otherwise (CI logs, pipes)."""
    if not sys.stderr.isatty() or total < 2:
        yield lambda _name: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"), transient=True
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda name: bar.update(task, advance=1, description=name)


FULL_LIST = 30  # more warnings than this are summarised by code (the full list is in a report)


def print_summary(diags: list[Diagnostic], full_list: str) -> tuple[int, int]:
    """Errors in full; warnings, when there are many, as one line per code (how many, in how many
    files, the first), with where the full list is."""
    errors = [d for d in diags if d.severity is Severity.ERROR]
    warnings = [d for d in diags if d.severity is not Severity.ERROR]
    if len(warnings) <= FULL_LIST:
        return print_diagnostics(diags)
    print_diagnostics(errors)
    by_code: dict[str, list[Diagnostic]] = {}
    for d in sorted(warnings, key=lambda d: (d.code, d.location.path, d.location.line, d.location.col)):
        by_code.setdefault(d.code, []).append(d)
    for code, group in sorted(by_code.items()):
        files = len({d.location.path for d in group})
        first = group[0]
        where = f"{first.location.path}:{first.location.line}:{first.location.col}"
        click.echo(
            f"warning[{code}] × {len(group)} in {files} file(s), first {where}: {first.message}", err=True
        )
    click.echo(f"all {len(warnings)} warnings: {full_list} (or -v to print them)", err=True)
    return len(errors), len(warnings)


def finish(diags: list[Diagnostic], strict: bool, what: str, summary: str | None = None) -> int:
    """Print the diagnostics (``summary``: where the full list is, to summarise many warnings by
    code) and the closing line; the exit code."""
    errors, warnings = print_summary(diags, summary) if summary else print_diagnostics(diags)
    click.echo(f"{what}: {errors} error(s), {warnings} warning(s)", err=True)
    return EXIT_ERRORS if errors or (strict and warnings) else 0


def iso_date_option(value: str | None) -> str | None:
    """A date option's value, checked: YYYY-MM-DD (a usage error otherwise, exit code 2)."""
    import datetime as dt

    if value is None:
        return None
    try:
        if dt.date.fromisoformat(value).isoformat() == value:
            return value
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD")
