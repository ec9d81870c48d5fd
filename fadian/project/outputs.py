"""What a build writes into its generation: the AKN of every document and bulletin, each history
(one AKN per version and history.json), the citation reports and backlinks, and the manifest
that the renderers read."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from fadian.akn.meta import DocumentMeta
from fadian.history.versions import DocumentHistory
from fadian.manifest import (
    JSON_ENCODER,
    BulletinEntry,
    CitationReports,
    DocumentEntry,
    Manifest,
    cited_external,
    json_lines,
)
from fadian.pipeline import FIRST_ARTICLE, LAST_ARTICLE, STRUCTURE_KINDS, CompiledDocument, StoredBytes
from fadian.project.model import BuildResult, HistoryOutput
from fadian.project.publish import TRASH, LinkedCopy, current_generation, start_linking
from fadian.refs.index import Citation
from fadian.uri import split_portion

REVIEW_FILE = "citations-to-review.json"  # in build/reports/
OUTSTANDING_FILE = "outstanding-changes.json"  # in build/reports/
AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


class OutsideBuild(ValueError):
    """A path derived from a source that would leave the folder it is written into."""


def safe_output_path(base: Path, *parts: str) -> Path:
    """A path under ``base`` built from derived names; refuses anything that escapes it
    (``..``, an absolute part). ``base`` is a folder the build made: it holds no symlinks."""
    return Path(_inside(os.path.abspath(base), *parts))


_PLAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")  # a slug's file name: nothing to normalise


def _in_generation(*parts: str) -> str:
    """A file's path in a generation from derived names (relative), checked as
    :func:`safe_output_path` checks it."""
    if all(_PLAIN_NAME.fullmatch(part) for part in parts):
        return "/".join(parts)
    try:
        return _inside("/g", *parts)[3:]
    except OutsideBuild:
        raise OutsideBuild(f"{'/'.join(parts)!r} escapes the build") from None


def _inside(root: str, *parts: str) -> str:
    """:func:`safe_output_path` as a string, under ``root`` (absolute): staging joins 9,000."""
    target = os.path.normpath(os.path.join(root, *parts))
    if not target.startswith(root if root.endswith(os.sep) else root + os.sep):
        raise OutsideBuild(f"{'/'.join(parts)!r} escapes {root}")
    if _CONTROL.search(target):
        raise OutsideBuild(f"{'/'.join(parts)!r} holds a control character")
    return target


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def history_output(history: DocumentHistory) -> HistoryOutput:
    return HistoryOutput.of(_history_record(history), [d.xml_bytes() for d in history.documents])


def _history_record(history: DocumentHistory) -> dict:
    versions = []
    for k, (v, d) in enumerate(zip(history.versions, history.documents, strict=True), start=1):
        versions.append(
            {
                "version": v.label,
                "number": k,
                "date": v.date,
                "commit": v.commit,
                "tags": list(v.tags),
                "message": v.message,
                "expression_uri": d.meta.expression_uri if d.meta else None,
                **({"legal": legal_record(d.meta)} if d.meta and legal_record(d.meta) else {}),
                "akn": f"build/history/{history.slug}/v{k}.xml",
            }
        )
    diffs = []
    for k, d in enumerate(history.diffs):
        for change in d.changes:
            change.wid = (
                history.wids[k + 1].get(change.new.eid, "")
                if change.new
                else history.wids[k].get(change.old.eid, "")
            )
        record = {"from": history.versions[k].label, "to": history.versions[k + 1].label, **d.to_json()}
        if k < len(history.amended_by) and history.amended_by[k]:
            record["amended_by"] = history.amended_by[k]
        if k < len(history.drafts) and history.drafts[k]:
            record["draft"] = history.drafts[k]
        diffs.append(record)
    return {
        "slug": history.slug,
        "versions": versions,
        "wid_to_eid": history.wid_map(),
        "wids": history.wids,
        "diffs": diffs,
        **({"former_slugs": history.former_slugs} if history.former_slugs else {}),
    }


@dataclass
class StagingPlan:
    """What a generation will hold, known before anything is written: the manifest, and each
    file (its path in the generation, its bytes or where the build cache keeps them, its
    sha256). The search index starts from the plan while staging writes it."""

    manifest: Manifest
    files: dict[str, bytes | StoredBytes] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def add(self, rel: str, data: bytes | StoredBytes) -> None:
        self.files[rel] = data
        self.digests[rel] = data.digest if isinstance(data, StoredBytes) else hashlib.sha256(data).hexdigest()


def _document_entry(doc: CompiledDocument, has_history: bool) -> DocumentEntry:
    """A document as the manifest records it (a part of a work kept in several files: with its
    component and the number of its first article)."""
    m, every = doc.meta, doc.all_counts()
    assert m is not None
    kinds = (*STRUCTURE_KINDS, LAST_ARTICLE, *((FIRST_ARTICLE,) if m.component else ()))
    return DocumentEntry(
        slug=m.slug,
        type=m.doc_type,
        name=m.name,
        title=m.title,
        source=doc.path,
        work_uri=m.work_uri,
        expression_uri=m.expression_uri,
        akn=f"build/akn/{m.slug}.xml",
        history=f"build/history/{m.slug}/history.json" if has_history else None,
        counts={k: every.get(k, 0) for k in kinds},
        legal=legal_record(m),
        component=m.component or "",
    )


def plan_staging(result: BuildResult, previous: Path | None = None) -> StagingPlan:
    """The AKN, histories and manifest of ``result`` (the manifest not yet final: the editions
    stage adds to it); a withheld document's previously published files (``previous``) carried."""
    plan = StagingPlan(Manifest([], [], {}, [], as_of=result.as_of))
    for slug, history in sorted(result.histories.items()):
        folder = _in_generation("history", slug)
        for k, xml in enumerate(history.versions, start=1):
            plan.add(f"{folder}/v{k}.xml", xml)
        plan.add(f"{folder}/history.json", history.text)
    documents = []
    for doc in sorted(result.documents, key=lambda d: d.meta.slug if d.meta else ""):
        assert doc.meta is not None
        plan.add(_in_generation("akn", f"{doc.meta.slug}.xml"), doc.akn_data())
        documents.append(_document_entry(doc, doc.meta.slug in result.histories))
    for bulletin, xml in sorted(result.bulletins, key=lambda b: b[0].slug):
        plan.add(_in_generation("akn", "bulletins", f"{bulletin.slug}.xml"), xml)
        plan.manifest.bulletins.append(
            BulletinEntry(
                slug=bulletin.slug,
                title=bulletin.data["title"],
                issue=bulletin.data.get("issue"),
                issue_total=bulletin.data.get("issue_total"),
                date=bulletin.date,
                source=bulletin.path,
                work_uri=bulletin.work_uri,
                expression_uri=bulletin.expression_uri,
                akn=f"build/akn/bulletins/{bulletin.slug}.xml",
                documents=[str(e["slug"]) for _r, e in bulletin.entries()],
            )
        )
    documents += _carry_withheld(result, previous, plan)
    plan.manifest.documents = sorted(documents, key=lambda e: e.slug)
    plan.manifest.reports = {
        "refs": "build/reports/refs.json",
        "backlinks": "build/reports/backlinks.json",
        "citations_to_review": f"build/reports/{REVIEW_FILE}",
        "outstanding_changes": f"build/reports/{OUTSTANDING_FILE}",
    }
    if result.withheld:
        plan.manifest.reports["withheld"] = "build/reports/withheld.json"
    plan.manifest.registry = [
        {"title": w.title, "uri": w.uri, **({"url": w.url} if w.url else {})} for w in result.registry
    ]
    return plan


