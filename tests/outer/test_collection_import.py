"""Issue 23: an editor's whole collection comes in — `fadian init` makes a project that builds at
once; `fadian import` makes sources of plain text, LawRefBook-style Markdown and DOCX (folders
walked), front matter read from each text, readable ASCII slugs, never overwriting an edited
source without --force."""

from __future__ import annotations

import json

import pypandoc

from conftest import CORPUS, SHARED, run_fadian

MARKDOWN = """# 中华人民共和国测试法

2020年1月1日 第一次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了测试，制定本法。

第二条 本法自公布之日起施行。
"""


def test_init_then_build_gives_a_site(tmp_path):
    project = tmp_path / "project"
    proc = run_fadian("init", str(project))
    assert proc.returncode == 0, proc.stderr.decode()
    assert (project / "sources" / "documents").is_dir() and (project / "README.md").is_file()
    build = run_fadian("build", "--root", str(project), "--no-editions")
    assert build.returncode == 0, build.stderr.decode()
    assert (project / "site" / "index.html").is_file()
    again = run_fadian("init", str(project))  # never over a project
    assert again.returncode == 1 and b"error[F607]" in again.stderr


def test_import_plain_markdown_and_docx_gives_sources_that_build(tmp_path):
    project = tmp_path / "project"
    run_fadian("init", str(project))
    incoming = tmp_path / "incoming"
    (incoming / "法律" / "刑法").mkdir(parents=True)  # a collection kept in sub-folders
    (incoming / "法律" / "刑法" / "criminal-law-2023.txt").write_bytes(
        (CORPUS / "criminal-law-2023.txt").read_bytes()
    )
    (incoming / "测试法.md").write_text(MARKDOWN, encoding="utf-8")
    docx = incoming / "railway.docx"
    sample = (SHARED / "corpus" / "national-sample" / "179.txt").read_text("utf-8")
    pypandoc.convert_text(sample, "docx", format="markdown", outputfile=str(docx))
    proc = run_fadian("import", "--root", str(project), str(incoming))
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    sources = project / "sources" / "documents"
    names = sorted(p.name for p in sources.glob("*.txt"))
    assert names == [
        "ce-shi-fa.txt",
        "shen-li-tie-lu-yun-shu-ren-shen-sun-hai-pei-chang-jiu-fen-an.txt",
        "xing-fa.txt",
    ]
    criminal = (sources / "xing-fa.txt").read_text("utf-8")
    assert criminal.startswith(
        "---\nslug: xing-fa\ntype: act\ntitle: \"中华人民共和国刑法\"\ndate: '1979-07-01'\nexpression_date: '2023-12-29'\n---\n"
    )
    markdown = (sources / "ce-shi-fa.txt").read_text("utf-8")
    assert "INFO END" not in markdown and "#" not in markdown and "\n第一章 总则\n" in markdown
    railway = (sources / "shen-li-tie-lu-yun-shu-ren-shen-sun-hai-pei-chang-jiu-fen-an.txt").read_text(
        "utf-8"
    )
    assert "第一条" in railway and "date: '2010-01-04'" in railway
    build = run_fadian("build", "--root", str(project), "--no-editions")
    assert build.returncode == 0, build.stderr.decode()
    manifest = json.loads((project / "build" / "manifest.json").read_text("utf-8"))
    criminal_entry = next(d for d in manifest["documents"] if d["slug"] == "xing-fa")
    assert criminal_entry["counts"]["article"] >= 505
    railway_entry = next(d for d in manifest["documents"] if d["slug"].startswith("shen-li"))
    sample = json.loads((SHARED / "corpus" / "national-sample" / "manifest.json").read_text("utf-8"))
    counted = next(d for d in sample["documents"] if d["file"] == "179.txt")["lines_starting_article"]
    assert railway_entry["counts"]["article"] == counted  # every article of the DOCX came through

    # importing again changes nothing; an edited source is refused, then overwritten with --force
    again = run_fadian("import", "--root", str(project), str(incoming))
    assert again.returncode == 0 and "3 unchanged" in again.stderr.decode()
    edited = sources / "ce-shi-fa.txt"
    edited.write_text(markdown.replace("为了测试", "为了认真测试"), encoding="utf-8")
    refused = run_fadian("import", "--root", str(project), str(incoming / "测试法.md"))
    assert refused.returncode == 1 and b"error[F211]" in refused.stderr
    assert "认真" in edited.read_text("utf-8")
    forced = run_fadian("import", "--root", str(project), "--force", str(incoming / "测试法.md"))
    assert forced.returncode == 0 and "认真" not in edited.read_text("utf-8")


