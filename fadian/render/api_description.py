"""openapi.json at the site's root: every file a program can read from a fadian site — the
catalogue of works, a work's data, each expression's AKN, the titles index, the search index's
bundles, the feed, the sitemap, a text's page — with its URL template, media type and, for the
JSON files, its JSON Schema (render/assets/*.schema.json, which the build's tests validate
against).

The site is static: every operation is a GET of a file, and a work's path is its FRBR URI's, as
the AKN naming convention makes it (``/akn/cn/act/1997-03-14/xing-fa``).
"""

from __future__ import annotations

import json

from fadian.render.html import asset


def _schemas() -> dict:
    """The work schema and its definitions as components: an OpenAPI document resolves
    ``$ref`` from its own root, so ``#/$defs/date`` becomes ``#/components/schemas/date``."""
    work = json.loads(asset("work.schema.json").replace("#/$defs/", "#/components/schemas/"))
    definitions = work.pop("$defs")
    for key in ("$schema", "$id"):
        work.pop(key)
    return {"Work": work, **definitions}


OPENAPI_FILE = "openapi.json"  # at the site's root
# A work's address, as the naming convention makes it: with or without a subtype (a city's texts)
WORKS = (
    "/akn/{jurisdiction}/{doctype}/{date}/{number}",
    "/akn/{jurisdiction}/{doctype}/{subtype}/{date}/{number}",
)
_PARAMS = {
    "jurisdiction": ("the jurisdiction: cn, or cn-xx for a province's texts", "cn"),
    "doctype": ("the AKN document type: act, bill, doc", "act"),
    "subtype": ("the document's subtype: the city of a city's text", "wuhan"),
    "date": ("the work's date, YYYY-MM-DD", "1997-03-14"),
    "number": ("the work's number: its slug, or the number its front matter gives", "xing-fa"),
    "expressionDate": ("an expression's (version's) date, YYYY-MM-DD", "2023-12-29"),
    "slug": ("a text's slug", "xing-fa"),
    "asOf": ("the date the catalogue states (akn/index.json's as_of)", "2024-01-01"),
    "bucket": ("a title's first character's code point modulo 256", "21"),
}


def _parameters(path: str) -> list[dict]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": description,
            "schema": {"type": "string"},
            "example": example,
        }
        for name, (description, example) in _PARAMS.items()
        if "{" + name + "}" in path
    ]


def _file(summary: str, media: str, schema: dict | None = None) -> dict:
    content: dict = {media: {"schema": schema} if schema else {}}
    return {
        "get": {
            "summary": summary,
            "responses": {"200": {"description": summary, "content": content}},
        }
    }


CATALOG = {
    "type": "object",
    "required": ["works"],
    "properties": {
        "as_of": {"type": ["string", "null"], "description": "the date the build stated statuses at"},
        "works": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["work_uri", "title", "data"],
                "properties": {
                    "work_uri": {"type": "string"},
                    "title": {"type": "string"},
                    "data": {"type": "string", "description": "the work's data file, from the root"},
                },
            },
        },
    },
}
ARTICLES = {
    "type": "object",
    "required": ["articles"],
    "properties": {
        "articles": {
            "type": "object",
            "description": "an article's number (165; 165-1 for 之一) → [its digest, then each 款: its "
            "digest, or [its digest, each 项's digest]]; a digest is 8 hex digits of a sha256",
            "additionalProperties": {
                "type": "array",
                "minItems": 1,
                "prefixItems": [{"type": "string", "pattern": "^[0-9a-f]{8}$"}],
                "items": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            },
        },
        "moved": {
            "type": "object",
            "description": "the articles of the version before that this one holds under another number"
            " (the build's comparison of the two, changed or not): number then → number now",
            "additionalProperties": {"type": "string", "pattern": "^[0-9]+(-[0-9]+)?$"},
        },
    },
    "additionalProperties": False,
}
NAMES = {
    "type": "array",
    "description": "[title as the citation index keys it, work URI]",
    "items": {
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "string"}],
        "minItems": 2,
        "items": False,
    },
}
TITLES = {
    "type": "array",
    "description": "[title, page, last article, 1 for the file a work's address leads to, and for"
    " a part of a work kept in several files its first article]",
    "items": {
        "type": "array",
        "prefixItems": [
            {"type": "string"},
            {"type": "string"},
            {"type": "integer"},
            {"enum": [0, 1]},
            {"type": "integer"},
        ],
        "minItems": 4,
        "items": False,
    },
}


def _paths() -> dict:
    paths = {
        "/akn/index.json": _file("Every work of the site, with its data file", "application/json", CATALOG),
        **{
            work + "/index.json": _file(
                "A work: its versions (expressions) with their dates, 时效性 and addresses, and its contents",
                "application/json",
                {"$ref": "#/components/schemas/Work"},
            )
            for work in WORKS
        },
        **{
            work + "/zho@{expressionDate}/!main.xml": _file(
                "One expression (version) of a work as Akoma Ntoso 3.0 XML", "application/akn+xml"
            )
            for work in WORKS
        },
        **{
            work + "/zho@{expressionDate}/articles.json": _file(
                "One expression's articles, with digests of each one's text, 款 and 项 (引用核验's data)",
                "application/json",
                ARTICLES,
            )
            for work in WORKS
        },
        "/check/names/{bucket}.json": _file(
            "The works' titles (without 中华人民共和国) whose first character's code point modulo 256 "
            "is the bucket, each with its work URI (the 引用核验 page's data)",
            "application/json",
            NAMES,
        ),
        "/documents/{slug}/": _file("A text's page (its version in force, or the only one)", "text/html"),
        "/search/titles.json": _file("Each text's title, page and last article", "application/json", TITLES),
        "/pagefind/bundles.json": _file(
            "The search index's shards (Pagefind bundles, merged by the search page)", "application/json"
        ),
        "/downloads/fadian-akn-{asOf}.zip": _file(
            "Every file under /akn/ and this description in one archive, with SHA256SUMS "
            "(the home page links the current one)",
            "application/zip",
        ),
        "/feed.xml": _file("The new versions of the texts (Atom)", "application/atom+xml"),
        "/sitemap.xml": _file("Every page of the site", "application/xml"),
    }
    for path, item in paths.items():
        if params := _parameters(path):
            item["parameters"] = params
    return paths


def openapi_document(site_name: str = "法典 fadian") -> bytes:
    """The site's OpenAPI 3.1 description (the same bytes for every build of one fadian)."""
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site_name}: data files",
            "version": "1",
            "description": "A static site: every operation is a GET of a file. Works are addressed by "
            "their FRBR URIs (the Akoma Ntoso naming convention); an expression's AKN is at its "
            "expression URI.",
        },
        "paths": _paths(),
        "components": {"schemas": _schemas()},
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
