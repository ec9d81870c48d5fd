"""A document through its versions: git history → one AKN expression per version, wIds that
follow the article, and the diff between consecutive versions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from fadian.akn.write import VersionInfo
from fadian.alignment import DocumentDiff
from fadian.amend.apply import recorded_forms, same_work
from fadian.amend.model import Instrument, Provision
from fadian.amend.tree import operation_destinations, provision_mod_id
from fadian.diagnostics import Diagnostic, diag
from fadian.eids import top_of
from fadian.history.align import assign_wids, diff_trees, provisions
from fadian.history.drafts import draft_record
from fadian.history.git import RepoLog, Version, read_versions
from fadian.history.timeline import LegalContext, versions_in_time
from fadian.pipeline import CompiledDocument, finish_document, prepare_source, prepare_tree
from fadian.read.sources import read_source
from fadian.refs.index import CitationIndex
from fadian.uri import portion_href


@dataclass
class DocumentHistory:
    slug: str
    versions: list[Version]
    documents: list[CompiledDocument]  # one per version, with AKN
    wids: list[dict[str, str]]
    diffs: list[DocumentDiff] = field(default_factory=list)  # diffs[k]: version k → k+1
    # amended_by[k]: for version k+1, eId → the instrument provision that changed it
    amended_by: list[dict[str, dict[str, str]]] = field(default_factory=list)
    # drafts[k]: the drafted instrument and 修改前后对照表 of version k → k+1 (None: no provision changed)
    drafts: list[dict | None] = field(default_factory=list)
    # the slugs older versions had, newest last: their addresses redirect to this one
    former_slugs: list[str] = field(default_factory=list)

    def drafts_by_commits(self) -> dict[tuple[str, str], dict]:
        """Each draft of a change between two commits, by the commits (what a later build
        takes instead of drafting it again: ``build_history(drafted=…)``)."""
        return {
            (old.commit, new.commit): draft
            for old, new, draft in zip(self.versions, self.versions[1:], self.drafts, strict=False)
            if old.commit and new.commit and draft is not None
        }

    def find(self, rev: str) -> int | None:
        """Index of a version named v2, a tag, a commit prefix or 'working copy'."""
        for k, v in enumerate(self.versions):
            if rev in (v.label, str(v.number), f"v{v.number}") or rev in v.tags:
                return k
            if v.commit and len(rev) >= 4 and v.commit.startswith(rev):
                return k
        return None

    def wid_map(self) -> dict[str, str]:
        """wId → the eId it has in the latest version (for permalinks that survive renumbering)."""
        latest = {wid: eid for eid, wid in self.wids[-1].items()}
        out: dict[str, str] = {}
        for mapping in self.wids:  # deleted provisions point at nothing
            for wid in mapping.values():
                if wid in latest:
                    out[wid] = latest[wid]
        return out


def _mods(d: DocumentDiff, previous_uri: str) -> list[dict[str, str]]:
    mods = []
    for c in d.changes:
        if c.kind == "added":
            mods.append({"type": "insertion", "destination": f"#{c.new.eid}"})
        elif c.kind == "deleted":
            mods.append({"type": "repeal", "destination": portion_href(previous_uri, c.old.eid)})
        elif c.kind == "modified":
            mods.append({"type": "substitution", "destination": f"#{c.new.eid}"})
        else:  # renumbered or moved, perhaps also modified
            mods.append(
                {
                    "type": "substitution" if c.modified else "renumbering",
                    "destination": f"#{c.new.eid}",
                    "previous": portion_href(previous_uri, c.old.eid),
                }
            )
    return mods


@dataclass(frozen=True)
class InstrumentRef:
    """An amendment instrument of the corpus, as the history of the work it amends sees it."""

    instrument: Instrument
    work_uri: str
    amended: str = ""  # the title of the text it amends, in a decision that amends several

    def provision_for(self, eid: str) -> Provision | None:
        """The provision whose operations change the article of ``eid`` (old or new number)."""
        article = top_of(eid)
        for prov in self.instrument.provisions:
            if self.amended and not same_work(prov.work or self.instrument.work, self.amended):
                continue
            for op in prov.operations:
                if any(top_of(d) == article for d in operation_destinations(op)):
                    return prov
        return None


def records_instrument(doc: CompiledDocument, inst: InstrumentRef) -> bool:
    """The version's header records the instrument (…通过的《刑法修正案（十二）》)."""
    needles = recorded_forms(inst.instrument.title)
    return doc.tree is not None and any(n in "".join(b.text.split()) for b in doc.tree.title for n in needles)


