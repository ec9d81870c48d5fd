"""``fadian`` command line: check, build, convert, import-bulletin.

Diagnostics go to stderr one per line in compiler style; nothing a user
types or a source contains ends in a Python traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

import click

from fadian.cli_access import cite_check, mcp
from fadian.cli_amend import apply, draft, review
from fadian.cli_common import (
    EXIT_ERRORS,
    EXIT_INTERNAL,
    ROOT_OPTION,
    finish,
    iso_date_option,
    print_diagnostics,
    progress_printer,
)
from fadian.cli_history import diff, history
from fadian.diagnostics import diag
from fadian.executor import gc_paused


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fadian")
def cli() -> None:
    """fadian (法典): Chinese legal texts as code → Akoma Ntoso, site, Word, PDF, EPUB."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@ROOT_OPTION
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(paths: tuple[Path, ...], root: Path, strict: bool) -> None:
    """Parse, convert and validate sources (all of sources/ when no PATH is given)."""
    from fadian.project.build import Project
    from fadian.project.check import check_project

    project = Project(root)
    missing = [p for p in paths if not p.exists()]
    diags = [diag("F603", "no such file", str(p)) for p in missing]
    chosen = [p for p in paths if p.exists()] or None
    if paths and chosen is None:
        sys.exit(finish(diags, strict, "check"))
    count = len(chosen or project.document_files() + project.bulletin_files())
    with progress_printer(count, "checking") as tick:
        result = check_project(project, chosen, progress=tick)
    n_docs = len(result.documents)
    _print_citation_summary(result)
    sys.exit(
        finish(
            diags + result.all_diagnostics,
            strict,
            f"checked {n_docs} document(s), {len(result.bulletins)} bulletin(s)",
        )
    )


@cli.command()
@ROOT_OPTION
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--no-editions", is_flag=True, help="Skip the Word, PDF and EPUB editions.")
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run the per-document work on this Dask scheduler (tcp://HOST:PORT).",
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="YYYY-MM-DD",
    callback=lambda _ctx, _param, value: iso_date_option(value),
    help="State each text's 时效性 as of this date (default: the newest commit's date).",
)
@click.option("-v", "--verbose", is_flag=True, help="Print every warning (else many are summarised by code).")
@click.option(
    "--no-search", is_flag=True, help="Build the site without its search index (no Pagefind needed)."
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Publish every document without errors; withhold (and list) the others (exit code 1).",
)
def build(
    root: Path,
    strict: bool,
    no_editions: bool,
    scheduler: str | None,
    as_of: str | None,
    verbose: bool,
    keep_going: bool,
    no_search: bool,
) -> None:
    """Build AKN for every document and bulletin into build/ (kept as is on errors)."""
    # a build's process is short, and what it allocates is kept to its end or freed by reference
    # counting (the documents' trees are its pool workers' garbage, and they collect it): the
    # cyclic collector would only walk it again and again
    with gc_paused():
        from fadian.project.build import Project, build_project

        project = Project(root)
        with progress_printer(project.source_count(), "building") as tick:
            result = build_project(
                project,
                progress=tick,
                editions=not no_editions,
                scheduler=scheduler,
                as_of=as_of,
                keep_going=keep_going,
                search=not no_search,
            )
        _print_build_summary(result)
        withheld = [d for w in result.withheld for d in w.diagnostics]
        full_list = (
            None
            if verbose
            else "build/reports/diagnostics.json"
            if result.ok
            else "in no report (the build failed)"
        )
        built = f"built {len(result.written)} AKN file(s)"
        code = finish([*withheld, *result.all_diagnostics], strict, built, full_list)
        if not result.ok:
            click.echo("build failed: build/ was left as it was", err=True)
        elif result.withheld:
            click.echo(
                f"withheld {len(result.withheld)} document(s) with errors (build/reports/withheld.json):",
                err=True,
            )
            for w in result.withheld:
                kept = "the previous version stays published" if w.carried else "not published"
                click.echo(f"  {w.path}: {kept}", err=True)
            code = code or 1
        _END_AT_ONCE.append(True)
        sys.exit(code)


cli.add_command(history)
cli.add_command(diff)
cli.add_command(mcp)
cli.add_command(cite_check)
cli.add_command(review)
cli.add_command(apply)
cli.add_command(draft)