def write_staging(result: BuildResult, staging: Path, previous: Path | None = None) -> Manifest:
    """Write the AKN, histories and reports into ``staging``; returns the manifest (not yet
    written: the editions stage adds to it)."""
    plan = plan_staging(result, previous)
    write_plan(plan, result, staging, previous)
    return plan.manifest


def write_plan(
    plan: StagingPlan,
    result: BuildResult,
    staging: Path,
    previous: Path | None,
    recycled: dict[str, str] | None = None,
) -> CitationReports:
    """The plan's files and ``result``'s reports into ``staging``. A file with the same bytes
    in the ``previous`` generation is linked, not written: it keeps its age, so the site's copy
    is not redone. ``recycled``: the files ``staging`` holds already (an old generation's, see
    :func:`reuse_outputs`) by path and sha256: one with the planned bytes stays, any other is
    unlinked first (never written through: it may be a link into a published generation)."""
    before = staged_digests(previous)
    root = os.path.abspath(staging)
    left = dict(recycled or {})
    made: set[str] = set()
    for rel, data in plan.files.items():
        had = left.pop(rel, None)
        if had == plan.digests[rel]:
            continue
        folder = os.path.dirname(rel)
        if folder not in made:
            os.makedirs(os.path.join(root, folder), exist_ok=True)
            made.add(folder)
        if had is not None:
            os.unlink(os.path.join(root, rel))
        _put(root, rel, data, plan.digests[rel], previous, before)
    for rel in sorted(left):  # an old generation's files this one does not have
        path = os.path.join(root, rel)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        folder = os.path.dirname(path)
        if os.path.dirname(folder) != root:  # history/<slug>, when it is left empty
            with contextlib.suppress(OSError):
                os.rmdir(folder)
    reports = _write_reports(result, staging)
    (staging / STAGED).write_text(json.dumps(plan.digests, sort_keys=True), "utf-8")
    return reports


