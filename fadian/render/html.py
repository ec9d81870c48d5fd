"""The one AKN → HTML renderer: the site's pages and the Word/PDF/EPUB editions both come from it.

Presentation lives in Jinja2 templates (``render/templates``, autoescaped, so no text of a
source can become markup); this module only answers the questions the templates ask about
the AKN tree (what is this element, where does this reference lead). What differs between a
web page and a book is a :class:`LinkPolicy`: site URLs between pages, or anchors inside one
book whose eIds carry a per-document prefix.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol

import jinja2
import jinja2.bccache
from lxml import etree

from fadian.akn.read import HEADING_KINDS, A
from fadian.akn.read import text_of as _text

_INLINE_PARTS = frozenset({"num", "heading", "content", "intro", "wrapUp", "paragraph", "point"})
_BLOCK_PARTS = ("content", "intro", "wrapUp")
_BLOCK_PART_TAGS = frozenset(A + name for name in _BLOCK_PARTS)
_NUMBERING = frozenset({A + "num", A + "heading"})
_P = A + "p"


class LinkPolicy(Protocol):
    """Where an AKN href leads in this output (None: nowhere here), and what a page adds to an
    article: the instruments that amended it, its 新增/修改 mark, the places that cite it."""

    site: bool  # a web page (copy buttons, cited-by lists, amendment notes) or a book
    notes: dict[str, list[dict]]  # article eId -> amendment notes
    marks: dict[str, dict]  # article eId -> 新增/修改 in the latest version

    def cited_by(self, eid: str) -> list[dict]: ...

    def pinned(self, href: str) -> str: ...

    def changed(self, href: str) -> dict | None: ...

    def href(self, href: str) -> str | None: ...

    def anchor(self, eid: str | None) -> str: ...


@dataclass(frozen=True)
class BookLinks:
    """Links inside one book: only ``#eId`` references, to anchors prefixed per document."""

    prefix: str = ""
    site: bool = False
    notes: dict[str, list[dict]] = field(default_factory=dict)
    marks: dict[str, dict] = field(default_factory=dict)

    def cited_by(self, eid: str) -> list[dict]:
        return []

    def pinned(self, href: str) -> str:
        return ""

    def changed(self, href: str) -> dict | None:
        return None

    def href(self, href: str) -> str | None:
        return f"#{self.prefix}{href[1:]}" if href.startswith("#") and len(href) > 1 else None

    def anchor(self, eid: str | None) -> str:
        return f"{self.prefix}{eid}" if eid else ""


@dataclass
class SiteLinks:
    """Links of one site page: ``resolve`` turns any AKN href into a relative site URL."""

    resolve: Callable[[str], str | None]
    notes: dict[str, list[dict]] = field(default_factory=dict)  # article eId -> amendment notes
    cited_by: Callable[[str], list[dict]] = lambda eid: []
    # an href to a version older than the work's current one: the note shown beside its link
    pinned: Callable[[str], str] = lambda href: ""
    marks: dict[str, dict] = field(default_factory=dict)  # article eId -> 新增/修改 in the latest version
    # a citation of an article changed since the version it meant: its mark (refs/review)
    changed: Callable[[str], dict | None] = lambda href: None
    site: bool = True

    def href(self, href: str) -> str | None:
        return self.resolve(href)

    def anchor(self, eid: str | None) -> str:
        return eid or ""