def _name_instruments(
    mods: list[dict[str, str]],
    d: DocumentDiff,
    before: CompiledDocument,
    after: CompiledDocument,
    instruments,
) -> dict[str, dict[str, str]]:
    """Point each change of a version at the instrument provision that made it, when the
    version is the one that first records an instrument of the corpus."""
    applied = [i for i in instruments if records_instrument(after, i) and not records_instrument(before, i)]
    named: dict[str, dict[str, str]] = {}
    if not applied:
        return named
    for mod, change in zip(mods, d.changes, strict=True):
        for inst in applied:
            eids = [c.eid for c in (change.old, change.new) if c is not None]
            prov = next((p for e in eids if (p := inst.provision_for(e)) is not None), None)
            if prov is None:
                continue
            mod["source"] = portion_href(inst.work_uri, provision_mod_id(inst.instrument, prov))
            key = change.new.eid if change.new is not None else change.old.eid
            named[key] = {
                "instrument": inst.instrument.title,
                "date": inst.instrument.date or "",
                "provision": prov.num,
                "href": mod["source"],
            }
            break
    return named


def build_history(
    versions: list[Version],
    path: str,
    index: CitationIndex | None,
    *,
    standalone_slug: str | None = None,
    instruments: list[InstrumentRef] | None = None,
    context: LegalContext | None = None,
    newest: CompiledDocument | None = None,
    drafted: dict[tuple[str, str], dict] | None = None,
) -> tuple[DocumentHistory | None, list[Diagnostic]]:
    """Compile every version, align consecutive ones, and write each version's AKN (``context``:
    what the project knows of the work in time: each version's in-force period and status;
    ``newest``: the last version, already parsed from the same bytes; ``drafted``: the drafts
    a previous build made by this code, by the pair of commits they go between — a commit's
    text never changes, so its change is not drafted again)."""
    compiled, diags = _compiled_versions(versions, path, standalone_slug, newest)
    if not compiled:
        return None, diags
    compiled = [(_relabelled(v, k), doc) for k, (v, doc) in enumerate(compiled, start=1)]
    former_slugs = _as_one_work([doc for _v, doc in compiled])
    if context is not None:
        metas = versions_in_time([doc.meta for _v, doc in compiled], path, context)
        for (_v, doc), meta in zip(compiled, metas, strict=True):
            doc.meta = meta
    trees = [doc.tree for _v, doc in compiled]
    provs = [provisions(t) for t in trees] if len(trees) > 1 else []  # only to align versions
    wids = assign_wids(trees, provs or None)
    diffs = [diff_trees(trees[k - 1], trees[k], provs[k - 1], provs[k]) for k in range(1, len(trees))]
    amended_by, more = _finish_versions(compiled, diffs, wids, index, instruments or [])
    legal = compiled[-1][1].tree is not None and compiled[-1][1].tree.mode == "legal"
    drafts = [
        _drafted(path, compiled[k - 1][0], compiled[k][0], drafted or {})
        if legal and compiled[k][1].instrument is None and diffs[k - 1].changes
        else None
        for k in range(1, len(compiled))
    ]
    documents = [d for _v, d in compiled]
    labels = [v for v, _d in compiled]
    slug = documents[0].meta.slug
    history = DocumentHistory(slug, labels, documents, wids, diffs, amended_by, drafts, former_slugs)
    return history, diags + more


def _drafted(path: str, old: Version, new: Version, drafted: dict[tuple[str, str], dict]) -> dict | None:
    """The draft of the change from ``old`` to ``new``: made before when both are commits."""
    if old.commit and new.commit and (old.commit, new.commit) in drafted:
        return drafted[old.commit, new.commit]
    return draft_record(path, old.data, new.data)


