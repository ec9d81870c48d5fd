"""The legal fields of a text in one table: what fadian knows of its standing (时效性, 效力级别,
制定机关, 文号, the dates), each with its Chinese label, its kind, where the AKN carries it and
whether the text prints it. The front matter's model, the AKN writer, the site's panel, the
editions, the manifest, the sweep report and the data files all go through this table, so a
field added here is added everywhere (and a test checks that the typed models have it).
"""

from __future__ import annotations

from typing import NamedTuple


class LegalField(NamedTuple):
    key: str  # DocumentMeta's attribute, the front matter's key, the manifest's key
    label: str  # the label the site's panel and the editions print
    kind: str  # text | enum | date
    akn: str  # its name in the AKN's <fd:legal>: an element, or a <fd:date name="…">
    printed: bool  # read from the text itself (read/legalmeta), when it prints it
    front_matter: bool  # an editor may give it in the front matter


LEGAL_FIELDS: tuple[LegalField, ...] = (
    LegalField("status", "时效性", "enum", "status", printed=False, front_matter=True),
    LegalField("level", "效力级别", "enum", "level", printed=True, front_matter=True),
    LegalField("issuer", "制定机关", "text", "issuer", printed=True, front_matter=True),
    LegalField("document_number", "文号", "text", "document_number", printed=True, front_matter=True),
    LegalField("adopted", "通过日期", "date", "adopted", printed=True, front_matter=True),
    LegalField("promulgated", "公布日期", "date", "promulgated", printed=True, front_matter=True),
    LegalField("effective", "施行日期", "date", "effective", printed=True, front_matter=True),
    # set in a project, never given: the day a later version took over, the day a text of the
    # project repealed it; the AKN states the earlier of the two as the version's end
    LegalField("in_force_until", "有效至", "date", "until", printed=False, front_matter=False),
    LegalField("repealed", "有效至", "date", "until", printed=False, front_matter=False),
)

KEYS: tuple[str, ...] = tuple(f.key for f in LEGAL_FIELDS)
PRINTED: tuple[str, ...] = tuple(f.key for f in LEGAL_FIELDS if f.printed)
# the fields of a work that are not dates (its data file, a list's columns)
DESCRIPTIVE: tuple[str, ...] = tuple(f.key for f in LEGAL_FIELDS if f.printed and f.kind != "date")
# the AKN's name → the label, in the panel's order (the two ends share "until" and its label)
LABELS: dict[str, str] = {f.akn: f.label for f in LEGAL_FIELDS}