class AknView:
    """What the templates ask of the AKN tree, answered for one output (its link policy)."""

    def __init__(self, links: LinkPolicy):
        self.links = links
        self.site = links.site

    # -- the tree
    @staticmethod
    def tag(el: etree._Element) -> str:
        tag = el.tag
        return tag.rpartition("}")[2] if isinstance(tag, str) else ""

    @staticmethod
    def kids(el: etree._Element, name: str | None = None) -> list[etree._Element]:
        """Element children (of one AKN name, if given); comments never."""
        out = [c for c in el if isinstance(c.tag, str)]
        return out if name is None else [c for c in out if c.tag.rpartition("}")[2] == name]

    @staticmethod
    def find(el: etree._Element, path: str) -> etree._Element | None:
        return el.find(path.replace("a:", A)) if el is not None else None

    @staticmethod
    def text(el: etree._Element | None) -> str:
        return _text(el) if el is not None else ""

    def texts(self, el: etree._Element, name: str) -> list[str]:
        """The texts of the children named ``name``."""
        return [_text(c) for c in self.kids(el, name)]

    @staticmethod
    def num(el: etree._Element) -> str:
        return el.findtext(f"{A}num") or ""

    @staticmethod
    def heading(el: etree._Element) -> str:
        return el.findtext(f"{A}heading") or ""

    @staticmethod
    def is_heading(el: etree._Element) -> bool:
        return AknView.tag(el) in HEADING_KINDS

    @staticmethod
    def is_block_part(el: etree._Element) -> bool:
        return AknView.tag(el) in _BLOCK_PARTS

    def has_heading_children(self, el: etree._Element) -> bool:
        return any(self.tag(c) in HEADING_KINDS for c in el)

    def is_placeholder(self, el: etree._Element) -> bool:
        """The empty unit the AKN writer gives a body that has none (AKN requires one): not shown."""
        return _is_placeholder(el)

    def runs_in(self, el: etree._Element) -> bool:
        """Policy numbering without a title (（一）…, 1.…) runs into its sentence, as printed,
        instead of a bare "（一）" heading: for units made only of 款 and 项."""
        return _runs_in(el)

    def quoted_num(self, p: etree._Element, top: etree._Element) -> str:
        """The numbers (第七节, 第一百二十三条, （一）) printed before a quoted paragraph."""
        nums = []
        node = p.getparent()
        while node is not None and node is not top:
            numbered = self.tag(node) not in _BLOCK_PARTS and node.find(f"{A}num") is not None
            if numbered and node.find(f".//{A}p") is p:
                head = self.heading(node)
                nums.append(self.num(node) + (f" {head}" if head else "") + " ")
            node = node.getparent()
        return "".join(reversed(nums))

    # -- the output
    def href(self, el: etree._Element) -> str | None:
        """Where a ref leads (a range, rref, leads to its first unit)."""
        return self.links.href(el.get("from" if self.tag(el) == "rref" else "href", ""))

    def anchor(self, eid: str | None) -> str:
        return self.links.anchor(eid)

    def moved_wid(self, el: etree._Element) -> str:
        """The stable identity (wId) the copy button links, printed only where it is not the
        article's anchor: an AKN element without a wId has kept its eId (the naming convention
        writes wId only after a renumbering), and fadian.js links the anchor then. A wId that is
        not a plain name is never printed (the button then links the anchor too); nor any in a
        book, which has no copy buttons."""
        wid = (el.get("wId") or "") if self.site else ""
        if wid and all(c.isascii() and (c.isalnum() or c in "_.-") for c in wid):
            return "" if wid == self.anchor(el.get("eId")) else wid
        return ""

    def lone_p(self, el: etree._Element) -> etree._Element | None:
        """The unit's one paragraph of text when that is all it holds (a 款 or 项 without 项
        below it, intro or wrap-up): a site page prints it as the unit itself, ``<p id>``,
        not a ``<div id>`` around a ``<p>`` (a quarter of a text's page was such wrappers). The
        editions keep the wrapper: pandoc drops a ``<p>``'s id, and the 款's anchor with it."""
        if not self.site:
            return None
        parts = [c for c in el if isinstance(c.tag, str) and c.tag not in _NUMBERING]
        if len(parts) != 1 or parts[0].tag not in _BLOCK_PART_TAGS:
            return None
        ps = [c for c in parts[0] if isinstance(c.tag, str)]
        if len(ps) == 1 and ps[0].tag == _P and not ps[0].get("class"):
            return ps[0]
        return None

    def notes(self, eid: str) -> list[dict]:
        return self.links.notes.get(eid, [])

    def mark(self, eid: str) -> dict | None:
        return self.links.marks.get(eid)

    def cited_by(self, eid: str) -> list[dict]:
        return self.links.cited_by(eid)

    def pinned(self, el: etree._Element) -> str:
        """The note a ref carries when it leads to the version in force when it was cited."""
        return self.links.pinned(el.get("from" if self.tag(el) == "rref" else "href", ""))

    def changed(self, el: etree._Element) -> dict | None:
        """The mark a ref carries when the article it cites changed since the version it meant."""
        return self.links.changed(el.get("from" if self.tag(el) == "rref" else "href", ""))


