"""The theme's shell of a document's pages, filled by fadian instead of a run of mkdocs per page.

mkdocs-material wraps every page in the same shell (header, navigation, contents list, footer);
what differs between two document pages at the same folder depth is their title, description,
contents list, URL and body. The shell is learnt from *probe pages* that mkdocs itself renders
(with marker values in those places: `shell_from_probe`), and is used only after real pages
filled through it came out byte for byte as mkdocs made them (project/site_stage): a theme, a
setting or a plugin that makes pages differ in any other way sends every page through mkdocs.
Pure: strings in, strings out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from markupsafe import Markup

from fadian.render.html import environment

PROBE_NAME = "fadian-shell-probe"  # the probe pages' folder, in a site of their own
TITLE_MARK = "FADIANSHELLTITLE"
DESCRIPTION_MARK = "FADIANSHELLDESCRIPTION"
TOC_MARK = "FADIANSHELLTOC"
CONTENT_MARK = '<h1 id="title">FADIANSHELLCONTENT</h1>'
PROBE_TOC = [{"level": 2, "id": TOC_MARK, "name": TOC_MARK, "children": []}]


@dataclass(frozen=True)
class PageFields:
    """What a generated page (render/templates/page.html.j2) gives mkdocs: its front matter's
    title, description and contents list, and its HTML."""

    title: str  # as mkdocs reads it: HTML-escaped already
    description: str
    toc: list[dict]
    html: str


def page_fields(markdown: str) -> PageFields | None:
    """The fields of a page made by page.html.j2 (None: not such a page). Its front matter is
    one JSON value a line; the HTML is what follows, as mkdocs takes it (leading newlines off)."""
    if not markdown.startswith("---\n"):
        return None
    end = markdown.find("\n---\n", 3)
    if end < 0:
        return None
    values: dict = {}
    for line in markdown[4:end].split("\n"):
        key, sep, value = line.partition(": ")
        if not sep:
            return None
        try:
            values[key] = json.loads(value)
        except ValueError:
            return None
    if values.get("fadian_html") is not True or not isinstance(values.get("title"), str):
        return None
    html = markdown[end + 5 :].lstrip("\n")
    return PageFields(values["title"], values.get("description", ""), values.get("fadian_toc") or [], html)


def toc_items_html(toc: list[dict]) -> str:
    """The contents list's items as material's partials/toc.html prints them (each item from
    templates/shell_toc.html.j2)."""
    if toc and toc[0]["level"] == 1:  # material shows a lone top heading's children
        toc = toc[0]["children"]
    if not toc:
        return ""
    item = environment().get_template("shell_toc.html.j2").module.item  # type: ignore[attr-defined]
    return _INDENT.sub("\n", "\n      " + "".join(f"\n        {item(_trusted(t))}\n      " for t in toc))


_INDENT = re.compile(r"\n[ \t\n]*")


def tighten(page: str) -> str:
    """A page as it is published: the theme's indentation and blank lines taken out around its
    <article> (a newline stays where one was, so it reads the same; bytes no reader sees),
    never inside it: the text's own HTML, which may hold pre-wrap text,
    is as written, but for the theme's blank lines before its first tag and after its last
    (whitespace a browser drops at the edges of a block). mkdocs' pages get it as they are
    written (the fadian plugin), so the shells learnt from them have it too; a page without an
    <article> is left as it is."""
    start, end = page.find("<article"), page.rfind("</article>")
    if start < 0 or end < start:
        return page
    opened = page.find(">", start) + 1
    inner = page[opened:end]
    body = inner.strip(" \t\n")
    if body != inner:
        inner = "\n" + body + "\n" if body else "\n"
    return _INDENT.sub("\n", page[:start]) + page[start:opened] + inner + _INDENT.sub("\n", page[end:])


def _trusted(token: dict) -> dict:
    """A contents token with its name as the HTML it is (render/html TocEntry.token escapes it)."""
    return {
        "id": token["id"],
        "name": Markup(token["name"]),
        "children": [_trusted(c) for c in token["children"]],
    }


def probe_page(with_toc: bool) -> str:
    """A page of marker values for mkdocs to wrap: the shell is what is around them."""
    toc = PROBE_TOC if with_toc else []
    return (
        "---\n"
        f"title: {json.dumps(TITLE_MARK)}\n"
        f"description: {json.dumps(DESCRIPTION_MARK)}\n"
        "fadian_html: true\n"
        f"fadian_toc: {json.dumps(toc)}\n"
        "---\n"
        f"{CONTENT_MARK}"
    )


def output_path(uri: str) -> str:
    """Where a page or file of the site's sources is written (use_directory_urls: a/b.md is
    a/b/index.html, a/index.md a/index.html; anything else as it is)."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[:-3]
    return f"{stem}.html" if stem == "index" or stem.endswith("/index") else f"{stem}/index.html"


def page_url(page: str) -> str:
    """A page's URL with use_directory_urls (documents/x.md → documents/x/)."""
    stem = page.removesuffix(".md")
    return stem[: -len("index")] if stem == "index" or stem.endswith("/index") else stem + "/"


@dataclass(frozen=True)
class PageShell:
    """A page of the theme cut at the places a page's own values go: literal text and slot
    names (title, description, toc, skip, url, content) alternating, literal first."""

    parts: tuple[str, ...]
    with_toc: bool

    def fill(self, page: str, fields: PageFields) -> str | None:
        """The page as mkdocs would make it (None: this shell is not for such a page)."""
        if bool(fields.toc) != self.with_toc or "<h1" not in fields.html:
            return None
        values = {
            "title": fields.title,
            "description": fields.description,
            "toc": toc_items_html(fields.toc),
            "skip": f"#{fields.toc[0]['id']}" if fields.toc else "",
            "url": page_url(page),
            "content": fields.html.strip(" \t\n"),  # its edges as tighten leaves them
        }
        return "".join(values[p] if k % 2 else p for k, p in enumerate(self.parts))


def shell_from_probe(output: str, probe: str, with_toc: bool) -> PageShell | None:
    """The shell in mkdocs' ``output`` for the probe page at ``probe`` (its path), or None when
    a marker is not where a shell can have it (each value printed once, unfiltered)."""
    marks = [("content", CONTENT_MARK), ("description", DESCRIPTION_MARK), ("title", TITLE_MARK)]
    if with_toc:
        marks += [("toc", toc_items_html(PROBE_TOC)), ("skip", f"#{TOC_MARK}")]
    marks.append(("url", page_url(probe)))
    parts: list[str] = [output]
    for slot, mark in marks:
        cut: list[str] = []
        for k, part in enumerate(parts):
            if k % 2:  # a slot already
                cut.append(part)
                continue
            pieces = part.split(mark)
            for n, piece in enumerate(pieces):
                if n:
                    cut.append(slot)
                cut.append(piece)
        parts = cut
    found = [p for k, p in enumerate(parts) if k % 2]
    if found.count("content") != 1 or (with_toc and found.count("toc") != 1):
        return None
    if any("FADIANSHELL" in p for k, p in enumerate(parts) if not k % 2):
        return None  # a marker printed in another form (filtered): not a shell fadian can fill
    return PageShell(tuple(parts), with_toc)
