"""sources/registry.yaml: external works that texts cite, kept as data editors can extend."""

from __future__ import annotations

from fadian.diagnostics import Diagnostic, diag
from fadian.names import is_web_url, is_work_uri
from fadian.read.schemas import MAX_YAML_FILE_BYTES, Registry, check_schema, load_yaml
from fadian.refs.index import RefIndex, Work


def load_registry(path: str, data: bytes) -> tuple[list[tuple[Work, list[str]]], list[Diagnostic]]:
    """Parse and check the registry; every entry needs a title and an AKN work URI."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return [], [diag("F703", "registry is not UTF-8", path)]
    loaded, node, diags = load_yaml(text, path, code="F703", what="registry", limit=MAX_YAML_FILE_BYTES)
    if diags:
        return [], diags
    if not isinstance(loaded, dict) or not isinstance(loaded.get("works"), list):
        return [], [diag("F703", "registry must have a list `works`", path)]
    _typed, diags = check_schema(Registry, loaded, node, path, first_line=1, what="registry", code="F703")
    if diags:
        return [], diags
    entries = loaded["works"]
    works = []
    for k, entry in enumerate(entries, start=1):
        title = entry.get("title") if isinstance(entry, dict) else None
        uri = entry.get("uri") if isinstance(entry, dict) else None
        line = text.count("\n", 0, text.find(str(title))) + 1 if title else 1
        if not title or not isinstance(uri, str) or not is_work_uri(uri):
            diags.append(diag("F703", f"entry {k} needs a title and an AKN work URI", path, line))
            continue
        aliases = [str(a) for a in entry.get("aliases") or []]
        url = entry.get("url")
        if url is not None and not is_web_url(str(url)):  # a link on the site: web addresses only
            diags.append(
                diag("F703", f"entry {k}: url {str(url)[:60]!r} must be an http(s) address", path, line)
            )
            continue
        works.append((Work(uri, str(title), url=url), aliases))
    return works, diags


def registry_index(works: list[tuple[Work, list[str]]]) -> RefIndex:
    index = RefIndex()
    for work, aliases in works:
        index.add(work, *aliases)
    return index