def test_a_text_that_prints_no_date_is_imported_without_one_and_says_so(tmp_path):
    text = tmp_path / "notice.txt"
    text.write_text("关于做好测试工作的通知\n\n一、总体要求\n\n做好测试。\n", encoding="utf-8")
    proc = run_fadian("import", "--root", str(tmp_path), str(text))
    assert proc.returncode == 0 and b"warning[F210]" in proc.stderr
    written = (tmp_path / "sources" / "documents").glob("*.txt")
    source = next(written).read_text("utf-8")
    assert "date:" not in source and "type: doc" in source


def test_a_folder_with_nothing_to_import_or_sweep_is_an_error(tmp_path):
    """Asked to import or convert a folder's texts, finding none is not a silent success."""
    assert run_fadian("init", str(tmp_path / "p")).returncode == 0
    empty = tmp_path / "empty" / "sub"
    empty.mkdir(parents=True)
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")  # a file, but none fadian reads
    proc = run_fadian("import", "--root", str(tmp_path / "p"), str(tmp_path / "empty"))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "error[F211]" in err and "Traceback" not in err
    assert not list((tmp_path / "p" / "sources" / "documents").glob("*.txt"))
    proc = run_fadian("sweep", str(tmp_path / "empty"))
    out = proc.stdout.decode() + proc.stderr.decode()
    assert proc.returncode == 1 and "error[F603]" in out and "Traceback" not in out


def test_the_national_sample_under_its_lawrefbook_names_publishes_every_dated_text(tmp_path):
    """The 300 texts laid out as LawRefBook keeps them (folders by 效力级别, names with the
    version's date), imported and built: every text publishes but those that print no date and
    whose name gives none either — and those are withheld for that alone (never a guessed date)."""
    sample = SHARED / "corpus" / "national-sample"
    documents = json.loads((sample / "manifest.json").read_text("utf-8"))["documents"]
    collection = tmp_path / "Laws"
    for d in documents:
        target = collection / d["source_path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((sample / d["file"]).read_bytes())
    project = tmp_path / "project"
    run_fadian("init", str(project))
    imported = run_fadian("import", "--root", str(project), str(collection))
    assert imported.returncode == 0, imported.stderr.decode()[-2000:]
    assert imported.stderr.decode().count("warning[F213]") >= 15  # dates and levels said, not silent
    built = run_fadian("build", "--root", str(project), "--no-editions", "--no-search", "--keep-going")
    withheld = json.loads((project / "build" / "reports" / "withheld.json").read_text("utf-8"))
    published = json.loads((project / "build" / "manifest.json").read_text("utf-8"))["documents"]
    assert len(published) + len(withheld) == 300
    undated = {
        d["source_path"].rsplit("/", 1)[1]
        for d in documents
        if "(" not in d["source_path"] and not d["national_database"]["promulgated"]
    }
    titles = {w["source"]: (project / w["source"]).read_text("utf-8") for w in withheld}
    for source, text in titles.items():
        title = text.split("title: ", 1)[1].split("\n", 1)[0].strip('"')
        assert f"{title}.md" in undated, source
        assert "date:" not in text
    assert len(withheld) <= 2 and built.returncode == (1 if withheld else 0)
