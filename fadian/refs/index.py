"""What citations resolve to: the citable works (a document of the corpus, an entry of the
registry) indexed by title and alias, and the records a resolved citation leaves: a Span on its
block (for the AKN writer), a Citation (for the reports and the backlinks)."""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from typing import Literal, Protocol

from fadian.diagnostics import Diagnostic


@dataclass(slots=True)
class Span:
    """A marked-up run of a Block's text: ``kind`` is ref, mref or def."""

    start: int
    end: int
    kind: str
    href: str = ""
    children: list[Span] = field(default_factory=list)
    refers_to: str = ""
    up_to: str = ""  # rref: the last unit of a range 第X条至第Y条 (``href`` is the first)


@dataclass(slots=True)
class Citation:
    """One citation, for the report and the backlinks."""

    text: str
    source_eid: str
    hrefs: list[str]
    status: str  # internal | corpus | external | unresolved | unknown
    line: int
    col: int
    kind: str = "ref"
    work: str = ""  # unresolved: the title of the other text it names (its article is not there)
    via: str = ""  # "title": a bare 第X条 read as the law the citing text's title names (罪名 tables)


class ProvisionIds(Set):
    """The eIds of one text, as a set that is read only when asked: kept (pickled) as one line of
    text. A build after an edit loads every unchanged text's eIds from the build cache, and
    unpickling 3,000 sets of some 300 strings was a third of that load; a citation asks about
    a few texts."""

    __slots__ = ("_set", "_text")

    def __init__(self, eids: Iterable[str] = ()) -> None:
        self._set: frozenset[str] | None = frozenset(eids)
        self._text: str | None = None

    @classmethod
    def from_text(cls, text: str) -> ProvisionIds:
        ids = cls.__new__(cls)
        ids._set, ids._text = None, text
        return ids

    @property
    def ids(self) -> frozenset[str]:
        if self._set is None:
            self._set = frozenset(self._text.split("\n")) if self._text else frozenset()
        return self._set

    def __contains__(self, eid: object) -> bool:
        return eid in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __hash__(self) -> int:
        return hash(self.ids)

    def __repr__(self) -> str:
        return f"ProvisionIds({sorted(self.ids)!r})"

    def __reduce__(self) -> tuple:
        text = self._text if self._text is not None else "\n".join(sorted(self.ids))
        return ProvisionIds.from_text, (text,)


@dataclass(frozen=True)
class ExpressionRef:
    """One version of a corpus work as citations see it: its URI, the day it took effect (or
    was made, when its 施行日期 is not printed) and its provisions."""

    uri: str
    start: str
    eids: frozenset[str] | ProvisionIds


@dataclass
class Work:
    """A citable work: a document of the corpus, or an entry of the registry."""

    uri: str
    title: str
    eids: frozenset[str] | ProvisionIds | None = None  # corpus documents' (the newest version's)
    corpus: bool = False
    url: str | None = None  # the official text on the web (registry entries may give one)
    expressions: tuple[ExpressionRef, ...] = ()  # the corpus's versions of it, oldest first

    def at(self, day: str | None) -> tuple[ExpressionRef | None, bool]:
        """The version in force on ``day`` (the latest one that had taken effect), and whether
        it is the newest; (None, True) for a work of one version or a citation without a date.
        Before every version the corpus holds: the oldest, and False."""
        if len(self.expressions) < 2 or not day:
            return None, True
        began = [e for e in self.expressions if e.start <= day]
        chosen = began[-1] if began else self.expressions[0]
        return chosen, chosen is self.expressions[-1]

    def merged(self, other: Work) -> Work:
        """The same work with the versions of another text of it; two texts of one version are
        its parts (a work kept in several files), whose provisions are the version's."""
        versions: dict[str, ExpressionRef] = {}
        for e in (*self.expressions, *other.expressions):
            known = versions.get(e.uri)
            if known is not None and known is not e:
                e = ExpressionRef(e.uri, min(known.start, e.start), ProvisionIds([*known.eids, *e.eids]))
            versions[e.uri] = e
        ordered = tuple(sorted(versions.values(), key=lambda e: (e.start, e.uri)))
        newest = ordered[-1].eids if ordered else self.eids
        return Work(self.uri, self.title, newest, True, self.url, ordered)


def normalise_title(title: str) -> str:
    """Compare titles without spaces, bracket width or the 中华人民共和国 prefix."""
    t = "".join(title.split()).replace("(", "（").replace(")", "）").replace("<", "〈").replace(">", "〉")
    return t.removeprefix("中华人民共和国")