@cli.command()
@ROOT_OPTION
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(root: Path, dev_addr: str) -> None:
    """Live preview for editors: pages regenerated on every change under sources/, into
    build/.preview/ only; a source error is shown on the page and the server keeps running."""
    from fadian.project.site_stage import use_properdocs

    use_properdocs()
    from mkdocs.commands.serve import serve as mkdocs_serve

    from fadian.project.preview import guard_requests, write_config

    guard_requests()
    config = write_config(root)  # the plugin makes the pages (and prints source errors)
    mkdocs_serve(config_file=str(config), dev_addr=dev_addr, livereload=True)


def _print_build_summary(result) -> None:
    """What a build did besides its diagnostics: nothing, or its citations and reuse."""
    if result.up_to_date:
        click.echo("nothing changed since the last build: build/ and site/ kept as they are", err=True)
        return
    _print_citation_summary(result)
    if result.reused:
        click.echo(f"{result.reused} unchanged document(s) taken from the build cache", err=True)
    if result.citations_to_review:
        click.echo(
            f"{result.citations_to_review} cited article(s) changed since the citing texts were"
            " made: build/reports/citations-to-review.json",
            err=True,
        )


def _print_citation_summary(result) -> None:
    from fadian.project.outputs import citation_summary

    s = citation_summary(result)
    click.echo(
        f"citations: {s['found']} found, {s['resolved']} resolved, "
        f"{s['external_known']} external-known, {s['unresolved']} unresolved",
        err=True,
    )


def _slug_from_filename(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:80].strip("-")
    return slug or "document"


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the XML ('-' for stdout; default build/convert/SLUG.xml).",
)
@click.option("--slug", help="Document slug (default: from the file name).")
@click.option("--title", help="Title (default: the first line).")
@click.option("--date", help="Expression date YYYY-MM-DD (default: the last dated header line).")
@click.option(
    "--type",
    "doc_type",
    type=click.Choice(["act", "bill", "doc", "amendment"]),
    help="Default: amendment for a 修正案 / 关于修改…的决定 title, else act.",
)
@click.option("--name", help="AKN @name (default: the type).")
@click.option("--jurisdiction", default="cn", help="cn, or cn-xx for local texts.")
@click.option(
    "--first-article",
    type=click.IntRange(1, 99_999),
    help="Where an excerpt's article numbering starts (民法典 合同编: 463).",
)
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("sources/registry.yaml"),
    show_default=True,
    help="Known external works, to link citations of other laws.",
)
def convert(
    file: Path,
    output: Path | None,
    slug: str | None,
    title: str | None,
    date: str | None,
    doc_type: str | None,
    name: str | None,
    jurisdiction: str,
    first_article: int | None,
    registry: Path,
) -> None:
    """Convert one standalone law text (no front matter needed) to AKN XML."""
    from fadian.names import is_akn_name, is_iso_date, is_jurisdiction, is_slug

    path = str(file)
    if not file.is_file():  # also refuses a FIFO, which would block the read
        sys.exit(finish([diag("F603", "no such file (or not a regular file)", path)], False, "convert"))
    slug = slug or _slug_from_filename(file)
    problems = []
    if not is_slug(slug):
        problems.append(diag("F204", f"slug {slug[:60]!r} is not a safe name", path))
    if date and not is_iso_date(date):
        problems.append(diag("F205", f"--date {date!r} is not YYYY-MM-DD", path))
    if not is_jurisdiction(jurisdiction):
        problems.append(diag("F206", f"--jurisdiction {jurisdiction!r} must look like cn or cn-hb", path))
    if name and not is_akn_name(name):
        problems.append(diag("F206", f"--name {name!r} must be a camelCase word", path))
    if problems:
        sys.exit(finish(problems, False, "convert"))
    from fadian.api import convert as convert_text

    result = convert_text(
        file.read_bytes(),
        slug=slug,
        path=path,
        registry=str(registry) if registry.is_file() else None,
        title=title,
        date=date,
        doc_type=doc_type,
        name=name,
        jurisdiction=jurisdiction,
        first_article=first_article,
    )
    if not result.ok:
        sys.exit(finish(result.diagnostics, False, "convert"))
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(result.xml)
    else:
        from fadian.project.outputs import safe_output_path

        target = output or safe_output_path(Path("build"), "convert", f"{result.meta.slug}.xml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(result.xml)
        click.echo(f"wrote {target}", err=True)
    sys.exit(finish(result.diagnostics, False, "convert"))


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="manifest.json giving lines_starting_article per file (default: FOLDER/manifest.json).",
)
@click.option("--verbose", "-v", is_flag=True, help="Print every diagnostic, not only the summary.")
@click.option(
    "--json",
    "json_out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write what was read of every text (legal metadata, structure counts) as JSON (- for stdout).",
)
def sweep(folder: Path, manifest: Path | None, verbose: bool, json_out: Path | None) -> None:
    """Convert every .txt of FOLDER in process: converted/total, counts, warnings by code, speed."""
    from fadian.project.sweep import ManifestError, sweep_folder

    if manifest is None and (folder / "manifest.json").is_file():
        manifest = folder / "manifest.json"
    try:
        report = sweep_folder(folder, manifest)
    except ManifestError as exc:
        print_diagnostics([diag("F613", f"the manifest {exc}", str(manifest))])
        sys.exit(EXIT_ERRORS)
    if not report.texts:  # converting nothing is not a result
        print_diagnostics([diag("F603", "no .txt file in this folder or below it", str(folder))])
        sys.exit(EXIT_ERRORS)
    if json_out is not None:
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=1) + "\n"
        if str(json_out) == "-":
            click.echo(text, nl=False)
        else:
            json_out.write_text(text, encoding="utf-8")
    if verbose:
        print_diagnostics([d for t in report.texts for d in t.diagnostics])
    for line in report.summary_lines():
        click.echo(line)
    sys.exit(EXIT_ERRORS if len(report.converted) < len(report.texts) else 0)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