def legal_record(m: DocumentMeta) -> dict[str, str]:
    """The legal metadata of one expression, as the manifest and history.json carry it."""
    return m.legal_metadata()


STAGED = ".staged.json"  # in a generation: the digest of each file staging wrote
RECYCLED = ("akn", "history")  # what a generation takes of an old one (reuse_outputs)


def reuse_outputs(build: Path, generation: Path, copy: LinkedCopy | None = None) -> dict[str, str]:
    """The AKN and history folders of the newest old generation in the trash that was published
    whole, moved into ``generation`` (an empty one) for staging to bring up to date: 3,000
    history folders and 9,000 links are not made again, nor deleted. Without one, ``copy``'s
    (the published generation's folders linked while the build compiled) when it is whole.
    Returns what they hold (path → sha256, as that generation's staging wrote them); {} when
    there is none. Call with the build lock held, before the trash is deleted."""
    for old in _old_generations(build):
        if digests := staged_digests(old):
            return _take_outputs(old, digests, generation)
    if copy is not None and copy.whole_copy_of(current_generation(build)):
        return _take_outputs(copy.target, staged_digests(copy.generation), generation)
    return {}


def _old_generations(build: Path) -> list[Path]:
    """The generations in the trash that were published whole, newest first."""
    return [
        old
        for old in sorted(build.glob(f"{TRASH}*"), reverse=True)
        if (old / ".published").is_file() and (old / STAGED).is_file()
    ]


def _take_outputs(folder: Path, digests: dict[str, str], generation: Path) -> dict[str, str]:
    """``folder``'s AKN and history folders moved into ``generation``: what they hold."""
    if not digests:
        return {}
    taken = set()
    for name in RECYCLED:
        with contextlib.suppress(OSError):
            if (folder / name).is_dir() and not (folder / name).is_symlink():
                (folder / name).rename(generation / name)
                taken.add(name)
    return {rel: d for rel, d in digests.items() if rel.split("/", 1)[0] in taken}


OUTPUTS_COPY = ".outputs-copy-"  # in build/, with the building process's id


def start_outputs_copy(build: Path) -> LinkedCopy | None:
    """Start linking the published generation's AKN and history folders, when no old generation
    waits in the trash to be reused (the first two edits after a full build: otherwise their
    3,000 history folders were made in the build's own thread); None when there is nothing to
    link or one waits, or not on Linux."""
    published = current_generation(build)
    if published is None:
        return None
    folders = [published / n for n in RECYCLED if (published / n).is_dir()]
    if not folders or not (published / STAGED).is_file() or _old_generations(build):
        return None
    return start_linking(published, folders, build / f"{OUTPUTS_COPY}{os.getpid()}")


def staged_digests(generation: Path | None) -> dict[str, str]:
    """The sha256 of each file staging wrote into ``generation``, by its path there."""
    try:
        return json.loads((generation / STAGED).read_text("utf-8")) if generation else {}
    except (OSError, ValueError):
        return {}


def _put(
    staging: str, rel: str, data: bytes | StoredBytes, digest: str, previous: Path | None, before: dict
) -> None:
    """``data`` into ``rel`` of ``staging``: a hard link to the previous generation's file when
    that holds the same bytes, else to the build cache's file of them (neither is ever written
    to). Paths as strings: pathlib's joins were a fifth of staging's time."""
    target = os.path.join(staging, rel)
    if previous is not None and before.get(rel) == digest:
        try:
            os.link(os.path.join(previous, rel), target)
            return
        except OSError:
            pass
    if isinstance(data, StoredBytes):
        try:
            os.link(data.path, target)
            return
        except OSError:
            data = data.read()
    with open(target, "wb") as out:
        out.write(data)