@dataclass
class RefIndex:
    """Titles (and aliases) of every work fadian can link to."""

    by_title: dict[str, Work] = field(default_factory=dict)
    # every title reversed, sorted: the titles that end with a name are one run of it
    _reversed: list[str] | None = field(default=None, repr=False, compare=False)
    # alias_names() and its digest, made once: every document's resolver asks for them (made
    # for each, they would grow with the index: quadratic in the collection)
    _aliases: tuple[list[str], str] | None = field(default=None, repr=False, compare=False)

    def add(self, work: Work, *names: str) -> None:
        self._reversed = None
        self._aliases = None
        for name in (work.title, *names):
            key = normalise_title(name)
            known = self.by_title.get(key)
            if known is not None and known.corpus and work.corpus and known.uri == work.uri:
                work = known.merged(work)  # another version of the same work
            if key and (known is None or work.corpus):
                self.by_title[key] = work

    def lookup(self, title: str) -> Work | None:
        key = normalise_title(title)
        work = self.by_title.get(key)
        if work is not None or len(key) < 8:
            return work
        # issuer omitted: 《关于…的实施方案》 for 山东省工业和信息化厅关于…的实施方案
        if self._reversed is None:
            self._reversed = sorted(k[::-1] for k in self.by_title)
        tail = key[::-1]
        found = {}
        for k in itertools.islice(self._reversed, bisect.bisect_left(self._reversed, tail), None):
            if not k.startswith(tail):
                break
            work = self.by_title[k[::-1]]
            found[id(work)] = work
        return next(iter(found.values())) if len(found) == 1 else None

    def named(self, key: str) -> Work:
        """The work of a name of alias_names() (already normalised)."""
        return self.by_title[key]

    def alias_names(self) -> list[str]:
        """Names that may be cited without 《》 (刑法第X条), longest first (a list the caller
        must not change: it is the index's own)."""
        return self._alias_answer()[0]

    def alias_names_digest(self) -> str:
        """answer_digest(alias_names())."""
        return self._alias_answer()[1]

    def _alias_answer(self) -> tuple[list[str], str]:
        if self._aliases is None:
            names = [k for k in self.by_title if 2 <= len(k) <= 12 and not k.startswith("关于")]
            names.sort(key=len, reverse=True)
            self._aliases = (names, answer_digest(names))
        return self._aliases


class CitationIndex(Protocol):
    """What the resolver asks of an index: a RefIndex, or a RecordingIndex around one."""

    def lookup(self, title: str) -> Work | None: ...

    def named(self, key: str) -> Work: ...

    def alias_names(self) -> list[str]: ...


def answer_digest(value: Work | list[str] | None) -> str:
    """A digest of an index answer (a work, a list of names, or nothing)."""
    data: object = value
    if isinstance(value, Work):
        data = [
            value.uri,
            value.title,
            sorted(value.eids or ()),
            value.eids is None,
            value.corpus,
            value.url,
            [[e.uri, e.start, sorted(e.eids)] for e in value.expressions],
        ]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()[:24]


@dataclass
class RecordingIndex:
    """A citation index that notes every question asked of it and a digest of the answer: what
    a document's compilation depended on (the build cache keeps a document while every
    question still gets the same answer)."""

    index: RefIndex
    queries: dict[tuple[str, str], str] = field(default_factory=dict)

    def lookup(self, title: str) -> Work | None:
        work = self.index.lookup(title)
        self.queries[("lookup", title)] = answer_digest(work)
        return work

    def named(self, key: str) -> Work:
        work = self.index.named(key)
        self.queries[("named", key)] = answer_digest(work)
        return work

    def alias_names(self) -> list[str]:
        self.queries[("alias_names", "")] = self.index.alias_names_digest()
        return self.index.alias_names()


def answers_hold(queries: dict[tuple[str, str], str], index: RefIndex, memo: dict | None = None) -> bool:
    """Whether ``index`` answers every recorded question as before (``memo``: the answers
    already computed in this build, shared between documents)."""
    memo = {} if memo is None else memo
    for query, answer in queries.items():
        if query not in memo:
            method, arg = query
            try:
                if method == "alias_names":
                    memo[query] = index.alias_names_digest()
                else:
                    memo[query] = answer_digest(index.lookup(arg) if method == "lookup" else index.named(arg))
            except KeyError:
                memo[query] = None
        if memo[query] != answer:
            return False
    return True


@dataclass
class DocumentRefs:
    citations: list[Citation] = field(default_factory=list)
    terms: dict[str, str] = field(default_factory=dict)  # term eId -> term text
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What one internal citation resolves to: eIds of this document (``internal``; several for
    前两款), another law (``external``: 刑法第X条, resolved by its short name), or nothing."""

    kind: Literal["internal", "external", "unresolved"]
    eids: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: str | list[str] | None) -> Resolution:
        """From what the target finders return: an eId, a list of eIds, "external" or None."""
        if raw == "external":
            return cls("external")
        if raw is None:
            return cls("unresolved")
        return cls("internal", tuple(raw) if isinstance(raw, list) else (raw,))
