"""The whole project: sources/ → build/akn/*.xml + build/manifest.json.

I/O lives here and in the CLI. A build writes into a staging folder inside
build/ and only swaps it in when every document compiled without error, so
a failing build leaves the previous good build/ as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .collection import Bulletin, build_collection, check_stated_counts, load_bulletin
from .diagnostics import Diagnostic, diag, has_errors
from .pipeline import CompiledDocument, compile_source
from .validate import validate_akn


@dataclass
class Project:
    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def document_files(self) -> list[Path]:
        return sorted((self.sources / "documents").glob("*.txt"))

    def bulletin_files(self) -> list[Path]:
        return sorted((self.sources / "bulletins").glob("*.yaml"))

    def rel(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root.resolve()))
        except ValueError:
            return str(path)


@dataclass
class BuildResult:
    documents: list[CompiledDocument] = field(default_factory=list)
    bulletins: list[tuple[Bulletin, bytes]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        out = [d for doc in self.documents for d in doc.diagnostics]
        return out + self.diagnostics

    @property
    def ok(self) -> bool:
        return not has_errors(self.all_diagnostics)


def safe_output_path(base: Path, *parts: str) -> Path:
    """A path under ``base`` built from derived names; refuses anything that escapes it."""
    target = base.joinpath(*parts).resolve()
    if not target.is_relative_to(base.resolve()):
        raise ValueError(f"{'/'.join(parts)} escapes {base}")
    return target


def check_project(
    project: Project, paths: Iterable[Path] | None = None, progress: Callable[[str], None] | None = None
) -> BuildResult:
    """Compile documents and bulletins without writing anything."""
    result = BuildResult()
    doc_paths = [p for p in (paths or project.document_files()) if p.suffix != ".yaml"]
    bulletin_paths = [p for p in (paths or project.bulletin_files()) if p.suffix == ".yaml"]
    for path in doc_paths:
        name = project.rel(path)
        if progress:
            progress(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            result.diagnostics.append(diag("F603", f"cannot read: {exc.strerror}", name))
            continue
        result.documents.append(compile_source(name, data))
    seen: dict[str, str] = {}
    for doc in result.documents:
        if doc.meta is None:
            continue
        if doc.meta.slug in seen:
            result.diagnostics.append(
                diag("F207", f"slug {doc.meta.slug!r} is also used by {seen[doc.meta.slug]}", doc.path)
            )
        seen[doc.meta.slug] = doc.path
    # bulletins refer to every document of the project, not only the ones checked
    metas = {d.meta.slug: d for d in result.documents if d.meta is not None}
    if bulletin_paths and paths is not None:
        for path in project.document_files():
            name = project.rel(path)
            if not any(d.path == name for d in result.documents):
                doc = compile_source(name, path.read_bytes())
                if doc.meta is not None:
                    metas.setdefault(doc.meta.slug, doc)
    for path in bulletin_paths:
        name = project.rel(path)
        if progress:
            progress(name)
        bulletin, diags = load_bulletin(name, path.read_bytes())
        result.diagnostics += diags
        if bulletin is None:
            continue
        for _rubric, entry in bulletin.entries():
            if str(entry.get("slug")) not in metas:
                result.diagnostics.append(
                    diag(
                        "F601",
                        f"bulletin lists unknown document {entry.get('slug')!r}",
                        name,
                        bulletin.line_of(f"slug: {entry.get('slug')}"),
                    )
                )
        trees = {slug: d.tree for slug, d in metas.items() if d.tree is not None}
        result.diagnostics += check_stated_counts(bulletin, trees)
        root = build_collection(bulletin, {slug: d.meta for slug, d in metas.items() if d.meta})
        result.diagnostics += validate_akn(root, name)
        from .akn import serialize

        result.bulletins.append((bulletin, serialize(root)))
    return result


def build_project(project: Project, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Check everything; when there is no error, replace build/akn and build/manifest.json."""
    result = check_project(project, progress=progress)
    if not result.ok:
        return result
    build = project.build_dir
    build.mkdir(parents=True, exist_ok=True)
    staging = build / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        manifest = _write_staging(project, result, staging)
        _swap_in(staging, build, ["akn", "manifest.json"])
    except ValueError as exc:
        result.diagnostics.append(diag("F602", str(exc), "build"))
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.written = [entry["akn"] for entry in manifest["documents"]]
    result.written += [entry["akn"] for entry in manifest["bulletins"]]
    return result


def _write_staging(project: Project, result: BuildResult, staging: Path) -> dict:
    documents = []
    for doc in sorted(result.documents, key=lambda d: d.meta.slug if d.meta else ""):
        assert doc.meta is not None and doc.tree is not None
        m = doc.meta
        target = safe_output_path(staging, "akn", f"{m.slug}.xml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(doc.xml_bytes())
        documents.append(
            {
                "slug": m.slug,
                "type": m.doc_type,
                "name": m.name,
                "title": m.title,
                "source": doc.path,
                "work_uri": m.work_uri,
                "expression_uri": m.expression_uri,
                "akn": f"build/akn/{m.slug}.xml",
                "counts": {
                    k: doc.tree.count(k)
                    for k in ("book", "part", "chapter", "section", "article", "subsection", "point")
                },
            }
        )
    bulletins = []
    for bulletin, xml in sorted(result.bulletins, key=lambda b: b[0].slug):
        target = safe_output_path(staging, "akn", "bulletins", f"{bulletin.slug}.xml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(xml)
        bulletins.append(
            {
                "slug": bulletin.slug,
                "type": "documentCollection",
                "title": bulletin.data["title"],
                "issue": bulletin.data.get("issue"),
                "issue_total": bulletin.data.get("issue_total"),
                "date": bulletin.date,
                "source": bulletin.path,
                "work_uri": bulletin.work_uri,
                "expression_uri": bulletin.expression_uri,
                "akn": f"build/akn/bulletins/{bulletin.slug}.xml",
                "documents": [str(e["slug"]) for _r, e in bulletin.entries()],
            }
        )
    manifest = {"generator": "fadian", "documents": documents, "bulletins": bulletins}
    (staging / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    return manifest


def _swap_in(staging: Path, build: Path, names: list[str]) -> None:
    """Move each staged entry into build/, removing the old one only after the move."""
    for name in names:
        new, old, trash = staging / name, build / name, build / f".old-{name}"
        shutil.rmtree(trash, ignore_errors=True)
        if old.exists():
            old.rename(trash)
        new.rename(old)
        if trash.is_dir():
            shutil.rmtree(trash, ignore_errors=True)
        elif trash.exists():
            trash.unlink()
