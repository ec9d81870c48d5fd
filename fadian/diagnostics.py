"""Compiler-style diagnostics: ``path:line:col: error[F301]: message`` plus a hint.

Every stage reports problems as Diagnostic values instead of raising, so a
bad document never stops the others and an editor sees every problem at
once. The catalogue below is the single list of codes; the diagnostics reference
(docs/reference/diagnostics.md, made by scripts/make_reference.py) and the catalogue test read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Spec(NamedTuple):
    """What a code means: its severity, a short title (the reference's table) and the hint printed
    under every diagnostic of the code."""

    severity: Severity
    title: str
    hint: str


class Code(Enum):
    """The catalogue: every diagnostic fadian can give. The diagnostics reference is generated
    from it (tests/unit/test_reference_docs.py checks that it is current)."""

    # F1xx: reading the file
    F101 = Spec(
        Severity.ERROR, "not UTF-8", "save the file as UTF-8 (e.g. `iconv -f GBK -t UTF-8 in.txt > out.txt`)"
    )
    F102 = Spec(Severity.WARNING, "byte order mark", "remove the BOM; fadian ignored it")
    F103 = Spec(
        Severity.WARNING,
        "CRLF line endings",
        "use LF line endings (`git config core.autocrlf input`); fadian normalised them",
    )
    F104 = Spec(
        Severity.WARNING,
        "invisible characters only",
        "delete lines that hold only zero-width spaces; they were read as blank lines",
    )
    F105 = Spec(Severity.ERROR, "empty document", "the file has no text; add the document's text")
    F106 = Spec(
        Severity.ERROR,
        "line too long",
        "no paragraph of a legal text is this long; check for a missing line break",
    )
    F107 = Spec(Severity.ERROR, "control character", "remove the control character; it cannot appear in XML")
    F108 = Spec(
        Severity.ERROR,
        "file too large",
        "a source is at most 20 MB (the longest code, 民法典, is 0.3 MB); split the file",
    )
    F109 = Spec(
        Severity.WARNING,
        "heading hidden by an invisible character",
        "delete the zero-width character (U+200B, U+200C, U+200D, U+2060) before 第X条 or 第X章: the line is"
        " read as text of the unit before it, not as a heading",
    )
    # F2xx: front matter and metadata
    F201 = Spec(
        Severity.ERROR,
        "missing front matter",
        "start the file with a YAML block between two `---` lines (docs/reference/front-matter.md)",
    )
    F202 = Spec(Severity.ERROR, "invalid front matter", "fix the YAML syntax")
    F203 = Spec(Severity.ERROR, "missing metadata field", "add the field to the front matter")
    F204 = Spec(
        Severity.ERROR,
        "unsafe slug",
        "use lower-case letters, digits and hyphens only, e.g. `digital-economy-law`",
    )
    F205 = Spec(Severity.ERROR, "invalid date", "write dates as YYYY-MM-DD")
    F206 = Spec(
        Severity.ERROR, "invalid metadata value", "use one of the values docs/reference/front-matter.md lists"
    )
    F207 = Spec(Severity.ERROR, "duplicate slug", "every document needs its own slug")
    F208 = Spec(
        Severity.WARNING,
        "front matter overrides the text",
        "the front matter's value is used; correct whichever of the two is wrong",
    )
    F210 = Spec(
        Severity.WARNING,
        "a fact the imported text does not print",
        "add it to the source's front matter: it is not guessed (the source does not build without a date)",
    )
    F211 = Spec(
        Severity.ERROR,
        "file not imported",
        "the reason is given; an edited source is overwritten only with --force",
    )
    F212 = Spec(
        Severity.WARNING,
        "no date printed: the AKN is dated 1970-01-01",
        "an AKN URI needs a date and the text prints none under its title; give it with --date YYYY-MM-DD",
    )
    F213 = Spec(
        Severity.WARNING,
        "a fact taken from the file's name or folder",
        "the text does not print it; the LawRefBook file name or collection folder gave it (recorded in"
        " the front matter as date_source / level_source): check it against the official text",
    )
    F214 = Spec(
        Severity.WARNING,
        "a change later than the 题注",
        "the body notes a change after every event its 题注 lists: this version's 公布日期 and 施行日期"
        " are not printed, so none is stated; give them in the front matter if an official source has them",
    )
    # F3xx: structure and numbering
    F301 = Spec(Severity.ERROR, "duplicate number", "renumber, or delete the repeated provision")
    F302 = Spec(
        Severity.WARNING,
        "gap in numbering",
        "eIds follow the printed numbers; restore the missing provision or mark it （删去） (an"
        " excerpt may declare `first_article: N` in its front matter)",
    )
    F303 = Spec(
        Severity.WARNING,
        "numbering out of order",
        "eIds follow the printed numbers; put the provisions in order",
    )
    F304 = Spec(
        Severity.WARNING,
        "look-alike character in a number",
        "replace the look-alike with the right character (笫 → 第)",
    )
    F305 = Spec(
        Severity.WARNING,
        "space inside a number",
        "remove the space inside the number (第一百二十八 条 → 第一百二十八条)",
    )
    F306 = Spec(Severity.ERROR, "unclosed bracket", "close the article heading with 】")
    F307 = Spec(
        Severity.WARNING,
        "full-width digits in a number",
        "write the number in Chinese numerals or ASCII digits",
    )
    F308 = Spec(
        Severity.WARNING,
        "table of contents differs from the body",
        "make the 目录 list the same headings as the body",
    )
    F309 = Spec(
        Severity.WARNING,
        "stated count differs from the text",
        "correct the count in the note, or check the text for missing provisions",
    )
    F310 = Spec(
        Severity.WARNING,
        "structure level out of place",
        "check the heading; it was placed at the nearest possible level",
    )
    F311 = Spec(
        Severity.WARNING,
        "unnumbered heading",
        "give the heading its number (第X章); it was read as a heading without one",
    )
    F312 = Spec(
        Severity.WARNING,
        "heading continued on the next line",
        "join the heading into one line; fadian joined the two lines",
    )
    F313 = Spec(
        Severity.WARNING,
        "heading-like line read as text",
        "a short line without sentence punctuation inside an article: join a sentence broken"
        " across lines, or number the heading (第X章) if it is one",
    )
    F314 = Spec(
        Severity.WARNING,
        "structure count differs from the heading lines",
        "some lines that start like headings (第X条, 第X章) were read as text; check the lines named",
    )
    F315 = Spec(
        Severity.ERROR,
        "too many articles",
        "a document has at most 30,000 articles (民法典 has 1,260); split the file into documents",
    )
    F320 = Spec(
        Severity.ERROR,
        "instruction not understood",
        "write the instruction in a form docs/reference/amendment-forms.md lists (将第X条修改为：“…” …),"
        " or report the form",
    )
    F335 = Spec(
        Severity.WARNING,
        "instruction not understood in a section for another text",
        "this text's section was applied in full; the instruction belongs to a section that amends"
        " another text and was not applied (apply that text's section when the form is read)",
    )
    F321 = Spec(Severity.ERROR, "unbalanced quotation mark", "close the quotation with ”")
    F322 = Spec(
        Severity.ERROR,
        "target not found",
        "the instruction names a provision the amended text lacks; check the number and the text",
    )
    F323 = Spec(
        Severity.ERROR,
        "quoted words not in the target",
        "the words the instruction quotes must appear in the provision it names",
    )
    F324 = Spec(
        Severity.ERROR,
        "instrument already applied",
        "the text already records this instrument; apply it to the version before it",
    )
    F325 = Spec(
        Severity.WARNING,
        "amended work unknown",
        "add the amended work to sources/registry.yaml or the corpus so its provisions can be linked",
    )
    # F4xx: content
    F326 = Spec(
        Severity.WARNING,
        "instruction not understood (kept as text)",
        "the text was read as an amendment instrument by its title; declare `type: amendment` to make"
        " every instruction required, or report the form",
    )
    F327 = Spec(
        Severity.WARNING,
        "quotation never closed",
        "add the closing ” where the quotation ends; fadian ended it before the next provision",
    )
    F328 = Spec(
        Severity.ERROR,
        "the instrument does not amend this text",
        "pick the section that amends it with --section N, or apply the instrument to a text it names",
    )
    F329 = Spec(
        Severity.ERROR,
        "the instrument changes nothing",
        "an instrument applied must change the text: check that it is the right text and instrument",
    )
    F330 = Spec(
        Severity.WARNING,
        "a text the instrument amends is not in the project",
        "add the text to sources/documents (its version before the instrument) to apply that part too",
    )
    F331 = Spec(
        Severity.ERROR,
        "nothing to draft",
        "the two texts' provisions are the same; check that NEW is the later version of OLD",
    )
    F332 = Spec(
        Severity.WARNING,
        "the draft does not give the new text",
        "the article named changed in a way the drafted instruction does not say; write it by hand",
    )
    F401 = Spec(
        Severity.WARNING,
        "markup in text",
        "the text contains HTML-like markup; it is published as plain text",
    )
    # F5xx: schema and identifiers
    F501 = Spec(
        Severity.ERROR,
        "schema violation",
        "this is a bug in fadian or an unusual structure; report it with the file",
    )
    F502 = Spec(Severity.ERROR, "duplicate eId", "two provisions got the same identifier")
    # F6xx: collections, builds and publishing
    F601 = Spec(Severity.ERROR, "unknown document", "list only slugs that exist in sources/documents")
    F602 = Spec(
        Severity.ERROR, "path outside build/", "a derived path must stay inside build/; check the slug"
    )
    F603 = Spec(Severity.ERROR, "no such file", "check the path")
    F604 = Spec(Severity.ERROR, "site build failed", "check mkdocs.yml and that mkdocs-material is installed")
    F605 = Spec(
        Severity.ERROR,
        "cannot publish",
        "check that build/ and site/ are writable and the disk is not full; the previous build is kept",
    )
    F606 = Spec(
        Severity.ERROR,
        "not a regular file in the project",
        "sources must be regular files inside the repository: copy the file in instead of linking it",
    )
    F607 = Spec(
        Severity.ERROR,
        "already a project",
        "fadian init makes a new project: choose an empty folder, or add texts with fadian import",
    )
    F608 = Spec(
        Severity.ERROR,
        "site is not fadian's",
        "fadian publishes site as a link into build/; move the folder or file named site elsewhere"
        " (or delete it), then build again",
    )
    F609 = Spec(
        Severity.WARNING,
        "file in sources/ not read",
        "a text is sources/documents/NAME.txt (lower-case .txt, no sub-folder); rename or move the file,"
        " or delete it if it is not a text",
    )
    F610 = Spec(
        Severity.ERROR,
        "not a built site",
        "build the project first (`fadian build`), or name a site folder with --site",
    )
    F611 = Spec(
        Severity.ERROR,
        "MCP SDK not installed",
        "install fadian with its MCP extra: pip install 'fadian[mcp]'",
    )
    F612 = Spec(
        Severity.ERROR,
        "cannot review",
        "run in a git repository and name revisions it has (fadian review BASE [HEAD])",
    )
    F613 = Spec(
        Severity.ERROR,
        "not a sweep manifest",
        "give a JSON object whose documents list each file with its lines_starting_article"
        " (as ../shared/corpus/national-sample/manifest.json), or leave --manifest out",
    )
    # F7xx: cross-references
    F701 = Spec(
        Severity.WARNING, "unresolved citation", "check the cited number; the citation is kept as plain text"
    )
    F702 = Spec(Severity.ERROR, "broken internal link", "the link points at an eId the document lacks")
    F703 = Spec(Severity.ERROR, "invalid registry", "fix sources/registry.yaml (docs/editors/citations.md)")
    # F8xx: history
    F801 = Spec(
        Severity.WARNING, "not a git repository", "commit the sources to git to get versions and diffs"
    )
    F802 = Spec(Severity.WARNING, "shallow clone", "fetch the full history: `git fetch --unshallow`")
    F803 = Spec(Severity.WARNING, "uncommitted changes", "commit the change to make it a version")
    F804 = Spec(Severity.ERROR, "unknown revision", "name a version (v1, v2 …), a tag or a commit")
    F805 = Spec(Severity.WARNING, "version with errors", "that version is left out of the history")
    F806 = Spec(
        Severity.WARNING,
        "tag not on a commit",
        "tag a commit to publish an edition (`git tag -a NAME COMMIT`); this tag is ignored",
    )
    F807 = Spec(
        Severity.ERROR,
        "text cannot be compared",
        "`fadian convert FILE` lists its errors; fix them and compare again",
    )
    # F9xx: editions
    F901 = Spec(
        Severity.ERROR,
        "edition failed",
        "install the CJK fonts (scripts/setup.sh) or check the message from pandoc/typst",
    )
    F902 = Spec(
        Severity.WARNING,
        "edition skipped: document too large",
        "the document is far longer than any code; its AKN and page are built, its Word, PDF and EPUB"
        " are not (FADIAN_MAX_EDITION_CHARS raises the limit)",
    )
    F905 = Spec(
        Severity.ERROR,
        "the site's search cannot be indexed",
        "install fadian with its dependencies (Pagefind comes as the pagefind-bin-extended wheel), or"
        " build with --no-search for a site without search",
    )
    F907 = Spec(
        Severity.ERROR,
        "Dask scheduler unreachable",
        "start it (`dask scheduler`, workers with fadian installed) or build without --scheduler",
    )
    F999 = Spec(Severity.ERROR, "internal error", "this is a bug in fadian; please report it")


CATALOGUE: dict[str, Spec] = {code.name: code.value for code in Code}


def _safe_path(path: str) -> str:
    """A file name as printed in a diagnostic: quoted (repr) when it holds a control character,
    so a name like ``x\n:1:1: error`` cannot forge a diagnostic line."""
    return repr(path) if any(ord(c) < 32 or ord(c) == 127 for c in path) else path


@dataclass(frozen=True)
class Location:
    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{_safe_path(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    hint: str = field(default="")

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        hint = self.hint or CATALOGUE[self.code][2]
        return f"{self.location}: {self.severity.value}[{self.code}]: {self.message}\n  hint: {hint}"


def diag(code: str, message: str, path: str, line: int = 1, col: int = 1, hint: str = "") -> Diagnostic:
    """Build a Diagnostic; the code must be in the catalogue."""
    if code not in CATALOGUE:
        raise KeyError(code)
    return Diagnostic(code, message, Location(path, line, col), hint)


class HasDiagnostics:
    """The errors and warnings of a result that keeps its ``diagnostics``."""

    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
