"""The names fadian derives paths and addresses from, checked in one place: slugs, jurisdictions,
AKN names, FRBR work URIs, web addresses, tag names.

Every file fadian writes is named from a slug (and FRBR parts that are slugs too), so these
checks are what keeps a derived path inside build/ and site/. Each pattern must match the
*whole* value: ``fullmatch``, never ``match`` with ``$`` (which also matches before a final
newline: ``"a\\n"`` would pass and name a folder ``a\\n``).
"""

from __future__ import annotations

import re

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
JURISDICTION = re.compile(r"cn(?:-[a-z]{2})?")
AKN_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9]{0,39}")
WORK_URI = re.compile(r"/akn/cn(?:-[a-z]{2})?/[a-zA-Z]+(?:/[a-z0-9-]+)*/\d{4}-\d{2}-\d{2}/[a-z0-9-]+")
WEB_URL = re.compile(r"https?://[^\s<>\"'\x00-\x1f\x7f]+")
TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,60}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _whole(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def is_slug(value: object) -> bool:
    """A slug: lower-case ASCII letters, digits and inner hyphens, 1–80 characters."""
    return _whole(SLUG, value)


def is_jurisdiction(value: object) -> bool:
    return _whole(JURISDICTION, value)


def is_akn_name(value: object) -> bool:
    return _whole(AKN_NAME, value)


def is_work_uri(value: object) -> bool:
    return _whole(WORK_URI, value)


def is_web_url(value: object) -> bool:
    return _whole(WEB_URL, value)


def is_tag_name(value: object) -> bool:
    return _whole(TAG, value)


def is_iso_date(value: object) -> bool:
    return _whole(ISO_DATE, value)
