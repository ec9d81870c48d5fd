"""Outstanding changes: an amendment instrument of the project that amends a text whose newest
file neither records it in its header nor is later than it — the change is adopted but not yet
in the text (legislation.gov.uk's "changes not yet applied", Peachjam's "outstanding
amendments"). A text older than the instrument and silent about it is the only case claimed: an
instrument older than the text may be in it without being named.
"""

from __future__ import annotations

from fadian.history.versions import InstrumentRef, records_instrument
from fadian.pipeline import CompiledDocument
from fadian.project.histories import amending, corpus_instruments


def outstanding_changes(documents: list[CompiledDocument]) -> dict[str, list[dict]]:
    """Document slug → the instruments not yet in it: title, adoption date, its work URI."""
    instruments = corpus_instruments(documents)
    newest: dict[str, CompiledDocument] = {}
    for doc in documents:
        m = doc.meta
        if m is None or doc.instrument is not None:
            continue
        day = m.expression_date or m.date or ""
        known = newest.get(m.work_uri)
        if known is None or day > (known.meta.expression_date or known.meta.date or ""):
            newest[m.work_uri] = doc
    out: dict[str, list[dict]] = {}
    for doc in sorted(newest.values(), key=lambda d: d.meta.slug):
        refs = {ref.work_uri: ref for ref in amending(doc, instruments)}  # (title and short title)
        pending = [ref for ref in refs.values() if _outstanding(doc, ref)]
        if pending:
            out[doc.meta.slug] = [
                {"title": ref.instrument.title, "adopted": ref.instrument.date, "uri": ref.work_uri}
                for ref in pending
            ]
    return out


def _outstanding(doc: CompiledDocument, ref: InstrumentRef) -> bool:
    day = doc.meta.expression_date or doc.meta.date or ""
    adopted = ref.instrument.date or ""
    return bool(adopted) and adopted > day and doc.tree is not None and not records_instrument(doc, ref)