def _is_placeholder(el: etree._Element) -> bool:
    return (
        etree.QName(el).localname == "hcontainer"
        and el.find(f"{A}num") is None
        and el.find(f"{A}heading") is None
        and not "".join(el.itertext()).strip()
    )


def _runs_in(el: etree._Element) -> bool:
    tag = etree.QName(el).localname
    num = el.findtext(f"{A}num") or ""
    policy = tag in ("subsection", "paragraph", "point") or (tag == "section" and not num.startswith("第"))
    return (
        policy
        and bool(num)
        and not el.findtext(f"{A}heading")
        and all(etree.QName(c).localname in _INLINE_PARTS for c in el if isinstance(c.tag, str))
    )


ASSETS = Path(__file__).parent / "assets"


def asset_path(name: str) -> Path:
    """A package data file of fadian/render/assets: stylesheets, scripts, the typst preamble."""
    return ASSETS / name


def asset(name: str) -> str:
    return asset_path(name).read_text(encoding="utf-8")


@cache
def environment() -> jinja2.Environment:
    """The templates, autoescaped; undefined names are errors, not empty strings. What the AKN
    templates ask of every element (its name, children, number, heading, an attribute) are
    filters: Jinja calls a filter directly, a method through its context (checks on every call
    that were a third of the time a page took to render)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("fadian.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # package data: no stat of a template's file at every page
    )
    env.filters.update(
        akn_tag=AknView.tag,
        akn_kids=AknView.kids,
        akn_num=AknView.num,
        akn_heading=AknView.heading,
        akn_is_heading=AknView.is_heading,
        akn_is_block_part=AknView.is_block_part,
        akn_attr=lambda el, name: el.get(name),
    )
    return env


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between builds (their compilation was a sixth of an edit's
    pages); one that cannot be written costs only time."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@contextlib.contextmanager
def templates_cached_in(folder: Path) -> Iterator[None]:
    """The templates' compiled code read from and kept in ``folder`` while a build renders."""
    env = environment()
    before = env.bytecode_cache
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = _TemplateCache(str(folder))
    try:
        yield
    finally:
        env.bytecode_cache = before


def render(template: str, **context) -> str:
    """Render one template of render/templates with ``context``."""
    return environment().get_template(template).render(**context)


@dataclass(frozen=True)
class TocEntry:
    """A heading of a page's contents list: chapters and sections, never single articles."""

    level: int
    id: str
    name: str
    children: list[TocEntry] = field(default_factory=list)

    def token(self) -> dict:
        """The form mkdocs' get_toc reads."""
        return {
            "level": self.level,
            "id": self.id,
            "name": html.escape(self.name, quote=False),  # mkdocs prints it as HTML
            "children": [c.token() for c in self.children],
        }


def toc_entries(container: etree._Element, level: int = 2) -> list[TocEntry]:
    """The headed units below ``container`` as a contents tree (articles and run-in items are
    read as text, not listed: a list of 60 bare 第X条 helps no one)."""
    out = []
    for el in container:
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname
        if tag in _BLOCK_PARTS or tag in ("preamble", "body", "mainBody"):
            out += toc_entries(el, level)
        elif tag in HEADING_KINDS and tag != "article" and not _runs_in(el) and not _is_placeholder(el):
            num, head = el.findtext(f"{A}num") or "", el.findtext(f"{A}heading") or ""
            name = "　".join(t for t in (num, head) if t) or el.get("name", "")
            out.append(TocEntry(level, el.get("eId", ""), name, toc_entries(el, level + 1)))
    return out
