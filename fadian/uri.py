"""FRBR URIs of the AKN naming convention as a value, made and read in one place.

``/akn/cn-hb/bill/wuhan/2023-04-15/digital-economy/zho@2023-04-15/!main.xml`` is a work
(country and locality, document type, optional subtype, date, number), an expression of it
(language and date), a manifestation (component and format); ``/~art_5__para_2`` names a
portion. Like cobalt's ``FrbrUri``: parse a string once, then ask for the part you need,
instead of joining strings in one module and cutting them with ``split("/")`` in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
_NAME = r"[^/@~!]+"
URI_RE = re.compile(
    rf"^/(?P<prefix>akn)/(?P<country>[a-z]{{2}})(?:-(?P<locality>[a-z0-9]+))?"
    rf"/(?P<doctype>[a-zA-Z]+)(?:/(?P<subtype>{_NAME}))?/(?P<date>{_DATE})/(?P<number>{_NAME})"
    rf"(?:/(?P<language>[a-z]{{3}})@(?P<expression_date>{_DATE})?)?"
    rf"(?:/!(?P<component>[a-zA-Z0-9_]+)(?:\.(?P<format>[a-z]+))?)?"
    rf"(?:/~(?P<portion>[^/]*))?$"
)


@dataclass(frozen=True)
class FrbrUri:
    """A work, expression or manifestation URI, and optionally a portion of it."""

    country: str
    doctype: str
    date: str  # the work's date
    number: str
    locality: str | None = None
    subtype: str | None = None
    language: str | None = None  # an expression: its language (zho) …
    expression_date: str | None = None  # … and date
    component: str | None = None  # a manifestation: main …
    format: str | None = None  # … xml
    portion: str | None = None  # an eId: art_5__para_2
    prefix: str = "akn"

    @classmethod
    def parse(cls, uri: str) -> FrbrUri:
        """The parts of ``uri``; ValueError when it is not an AKN FRBR URI."""
        m = URI_RE.match(uri)
        if m is None:
            raise ValueError(f"{uri!r} is not an AKN FRBR URI (/akn/cn/act/YYYY-MM-DD/name)")
        return cls(**{k: v for k, v in m.groupdict().items() if v is not None})

    @classmethod
    def of_jurisdiction(cls, jurisdiction: str, doctype: str, date: str, number: str, **parts: str | None):
        """A work URI from a jurisdiction as written in front matter: cn, or cn-hb."""
        country, _, locality = jurisdiction.partition("-")
        return cls(country, doctype, date, number, locality=locality or None, **parts)

    @property
    def jurisdiction(self) -> str:
        return f"{self.country}-{self.locality}" if self.locality else self.country

    @property
    def work_uri(self) -> str:
        parts = ["", self.prefix, self.jurisdiction, self.doctype]
        if self.subtype:
            parts.append(self.subtype)
        return "/".join([*parts, self.date, self.number])

    @property
    def expression_uri(self) -> str:
        """The expression (the work's own when no expression is named: a work URI has none)."""
        return f"{self.work_uri}/{self.language or 'zho'}@{self.expression_date or self.date}"

    @property
    def manifestation_uri(self) -> str:
        return f"{self.expression_uri}/!{self.component or 'main'}.{self.format or 'xml'}"

    def this(self, level: str) -> str:
        """FRBRthis of the work, expression or manifestation: its component (main, or the part
        of a work kept in several files this is)."""
        if level == "work":
            return f"{self.work_uri}/!{self.component or 'main'}"
        if level == "expression":
            return f"{self.expression_uri}/!{self.component or 'main'}"
        return self.manifestation_uri

    def work(self) -> FrbrUri:
        return replace(self, language=None, expression_date=None, component=None, format=None, portion=None)

    def expression(self, date: str | None = None, language: str = "zho") -> FrbrUri:
        return replace(self, language=language, expression_date=date or self.date, portion=None)

    def at(self, eid: str) -> str:
        """A portion of this URI (its work or expression): ``…/~art_5``."""
        base = self.expression_uri if self.language else self.work_uri
        return f"{base}/~{eid}"

    def __str__(self) -> str:
        if self.component:
            out = self.manifestation_uri
        elif self.language:
            out = self.expression_uri
        else:
            out = self.work_uri
        return f"{out}/~{self.portion}" if self.portion is not None else out


def split_portion(href: str) -> tuple[str, str]:
    """``/akn/…/~art_5`` → (``/akn/…``, ``art_5``); an href without a portion → (href, '')."""
    uri, _, eid = href.partition("/~")
    return uri, eid


def portion_href(uri: str, eid: str) -> str:
    """The href of a portion (``eid``) of a work or expression URI."""
    return f"{uri}/~{eid}"