def _citation_record(document: str, c: Citation, path: str) -> dict:
    return {
        "document": document,
        "source_eid": c.source_eid,
        "text": c.text,
        "targets": c.hrefs,
        "status": c.status,
        "kind": c.kind,
        "line": c.line,
        "col": c.col,
        "path": path,
        **({"via": c.via} if c.via else {}),  # 第X条 read as the law the text's title names
    }


def citation_lines(document: str, citations: list[Citation], path: str) -> tuple[str, ...]:
    """One document's citations as the lines of build/reports/refs.json (made once, when the
    document is compiled: the build cache keeps them)."""
    one = JSON_ENCODER.encode
    return tuple(one(_citation_record(document, c, path)) for c in citations)


# (document, its citations, path, the compiled document: None for a bulletin)
Cited = list[tuple[str, list[Citation], str, CompiledDocument | None]]


def _documents_cited(result: BuildResult) -> Cited:
    """Every document's and bulletin's citations in the reports' order: the documents by path,
    then the bulletins (gathered once for all the reports)."""
    out: list = [
        (doc.meta.slug, doc.refs.citations, doc.path, doc)
        for doc in sorted(result.documents, key=lambda d: d.path)
        if doc.refs is not None and doc.meta is not None
    ]
    out += [(slug, cs, f"bulletin:{slug}", None) for slug, cs in sorted(result.bulletin_citations.items())]
    return out


def citation_summary(result: BuildResult, cited: Cited | None = None) -> dict[str, int]:
    """found / resolved (internal and corpus) / external-known / unresolved (and unknown titles)."""
    if cited is None and result.citation_counts is not None:  # (the build's reports counted them)
        return result.citation_counts
    cited = _documents_cited(result) if cited is None else cited
    return _summary(Counter(c.status for _d, citations, _p, _doc in cited for c in citations))


def _summary(status: Counter) -> dict[str, int]:
    return {
        "found": sum(status.values()),
        "resolved": status["internal"] + status["corpus"],
        "external_known": status["external"],
        "unresolved": status["unresolved"] + status["unknown"],
    }


def _tally(cited: Cited, uri_to_slug: dict[str, str]) -> tuple[dict, Counter, set[str]]:
    """One walk over every citation (tens of thousands in a collection), not one a report: for
    every cited document and eId the places that cite it ("cited by"), how many citations there
    are of each status, and the registry's works cited."""
    out: dict[str, dict[str, list[dict]]] = {}
    status: Counter = Counter()
    external: list[tuple[str, list[str]]] = []
    for document, citations, _path, _doc in cited:
        for c in citations:
            status[c.status] += 1
            if c.status == "external":
                external.append((c.status, c.hrefs))
            for href in c.hrefs:
                if href.startswith("#"):
                    slug, eid = document, href[1:]
                else:
                    uri, eid = split_portion(href)
                    slug = uri_to_slug.get(uri)
                    if slug is None:
                        continue
                out.setdefault(slug, {}).setdefault(eid or "", []).append(
                    {"document": document, "source_eid": c.source_eid, "text": c.text}
                )
    links = {slug: dict(sorted(eids.items())) for slug, eids in sorted(out.items())}
    return links, status, cited_external(external)


def refs_report(result: BuildResult, cited: Cited, summary: dict[str, int] | None = None) -> str:
    """build/reports/refs.json: the summary, and every citation a line (as ``json_lines`` lays
    them out), each document's lines as its compilation made them."""
    lines = [
        line
        for document, citations, path, doc in cited
        for line in (
            doc.citation_lines
            if doc is not None and doc.citation_lines is not None
            else citation_lines(document, citations, path)
        )
    ]
    items = "[\n" + ",\n".join(lines) + "\n]" if lines else "[]"
    summary = citation_summary(result, cited) if summary is None else summary
    return f'{{\n"summary": {JSON_ENCODER.encode(summary)},\n"citations": {items}\n}}'


