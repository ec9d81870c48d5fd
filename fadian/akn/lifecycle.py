"""A document's legal time in AKN's own places: one ``<eventRef>`` per event the text prints
(通过, 修正, 修订, 公布, 批准, 施行 — each pointing at the instrument that made it, when the text
names one), and its in-force period as ``<temporalData>``: a ``<timeInterval>`` from the event
it took effect to the event a later expression took over, when those are known."""

from __future__ import annotations

from dataclasses import dataclass, field

from fadian.akn.meta import DocumentMeta
from fadian.akn.xmltext import XmlText
from fadian.read.legalmeta import ADOPTED, AMENDED, EFFECTIVE, EVENT_LABELS, REPEALED, REVISED

EVENT_TYPES = {AMENDED: "amendment", REVISED: "amendment", REPEALED: "repeal"}  # else generation
IN_FORCE = "inForce"
SUPERSEDED = "superseded"


@dataclass(frozen=True)
class TimelineEvent:
    eid: str
    date: str
    kind: str  # adopted, amended … or superseded (a later expression took effect)
    source: str  # the TLCReference of the document that made it: original, instrument_N


@dataclass(frozen=True)
class InForce:
    start: str | None  # eIds of the events that open and close the period (None: not printed)
    end: str | None


@dataclass
class Timeline:
    events: list[TimelineEvent] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)  # titles, instrument_1 …
    in_force: InForce | None = None


def legal_timeline(m: DocumentMeta) -> Timeline:
    """The events a text prints, with its 施行 (from the commencement article when the header
    does not print it) and the end of its in-force period, in date order."""
    t = Timeline()
    rows: list[tuple[str, str, str]] = []  # (date, kind, source)
    for e in m.events:
        source = "original"
        if e.instrument:
            if e.instrument not in t.instruments:
                t.instruments.append(e.instrument)
            source = f"instrument_{t.instruments.index(e.instrument) + 1}"
        rows.append((e.date, e.kind, source))
    if m.effective and not any(kind == EFFECTIVE and date == m.effective for date, kind, _s in rows):
        rows.append((m.effective, EFFECTIVE, "original"))
    if m.in_force_until:
        rows.append((m.in_force_until, SUPERSEDED, "original"))
    if m.repealed:
        rows.append((m.repealed, REPEALED, "original"))
    if not rows:
        return t
    rows.sort(key=lambda r: (r[0], r[1] in (SUPERSEDED, REPEALED)))
    t.events = [TimelineEvent(f"evt_{k}", d, kind, src) for k, (d, kind, src) in enumerate(rows, start=1)]
    start = next((e.eid for e in t.events if e.kind == EFFECTIVE and e.date == m.effective), None)
    end = next((e.eid for e in t.events if e.kind in (SUPERSEDED, REPEALED)), None)
    if start is not None or end is not None:
        t.in_force = InForce(start, end)
    return t


def write_lifecycle(x: XmlText, t: Timeline) -> None:
    x.start("lifecycle", source="#fadian")
    first = True
    for e in t.events:
        kind = EVENT_TYPES.get(e.kind, "amendment" if e.kind == SUPERSEDED else "generation")
        if e.kind == ADOPTED and not first:
            kind = "generation"
        x.leaf("eventRef", eId=e.eid, date=e.date, source=f"#{e.source}", refersTo=f"#{e.kind}", type=kind)
        first = False
    x.end("lifecycle")


def write_temporal_data(x: XmlText, period: InForce) -> None:
    """The in-force period (a timeInterval between two eventRefs)."""
    x.start("temporalData", source="#fadian")
    x.start("temporalGroup", eId="tmpg_inForce")
    bounds = {k: f"#{v}" for k, v in (("start", period.start), ("end", period.end)) if v}
    x.leaf("timeInterval", **bounds, refersTo=f"#{IN_FORCE}")
    x.end("temporalGroup")
    x.end("temporalData")


def write_timeline_references(x: XmlText, m: DocumentMeta, t: Timeline) -> None:
    """The TLCs the events and the period refer to: the text itself, each instrument it names,
    each kind of event, and the concept of being in force."""
    if not t.events:
        return
    x.leaf("TLCReference", eId="original", href=m.work_uri, showAs=m.title, name="original")
    for k, title in enumerate(t.instruments, start=1):
        href = f"/ontology/instrument/{m.jurisdiction}/{m.slug}/{k}"
        x.leaf("TLCReference", eId=f"instrument_{k}", href=href, showAs=title, name="amendment")
    for kind in dict.fromkeys(e.kind for e in t.events):
        label = EVENT_LABELS.get(kind, "被新版本取代")
        x.leaf("TLCEvent", eId=kind, href=f"/ontology/event/{kind}", showAs=label)
    if t.in_force is not None:
        x.leaf("TLCConcept", eId=IN_FORCE, href=f"/ontology/concept/{IN_FORCE}", showAs="有效期间")
