"""Citations in Chinese legal text: find them, resolve them, mark them up.

Pure: works on the parsed tree (after eIds are assigned) and a ``RefIndex``
of the corpus and the registry of known external works. It recognises

* internal citations: 本法/本条例… 第X条(之一)(第X款)(第X项), bare 第X条, lists
  (第X条、第Y条和第Z条) and ranges (第X条至第Y条), 第X款 / 第X项 relative to the
  article or 款 cited before, 本条 本款 本项 前款 前两款 前条 前X条 本章 本节 第X章 第X节;
* titled citations: 《中华人民共和国X法》, 《X法》, optionally with 第X条…, and
  citations by a bare short name such as 刑法第X条;
* short titles a text defines: （以下简称《X》）, （下称《X》）, （以下简称X）, （以下统称X）.

Each found citation becomes a ``Span`` on its Block, which the AKN writer
turns into ``<ref>``, ``<mref>`` or ``<def>``; each is also a ``Citation``
record for refs.json and the backlinks.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from fadian.diagnostics import diag
from fadian.eids import Eid, is_inside, top_of
from fadian.model import Block, DocumentTree, Node
from fadian.read.numerals import cn_to_int
from fadian.refs.index import (
    Citation,
    CitationIndex,
    DocumentRefs,
    ProvisionIds,
    Resolution,
    Span,
    Work,
)
from fadian.refs.patterns import CANDIDATE_RE, INSTRUMENT_RE, JOINERS, LAW_NAME_END, find_citations
from fadian.uri import portion_href


@dataclass(slots=True)
class _Context:
    """Where a block sits: the units a relative citation counts from."""

    source_eid: str
    article: Node | None = None
    paragraph: Node | None = None
    point: Node | None = None
    chapter: Node | None = None
    section: Node | None = None
    book: Node | None = None


class _Resolver:
    def __init__(
        self,
        tree: DocumentTree,
        path: str,
        index: CitationIndex,
        cited_on: str | None = None,
        whole: str | None = None,
    ):
        self.tree = tree
        self.path = path
        self.index = index
        self.cited_on = cited_on  # the citing text's date: a citation means the version then in force
        self.nodes = list(tree.nodes())
        self.eids = {n.eid for n in self.nodes}
        self.articles = [n for n in self.nodes if n.kind == "article"]
        self.article_pos = {id(a): k for k, a in enumerate(self.articles)}
        self.short_titles: dict[str, Work | None] = {}
        # the work the last citation of another text named, where it ended, the eId it named:
        # a list that follows it (、第一百六十六条, 第二款) cites that work too
        self.carried: tuple[Work, int, str] | None = None
        # a text without articles of its own whose title names the law it carries out
        # (关于执行《中华人民共和国刑法》确定罪名的规定): its bare 第X条 are that law's
        self.implied = _implied_work(tree, index) if not self.articles else None
        self.result = DocumentRefs()
        self.alias_re = _alias_pattern(tuple(index.alias_names()))
        # a part of a work kept in several files (民法典's 编): 本法 is the whole work, whose
        # other parts hold the articles this one does not
        self.whole = index.lookup(whole) if whole else None

    # -- targets --------------------------------------------------------------------
    def article_eid(self, number: str, sub: str | None) -> str:
        return str(Eid.article(cn_to_int(number), cn_to_int(sub) if sub else 0))

    def deeper(self, eid: str, kuan: str | None, item: str | None) -> str:
        """The 款 and 项 a citation names inside ``eid`` (a 项 of an article: of its first 款)."""
        if not kuan and not item:
            return eid
        unit = Eid.parse(eid)
        assert unit is not None
        if kuan:
            unit = unit.para(cn_to_int(kuan))
        return str(unit.point(cn_to_int(item)) if item else unit)

    def division_eid(self, value: int, unit: str, ctx: _Context) -> str | None:
        kind = "chapter" if unit == "章" else "section"
        scope = ctx.chapter if kind == "section" else ctx.book
        candidates = [n for n in self.nodes if n.kind == kind and n.value == value]
        if scope is not None:
            inside = [n for n in candidates if is_inside(n.eid, scope.eid)]
            candidates = inside or candidates
        return candidates[0].eid if len(candidates) == 1 or (candidates and scope) else None

    # -- one block ----------------------------------------------------------------------
    def block(self, block: Block, ctx: _Context) -> None:
        text = block.text
        if CANDIDATE_RE.search(text) is None:
            return
        matches = find_citations(text)
        self.carried = None
        k = 0
        last_article: str | None = None  # for 第X款 after 第Y条…、
        while k < len(matches):
            m = matches[k]
            if m.group("deftitle"):
                self.definition(block, m, matches[k - 1] if k else None, ctx)
                k += 1
                continue
            if m.group("title"):
                self.titled(block, m, ctx)
                k += 1
                k += self.same_work(block, matches, k, ctx)  # 《刑法》第一百六十五条、第一百六十六条
                continue
            if self.implied is not None and (m.group("art") and not m.group("ben")):
                self.carried = (self.implied, m.start(), "")
                self.of_carried(block, m, ctx, via="title")
                k += 1
                k += self.same_work(block, matches, k, ctx, via="title")
                continue
            # internal: gather a list or range of consecutive citations
            group = [m]
            while k + len(group) < len(matches):
                nxt = matches[k + len(group)]
                between = text[group[-1].end() : nxt.start()]
                if between in JOINERS and not nxt.group("title") and not nxt.group("deftitle"):
                    group.append(nxt)
                else:
                    break
            k += len(group)
            ranges = [JOINERS[text[a.end() : b.start()]] == "range" for a, b in itertools.pairwise(group)]
            targets: list[tuple[re.Match, Resolution]] = []
            for j, g in enumerate(group):
                found = Resolution.of(self.internal_target(g, text, ctx, last_article))
                prev = targets[-1][1] if targets else None
                start = Eid.parse(prev.eids[0]) if prev is not None and len(prev.eids) == 1 else None
                if g.group("xiang") and ranges[j - 1 : j] == [True] and start and start.last.name == "point":
                    # 前款第（一）项至第（三）项: the range ends in the 款 it starts in
                    assert start.parent is not None
                    found = Resolution("internal", (str(start.parent.point(cn_to_int(g.group("xiang")))),))
                if g.group("art") and found.kind == "internal":
                    last_article = top_of(found.eids[0])
                targets.append((g, found))
            self.emit_internal(block, targets, text, ctx, ranges)

    def internal_target(self, m: re.Match, text: str, ctx: _Context, last_article: str | None):
        """The eId a citation points at; None when it cannot be resolved; 'external'."""
        if m.group("art"):
            if not m.group("ben") and m.start() > 0 and text[m.start() - 1] in LAW_NAME_END:
                return "external"
            eid = self.article_eid(m.group("art"), m.group("sub"))
            return self.deeper(eid, m.group("k"), m.group("i"))
        if m.group("rel"):
            return self.relative(m, ctx)
        if m.group("div"):
            return self.division_eid(cn_to_int(m.group("div")), m.group("divu"), ctx)
        if m.group("kuan"):
            base = last_article or (ctx.article.eid if ctx.article else None)
            if base is None:
                return None
            return self.deeper(base, m.group("kuan"), m.group("kuani"))
        if m.group("xiang"):
            return self.deeper(ctx.paragraph.eid, None, m.group("xiang")) if ctx.paragraph else None
        return None

    def relative(self, m: re.Match, ctx: _Context):
        unit = m.group("relu") or m.group("selfu")
        count = cn_to_int(m.group("reln")) if m.group("reln") else 1
        if m.group("selfu"):
            node = {
                "条": ctx.article,
                "款": ctx.paragraph,
                "项": ctx.point,
                "章": ctx.chapter,
                "节": ctx.section,
            }[unit]
            if node is None:
                return None
            return self.deeper(node.eid, m.group("rk"), m.group("ri"))
        if unit == "款":
            if ctx.article is None or ctx.paragraph is None:
                return None
            paras = [c for c in ctx.article.children if c.kind == "paragraph"]
            pos = next((j for j, p in enumerate(paras) if p is ctx.paragraph), None)
            if pos is None or pos - count < 0:
                return None
            chosen = paras[pos - count : pos]
            if m.group("ri") and count == 1:
                return self.deeper(chosen[0].eid, None, m.group("ri"))
            return [p.eid for p in chosen] if count > 1 else chosen[0].eid
        # 前条 / 前X条
        if ctx.article is None:
            return None
        pos = self.article_pos[id(ctx.article)]
        if pos - count < 0:
            return None
        chosen = self.articles[pos - count : pos]
        if count > 1:
            return [a.eid for a in chosen]
        return self.deeper(chosen[0].eid, m.group("rk"), m.group("ri"))

    def emit_internal(
        self,
        block: Block,
        targets: list[tuple[re.Match, Resolution]],
        text: str,
        ctx: _Context,
        ranges: list[bool],
    ) -> None:
        """Spans for a group of internal citations: a ``ref`` each, a ``rref`` for 第X条至第Y条,
        one ``mref`` around a list; one phrase that names several units (前两款) is a ``rref``."""
        spans: list[Span] = []
        ok = True
        for j, (m, found) in enumerate(targets):
            if found.kind == "external":
                self.by_short_name(block, m, text, ctx)
                ok = False
                continue
            if j > 0 and self.carried is not None and self.carried[1] == targets[j - 1][0].end():
                self.of_carried(block, m, ctx)  # 刑法第一百六十五条、第一百六十六条: 刑法's too
                ok = False
                continue
            eids = list(found.eids)
            if eids and any(e not in self.eids for e in eids) and self.in_other_part(block, m, ctx, eids):
                ok = False
                continue
            if not eids or any(e not in self.eids for e in eids):
                self.unresolved(block, m, ctx, eids[0] if eids else None)
                ok = False
                continue
            if len(eids) == 1:
                span = Span(m.start(), m.end(), "ref", "#" + eids[0])
                prev = spans[-1] if spans else None
                if (
                    j > 0
                    and ranges[j - 1]
                    and prev is not None
                    and prev.kind == "ref"
                    and prev.end == targets[j - 1][0].end()
                ):
                    spans[-1] = Span(prev.start, span.end, "rref", prev.href, up_to=span.href)
                    continue
                spans.append(span)
            else:  # 前两款: one citation of a run of units — a range, one link (rref)
                spans.append(Span(m.start(), m.end(), "rref", "#" + eids[0], up_to="#" + eids[-1]))
        if spans:
            self.record(block, spans, text, ctx, ok)

    def in_other_part(self, block: Block, m: re.Match, ctx: _Context, eids: list[str]) -> bool:
        """本法第X条 of a part of a work kept in several files, X in another part: a link to the
        whole work's article (the site opens the part that holds it). False when the work has
        no such article either."""
        work = self.whole
        if work is None or not work.corpus or len(eids) != 1:
            return False
        uri, held = self.cited_version(work)
        if held is None or eids[0] not in held:
            return False
        href = portion_href(uri, eids[0])
        block.spans.append(Span(m.start(), m.end(), "ref", href))
        self.result.citations.append(
            Citation(m.group(), ctx.source_eid, [href], "corpus", block.line, block.col + m.start())
        )
        return True

    def record(self, block: Block, spans: list[Span], text: str, ctx: _Context, ok: bool) -> None:
        """The spans of a group of internal citations on the block (one ``mref`` around a whole
        list), and a Citation each."""
        first, last = spans[0].start, spans[-1].end
        if len(spans) > 1 and ok:
            children = []
            for s in spans:
                children += s.children if s.kind == "mref" else [s]
            block.spans.append(Span(first, last, "mref", children=children))
        else:
            block.spans.extend(spans)
        for s in spans:
            line_col = block.col + s.start
            if s.kind == "mref":
                hrefs, kind = [c.href for c in s.children], "mref"
            elif s.kind == "rref":
                hrefs, kind = [s.href, s.up_to], "rref"
            else:
                hrefs, kind = [s.href], "mref" if len(spans) > 1 else "ref"
            self.result.citations.append(
                Citation(text[s.start : s.end], ctx.source_eid, hrefs, "internal", block.line, line_col, kind)
            )

    def unresolved(
        self, block: Block, m: re.Match, ctx: _Context, eid: str | None, work: str | None = None
    ) -> None:
        cited = m.group()
        col = block.col + m.start()
        self.result.citations.append(
            Citation(cited, ctx.source_eid, [], "unresolved", block.line, col, work=work or "")
        )
        where = f"《{work}》 as the corpus holds it" if work else "this text"
        target = f" (no {eid} in {where})" if eid else ""
        self.result.diagnostics.append(
            diag("F701", f"citation {cited!r} cannot be resolved{target}", self.path, block.line, col)
        )

    def external_href(
        self, work: Work, m: re.Match, art: str, sub: str, k: str, i: str
    ) -> tuple[str, str | None, frozenset[str] | ProvisionIds | None]:
        """Where a citation of another work leads: the work (its newest version), or the version
        that was in force on the citing text's date when that is an older one; the eId cited
        and the eIds that version has."""
        uri, eids = self.cited_version(work)
        if not m.group(art):
            return uri, None, eids
        eid = self.deeper(self.article_eid(m.group(art), m.group(sub)), m.group(k), m.group(i))
        return portion_href(uri, eid), eid, eids

    def cited_version(self, work: Work) -> tuple[str, frozenset[str] | ProvisionIds | None]:
        """The URI a citation of ``work`` leads to and the eIds that version has."""
        version, newest = work.at(self.cited_on)
        uri = work.uri if version is None or newest else version.uri
        return uri, version.eids if version is not None else work.eids

    def same_work(self, block: Block, matches: list[re.Match], k: int, ctx: _Context, via: str = "") -> int:
        """How many of ``matches`` from ``k`` continue the list of the citation of another text
        just made (《刑法》第一百六十五条、第一百六十六条至第一百六十八条, 第一款、第二款): each cites
        that text, never the citing one."""
        taken = 0
        while k + taken < len(matches) and self.carried is not None:
            m = matches[k + taken]
            if block.text[self.carried[1] : m.start()] not in JOINERS or m.group("ben"):
                break
            if not (m.group("art") or m.group("kuan") or m.group("xiang")):
                break
            self.of_carried(block, m, ctx, via)
            taken += 1
        return taken

    def of_carried(self, block: Block, m: re.Match, ctx: _Context, via: str = "") -> None:
        """A bare 第X条 (or 第Y款 of the article before it, or 第（Z）项 of its 款) of the text the
        list began with."""
        assert self.carried is not None
        work, _end, previous = self.carried
        if m.group("art"):
            href, target_eid, eids = self.external_href(work, m, "art", "sub", "k", "i")
        else:
            uri, eids = self.cited_version(work)
            if m.group("kuan"):
                target_eid = self.deeper(top_of(previous), m.group("kuan"), m.group("kuani"))
            else:  # 第（五）项、第（六）项: the next 项 of the same 款
                target_eid = self.sibling_point(previous, m.group("xiang"))
            href = portion_href(uri, target_eid)
        if work.corpus and eids is not None and target_eid and target_eid not in eids:
            self.carried = (work, m.end(), target_eid or previous)
            self.unresolved(block, m, ctx, target_eid, work.title)
            return
        block.spans.append(Span(m.start(), m.end(), "ref", href))
        status = "corpus" if work.corpus else "external"
        self.result.citations.append(
            Citation(m.group(), ctx.source_eid, [href], status, block.line, block.col + m.start(), via=via)
        )
        self.carried = (work, m.end(), target_eid or previous)

    @staticmethod
    def sibling_point(previous: str, number: str) -> str:
        """第（N）项 after a citation of a 项 (or 款, or article): that 项 of the same 款."""
        unit = Eid.parse(previous)
        assert unit is not None
        if unit.last.name == "point" and unit.parent is not None:
            unit = unit.parent
        return str(unit.point(cn_to_int(number)))

    def titled(self, block: Block, m: re.Match, ctx: _Context) -> None:
        name = m.group("tname")
        work = self.short_titles.get(name) or self.index.lookup(name)
        if work is None:
            if INSTRUMENT_RE.search("".join(name.split())):
                self.result.citations.append(
                    Citation(m.group(), ctx.source_eid, [], "unknown", block.line, block.col + m.start())
                )
            return
        href, target_eid, eids = self.external_href(work, m, "tart", "tsub", "tk", "ti")
        status = "corpus" if work.corpus else "external"
        if work.corpus and eids is not None and target_eid and target_eid not in eids:
            self.carried = (work, m.end(), target_eid)
            self.unresolved(block, m, ctx, target_eid, work.title)
            return
        block.spans.append(Span(m.start(), m.end(), "ref", href))
        self.result.citations.append(
            Citation(m.group(), ctx.source_eid, [href], status, block.line, block.col + m.start())
        )
        if target_eid:
            self.carried = (work, m.end(), target_eid)

    def by_short_name(self, block: Block, m: re.Match, text: str, ctx: _Context) -> None:
        """刑法第一百六十五条: a law cited by its bare short name."""
        if self.alias_re is None:
            return
        before = self.alias_re.search(text, 0, m.start())
        if before is None:
            return
        work = self.index.named(before.group(1))
        href, target_eid, eids = self.external_href(work, m, "art", "sub", "k", "i")
        if work.corpus and eids is not None and target_eid and target_eid not in eids:
            self.carried = (work, m.end(), target_eid)
            self.unresolved(block, m, ctx, target_eid, work.title)  # never a link to no anchor
            return
        block.spans.append(Span(before.start(), m.end(), "ref", href))
        self.result.citations.append(
            Citation(
                text[before.start() : m.end()],
                ctx.source_eid,
                [href],
                "corpus" if work.corpus else "external",
                block.line,
                block.col + before.start(),
            )
        )
        if target_eid:
            self.carried = (work, m.end(), target_eid)

    def definition(self, block: Block, m: re.Match, prev: re.Match | None, ctx: _Context) -> None:
        """（以下简称《X》）: X is a term of this text; after a 《title》 it also cites that work."""
        term = m.group("short") or m.group("shortq") or m.group("shortp")
        if not term or not term.strip():
            return
        term = term.strip()
        start = m.start() + m.group().index(term)
        term_id = "term_" + str(len(self.result.terms) + 1)
        if term not in self.result.terms.values():
            self.result.terms[term_id] = term
        else:
            term_id = next(k for k, v in self.result.terms.items() if v == term)
        block.spans.append(Span(start, start + len(term), "def", refers_to="#" + term_id))
        if prev is not None and prev.group("title") and prev.end() == m.start():
            work = self.short_titles.get(prev.group("tname")) or self.index.lookup(prev.group("tname"))
            self.short_titles[term] = work


_CARRIES_OUT = re.compile(r"(?:执行|适用|实施)《([^《》]+)》")


def _implied_work(tree: DocumentTree, index: CitationIndex) -> Work | None:
    """The one law a text's title says it carries out (执行《X》, 适用《X》), when the index has it."""
    title = "".join(b.text for b in tree.title)
    named = {m.group(1) for m in _CARRIES_OUT.finditer(title)}
    works = [w for name in named if (w := index.lookup(name)) is not None]
    return works[0] if len(works) == 1 else None