def _carry_withheld(result: BuildResult, previous: Path | None, plan: StagingPlan) -> list[DocumentEntry]:
    """The previously published version of each withheld document, carried into this generation
    as it was (its AKN, its history), so that a bad edit does not take a text off the site."""
    if previous is None or not result.withheld:
        return []
    try:
        before = {e.slug: e for e in Manifest.read(previous).documents}
    except (OSError, ValueError, KeyError):
        return []
    carried = []
    for w in result.withheld:
        entry = before.get(w.slug)
        if entry is None or not w.slug:
            continue
        plan.add(_in_generation("akn", f"{w.slug}.xml"), Manifest.path(previous, entry.akn).read_bytes())
        if entry.history:
            old_folder = Manifest.path(previous, entry.history).parent
            folder = _in_generation("history", w.slug)
            for file in sorted(old_folder.iterdir()):
                plan.add(f"{folder}/{file.name}", file.read_bytes())
        carried.append(entry)
        w.carried = True
    return carried


def _citations_to_review(result: BuildResult, cited: Cited) -> list[dict]:
    """build/reports/citations-to-review.json (refs/review): the citations, in texts in force,
    of an article whose wording or number changed after the version they meant."""
    from fadian.refs.review import citations_to_review, work_versions

    if result.index is None:
        return []
    akn: dict[str, bytes | StoredBytes] = {}
    for doc in result.documents:
        if doc.meta is not None:
            akn[doc.meta.expression_uri] = doc.akn_data()
    records = []  # the histories of several versions (one version is the document's own, above)
    for history in result.histories.values():
        if len(history.versions) < 2:
            continue
        record = json.loads(_bytes(history.text))
        records.append(record)
        for version, xml in zip(record["versions"], history.versions, strict=False):
            akn[version["expression_uri"]] = xml
    trees: dict[str, etree._Element] = {}

    def article_text(uri: str, eid: str) -> str | None:
        if uri not in akn:
            return None
        if uri not in trees:
            trees[uri] = etree.fromstring(_bytes(akn[uri]))
        found = trees[uri].find(f".//*[@eId='{eid}']")
        if found is None:
            return None
        words = found.xpath(".//text()[not(ancestor::a:num)]", namespaces={"a": AKN_NS})
        return " ".join("".join(words).split())  # its wording, not its numbers

    places = [
        (
            document,
            path,
            doc.meta.status if doc is not None and doc.meta else None,
            (doc.meta.expression_date or doc.meta.date) if doc is not None and doc.meta else None,
            citations,
        )
        for document, citations, path, doc in cited
    ]
    return citations_to_review(places, work_versions(result.index, records), result.as_of, article_text)


def _bytes(data: bytes | StoredBytes) -> bytes:
    return data.read() if isinstance(data, StoredBytes) else data


def _write_reports(result: BuildResult, staging: Path) -> CitationReports:
    """The citation reports and (after build --keep-going) the withheld report into
    ``staging``; returns what the site's pages read of them (not read back)."""
    metas = sorted((d.meta for d in result.documents if d.meta), key=lambda m: m.expression_date or m.date)
    uri_to_slug = {m.work_uri: m.slug for m in metas}  # a work's citations: its newest text's
    uri_to_slug.update({m.expression_uri: m.slug for m in metas})  # a version's: that text's
    folder = safe_output_path(staging, "reports")
    folder.mkdir(parents=True, exist_ok=True)
    cited = _documents_cited(result)
    links, status, external = _tally(cited, uri_to_slug)
    result.citation_counts = _summary(status)
    (folder / "refs.json").write_text(refs_report(result, cited, result.citation_counts) + "\n", "utf-8")
    (folder / "backlinks.json").write_text(json_lines(links) + "\n", "utf-8")
    review = _citations_to_review(result, cited)
    result.citations_to_review = len(review)
    (folder / REVIEW_FILE).write_text(json.dumps(review, ensure_ascii=False, indent=1) + "\n", "utf-8")
    from fadian.project.outstanding import outstanding_changes

    pending = outstanding_changes(result.documents)
    (folder / OUTSTANDING_FILE).write_text(json.dumps(pending, ensure_ascii=False, indent=1) + "\n", "utf-8")
    if result.withheld:  # build --keep-going: what was not published, and why
        withheld = [
            {
                "source": w.path,
                "slug": w.slug,
                "previous_version_kept": w.carried,
                "diagnostics": [d.format().split("\n")[0] for d in w.diagnostics if d.is_error],
            }
            for w in result.withheld
        ]
        (folder / "withheld.json").write_text(
            json.dumps(withheld, ensure_ascii=False, indent=1) + "\n", "utf-8"
        )
    return links, external
