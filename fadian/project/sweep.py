"""A corpus sweep: every ``.txt`` of a folder converted in process, as an editor importing a
collection would, with what came out of each (converted or not, structure counts against a
manifest, warnings by code, Han characters kept) and the speed.

Pure apart from reading the folder; the CLI (``fadian sweep``) and the tests print or assert
the :class:`SweepReport`.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fadian.akn.write import AKN_NS
from fadian.diagnostics import Diagnostic, HasDiagnostics
from fadian.legal_fields import PRINTED
from fadian.pipeline import compile_standalone

_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_META = "{" + AKN_NS + "}meta"
_ARTICLE = "{" + AKN_NS + "}article"
_CHAPTER = "{" + AKN_NS + "}chapter"


def han(text: str) -> str:
    """The Han characters of a text, in order: what must survive a conversion."""
    return "".join(_HAN_RE.findall(text))


@dataclass
class SweptText(HasDiagnostics):
    """One text of the folder after conversion."""

    file: str
    chars: int
    converted: bool
    diagnostics: list[Diagnostic]
    articles: int = 0
    chapters: int = 0
    expected_articles: int | None = None  # the manifest's independent count, when given
    han_kept: bool = False
    title: str = ""
    legal: dict[str, object] = field(default_factory=dict)  # what the text says of itself

    def to_json(self) -> dict[str, object]:
        """What was read of the text: its legal metadata beside its structure counts."""
        return {
            "file": self.file,
            "title": self.title,
            "converted": self.converted,
            "articles": self.articles,
            "chapters": self.chapters,
            **({"expected_articles": self.expected_articles} if self.expected_articles is not None else {}),
            "han_kept": self.han_kept,
            "legal": self.legal,
            "diagnostics": dict(sorted(Counter(d.code for d in self.diagnostics).items())),
        }

    @property
    def count_differs(self) -> bool:
        return self.expected_articles is not None and self.articles != self.expected_articles


@dataclass
class SweepReport:
    texts: list[SweptText] = field(default_factory=list)
    seconds: float = 0.0  # converting (read, parse, citations, AKN, validation), not the checks

    @property
    def converted(self) -> list[SweptText]:
        return [t for t in self.texts if t.converted]

    @property
    def chars_per_second(self) -> float:
        return sum(t.chars for t in self.texts) / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, object]:
        return {"texts": [t.to_json() for t in self.texts], "codes": dict(sorted(self.codes().items()))}

    def codes(self) -> Counter[str]:
        return Counter(d.code for t in self.texts for d in t.diagnostics)

    def summary_lines(self) -> list[str]:
        conv = self.converted
        lines = [
            f"converted {len(conv)}/{len(self.texts)} texts"
            f" ({sum(t.chars for t in self.texts):,} chars in {self.seconds:.2f} s,"
            f" {self.chars_per_second / 1e6:.2f} M chars/s)",
            f"Han characters kept: {sum(t.han_kept for t in conv)}/{len(conv)}",
        ]
        with_manifest = [t for t in conv if t.expected_articles is not None]
        if with_manifest:
            differ = [t for t in with_manifest if t.count_differs]
            same = len(with_manifest) - len(differ)
            lines.append(f"article counts equal to the manifest: {same}/{len(with_manifest)}")
            for t in differ:
                codes = ", ".join(sorted({d.code for d in t.warnings})) or "no warning"
                lines.append(f"  {t.file}: {t.articles} articles, manifest {t.expected_articles} ({codes})")
        codes = self.codes()
        if codes:
            lines.append("diagnostics by code: " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
        for t in self.texts:
            if not t.converted:
                first = t.errors[0].format().split("\n")[0] if t.errors else "no output"
                lines.append(f"  refused: {first}")
        return lines


class ManifestError(ValueError):
    """A sweep's manifest that cannot be read as one."""


def _expected_counts(manifest: Path | None) -> dict[str, int]:
    if manifest is None:
        return {}
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"is not a JSON file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents", []), list):
        raise ManifestError("is not a JSON object with a list of documents")
    return {
        d["file"]: d["lines_starting_article"]
        for d in data.get("documents", [])
        if isinstance(d, dict) and "file" in d and isinstance(d.get("lines_starting_article"), int)
    }


def _text_outside_meta(root) -> str:
    document = root[0]
    return "".join("".join(child.itertext()) for child in document if child.tag != _META)


def legal_record(meta) -> dict[str, object]:
    """The legal metadata a conversion read from the text (a sweep's JSON report)."""
    out: dict[str, object] = {k: v for k in PRINTED if (v := getattr(meta, k))}
    out["events"] = [
        {
            k: v
            for k, v in (
                ("kind", e.kind),
                ("date", e.date),
                ("body", e.body),
                ("instrument", e.instrument),
                ("number", e.number),
            )
            if v
        }
        for e in meta.events
    ]
    return out


def sweep_folder(folder: Path, manifest: Path | None = None) -> SweepReport:
    """Convert every ``*.txt`` under ``folder`` (sub-folders too, by path) the way ``fadian
    convert`` does."""
    from fadian.akn.validate import lxml_schema

    lxml_schema()  # loaded once per process; not part of any one text's conversion
    expected = _expected_counts(manifest)
    report = SweepReport()
    for path in sorted(folder.rglob("*.txt"), key=lambda p: p.relative_to(folder).as_posix()):
        data = path.read_bytes()
        started = time.perf_counter()  # the conversion only, not this report's own checks
        doc = compile_standalone(str(path), data, slug="sweep")
        report.seconds += time.perf_counter() - started
        text = data.decode("utf-8", errors="replace")
        rel = path.relative_to(folder).as_posix()
        swept = SweptText(rel, len(text), doc.ok, doc.diagnostics, expected_articles=expected.get(rel))
        if doc.meta is not None:
            swept.title, swept.legal = doc.meta.title, legal_record(doc.meta)
        if doc.ok and doc.root is not None:
            swept.articles = sum(1 for _ in doc.root.iter(_ARTICLE))
            swept.chapters = sum(1 for _ in doc.root.iter(_CHAPTER))
            swept.han_kept = han(_text_outside_meta(doc.root)) == han(text)
        report.texts.append(swept)
    return report