@functools.lru_cache(maxsize=4)
def _alias_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """The names citable without 《》 as one pattern, compiled once for all a build's texts."""
    return re.compile("(" + "|".join(map(re.escape, names)) + ")$") if names else None


def _blocks_in_context(tree: DocumentTree) -> list[tuple[Block, _Context]]:
    """Every block with the units around it, in document order."""
    top = _Context(source_eid="")
    out: list[tuple[Block, _Context]] = [(block, top) for block in tree.preamble]

    def visit(node: Node, units: tuple) -> None:
        article, paragraph, point, chapter, section, book = units
        kind = node.kind
        if kind == "article":
            article, paragraph, point = node, None, None
        elif kind == "paragraph":
            paragraph, point = node, None
        elif kind == "point":
            point = node
        elif kind == "chapter":
            chapter = node
        elif kind == "section" and chapter is not None:
            section = node
        elif kind in ("book", "part"):
            book = node
        units = (article, paragraph, point, chapter, section, book)
        if node.intro or node.wrapup:
            ctx = _Context(node.eid, *units)
            out.extend((block, ctx) for block in node.intro)
        for child in node.children:
            visit(child, units)
        if node.wrapup:
            out.extend((block, ctx) for block in node.wrapup)

    for node in tree.body:
        visit(node, (None, None, None, None, None, None))
    out.extend((block, top) for block in tree.conclusions)
    return out


