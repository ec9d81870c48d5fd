"""A catalogue of bad input: each case gives `path:line:col: severity[CODE] message` and a hint,
never a traceback; errors leave build/ as it was and nothing is written outside build/."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from conftest import run_fadian, walk_files

FRONT = """---
slug: {slug}
type: act
title: 测试法
date: 2024-01-01
---

"""
GOOD_BODY = (
    "测试法\n\n第一条 为了测试，制定本法。\n\n第二条 本法适用于测试。\n\n第三条 本法自公布之日起施行。\n"
)


def doc(body: str, slug: str = "bad") -> bytes:
    return (FRONT.format(slug=slug) + body).encode("utf-8")


ARTICLES = ["第一条 为了测试，制定本法。", "第二条 本法适用于测试。", "第三条 本法自公布之日起施行。"]


def front_with(line: str, drop: str | None = None) -> bytes:
    """The good document with one more front matter line after `date:` (and a field dropped)."""
    lines = [ln for ln in doc(GOOD_BODY).decode().split("\n") if not (drop and ln.startswith(f"{drop}:"))]
    at = next(k for k, ln in enumerate(lines) if ln.startswith("date:")) + 1
    return "\n".join([*lines[:at], line, *lines[at:]]).encode()


def body_with(*lines: str) -> str:
    return "测试法\n\n" + "\n\n".join(lines) + "\n"


# name, file bytes, expected code, severity, expected line (None: don't care)
CASES = [
    (
        "duplicate article",
        doc(body_with(ARTICLES[0], ARTICLES[1], "第二条 重复的条文。", ARTICLES[2])),
        "F301",
        "error",
        14,
    ),
    ("gap in articles", doc(body_with(ARTICLES[0], ARTICLES[2])), "F302", "warning", 12),
    ("articles out of order", doc(body_with(ARTICLES[0], ARTICLES[2], ARTICLES[1])), "F303", "warning", 14),
    (
        "unnumbered heading between articles",
        doc(body_with(ARTICLES[0], "附属规定", ARTICLES[1], ARTICLES[2])),
        "F311",
        "warning",
        12,
    ),
    (
        "chapter heading broken across two lines",
        doc(body_with("第一章 总则", ARTICLES[0], "第二章 适用范围和", "测试对象", ARTICLES[1], ARTICLES[2])),
        "F312",
        "warning",
        16,
    ),
    (
        "sentence broken across two lines",
        doc(body_with(ARTICLES[0], ARTICLES[1], "国家建立健全测试", "制度。", ARTICLES[2])),
        "F313",
        "warning",
        14,
    ),
    (
        "article lines inside an annex",
        doc(body_with(ARTICLES[0], ARTICLES[1], ARTICLES[2], "附件", "第一条 附件的条文。")),
        "F314",
        "warning",
        18,
    ),
    (
        "look-alike 笫 for 第",
        doc(body_with(ARTICLES[0], "笫二条 本法适用于测试。", ARTICLES[2])),
        "F304",
        "warning",
        12,
    ),
    (
        "space inside the number",
        doc(body_with(ARTICLES[0], "第二 条 本法适用于测试。", ARTICLES[2])),
        "F305",
        "warning",
        12,
    ),
    (
        "unclosed 【",
        doc(body_with("第一条【立法目的 为了测试，制定本法。", ARTICLES[1], ARTICLES[2])),
        "F306",
        "error",
        10,
    ),
    (
        "full-width digits",
        doc(body_with(ARTICLES[0], "第２条 本法适用于测试。", ARTICLES[2])),
        "F307",
        "warning",
        12,
    ),
    ("GBK-encoded file", doc(GOOD_BODY).decode().encode("gbk"), "F101", "error", 4),
    ("byte order mark", b"\xef\xbb\xbf" + doc(GOOD_BODY), "F102", "warning", 1),
    ("CRLF line endings", doc(GOOD_BODY).replace(b"\n", b"\r\n"), "F103", "warning", 1),
    (
        "lines of only U+200B",
        doc(GOOD_BODY.replace("\n\n第二条", "\n\u200b\u200b\n第二条")),
        "F104",
        "warning",
        11,
    ),
    ("empty file", b"", "F105", "error", 1),
    ("missing front matter", GOOD_BODY.encode(), "F201", "error", 1),
    (
        "invalid front matter",
        b"---\nslug: [unclosed\ntitle: x\n---\n\n" + GOOD_BODY.encode(),
        "F202",
        "error",
        3,
    ),
    ("missing title", doc(GOOD_BODY).replace("title: 测试法\n".encode(), b""), "F203", "error", None),
    ("unsafe slug ../x", doc(GOOD_BODY, slug="../x"), "F204", "error", 2),
    ("invalid date", doc(GOOD_BODY).replace(b"2024-01-01", b"2024-13-45"), "F205", "error", 5),
    (
        "<script> in text",
        doc(body_with("第一条 为了测试<script>alert(1)</script>，制定本法。", ARTICLES[1], ARTICLES[2])),
        "F401",
        "warning",
        10,
    ),
    (
        "100 KB line",
        doc(body_with(ARTICLES[0], "第二条 " + "很长" * 50_000, ARTICLES[2])),
        "F106",
        "error",
        12,
    ),
    (
        "U+FFFE in the text",
        doc(body_with(ARTICLES[0], "第二条 本法\ufffe适用于测试。", ARTICLES[2])),
        "F107",
        "error",
        12,
    ),
    (
        "Arabic digit mixed into a Chinese numeral",
        doc(body_with(ARTICLES[0], ARTICLES[1], ARTICLES[2], "第1十条 本法自公布之日起施行。")),
        "F307",
        "warning",
        16,
    ),
    ("subtype that is a number", front_with("subtype: 3"), "F206", "error", 6),
    ("title that is a list", front_with("title: [a, b]", drop="title"), "F206", "error", 5),
    ("short_titles that is a number", front_with("short_titles: 5"), "F206", "error", 6),
    ("source that is a mapping", front_with("source: {a: 1}"), "F206", "error", 6),
    ("bell character in the title", front_with('title: "测\\x07试法"', drop="title"), "F107", "error", 5),
    (
        "YAML alias in the front matter (billion laughs)",
        front_with('a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nshort_titles: [*b,*b]'),
        "F202",
        "error",
        7,
    ),
    ("type that is not one of the four", front_with("type: statute", drop="type"), "F206", "error", 5),
    ("jurisdiction that is no ISO code", front_with("jurisdiction: china"), "F206", "error", 6),
    ("first_article that is not a number", front_with("first_article: x"), "F206", "error", 6),
    ("expression_date that is no date", front_with("expression_date: 2024-13-01"), "F205", "error", 6),
    ("subtype that escapes the URI", front_with("subtype: ../x"), "F204", "error", 6),
    ("front matter never closed", b"---\nslug: bad\ntitle: x\n\n" + GOOD_BODY.encode(), "F202", "error", 1),
    ("front matter that is a list", b"---\n- a\n- b\n---\n\n" + GOOD_BODY.encode(), "F202", "error", 2),
    (
        "chapter numbering that starts at 第二章",
        doc(body_with("第二章 总则", ARTICLES[0], ARTICLES[1], ARTICLES[2])),
        "F302",
        "warning",
        10,
    ),
    (
        "目录 entry missing from the body",
        doc(
            body_with(
                "目录", "第一章 总则", "第二章 附则", "第一章 总则", ARTICLES[0], ARTICLES[1], ARTICLES[2]
            )
        ),
        "F308",
        "warning",
        14,
    ),
    (
        "citation of an article the law lacks",
        doc(body_with(ARTICLES[0], "第二条 违反本法第九十九条的，依法处理。", ARTICLES[2])),
        "F701",
        "warning",
        12,
    ),
    (
        "amendment instruction not understood",
        doc("测试法修正案\n\n一、将第三条翻译为英文。\n").replace(b"type: act", b"type: amendment"),
        "F320",
        "error",
        10,
    ),
    (
        "amendment quotation never closed",
        doc("测试法修正案\n\n一、将第三条修改为：“新的条文。\n\n本修正案自公布之日起施行。\n").replace(
            b"type: act", b"type: amendment"
        ),
        "F321",
        "error",
        10,
    ),
    (
        "amendment of a work nobody knows",
        doc("无名法修正案\n\n一、删去第三条。\n").replace(b"type: act", b"type: amendment"),
        "F325",
        "warning",
        1,
    ),
    ("source over 20 MB", doc("测试法\n\n第一条 " + "很" * 7_000_000 + "\n"), "F108", "error", 1),
    (
        "control character",
        doc(body_with(ARTICLES[0], "第二条 本法\x07适用于测试。", ARTICLES[2])),
        "F107",
        "error",
        12,
    ),
]
DIAG_RE = re.compile(
    r"^(?P<path>[^\n:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning)\[(?P<code>F\d{3})\]: .+\n"
    r"  hint: .+$",
    re.M,
)


def tree_digest(root: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in walk_files(root, exclude)
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project with one good document, built once: build/ holds a good build."""
    root = tmp_path_factory.mktemp("project")
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "documents" / "good.txt").write_bytes(doc(GOOD_BODY, slug="good"))
    proc = run_fadian("build", "--root", str(root))
    assert proc.returncode == 0, proc.stderr.decode()
    return root


