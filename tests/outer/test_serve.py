"""`fadian serve` (issue 14): the preview lives in build/.preview only, a source error shows on
the page while the server keeps serving, and fixing it brings the pages back."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import REPO, run_fadian, walk_files

FRONT = "---\nslug: law\ntype: act\ntitle: 测试法\ndate: 2024-01-01\n---\n\n"
GOOD = FRONT + "测试法\n\n第一条 为了测试，制定本法。\n\n第二条 本法自公布之日起施行。\n"
BROKEN = GOOD + "\n第二条 重复的条文。\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(condition, what: str, limit: float = 120.0):
    """Poll ``condition`` until it returns something truthy; fail after ``limit`` seconds (a
    bound for a broken server, not a timing assumption: each check is of state, not of time)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def published(root) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("build", "site")
        for p in walk_files(root / folder)
    }


def test_serve_shows_source_errors_and_leaves_the_build_alone(tmp_path):
    (tmp_path / "sources" / "documents").mkdir(parents=True)
    source = tmp_path / "sources" / "documents" / "law.txt"
    source.write_text(GOOD, encoding="utf-8")
    assert run_fadian("build", "--root", str(tmp_path)).returncode == 0
    before = published(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "fadian", "serve", "--root", str(tmp_path), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/documents/law/"
    try:
        page = wait_for(lambda: fetch(url), "the preview")
        assert "第一条" in page and "fadian-serve-error" not in page
        source.write_text(BROKEN, encoding="utf-8")
        page = wait_for(
            lambda: (p := fetch(url)) and "fadian-serve-error" in p and p, "the error on the page"
        )
        assert "error[F301]" in page and "第二条 appears twice" in page
        assert "为了测试" in page  # the last good text is still shown
        source.write_text(GOOD, encoding="utf-8")
        wait_for(lambda: (p := fetch(url)) and "fadian-serve-error" not in p, "the error to go")
        assert server.poll() is None  # kept serving throughout
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert published(tmp_path) == before  # serve never touched build/ or site/
    assert (tmp_path / "build" / ".preview" / "data" / "manifest.json").is_file()
