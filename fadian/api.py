"""The public Python API: what a program needs from fadian, in two names.

``convert`` turns one text into AKN (the stages of :mod:`fadian.pipeline`); ``Project`` checks
and builds a folder of sources (:mod:`fadian.project.build`). Everything else is private.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from fadian.akn.meta import DocumentMeta
from fadian.diagnostics import Diagnostic, HasDiagnostics
from fadian.model import DocumentTree
from fadian.project.build import Project

__all__ = ["ConvertResult", "Project", "convert"]


@dataclass
class ConvertResult(HasDiagnostics):
    """The AKN of one text (bytes and tree), its parsed structure, and every diagnostic."""

    xml: bytes | None
    root: etree._Element | None
    tree: DocumentTree | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    meta: DocumentMeta | None = None  # slug, title, dates, FRBR URIs

    @property
    def ok(self) -> bool:
        """True when the AKN was written: no diagnostic is an error."""
        return self.xml is not None


def convert(
    text: str | bytes,
    *,
    slug: str = "document",
    path: str = "<text>",
    registry: str | None = None,
    **metadata: str | int | None,
) -> ConvertResult:
    """Convert one text, as ``fadian convert`` does.

    ``text`` is a standalone law (title on the first line, dated header lines) or a source with
    YAML front matter. ``metadata`` overrides what is read from the text: ``title``, ``date``,
    ``doc_type`` (act, bill, doc, amendment), ``name``, ``jurisdiction``, ``first_article``.
    ``registry`` is the path of a registry.yaml of external works to link citations to.
    """
    from fadian.pipeline import compile_standalone
    from fadian.refs.registry import load_registry, registry_index

    data = text.encode("utf-8") if isinstance(text, str) else text
    index = None
    if registry is not None:
        with open(registry, "rb") as f:
            works, diags = load_registry(registry, f.read())
        if diags:
            return ConvertResult(None, None, None, diags)
        index = registry_index(works)
    overrides = {k: (str(v) if v is not None else None) for k, v in metadata.items()}
    doc = compile_standalone(path, data, slug, index, **overrides)
    if not doc.ok:
        return ConvertResult(None, None, doc.tree, doc.diagnostics, doc.meta)
    return ConvertResult(doc.xml_bytes(), doc.root, doc.tree, doc.diagnostics, doc.meta)
