"""The command line end to end on a copy of the repository's sources."""

from __future__ import annotations

import json
import shutil

import pytest
from lxml import etree

from fadian.akn.validate import lxml_schema

from conftest import REPO, run_fadian, walk_files


@pytest.fixture()
def project(tmp_path):
    shutil.copytree(REPO / "sources", tmp_path / "sources")
    return tmp_path


def test_build_writes_akn_and_manifest(project):
    proc = run_fadian("build", "--root", str(project))
    assert proc.returncode == 0, proc.stderr.decode()
    manifest = json.loads((project / "build" / "manifest.json").read_text("utf-8"))
    assert len(manifest["documents"]) == 7 and len(manifest["bulletins"]) == 1
    for entry in manifest["documents"] + manifest["bulletins"]:
        path = project / entry["akn"]
        assert path.is_file()
        assert lxml_schema().validate(etree.parse(str(path)))
        assert entry["work_uri"].startswith("/akn/cn")
        assert entry["expression_uri"].startswith(entry["work_uri"] + "/zho@")
    law = next(d for d in manifest["documents"] if d["type"] == "bill" and d["name"] == "expertDraft")
    assert law["counts"]["chapter"] == 7 and law["counts"]["article"] == 65
    assert manifest["bulletins"][0]["documents"][0] == law["slug"]
    # the editor's-note count warning is shown, but does not fail the build
    assert "warning[F309]" in proc.stderr.decode()


def test_builds_are_byte_identical(project):
    def outputs():
        return {
            p.relative_to(project): p.read_bytes()
            for folder in ("build", "site")
            for p in walk_files(project / folder)
        }

    assert run_fadian("build", "--root", str(project)).returncode == 0
    first = outputs()
    assert run_fadian("build", "--root", str(project)).returncode == 0
    second = outputs()
    assert any(str(p).startswith("site/") for p in first)
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_strict_fails_on_warnings(project):
    assert run_fadian("check", "--root", str(project)).returncode == 0
    assert run_fadian("check", "--strict", "--root", str(project)).returncode == 1


def test_bulletin_with_unknown_document(project):
    path = project / "sources" / "bulletins" / "dsj-2023-18.yaml"
    path.write_text(path.read_text("utf-8").replace("slug: global-5g", "slug: no-such-doc-5g"), "utf-8")
    proc = run_fadian("check", "--root", str(project))
    assert proc.returncode == 1 and "error[F601]" in proc.stderr.decode()


def test_convert_to_stdout_and_module_entry_point(tmp_path):
    law = REPO.parent / "shared" / "corpus" / "laws" / "foreign-trade-law-2022.txt"
    proc = run_fadian("convert", str(law), "-o", "-", "--slug", "foreign-trade-law")
    assert proc.returncode == 0
    root = etree.fromstring(proc.stdout)
    assert lxml_schema().validate(root)
    assert b"/akn/cn/act/" in proc.stdout
    assert run_fadian("--help").returncode == 0


def test_check_single_file_reports_its_own_problems(project):
    path = project / "sources" / "documents" / "digital-economy-promotion-law-expert-draft.txt"
    proc = run_fadian("check", "--root", str(project), str(path))
    assert proc.returncode == 0
    assert "checked 1 document(s)" in proc.stderr.decode()


def test_project_without_mkdocs_yml_builds_from_its_own_folder(tmp_path):
    """The default root (the current folder) and no mkdocs.yml: fadian's own site settings."""
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    (tmp_path / "sources" / "documents" / "law.txt").write_text(
        "---\nslug: law\ntype: act\ntitle: 测试法\ndate: 2024-01-01\n---\n\n测试法\n\n第一条 为了测试，制定本法。\n",
        encoding="utf-8",
    )
    proc = run_fadian("build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "site" / "documents" / "law" / "index.html").is_file()
