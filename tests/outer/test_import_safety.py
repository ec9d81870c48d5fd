"""`fadian import`, `check` and `build` as a careless editor or an attacker meets them: nothing is
written outside the project, nothing large is read or inflated, nothing half-written is left,
nothing fadian did not make is deleted, and nothing is taken silently."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_fadian

LAW = "测试条例\n\n2020年1月1日测试委员会通过\n\n第一条 为了测试，制定本条例。\n\n第二条 本条例自公布之日起施行。\n"


def new_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    done = run_fadian("init", str(root))
    assert done.returncode == 0, done.stderr.decode()
    return root


def sources_of(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "sources" / "documents").iterdir())


def own_source(slug_line: str) -> str:
    return f"---\n{slug_line}\ntype: act\ntitle: 测试条例\ndate: '2020-01-01'\n---\n\n{LAW}"


@pytest.mark.parametrize(
    "slug_line",
    ["slug: ../../../evil", "slug: /tmp/fadian-evil-absolute", "slug: [1, 2]", "slug: 'ok\\n'", "slug: A.B"],
)
def test_an_imported_slug_that_is_not_a_name_is_refused(tmp_path, slug_line):
    root = new_project(tmp_path)
    given = tmp_path / "given.txt"
    given.write_text(own_source(slug_line), "utf-8")
    before = set(tmp_path.rglob("*"))
    done = run_fadian("import", str(given), cwd=root)
    assert done.returncode == 1
    err = done.stderr.decode()
    assert "F211" in err and "not a safe name" in err and "Traceback" not in err
    assert sources_of(root) == []
    assert set(tmp_path.rglob("*")) == before  # nothing written anywhere
    assert not Path("/tmp/fadian-evil-absolute.txt").exists()


def test_a_link_and_a_special_file_are_refused(tmp_path):
    root = new_project(tmp_path)
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "real.txt").write_text(LAW, "utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("机密文件\n\n第一条 不得公开。\n", "utf-8")
    (folder / "link.txt").symlink_to(secret)
    (folder / "linked-folder").symlink_to(tmp_path)
    os.mkfifo(folder / "pipe.txt")
    done = run_fadian("import", str(folder), cwd=root)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "link.txt" in err and "symbolic link" in err
    assert "linked-folder" in err
    assert "pipe.txt" in err and "not a regular file" in err
    written = sources_of(root)
    assert len(written) == 1
    assert all("机密" not in (root / "sources/documents" / n).read_text("utf-8") for n in written)


def test_a_docx_bomb_is_refused_in_seconds_and_little_memory(tmp_path):
    root = new_project(tmp_path)
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"<w:t>" + b"0" * (1 << 20) + b"</w:t>"
            for _ in range(200):  # 200 MB unpacked, a few hundred KB packed
                part.write(block)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        f"done = subprocess.run([sys.executable, '-m', 'fadian', 'import', {str(bomb)!r}], cwd={str(root)!r}, "
        f"capture_output=True, env={{**__import__('os').environ, 'PYTHONPATH': {str(REPO)!r}}}); "
        "print(done.returncode, time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024); "
        "sys.stderr.write(done.stderr.decode())"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=120)
    code, seconds, peak_mb = done.stdout.decode().split()
    assert code == "1", done.stderr.decode()
    assert "unpacks to" in done.stderr.decode()
    assert float(seconds) < 10 and int(peak_mb) < 300, (seconds, peak_mb)
    assert sources_of(root) == []


def test_a_text_over_the_limit_is_refused_before_it_is_read(tmp_path):
    root = new_project(tmp_path)
    big = tmp_path / "big.txt"
    with open(big, "wb") as out:
        out.write(LAW.encode())
        out.truncate(50 * 1024 * 1024)  # 50 MB (sparse: the import must not read it to refuse it)
    started = time.perf_counter()
    done = run_fadian("import", str(big), cwd=root)
    assert done.returncode == 1
    assert "limit" in done.stderr.decode() and time.perf_counter() - started < 10
    assert sources_of(root) == []


def test_an_interrupted_import_leaves_no_half_written_source(tmp_path):
    root = new_project(tmp_path)
    given = tmp_path / "law.txt"
    given.write_text(LAW, "utf-8")
    killed = run_fadian("import", str(given), cwd=root, env={"FADIAN_KILL_AT": "import-written"})
    assert killed.returncode == -9
    assert [n for n in sources_of(root) if not n.startswith(".")] == []  # no source, whole or half
    check = run_fadian("check", cwd=root)
    assert check.returncode == 0, check.stderr.decode()  # what was left is nothing the build reads
    again = run_fadian("import", str(given), cwd=root)
    assert again.returncode == 0, again.stderr.decode()
    assert sources_of(root) == ["ce-shi-tiao-li.txt"]  # and the leftover is gone
    assert "第二条 本条例自公布之日起施行。" in (root / "sources/documents/ce-shi-tiao-li.txt").read_text("utf-8")


def test_a_link_where_a_source_would_be_written_is_not_written_through(tmp_path):
    root = new_project(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("不要改写我\n", "utf-8")
    (root / "sources/documents/ce-shi-tiao-li.txt").symlink_to(outside)
    given = tmp_path / "law.txt"
    given.write_text(LAW, "utf-8")
    done = run_fadian("import", str(given), "--force", cwd=root)
    assert done.returncode == 1 and "not written through" in done.stderr.decode()
    assert outside.read_text("utf-8") == "不要改写我\n"


def test_lawrefbook_names_give_a_date_and_a_level(tmp_path):
    """A text that prints no date takes its version's date from a LawRefBook file name, said in
    a warning and recorded in the front matter; its folder names its 效力级别."""
    root = new_project(tmp_path)
    folder = tmp_path / "Laws" / "行政法规"
    folder.mkdir(parents=True)
    (folder / "某某管理办法(2022-03-30).md").write_text("# 某某管理办法\n\n第一条 为了管理，制定本办法。\n", "utf-8")
    (folder / "没有日期的条例.md").write_text("# 没有日期的条例\n\n第一条 为了管理，制定本条例。\n", "utf-8")
    (folder / "错误日期的条例(2022-02-30).md").write_text("# 错误日期的条例\n\n第一条 条文。\n", "utf-8")
    done = run_fadian("import", str(tmp_path / "Laws"), cwd=root)
    err = done.stderr.decode()
    assert done.returncode == 0, err
    assert "F213" in err and "2022-03-30 is taken from the file name" in err
    dated = (root / "sources/documents/mou-mou-guan-li-ban-fa.txt").read_text("utf-8")
    assert "date: '2022-03-30'" in dated and 'date_source: "file name: 某某管理办法(2022-03-30).md"' in dated
    assert "level: 行政法规" in dated and "level_source" in dated
    undated = (root / "sources/documents/mei-you-ri-qi-de-tiao-li.txt").read_text("utf-8")
    assert "date:" not in undated  # no name, no date: never guessed
    assert "date:" not in (root / "sources/documents/cuo-wu-ri-qi-de-tiao-li.txt").read_text("utf-8")
    assert err.count("F210") == 2


def test_a_site_folder_fadian_did_not_make_is_never_deleted(tmp_path):
    root = new_project(tmp_path)
    (root / "sources/documents/law.txt").write_text(own_source("slug: law"), "utf-8")
    (root / "site").mkdir()
    (root / "site" / "my-notes.html").write_text("editor's own page", "utf-8")
    done = run_fadian("build", "--no-editions", "--no-search", cwd=root)
    assert done.returncode == 1 and "F608" in done.stderr.decode()
    assert (root / "site" / "my-notes.html").read_text("utf-8") == "editor's own page"
    assert not (root / "build" / ".current").exists()


def test_init_ignores_the_site_link(tmp_path):
    root = new_project(tmp_path)
    (root / "sources/documents/law.txt").write_text(own_source("slug: law"), "utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    done = run_fadian("build", "--no-editions", "--no-search", cwd=root)
    assert done.returncode == 0, done.stderr.decode()
    assert (root / "site").is_symlink()
    status = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=root, capture_output=True, text=True)
    assert "site" not in status.stdout and "build/" not in status.stdout


def test_an_unwritable_build_is_the_users_problem(tmp_path):
    """A build/ that cannot be written (here a file where the folder should be) is F605 with its
    path, not F999."""
    root = new_project(tmp_path)
    (root / "sources/documents/law.txt").write_text(own_source("slug: law"), "utf-8")
    (root / "build").write_text("not a folder", "utf-8")
    done = run_fadian("build", "--no-editions", "--no-search", cwd=root)
    err = done.stderr.decode()
    assert done.returncode == 1 and "F605" in err and "F999" not in err and "Traceback" not in err


def test_a_read_only_build_is_the_users_problem(tmp_path):
    root = new_project(tmp_path)
    (root / "sources/documents/law.txt").write_text(own_source("slug: law"), "utf-8")
    first = run_fadian("build", "--no-editions", "--no-search", cwd=root)
    assert first.returncode == 0, first.stderr.decode()
    (root / "sources/documents/law.txt").write_text(own_source("slug: law").replace("测试，", "检验，"), "utf-8")
    # the build folder mounted read-only in a mount namespace of its own (root can write any
    # file a permission forbids, not one a read-only mount forbids)
    script = (
        f"mount --bind {root}/build {root}/build && mount -o remount,ro,bind {root}/build && "
        f"cd {root} && PYTHONPATH={REPO} {sys.executable} -m fadian build --no-editions --no-search"
    )
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, timeout=120)
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert "F605" in err and "Read-only file system" in err and "F999" not in err
    assert json.loads((root / "build/manifest.json").read_text("utf-8"))["documents"]  # still published


def test_duplicate_keys_and_unread_files_are_reported(tmp_path):
    root = new_project(tmp_path)
    docs = root / "sources/documents"
    (docs / "law.txt").write_text(own_source("slug: law\nslug: other"), "utf-8")
    (docs / "notes.md").write_text("# notes", "utf-8")
    (docs / "LOUD.TXT").write_text(LAW, "utf-8")
    (docs / "sub").mkdir()
    (docs / "sub" / "hidden.txt").write_text(LAW, "utf-8")
    done = run_fadian("check", cwd=root)
    err = done.stderr.decode()
    assert done.returncode == 1
    assert "law.txt:3:1: error[F202]" in err and "gives the key 'slug' twice" in err
    for name in ("notes.md", "LOUD.TXT", "sub"):
        assert f"sources/documents/{name}:1:1: warning[F609]" in err


def test_a_heading_hidden_by_a_zero_width_space_is_a_warning(tmp_path):
    text = tmp_path / "zw.txt"
    text.write_text("测试条例\n\n2020年1月1日通过\n\n\u200b第一条 甲。\n\n\u200b第二条 乙。\n", "utf-8")
    done = run_fadian("convert", str(text), "-o", str(tmp_path / "zw.xml"))
    assert "zw.txt:5:1: warning[F109]" in done.stderr.decode()


def test_diff_of_a_text_that_cannot_be_read_fails(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(LAW, "utf-8")
    bad.write_bytes(b"\xff\xfe" + LAW.encode("utf-16-le"))
    done = run_fadian("diff", str(good), str(bad))
    assert done.returncode == 1 and "bad.txt:1:1: error[F807]" in done.stderr.decode()


def test_a_slug_with_a_trailing_newline_is_refused(tmp_path):
    from fadian.names import is_jurisdiction, is_slug, is_web_url

    assert is_slug("law") and not is_slug("law\n") and not is_slug("../law")
    assert not is_jurisdiction("cn\n") and not is_web_url("https://example.org/\n")
    root = new_project(tmp_path)
    (root / "sources/documents/law.txt").write_text(own_source('slug: "law\\n"'), "utf-8")
    done = run_fadian("check", cwd=root)
    assert done.returncode == 1 and "F204" in done.stderr.decode()
