"""Issue 23: `fadian build --keep-going` publishes every document without errors, withholds the
others (a previously published version stays), lists them in build/reports/withheld.json and on
a page for editors, and exits non-zero. Without the flag a build stays all-or-nothing."""

from __future__ import annotations

import json

from conftest import run_fadian


def law(title: str, slug: str, *articles: str) -> str:
    body = "\n\n".join(f"第{n}条 {text}" for n, text in zip("一二三四五", articles, strict=False))
    return f"---\nslug: {slug}\ntype: act\ntitle: {title}\ndate: 2020-01-01\n---\n\n{title}\n\n{body}\n"


def test_keep_going_publishes_the_good_texts_and_lists_the_bad(tmp_path):
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "alpha-law.txt").write_text(
        law("甲法", "alpha-law", "为了甲，制定本法。", "本法自公布之日起施行。"), "utf-8"
    )
    (docs / "beta-law.txt").write_text(
        law("乙法", "beta-law", "为了乙，制定本法。", "依照甲法第一条。"), "utf-8"
    )
    gamma = docs / "gamma-law.txt"
    gamma.write_text(law("丙法", "gamma-law", "为了丙，制定本法。", "本法自公布之日起施行。"), "utf-8")
    build = ["build", "--root", str(tmp_path), "--no-editions"]

    # all good: every text published
    assert run_fadian(*build).returncode == 0
    site = tmp_path / "site" / "documents"
    assert (site / "gamma-law" / "index.html").is_file()

    # 丙法 breaks (two 第一条: F301): all-or-nothing without the flag — nothing changes
    gamma.write_text(gamma.read_text("utf-8").replace("第二条 本法", "第一条 本法"), "utf-8")
    (docs / "alpha-law.txt").write_text(
        law("甲法", "alpha-law", "为了甲，制定本法。", "本法自二〇二〇年起施行。"), "utf-8"
    )
    proc = run_fadian(*build)
    assert proc.returncode == 1 and b"error[F301]" in proc.stderr
    assert "二〇二〇年" not in (site / "alpha-law" / "index.html").read_text("utf-8")

    # with --keep-going: 甲法's edit is published, 丙法 withheld with its previous version kept
    proc = run_fadian(*build, "--keep-going")
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "error[F301]" in err and "withheld 1 document(s)" in err and "gamma-law.txt" in err
    assert "二〇二〇年" in (site / "alpha-law" / "index.html").read_text("utf-8")
    assert (site / "gamma-law" / "index.html").is_file()  # the version published before
    report = json.loads((tmp_path / "build" / "reports" / "withheld.json").read_text("utf-8"))
    assert [(w["source"], w["previous_version_kept"]) for w in report] == [
        ("sources/documents/gamma-law.txt", True)
    ]
    assert any("F301" in d for d in report[0]["diagnostics"])
    editors = (tmp_path / "site" / "editors" / "withheld" / "index.html").read_text("utf-8")
    assert "sources/documents/gamma-law.txt" in editors and "F301" in editors and "保留旧版" in editors
    manifest = json.loads((tmp_path / "build" / "manifest.json").read_text("utf-8"))
    assert sorted(d["slug"] for d in manifest["documents"]) == ["alpha-law", "beta-law", "gamma-law"]

    # nothing changed: still withheld, still a failure (a no-op build never hides it)
    again = run_fadian(*build, "--keep-going")
    assert again.returncode == 1 and "nothing changed" in again.stderr.decode()
    assert "gamma-law.txt" in again.stderr.decode()


def test_a_new_bad_text_is_not_published_at_all(tmp_path):
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "alpha-law.txt").write_text(law("甲法", "alpha-law", "为了甲，制定本法。"), "utf-8")
    (docs / "broken.txt").write_text("没有前言的文本\n\n第一条 甲。\n", "utf-8")  # F201
    proc = run_fadian("build", "--root", str(tmp_path), "--no-editions", "--keep-going")
    assert proc.returncode == 1 and b"error[F201]" in proc.stderr
    assert (tmp_path / "site" / "documents" / "alpha-law" / "index.html").is_file()
    report = json.loads((tmp_path / "build" / "reports" / "withheld.json").read_text("utf-8"))
    assert [(w["source"], w["previous_version_kept"]) for w in report] == [
        ("sources/documents/broken.txt", False)
    ]


def test_many_warnings_print_as_a_summary_by_code(tmp_path):
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    articles = "\n\n".join(f"第{n}条 甲。" for n in ["一", "三", "五", "七", "九"] * 1)
    jumps = "\n\n".join(
        f"第{a}条 条文。" for a in [f"{t}十{u}" for t in "二三四五六七八" for u in "一三五七九"]
    )
    text = f"---\nslug: jumps\ntype: act\ntitle: 跳号法\ndate: 2020-01-01\n---\n\n跳号法\n\n{articles}\n\n{jumps}\n"
    (docs / "jumps.txt").write_text(text, "utf-8")
    proc = run_fadian("build", "--root", str(tmp_path), "--no-editions")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert err.count("warning[F302]") == 1 and "warning[F302] × " in err
    assert "build/reports/diagnostics.json" in err
    listed = json.loads((tmp_path / "build" / "reports" / "diagnostics.json").read_text("utf-8"))
    assert len([d for d in listed if d["code"] == "F302"]) > 30
    verbose = run_fadian("build", "--root", str(tmp_path), "--no-editions", "-v")
    assert verbose.stderr.decode().count("warning[F302]") > 30