def init(folder: Path) -> None:
    """Make a project skeleton in FOLDER (sources/, a registry, a README for the editor) that
    builds at once."""
    from fadian.project.skeleton import make_skeleton

    problem = make_skeleton(folder)
    if problem:
        sys.exit(finish([diag("F607", problem, str(folder))], False, "init"))
    click.echo(
        f"made a fadian project in {folder}: add texts with `fadian import`, then `fadian build`", err=True
    )


@cli.command("import")
@ROOT_OPTION
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the sources go (default: sources/documents of the project).",
)
@click.option("--force", is_flag=True, help="Overwrite a source that differs from the file imported.")
def import_cmd(root: Path, paths: tuple[Path, ...], into: Path | None, force: bool) -> None:
    """Import texts (plain .txt, LawRefBook-style .md, .docx; folders walked) as sources, with
    front matter read from each text."""
    from fadian.project.importing import import_files

    target = into or root / "sources" / "documents"
    report = import_files(list(paths), target, force)
    diags = []
    for source, written, made in report.written:
        click.echo(f"{source} → {written} ({made.doc_type}, {made.title}, {made.date or '无日期'})", err=True)
        diags += [diag("F210", problem, str(written)) for problem in made.problems]
        diags += [diag("F213", note, str(written)) for note in made.notes]
    for source, written in report.unchanged:
        click.echo(f"{source} = {written} (unchanged)", err=True)
    diags += [diag("F211", reason, str(source)) for source, reason in report.refused]
    counts = (len(report.written), len(report.unchanged), len(report.refused))
    what = "import: {} written, {} unchanged, {} refused".format(*counts)
    sys.exit(finish(diags, False, what))


@cli.command("import-bulletin")
@click.argument("seed", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sources"),
    help="Where to write the sources (default sources/).",
)
def import_bulletin_cmd(seed: Path, sources_dir: Path) -> None:
    """One-off: split a 《大数据发展动态》 PDF text into sources/ files."""
    from fadian.read.importer import ImportError_, import_bulletin, source_files

    try:
        text = seed.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        sys.exit(finish([diag("F101", "seed is not UTF-8", str(seed))], False, "import"))
    try:
        bulletin = import_bulletin(text)
    except ImportError_ as exc:
        sys.exit(
            finish(
                [
                    diag(
                        "F999",
                        exc.message,
                        str(seed),
                        exc.line,
                        hint="the seed does not have the bulletin layout the importer reads",
                    )
                ],
                False,
                "import",
            )
        )
    for name, text in source_files(bulletin).items():
        path = sources_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}", err=True)


_END_AT_ONCE: list[bool] = []  # a finished build: its process ends without the teardown


def main() -> None:
    """Entry point: click's own errors exit 2; anything unexpected becomes F999, not a traceback."""
    try:
        cli.main(standalone_mode=True)
    except SystemExit as exc:
        if _END_AT_ONCE:
            end_process(exc.code)
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # last line of defence: report, never a traceback
        click.echo(diag("F999", f"{type(exc).__name__}: {exc}", "fadian").format(), err=True)
        sys.exit(EXIT_INTERNAL)


def end_process(code: object) -> NoReturn:
    """End a finished build's process without the interpreter's teardown, which frees what the
    build loaded object by object (a noticeable part of an edit's build). By then every file the
    build wrote is closed and every child process and thread waited for (each stage's ``with``
    block); only the standard streams are left to flush. ``code`` as ``sys.exit`` takes it."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        print(code, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