def test_catalogue_is_big_enough():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)
    assert len({c[2] for c in CASES}) >= 30  # most codes an editor can meet in a document


@pytest.mark.parametrize(("name", "data", "code", "severity", "line"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(project, name, data, code, severity, line):
    bad = project / "sources" / "documents" / "bad.txt"
    bad.write_bytes(data)
    try:
        before_build = tree_digest(project / "build")
        before_site = tree_digest(project / "site")
        before_rest = tree_digest(project, exclude=("build/", "site/"))
        check = run_fadian("check", "--root", str(project), str(bad))
        build = run_fadian("build", "--root", str(project))
        after_rest = tree_digest(project, exclude=("build/", "site/"))
    finally:
        bad.unlink()
    for proc in (check, build):
        err = proc.stderr.decode()
        assert "Traceback" not in err, err
        found = [m for m in DIAG_RE.finditer(err) if m["code"] == code]
        assert found, f"{code} not reported:\n{err}"
        m = found[0]
        assert m["sev"] == severity
        assert m["path"].endswith("bad.txt")
        if line is not None:
            assert int(m["line"]) == line, err
    assert after_rest == before_rest  # nothing written outside build/ and site/
    if severity == "error":
        assert check.returncode == 1 and build.returncode == 1
        assert tree_digest(project / "build") == before_build  # previous build kept
        assert tree_digest(project / "site") == before_site
        assert "build/ was left as it was" in build.stderr.decode()
    else:
        assert check.returncode == 0 and build.returncode == 0


def test_recovered_lookalike_keeps_structure(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    body = body_with(ARTICLES[0], "笫二条 本法适用于测试。", "第三 条 本法自公布之日起施行。")
    (tmp_path / "sources" / "documents" / "law.txt").write_bytes(doc(body, slug="law"))
    proc = run_fadian("build", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr.decode()
    xml = (tmp_path / "build" / "akn" / "law.xml").read_text(encoding="utf-8")
    assert re.findall(r'<article eId="(art_\d+)"', xml) == ["art_1", "art_2", "art_3"]
    assert "<num>第二条</num>" in xml and "<num>第三条</num>" in xml


def test_script_is_escaped_in_akn(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    body = body_with("第一条 为了测试<script>alert(1)</script>，制定本法。", ARTICLES[1], ARTICLES[2])
    (tmp_path / "sources" / "documents" / "law.txt").write_bytes(doc(body, slug="law"))
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    xml = (tmp_path / "build" / "akn" / "law.xml").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml and "<script" not in xml


def test_unsafe_slug_writes_nothing_outside_build(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "x.txt").write_bytes(doc(GOOD_BODY, slug="../../escape"))
    proc = run_fadian("build", "--root", str(tmp_path))
    assert proc.returncode == 1
    assert not (tmp_path / "escape.xml").exists() and not (tmp_path.parent / "escape.xml").exists()
    assert not (tmp_path / "build" / "akn").exists()


def test_missing_file_and_bad_flags_are_diagnostics(tmp_path):
    proc = run_fadian("convert", str(tmp_path / "nope.txt"))
    assert proc.returncode == 1 and b"error[F603]" in proc.stderr and b"Traceback" not in proc.stderr
    law = tmp_path / "law.txt"
    law.write_text(GOOD_BODY, encoding="utf-8")
    proc = run_fadian("convert", str(law), "--slug", "../../x")
    assert proc.returncode == 1 and b"error[F204]" in proc.stderr
    proc = run_fadian("convert", str(law), "--date", "yesterday")
    assert proc.returncode == 1 and b"error[F205]" in proc.stderr


def test_directory_given_as_source(tmp_path):
    (tmp_path / "sources" / "documents" / "dir.txt").mkdir(parents=True)
    proc = run_fadian("check", "--root", str(tmp_path))
    assert b"Traceback" not in proc.stderr and proc.returncode == 1
    assert b"error[F603]" in proc.stderr
    shutil.rmtree(tmp_path / "sources")


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + k)}: &{chr(98 + k)} [{','.join(['*' + chr(97 + k)] * 9)}]" for k in range(8)]
)


def _peak_mb(fn):
    import tracemalloc

    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def test_billion_laughs_in_every_yaml_input():
    """Nine levels of nine aliases would expand to 9**9 strings; each YAML input refuses the
    first alias at its line instead, using next to no memory."""
    from fadian.akn.collection import load_bulletin
    from fadian.pipeline import compile_source
    from fadian.refs.registry import load_registry

    front = (
        doc(GOOD_BODY).decode().replace("date: 2024-01-01\n", "date: 2024-01-01\n" + BILLION_LAUGHS + "\n")
    )
    compiled, peak = _peak_mb(lambda: compile_source("bad.txt", front.encode()))
    (found,) = [d for d in compiled.diagnostics if d.code == "F202"]
    assert "alias (*a)" in found.message and found.location.line == 7 and peak < 100
    registry = "works:\n- title: 测试法\n  uri: /akn/cn/act/2020-01-01/x\n" + BILLION_LAUGHS
    (works, diags), peak = _peak_mb(lambda: load_registry("registry.yaml", registry.encode()))
    assert works == [] and [d.code for d in diags] == ["F703"] and diags[0].location.line == 5 and peak < 100
    bulletin = "slug: b\ntitle: t\ndate: '2024-01-01'\n" + BILLION_LAUGHS + "\nrubrics: []\n"
    (loaded, diags), peak = _peak_mb(lambda: load_bulletin("b.yaml", bulletin.encode()))
    assert (
        loaded is None and [d.code for d in diags] == ["F202"] and diags[0].location.line == 5 and peak < 100
    )


@pytest.mark.parametrize(
    ("yaml_text", "line", "field"),
    [
        ("slug: b\ntitle: t\ndate: '2024-01-01'\nrubrics: 国策要论\n", 4, "rubrics"),
        ("slug: b\ntitle: t\ndate: '2024-01-01'\nrubrics:\n- name: 国策\n  documents: abc\n", 6, "documents"),
        ("slug: b\ntitle: [1]\ndate: '2024-01-01'\nrubrics: []\n", 2, "title"),
    ],
)
def test_bulletin_of_the_wrong_shape_is_a_diagnostic(yaml_text, line, field):
    from fadian.akn.collection import load_bulletin

    loaded, diags = load_bulletin("b.yaml", yaml_text.encode())
    assert loaded is None
    (d,) = diags
    assert d.code == "F206" and d.location.line == line and field in d.message


def test_registry_of_the_wrong_shape_is_a_diagnostic():
    from fadian.refs.registry import load_registry

    text = "works:\n- title: 测试法\n  uri: /akn/cn/act/2020-01-01/x\n  aliases: 5\n"
    works, diags = load_registry("registry.yaml", text.encode())
    assert works == [] and [(d.code, d.location.line) for d in diags] == [("F703", 4)]
    assert "aliases" in diags[0].message


def test_symlink_leaving_the_repository_is_refused(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes(doc(GOOD_BODY, slug="secret"))
    root = tmp_path / "project"
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "documents" / "leak.txt").symlink_to(outside)
    proc = run_fadian("build", "--root", str(root))
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "error[F606]" in err and "outside the project" in err
    assert not (root / "build" / "akn").exists()


def test_fifo_source_is_refused_without_hanging(tmp_path):
    import os

    (tmp_path / "sources" / "documents").mkdir(parents=True)
    os.mkfifo(tmp_path / "sources" / "documents" / "x.txt")
    proc = run_fadian("check", "--root", str(tmp_path))  # run_fadian times out after 120 s
    assert proc.returncode == 1 and b"error[F606]" in proc.stderr and b"Traceback" not in proc.stderr


def test_file_name_with_a_newline_cannot_forge_a_diagnostic(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    name = "x\n:1:1: error[F000]: forged.txt"
    (tmp_path / "sources" / "documents" / name).write_bytes(b"\xff\xfe not utf-8")
    proc = run_fadian("check", "--root", str(tmp_path))
    lines = proc.stderr.decode().splitlines()
    assert not any(line.startswith(":1:1: error[F000]") for line in lines)
    assert any("'sources/documents/x\\n:1:1: error[F000]: forged.txt'" in line for line in lines)
