"""Issue 23: `pip install` of fadian's wheel (scripts/build_wheel.sh) into a fresh virtual
environment, with no checkout beside it, gives a fadian that builds a site whose search finds a
query in a real browser — nothing else to set up — and installs quietly."""

from __future__ import annotations

import subprocess
import sys

from conftest import CORPUS, REPO, serve_dir


def test_wheel_in_a_fresh_venv_builds_a_site_whose_search_works(tmp_path, browser):
    dist = tmp_path / "dist"
    built = subprocess.run(
        ["bash", str(REPO / "scripts" / "build_wheel.sh"), str(dist)], capture_output=True, timeout=600
    )
    assert built.returncode == 0, built.stderr.decode()[-2000:]
    (wheel,) = dist.glob("fadian-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--disable-pip-version-check", str(wheel)],
        capture_output=True,
        timeout=900,
    )
    out = (install.stdout + install.stderr).decode()
    assert install.returncode == 0, out[-2000:]
    assert "SetuptoolsDeprecationWarning" not in out and "license" not in out.lower()  # a quiet install
    work = tmp_path / "elsewhere"  # no checkout beside it: nothing of the repository is used
    work.mkdir()
    fadian = str(venv / "bin" / "fadian")
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([fadian, *args], cwd=work, capture_output=True, env=env, timeout=600)

    assert run("init", "p").returncode == 0
    assert run("import", "--root", "p", str(CORPUS / "criminal-law-2023.txt")).returncode == 0
    proc = run("build", "--root", "p", "--no-editions")
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    with serve_dir(work / "p" / "site") as url:
        page = browser.new_page()
        page.goto(url + "search/?q=侮辱国歌")
        page.wait_for_selector(".fadian-result-link")
        first = page.locator(".fadian-result-link").first.get_attribute("href")
        page.close()
    assert first is not None and "/documents/xing-fa/" in first
