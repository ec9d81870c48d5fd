"""Issue 23: search is part of the build — without Pagefind a build fails with a clear error
(nothing written) unless asked for a site without search; the build's fingerprint covers the
tool and its version (installing it makes the next build index the site), not diagnostic
switches (FADIAN_TIMINGS never turns a no-op build into a full one)."""

from __future__ import annotations

import json

from conftest import run_fadian


def project(tmp_path):
    docs = tmp_path / "sources" / "documents"
    docs.mkdir(parents=True)
    (docs / "test-law.txt").write_text(
        "---\nslug: test-law\ntype: act\ntitle: 测试法\ndate: 2020-01-01\n---\n\n测试法\n\n第一条 为了测试，制定本法。\n",
        "utf-8",
    )
    return tmp_path


def test_no_pagefind_is_an_error_unless_no_search(tmp_path):
    root = project(tmp_path)
    missing = {"FADIAN_PAGEFIND": str(tmp_path / "no-such-pagefind")}
    proc = run_fadian("build", "--root", str(root), "--no-editions", env=missing)
    assert proc.returncode == 1 and b"error[F905]" in proc.stderr and b"Traceback" not in proc.stderr
    assert not (root / "site").exists() and not (root / "build" / "manifest.json").exists()
    # asked for no search: the site is built, its search box says there is none
    proc = run_fadian("build", "--root", str(root), "--no-editions", "--no-search", env=missing)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads((root / "site" / "pagefind" / "bundles.json").read_text("utf-8")) == []
    # Pagefind there (the default tool): not a no-op — the site gets its index
    proc = run_fadian("build", "--root", str(root), "--no-editions")
    assert proc.returncode == 0 and "nothing changed" not in proc.stderr.decode()
    bundles = json.loads((root / "site" / "pagefind" / "bundles.json").read_text("utf-8"))
    assert bundles and (root / "site" / "pagefind" / bundles[0] / "pagefind.js").is_file()


def test_diagnostic_switches_keep_a_no_op_build_a_no_op(tmp_path):
    root = project(tmp_path)
    assert run_fadian("build", "--root", str(root), "--no-editions").returncode == 0
    proc = run_fadian("build", "--root", str(root), "--no-editions", env={"FADIAN_TIMINGS": "1"})
    assert proc.returncode == 0 and "nothing changed" in proc.stderr.decode()
    # an output setting is an input: not a no-op
    proc = run_fadian("build", "--root", str(root), "--no-editions", env={"FADIAN_SEARCH_SHARD_DOCS": "7"})
    assert "nothing changed" not in proc.stderr.decode()


def test_the_tool_and_its_version_are_inputs_of_the_build(tmp_path):
    from fadian.project.tools import pagefind_tool

    tool = pagefind_tool()
    assert tool is not None  # the suite runs where scripts/setup.sh installed Pagefind
    root = project(tmp_path)
    assert run_fadian("build", "--root", str(root), "--no-editions").returncode == 0
    same = run_fadian("build", "--root", str(root), "--no-editions")
    assert "nothing changed" in same.stderr.decode()
    # the same binary named by FADIAN_PAGEFIND is another tool as far as the build knows
    other = run_fadian(
        "build", "--root", str(root), "--no-editions", env={"FADIAN_PAGEFIND": str(tool.binary)}
    )
    assert other.returncode == 0 and "nothing changed" not in other.stderr.decode()