def resolve_refs(
    tree: DocumentTree,
    path: str,
    index: CitationIndex,
    cited_on: str | None = None,
    whole: str | None = None,
) -> DocumentRefs:
    """Find and resolve every citation of one document; marks spans on its blocks. A citation
    of a work the corpus holds several versions of means the one in force on ``cited_on``;
    ``whole``: the title of the work this text is a part of (a work kept in several files)."""
    resolver = _Resolver(tree, path, index, cited_on, whole)
    for block, ctx in _blocks_in_context(tree):
        block.spans.clear()
        if block.kind in ("p", "note") and block.mod is None:  # an instrument's mods cite
            resolver.block(block, ctx)  # the amended work: the AKN writer links them
    return resolver.result


@dataclass
class TextRefState:
    """What the paragraphs of one free-standing text share: its short titles and terms."""

    short_titles: dict[str, Work | None] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)


def resolve_text_refs(
    text: str,
    index: CitationIndex,
    path: str,
    line: int,
    state: TextRefState,
    cited_on: str | None = None,
) -> tuple[list[Span], list[Citation]]:
    """Citations in a free-standing paragraph (an editor's note, a text a reader checks): titles
    and short titles; a work of several versions means the one in force on ``cited_on``."""
    block = Block("p", text, line)
    resolver = _Resolver(DocumentTree(mode="policy"), path, index, cited_on)
    resolver.short_titles = state.short_titles
    resolver.result.terms = state.terms
    resolver.block(block, _Context(source_eid=""))
    return block.spans, resolver.result.citations
