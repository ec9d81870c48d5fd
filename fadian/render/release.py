"""The bulk release's name and contents: one archive of the whole collection as data — every
version's AKN at its FRBR address, every work's data file, the catalogue and the site's API
description — for someone who wants all of it without crawling the site. project/release_stage
writes it; the home page links it.
"""

from __future__ import annotations

from pathlib import Path

from fadian.render.api_description import OPENAPI_FILE
from fadian.render.check_data import ARTICLES_FILE

SUMS_FILE = "SHA256SUMS"  # in the archive: `sha256sum -c` checks every file of it
README_FILE = "README.txt"


def release_file(as_of: str | None) -> str:
    """downloads/fadian-akn-<date>.zip: the date the site states statuses at (the newest
    commit's, or the newest date the texts print), so a release is named by what it holds."""
    return f"downloads/fadian-akn-{as_of or 'undated'}.zip"


def release_members(site_paths: set[str]) -> list[str]:
    """The archive's files among the site's (their paths in the site are theirs in it): the AKN
    and data under akn/ (the site's own paths, so the addresses in the works' data lead inside
    the archive too), and openapi.json. The 引用核验 page's digests of each version's articles
    (render/check_data) are the site's, not the collection's: not in it."""
    return sorted(
        path
        for path in site_paths
        if path == OPENAPI_FILE
        or (path.startswith("akn/") and path.endswith((".xml", ".json")) and Path(path).name != ARTICLES_FILE)
    )


def release_readme(count: int) -> bytes:
    """What the archive is, for whoever opens it (without its name: an archive of the same files
    under a later date's name is the same archive)."""
    text = f"""法典 fadian 的全部文本数据 / every text of a fadian site as data

akn/index.json
    全部作品及其数据文件 / every work and its data file
akn/…/<work>/index.json
    一部作品：各版本的日期、时效性与地址 / a work: its versions, dates, status, addresses
akn/…/<work>/zho@<date>/!main.xml
    一个版本的 Akoma Ntoso 3.0 XML / one version as Akoma Ntoso 3.0 XML
openapi.json
    各文件的说明（OpenAPI 3.1）/ what each file is (OpenAPI 3.1)
{SUMS_FILE}
    各文件的 SHA-256 / every file's SHA-256: sha256sum -c {SUMS_FILE}

{count} files.
"""
    return text.encode("utf-8")
