"""build/reports/citations-to-review.json: a citation means the version of the cited law in
force when the citing text was made; every build lists the citations, in texts in force, of an
article that has since been changed, moved or removed — with the real 刑法 and 修正案（十二）, and a
law whose articles a later version renumbers."""

from __future__ import annotations

import json
import re
import shutil

from conftest import run_fadian, run_git

RULES = (
    "---\nslug: company-rules\ntype: act\ntitle: 某公司监督规定\ndate: '2021-06-01'\n---\n\n某公司监督规定\n\n"
    "第一条 董事违反刑法第一百六十五条、第一百六十六条规定的，依法处理。\n\n"
    "第二条 本规定依据《中华人民共和国刑法》第一百二十条之一制定。\n"
)


def review(root, *args: str) -> list[dict]:
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search", *args)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    entries = json.loads((root / "build" / "reports" / "citations-to-review.json").read_text("utf-8"))
    said = f"{len(entries)} cited article(s) changed since the citing texts were made"
    assert (said in done.stderr.decode()) == bool(entries)  # the build says so when there are some
    return entries


def test_a_2021_text_citing_an_article_the_amendment_changed(criminal_project, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(criminal_project, root, ignore=shutil.ignore_patterns("build", "site"), symlinks=True)
    (root / "sources" / "documents" / "company-rules.txt").write_text(RULES, "utf-8")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "某公司监督规定", date="2024-01-05T12:00:00")
    assert review(root) == []  # on 2024-01-05 the 2020 text is still in force: nothing changed yet
    entries = review(root, "--as-of", "2024-06-01")
    assert [(e["provision"], e["change"]) for e in entries] == [("第一百六十五条", "修改"), ("第一百六十六条", "修改")]
    first = entries[0]
    assert first["work"] == "中华人民共和国刑法" and first["since"] == "2024-03-01"
    assert first["cited_version"].endswith("zho@2020-12-26") and first["version_in_force"].endswith("zho@2023-12-29")
    assert first["citing"] == [
        {
            "document": "company-rules",
            "path": "sources/documents/company-rules.txt",
            "line": 10,
            "col": 9,
            "text": "刑法第一百六十五条",
        }
    ]  # 第一百二十条之一, cited too, is the same in both versions: not listed
    marks = changed_marks(root / "site" / "documents" / "company-rules" / "index.html")
    assert marks == [
        ("刑法第一百六十五条", "../criminal-law/#art_165", "所引条文已于 2024-03-01 修改"),
        ("第一百六十六条", "../criminal-law/#art_166", "所引条文已于 2024-03-01 修改"),
    ]  # on the citing page, beside each citation of a changed article (not 第一百二十条之一)
    editors = (root / "site" / "editors" / "review" / "index.html").read_text("utf-8")
    home = (root / "site" / "index.html").read_text("utf-8")
    assert '<a href="editors/review/">供编辑核查：2 条被引条文已修改' in home
    listed = re.findall(r'<li><p><a href="([^"]+)">《中华人民共和国刑法》(第[^<]+条)</a>：2024-03-01 起施行的版本中修改', editors)
    assert [n for _href, n in listed] == ["第一百六十五条", "第一百六十六条"]
    assert listed[0][0].endswith("zho@2023-12-29/#art_165")  # where the article is now
    assert editors.count('<a href="../../documents/company-rules/">某公司监督规定</a>：“刑法第一百六十五条”') == 1


def changed_marks(page) -> list[tuple[str, str, str]]:
    """(the citation, where its mark leads, the mark's note) of every marked citation."""
    html = page.read_text("utf-8")
    pattern = r'>([^<>]+)</a><a class="fadian-cite-changed" href="([^"]+)" title="([^"]+)"'
    return re.findall(pattern, html)


def law(articles: list[str]) -> str:
    body = "\n\n".join(f"第{n}条 {text}" for n, text in zip("一二三四", articles, strict=False))
    return f"---\nslug: test-law\ntype: act\ntitle: 测试法\ndate: '2010-01-01'\n---\n\n测试法\n\n{body}\n"


def test_a_renumbered_article_is_named_by_its_number_now(tmp_path):
    root = tmp_path / "renumbered"
    documents = root / "sources" / "documents"
    documents.mkdir(parents=True)
    (documents / "test-law.txt").write_text(law(["为了测试，制定本法。", "测试应当公开。", "本法自公布之日起施行。"]))
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "测试法", date="2010-01-01T12:00:00")
    citing = "---\nslug: rules\ntype: act\ntitle: 测试规定\ndate: '2015-01-01'\n---\n\n测试规定\n\n第一条 依照测试法第二条，公开测试。\n"
    (documents / "rules.txt").write_text(citing, "utf-8")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "测试规定", date="2015-01-01T12:00:00")
    inserted = ["为了测试，制定本法。", "测试应当真实。", "测试应当公开。", "本法自公布之日起施行。"]
    (documents / "test-law.txt").write_text(law(inserted), "utf-8")
    run_git(root, "commit", "-q", "-am", "增加一条", date="2020-01-01T12:00:00")
    (entry,) = review(root)
    assert (entry["provision"], entry["change"], entry["now"]) == ("第二条", "重新编号", "第三条")
    assert entry["citing"][0]["text"] == "测试法第二条"
    marks = changed_marks(root / "site" / "documents" / "rules" / "index.html")
    assert marks == [("测试法第二条", "../test-law/#art_3", "所引条文已于 2020-01-01 重新编号，现为第三条")]
