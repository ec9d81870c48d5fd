"""Versions kept as separate files (中华人民共和国船员条例 and 中华人民共和国船员条例(2013-07-18), as
a collection names them) get the 新旧对照 a history in git gets: a page of the two files' changed
articles side by side, found by `fadian diff OLD NEW` too, linked from both texts and from the
work's page; an edit of the older file makes it again."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from conftest import SHARED, run_fadian

PAIR = SHARED / "corpus" / "version-pairs"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("file-compare")
    folder = base / "collection"
    folder.mkdir()
    shutil.copy(PAIR / "p22-before.txt", folder / "中华人民共和国船员条例(2013-07-18).txt")
    shutil.copy(PAIR / "p22-after.txt", folder / "中华人民共和国船员条例.txt")
    root = base / "p"
    assert run_fadian("init", str(root)).returncode == 0
    assert run_fadian("import", "--root", str(root), str(folder)).returncode == 0
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()
    return root


def files_by_date(root: Path) -> list[tuple[str, str]]:
    manifest = json.loads((root / "build" / "manifest.json").read_text("utf-8"))
    return sorted((d["expression_uri"].rsplit("@", 1)[1], d["slug"]) for d in manifest["documents"])


def page(root: Path, path: str):
    return lxml_html.fromstring((root / "site" / path / "index.html").read_bytes())


def test_the_two_files_are_compared_as_fadian_diff_compares_them(project):
    (_, old), (new_date, new) = files_by_date(project)
    compare = f"history/{new}/compare-{old}-{new}"
    tree = page(project, compare)
    docs = project / "sources" / "documents"
    cli = run_fadian("diff", str(docs / f"{old}.txt"), str(docs / f"{new}.txt"), "--json")
    expected = json.loads(cli.stdout)
    shown = [c for c in expected["changes"] if not (c["kind"] == "renumbered" and not c["modified"])]
    assert shown  # (the pair changes articles)
    heads = tree.xpath("//nav[@class='fadian-changed-list']//a/text()")
    assert heads == [" → ".join(x for x in (c["old_num"], c["new_num"]) if x) for c in shown]
    first = next(c for c in shown if c["kind"] == "modified")
    inserted = "".join(t for op, t in first["redline"] if op == "ins")
    row = tree.xpath(f"//tr[@id='{first['new_eid']}']")[0]
    assert inserted and inserted in "".join(row.xpath(".//ins/text()"))
    assert f"{new_date} 版" in tree.findtext(".//h1")


def test_both_texts_and_the_work_link_the_comparison(project):
    (_, old), (_, new) = files_by_date(project)
    site = project / "site"
    target = (site / "history" / new / f"compare-{old}-{new}").resolve()
    (work,) = [p for p in (site / "akn").rglob("index.html") if "@" not in str(p)]  # the work's page
    places = [
        (site / "documents" / new / "index.html", "与上一版本"),
        (site / "documents" / old / "index.html", "与下一版本"),
        (work, "新旧对照"),
    ]
    for where, words in places:
        (href,) = lxml_html.fromstring(where.read_bytes()).xpath(f"//a[starts-with(., '{words}')]/@href")
        assert (where.parent / href).resolve() == target, (where, href)
    # the work's data is offered in words, its address only inside the collapsed 数据与下载 block
    page = lxml_html.fromstring(work.read_bytes())
    (data,) = page.xpath("//details[@id='data']//a[@type='application/json']/@href")
    assert (work.parent / data).is_file()
    outside = "".join(page.xpath("//article//text()[not(ancestor::details)]"))
    assert "/akn/" not in outside and "index.json" not in outside


def test_an_edit_of_the_older_file_makes_the_comparison_again(project):
    (_, old), (_, new) = files_by_date(project)
    path = project / "site" / "history" / new / f"compare-{old}-{new}" / "index.html"
    before = path.read_text("utf-8")
    source = project / "sources" / "documents" / f"{old}.txt"
    text = source.read_text("utf-8")
    k = text.index("。", text.index("第二条"))
    source.write_text(text[:k] + "，此句只在旧文本中" + text[k:], "utf-8")
    done = run_fadian("build", "--root", str(project), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()
    after = path.read_text("utf-8")
    assert after != before and re.search(r"<del>[^<]*此句只在旧文本中", after)


def test_the_older_file_lists_what_the_newer_one_changes(project):
    (_, old), (_, new) = files_by_date(project)
    tree = page(project, f"history/{new}/compare-{old}-{new}")
    heads = tree.xpath("//nav[@class='fadian-changed-list']//a")
    older = page(project, f"documents/{old}")
    (notice,) = older.xpath("//div[contains(@class, 'fadian-next-version')]")
    assert f"修改了本文本的 {len(heads)} 条" in notice.text_content()
    assert notice.xpath(".//a/@href")[-1].endswith(f"compare-{old}-{new}/")
    assert not page(project, f"documents/{new}").xpath("//div[contains(@class, 'fadian-next-version')]")


def test_the_feed_has_the_newer_file_as_a_new_version(project):
    (_, old), (new_date, new) = files_by_date(project)
    feed = (project / "site" / "feed.xml").read_text("utf-8")
    entry = feed[feed.index(f"（{new_date} 版）") :]
    assert f'href="history/{new}/compare-{old}-{new}/"' in entry[: entry.index("</entry>")]
