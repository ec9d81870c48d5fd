"""`fadian review BASE [HEAD]`: a branch that inserts an article into a law other texts cite is
reviewed by its legal effect — the drafted 修改决定 (the same as `fadian draft` of the two texts),
its 修改前后对照表, every citing text left pointing at a renumbered article, the diagnostics the
branch adds — in Markdown, and in HTML beside it; a revision that does not exist is F612."""

from __future__ import annotations

import subprocess

from conftest import run_fadian, run_git

LAW = (
    "---\nslug: test-law\ntype: act\ntitle: 测试法\ndate: '2020-01-01'\n---\n\n测试法\n\n"
    "（2020年1月1日全国人民代表大会常务委员会第一次会议通过）\n\n"
    "第一条 为了测试，制定本法。\n\n第二条 测试应当公开。\n\n第三条 测试应当公正。\n\n第四条 本法自公布之日起施行。\n"
)
NEW_ARTICLE = "第二条 测试应当及时。\n\n"


def citing(slug: str, title: str, article: str) -> str:
    return (
        f"---\nslug: {slug}\ntype: act\ntitle: {title}\ndate: '2021-01-01'\n---\n\n{title}\n\n"
        f"第一条 依照测试法{article}的规定，制定本规定。\n"
    )


def project(tmp_path):
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "test-law.txt").write_text(LAW, "utf-8")
    (docs / "rules-a.txt").write_text(citing("rules-a", "甲规定", "第二条"), "utf-8")
    (docs / "rules-b.txt").write_text(citing("rules-b", "乙规定", "第三条"), "utf-8")
    run_git(tmp_path, "init", "-q", "-b", "main")
    run_git(tmp_path, "add", "-A")
    run_git(tmp_path, "commit", "-q", "-m", "测试法与两件规定", date="2021-01-02T12:00:00")
    built = run_fadian("build", "--root", str(tmp_path), "--no-editions", "--no-search")
    assert built.returncode == 0, built.stderr.decode()[-2000:]
    run_git(tmp_path, "checkout", "-q", "-b", "amend")
    law = docs / "test-law.txt"
    text = law.read_text("utf-8")
    changed = text.replace("第二条 测试应当公开。\n\n第三条 测试应当公正。\n\n第四条", NEW_ARTICLE + "第三条 测试应当公开。\n\n第四条 测试应当公正。\n\n第五条")
    law.write_text(changed.replace("（2020年1月1日全国人民代表大会常务委员会第一次会议通过）", "（2020年1月1日全国人民代表大会常务委员会第一次会议通过　根据2022年6月1日全国人民代表大会常务委员会《关于修改〈测试法〉的决定》修正）"), "utf-8")
    run_git(tmp_path, "commit", "-q", "-am", "增加第二条", date="2022-06-01T12:00:00")
    return tmp_path


def test_a_branch_is_reviewed_by_its_legal_effect(tmp_path):
    root = project(tmp_path / "p")
    done = run_fadian("review", "--root", str(root), "-o", str(tmp_path / "review.md"))
    assert done.returncode == 0, done.stderr.decode()
    assert "review: 1 text(s) changed, 2 citation(s) to re-point" in done.stderr.decode()
    report = (tmp_path / "review.md").read_text("utf-8")
    assert "## 测试法（修改）" in report
    assert "- 第二条（条号调整，现为第三条）：《甲规定》（rules-a）第一条第一款：“测试法第二条”" in report
    assert "- 第三条（条号调整，现为第四条）：《乙规定》（rules-b）第一条第一款：“测试法第三条”" in report
    old = tmp_path / "old.txt"
    shown = subprocess.run(["git", "show", "main:sources/documents/test-law.txt"], cwd=root, capture_output=True)
    old.write_bytes(shown.stdout)
    drafted = run_fadian("draft", str(old), str(root / "sources" / "documents" / "test-law.txt"))
    assert drafted.returncode == 0, drafted.stderr.decode()
    quoted = "\n".join(f"> {line}" if line else ">" for line in drafted.stdout.decode().rstrip("\n").split("\n"))
    assert quoted in report  # the decision `fadian draft` makes of the same two texts
    assert "| 修改前 | 修改后 |" in report and "测试应当及时" in report
    html = (tmp_path / "review.html").read_text("utf-8")
    assert "<table" in html and "rules-a" in html and 'lang="zh-CN"' in html


def test_nothing_changed_and_a_bad_revision(tmp_path):
    root = project(tmp_path / "p")
    same = run_fadian("review", "main", "main", "--root", str(root))
    assert same.returncode == 0 and "本分支没有修改任何文本" in same.stdout.decode()
    bad = run_fadian("review", "no-such-branch", "--root", str(root))
    assert bad.returncode == 1 and b"error[F612]" in bad.stderr and b"Traceback" not in bad.stderr
