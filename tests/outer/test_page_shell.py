"""The document pages fadian writes into the theme's shell itself are byte for byte the pages
mkdocs makes of them (contents lists nested and empty, pages one and two folders deep, a title
that needs escaping); a theme that prints a page differently makes fadian leave every page to
mkdocs, never publish a page mkdocs would not have made."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from fadian.project import pages_stage
from fadian.project.build import Project

from conftest import run_git, walk_files

LAW = """---
slug: sectioned-law
type: act
title: 测试分节条例（R&D 与“试行”）
date: 2024-01-01
---
测试分节条例

第一章　总　　则

第一节　一般规定

第一条　为了测试，制定本条例。

第二条　测试应当依法进行。

第二节　其他规定

第三条　本条例所称测试，是指试验。

第二章　附　　则

第四条　本条例自公布之日起施行。
"""
PLAIN = """---
slug: plain-rules
type: act
title: 测试无章规则
date: 2024-02-01
---
测试无章规则

第一条　为了测试，制定本规则。

第二条　本规则自公布之日起施行。
"""


def _project(root: Path) -> Project:
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "documents" / "sectioned-law.txt").write_text(LAW, "utf-8")
    (root / "sources" / "documents" / "plain-rules.txt").write_text(PLAIN, "utf-8")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "first", date="2024-01-01T12:00:00")
    for name, old, new in [
        ("sectioned-law", "试验。", "试验和检验。"),
        ("plain-rules", "制定本规则。", "制定本规则，并定期评估。"),
    ]:
        path = root / "sources" / "documents" / f"{name}.txt"
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    run_git(root, "commit", "-q", "-am", "second", date="2024-06-01T12:00:00")
    return Project(root)


def _site(root: Path) -> dict[str, str]:
    site = root / "site"
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in walk_files(site)
    }


def _build(project: Project) -> None:
    result = project.build(editions=False, search=False)
    assert result.ok, [d.format() for d in result.all_diagnostics]


def test_filled_pages_are_the_pages_mkdocs_makes(tmp_path, monkeypatch):
    filled = _project(tmp_path / "filled")
    _build(filled)
    shells = json.loads((filled.build_dir / pages_stage.SHELL_CACHE).read_text("utf-8"))["shells"]
    # every kind of page of this project was filled: contents list or none, one or two deep
    assert {(s["depth"], s["toc"]) for s in shells} >= {(2, True), (2, False), (3, False)}
    page = (filled.root / "site" / "documents" / "sectioned-law" / "index.html").read_text("utf-8")
    assert 'aria-label="第一章 总 则"' in page  # a nested contents list, labelled as material does
    assert "R&amp;D" in page

    by_mkdocs = _project(tmp_path / "by-mkdocs")
    monkeypatch.setattr(pages_stage, "learn_shells", lambda *args, **kwargs: {})
    _build(by_mkdocs)
    assert not (by_mkdocs.build_dir / pages_stage.SHELL_CACHE).exists()
    assert _site(filled.root) == _site(by_mkdocs.root)


def test_pages_are_published_without_the_themes_indentation_around_the_text(tmp_path):
    """Every page (filled by fadian or made by mkdocs, the 404 page too) has no indentation or
    blank line outside its <article>; inside it the text's HTML is as the renderer wrote it
    (its own line breaks kept)."""
    import re

    project = _project(tmp_path / "p")
    _build(project)
    site = project.root / "site"
    themed = {}  # the theme's pages (fadian's own redirect pages have no <article>)
    for path in walk_files(site):
        html = path.read_text("utf-8") if path.suffix == ".html" else ""
        start, end = html.find("<article"), html.rfind("</article>")
        if 0 < start < end:
            themed[path.relative_to(site).as_posix()] = html[:start] + html[end:]
    assert {"index.html", "404.html", "documents/plain-rules/index.html"} <= set(themed)
    assert any(p.startswith("history/") for p in themed)
    for path, outside in themed.items():
        assert not re.search(r"\n[ \t\n]", outside), path
    page = (project.root / "site" / "documents" / "sectioned-law" / "index.html").read_text("utf-8")
    article = page[page.find("<article") : page.rfind("</article>")]
    # inside the article the renderer's HTML is as written (its blank lines kept); only the
    # theme's whitespace at its edges is gone
    assert re.search(r"\n\n", article) and article.startswith(
        '<article class="md-content__inner md-typeset">\n<h1'
    )
    assert article.endswith("</details>\n")
    assert '<div class="fadian-article" id="art_1"' in article


TOC_ITEM = """<li class="fadian-test-item"><a href="{{ toc_item.url }}">{{ toc_item.title }}</a></li>"""


@pytest.mark.parametrize("cached", [False, True])
def test_a_theme_that_prints_pages_otherwise_leaves_them_to_mkdocs(tmp_path, cached):
    """A project's own template for a contents item: the shell learnt from probe pages does not
    give the real pages (or, learnt before the template changed, is not used: its key differs)."""
    project = _project(tmp_path)
    if cached:
        _build(project)  # shells learnt for fadian's own settings
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "toc-item.html").write_text(TOC_ITEM, "utf-8")
    settings = (Path(pages_stage.__file__).parent.parent / "render" / "mkdocs_site.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        settings.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"), "utf-8"
    )
    _build(project)
    page = (tmp_path / "site" / "documents" / "sectioned-law" / "index.html").read_text("utf-8")
    assert '<li class="fadian-test-item"><a href="#chp_1">第一章　总　　则</a></li>' in page
    shells = json.loads((project.build_dir / pages_stage.SHELL_CACHE).read_text("utf-8"))["shells"]
    assert {(s["depth"], s["toc"]) for s in shells} == {(2, False), (3, False)}  # no list: no item
