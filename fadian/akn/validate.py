"""Validation: the official AKN 3.0 XSD, plus the rules a schema cannot state.

lxml's XMLSchema checks every document in the hot path (about a
millisecond); only when it fails is the slower xmlschema loaded, to explain
the failure with a readable element path.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from lxml import etree

from fadian.diagnostics import Diagnostic, diag

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"  # vendored in the package (its README: provenance)
SCHEMA_FILE = "akomantoso30.xsd"
_Q = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def schema_path() -> Path:
    """The vendored official schema (package data: in a checkout and in an installed wheel)."""
    return SCHEMA_DIR / SCHEMA_FILE


_SCHEMA_LOCK = threading.Lock()


def lxml_schema() -> etree.XMLSchema:
    with _SCHEMA_LOCK:  # (one compilation, whichever thread asks first)
        return _compiled_schema()


@functools.lru_cache(maxsize=1)
def _compiled_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(schema_path())))


def compile_schema_aside() -> None:
    """Compile the schema in a thread while the build does other work: libxml2 compiles it
    without holding Python's lock, off an edit's critical path."""
    threading.Thread(target=lxml_schema, name="akn-schema", daemon=True).start()


@functools.lru_cache(maxsize=1)
def xmlschema_schema():
    import xmlschema

    return xmlschema.XMLSchema(str(schema_path()))


def validate_akn(root: etree._Element, path: str) -> list[Diagnostic]:
    """Schema-validate one AKN tree; every failure becomes an F501 diagnostic."""
    schema = lxml_schema()
    if schema.validate(root):
        return _unique_eids(root, path)
    diags = []
    for error in list(schema.error_log)[:10]:
        where = f" (XML line {error.line})" if error.line else ""
        diags.append(diag("F501", f"AKN schema: {error.message}{where}", path, 1, 1))
    try:
        reason = xmlschema_schema().validate(etree.tostring(root).decode())
    except Exception as exc:  # xmlschema's own error carries the readable path
        reason = getattr(exc, "path", None)
        if reason:
            diags.append(diag("F501", f"at {reason}: {getattr(exc, 'reason', exc)}", path, 1, 1))
    return diags


def _unique_eids(root: etree._Element, path: str) -> list[Diagnostic]:
    """eIds are unique (the XSD says so too) and every internal reference (href, refersTo,
    from, upTo …) names one of them."""
    seen: set[str] = set()
    diags = []
    for eid in root.xpath("//@eId"):
        if eid in seen:
            diags.append(diag("F502", f"eId {eid!r} is used twice", path, 1, 1))
        seen.add(eid)
    # internal references: every href, and the refersTo of <def> and from/upTo of <rref>
    # (found by a tag-filtered walk: far cheaper than testing every attribute of the tree)
    refs = [("href", h) for h in root.xpath("//@href[starts-with(., '#')]")]
    for el in root.iter(_Q + "def", _Q + "rref"):
        refs += [(name, el.get(name, "")) for name in ("refersTo", "from", "upTo") if el.get(name)]
    for name, value in refs:
        if (
            value.startswith("#")
            and value[1:] not in seen
            and value[1:] not in ("fadian", "source", "publisher")
        ):
            diags.append(diag("F702", f"{name} {value!r} points at no eId of this document", path, 1, 1))
    return diags
