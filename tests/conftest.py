"""Shared fixtures: the repository, the shared corpus, compiled seed documents, a CLI runner."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_179a043857ef4c8d.txt"
CORPUS = SHARED / "corpus" / "laws"
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# The unit layer (`pytest -m unit`, tests/unit/): one stage at a time, in process, with inline
# inputs or the committed fixtures — no `fadian` command, no whole build, no browser. The outer
# layer (tests/outer/): the command-line contract, builds, the site in a real browser, editions.
# The marker follows the folder.
UNIT = Path(__file__).resolve().parent / "unit"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.is_relative_to(UNIT):
            item.add_marker(pytest.mark.unit)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/fixtures/*.xml from the current output"
    )


def han(text: str) -> str:
    """The Han characters of a text, in order."""
    return "".join(HAN_RE.findall(text))


def akn_text(root) -> str:
    """All text of an AKN document outside <meta>, in document order."""
    meta = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}meta"
    document = root[0]
    return "".join("".join(child.itertext()) for child in document if child.tag != meta)


def walk_files(root: Path, exclude: tuple[str, ...] = ()) -> list[Path]:
    """Every file under ``root`` as a reader sees it: symlinks followed (build/akn → the
    published generation), hidden entries (.generations, .edition-cache, .lock) left out."""
    out = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            if not name.startswith(".") and not rel.startswith(exclude) and path.exists():
                out.append(path)  # (a dangling link: an output this build did not make)
    return out


def run_fadian(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess (so tracebacks would show)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="200", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "fadian", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        input=stdin,
        timeout=120,
    )


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_docs():
    """Every committed seed document compiled as `fadian check` does: slug -> CompiledDocument."""
    from fadian.project.build import Project
    from fadian.project.check import check_project

    result = check_project(Project(REPO))
    docs = {}
    for doc in result.documents:
        assert doc.ok, [d.format() for d in doc.diagnostics]
        docs[doc.meta.slug] = doc
    return docs


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that navigates away drops the requests it no longer needs (a search index
        chunk, a page it left): not an error of the site. Anything else is still printed."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_dir(directory: Path):
    """A local HTTP server for a built site/ (loopback only); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """A copy of the repository's sources and site settings, built once with `fadian build`."""
    import shutil

    root = tmp_path_factory.mktemp("built-project")
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "fadian" / "render").mkdir(parents=True)
    shutil.copy(
        REPO / "fadian" / "render" / "mkdocs_site.yml", root / "fadian" / "render" / "mkdocs_site.yml"
    )
    proc = run_fadian("build", "--root", str(root))
    assert proc.returncode == 0, proc.stderr.decode()
    return root


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run scripts/setup.sh")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Editor",
    "GIT_AUTHOR_EMAIL": "e@example.org",
    "GIT_COMMITTER_NAME": "Editor",
    "GIT_COMMITTER_EMAIL": "e@example.org",
    "PATH": "/usr/bin:/bin",
}


def run_git(root: Path, *args: str, date: str = "2023-05-05T12:00:00") -> None:
    """git in ``root`` as a fixed editor at a fixed date: scripted histories are reproducible."""
    env = {**GIT_IDENTITY, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


def seed_repository(root: Path, message: str = "seed") -> Path:
    """The repository's sources copied to ``root`` and committed as one first version."""
    import shutil

    shutil.copytree(REPO / "sources", root / "sources")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", message)
    return root


CRIMINAL_FRONT = (
    "---\nslug: criminal-law\ntype: act\ntitle: 中华人民共和国刑法\ndate: '1979-07-01'\nshort_titles: [刑法]\n---\n"
)
AMENDMENT_12_FRONT = (
    "---\nslug: amendment-12\ntype: amendment\ntitle: 中华人民共和国刑法修正案（十二）\ndate: '2023-12-29'\n---\n"
)


@pytest.fixture(scope="session")
def criminal_project(tmp_path_factory) -> Path:
    """刑法 2020, then 修正案（十二） and the 2023 text, committed in git and built (the 2023
    text takes effect when its amendment does: 2024-03-01); read only by its tests."""
    laws = SHARED / "corpus" / "laws"
    root = tmp_path_factory.mktemp("criminal-law")
    documents = root / "sources" / "documents"
    documents.mkdir(parents=True)
    law = documents / "criminal-law.txt"
    law.write_text(CRIMINAL_FRONT + (laws / "criminal-law-2020.txt").read_text("utf-8"), "utf-8")
    run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "刑法（2020年修正）", date="2021-01-04T12:00:00")
    law.write_text(CRIMINAL_FRONT + (laws / "criminal-law-2023.txt").read_text("utf-8"), "utf-8")
    amendment = AMENDMENT_12_FRONT + (laws / "criminal-law-amendment-12-2023.txt").read_text("utf-8")
    (documents / "amendment-12.txt").write_text(amendment, "utf-8")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "-m", "根据刑法修正案（十二）修改", date="2024-01-02T12:00:00")
    done = run_fadian("build", "--root", str(root), "--no-editions", "--no-search")
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return root