def _compiled_versions(
    versions: list[Version], path: str, standalone_slug: str | None, newest: CompiledDocument | None
) -> tuple[list[tuple[Version, CompiledDocument]], list[Diagnostic]]:
    """Each version parsed (a standalone text with its metadata read from it); a version with
    errors is left out (F805)."""
    diags: list[Diagnostic] = []
    compiled: list[tuple[Version, CompiledDocument]] = []
    for v in versions:
        if newest is not None and v is versions[-1]:
            doc = newest
        elif standalone_slug is not None:
            from fadian.pipeline import infer_meta

            source = read_source(path, v.data, front_matter=False)
            doc = prepare_tree(source, infer_meta(source, standalone_slug))
        else:
            doc = prepare_source(path, v.data)
        if doc.meta is None or doc.tree is None or any(d.is_error for d in doc.diagnostics):
            where = f"commit {v.commit[:10]}" if v.commit else v.label
            diags.append(diag("F805", f"the text as of {where} has errors; not published as a version", path))
            continue
        if standalone_slug is None and doc.meta.expression_date is None and compiled:
            # a version whose text and front matter print no date of its own: the first is the
            # work's original expression (its front matter date), later ones are dated by commits
            doc.meta = dataclasses.replace(doc.meta, expression_date=v.date)
        compiled.append((v, doc))
    return compiled, diags


def _finish_versions(
    compiled: list[tuple[Version, CompiledDocument]],
    diffs: list[DocumentDiff],
    wids: list[dict[str, str]],
    index: CitationIndex | None,
    instruments: list[InstrumentRef],
) -> tuple[list[dict[str, dict[str, str]]], list[Diagnostic]]:
    """Each version's AKN written with its lifecycle and its changes (and the instruments of the
    project named at the articles they changed); returns those names and the versions' errors."""
    events = [
        (f"evt_{k}", doc.meta.expression_date or doc.meta.date, "generation" if k == 1 else "amendment")
        for k, (_v, doc) in enumerate(compiled, start=1)
    ]
    amended_by: list[dict[str, dict[str, str]]] = []
    diags: list[Diagnostic] = []
    for k, (_v, doc) in enumerate(compiled):
        mods = _mods(diffs[k - 1], compiled[k - 1][1].meta.expression_uri) if k else []
        if k:
            amended_by.append(_name_instruments(mods, diffs[k - 1], compiled[k - 1][1], doc, instruments))
        finish_document(doc, index, VersionInfo(wids[k], events, mods, source_href=doc.meta.expression_uri))
        diags += [d for d in doc.diagnostics if d.is_error]
    return amended_by, diags


# what names a work (its FRBR work URI and its address on the site), as opposed to a version
_WORK_IDENTITY = ("slug", "doc_type", "name", "jurisdiction", "subtype", "date", "number")


def _as_one_work(documents: list[CompiledDocument]) -> list[str]:
    """Every version takes the newest version's work identity: one file's history is one work,
    whatever slug, type or work date its front matter said before an editor changed it (the
    versions would otherwise be published under addresses no page links, or clash). Returns the
    slugs the older versions had, oldest first, so their addresses can point at the new one."""
    newest = documents[-1].meta
    assert newest is not None
    identity = {name: getattr(newest, name) for name in _WORK_IDENTITY}
    former: list[str] = []
    for doc in documents[:-1]:
        assert doc.meta is not None
        if all(getattr(doc.meta, name) == value for name, value in identity.items()):
            continue
        if doc.meta.slug != newest.slug and doc.meta.slug not in former:
            former.append(doc.meta.slug)
        doc.meta = dataclasses.replace(doc.meta, **identity)
    return former


def _relabelled(version: Version, number: int) -> Version:
    """The ``number``-th version published: numbered among the versions kept (a commit whose
    text has errors is skipped and numbers none), so ``fadian history`` and the site agree."""
    if version.number == number:
        return version
    label = version.label if version.commit is None else f"v{number}"
    return dataclasses.replace(version, number=number, label=label)


def project_history(
    path: Path,
    rel: str,
    index: CitationIndex | None,
    instruments: list[InstrumentRef] | None = None,
    log: RepoLog | None = None,
) -> tuple[DocumentHistory | None, list[Diagnostic]]:
    """The history of one source file of a project (``log``: its repository, read once)."""
    versions, diags = read_versions(path, log)
    history, more = build_history(versions, rel, index, instruments=instruments)
    return history, diags + more
