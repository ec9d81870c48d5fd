"""sources/registry.yaml: external works that texts cite, kept as data editors can extend."""

from __future__ import annotations

import re

import yaml

from .diagnostics import Diagnostic, diag
from .refs import RefIndex, Work

_URI_RE = re.compile(r"^/akn/cn(?:-[a-z]{2})?/[a-zA-Z]+(?:/[a-z0-9-]+)*/\d{4}-\d{2}-\d{2}/[a-z0-9-]+$")


def load_registry(path: str, data: bytes) -> tuple[list[tuple[Work, list[str]]], list[Diagnostic]]:
    """Parse and check the registry; every entry needs a title and an AKN work URI."""
    try:
        loaded = yaml.safe_load(data.decode("utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [
            diag(
                "F703",
                f"registry cannot be read: {exc}".splitlines()[0],
                path,
                (mark.line + 1) if mark else 1,
            )
        ]
    entries = loaded.get("works") if isinstance(loaded, dict) else None
    if not isinstance(entries, list):
        return [], [diag("F703", "registry must have a list `works`", path)]
    text = data.decode("utf-8")
    works, diags = [], []
    for k, entry in enumerate(entries, start=1):
        title = entry.get("title") if isinstance(entry, dict) else None
        uri = entry.get("uri") if isinstance(entry, dict) else None
        line = text.count("\n", 0, text.find(str(title))) + 1 if title else 1
        if not title or not isinstance(uri, str) or not _URI_RE.match(uri):
            diags.append(diag("F703", f"entry {k} needs a title and an AKN work URI", path, line))
            continue
        aliases = [str(a) for a in entry.get("aliases") or []]
        works.append((Work(uri, str(title)), aliases))
    return works, diags


def registry_index(works: list[tuple[Work, list[str]]]) -> RefIndex:
    index = RefIndex()
    for work, aliases in works:
        index.add(work, *aliases)
    return index
