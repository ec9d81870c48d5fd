"""The digest of everything a build publishes, for checking that a refactoring changed no byte.

Builds the seed twice in temporary folders — as a plain folder, and as a git repository with a
scripted history (the committed sources, then an article inserted, tagged) — and prints one
line per published file: ``<project>/<path> <sha256>``.

With ``--sample``, also builds the 300 texts of ../shared/corpus/national-sample as one project
in git (each with front matter made from its first line), editions off: a refactoring must leave
every published file of that project unchanged too.

Run: .venv/bin/python scripts/build_digest.py [--sample] > before.txt; (refactor); … > after.txt;
diff before.txt after.txt
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAW = "sources/documents/digital-economy-promotion-law-expert-draft.txt"


def project(root: Path) -> None:
    shutil.copytree(REPO / "sources", root / "sources")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    site_config = next(REPO.glob("fadian/**/mkdocs_site.yml")).relative_to(
        REPO
    )  # where mkdocs.yml inherits from
    (root / site_config).parent.mkdir(parents=True)
    shutil.copy(REPO / site_config, root / site_config)


def git(root: Path, *args: str, date: str = "2023-05-05T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


SAMPLE = REPO.parent / "shared" / "corpus" / "national-sample"


def sample_project(root: Path) -> None:
    """The national sample as a project in git: slug s-NNN, title from the first line."""
    docs = root / "sources" / "documents"
    docs.mkdir(parents=True)
    for path in sorted(SAMPLE.glob("*.txt")):
        text = path.read_text("utf-8")
        title = "".join(text.strip().split("\n", 1)[0].split())[:80] or path.stem
        front = f"---\nslug: s-{path.stem}\ntype: act\ntitle: {title!r}\ndate: '2000-01-01'\n---\n"
        (docs / f"s-{path.stem}.txt").write_text(front + text, "utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "-c", "user.name=E", "-c", "user.email=e@x", "add", "sources")
    git(root, "-c", "user.name=E", "-c", "user.email=e@x", "commit", "-qm", "import")


def build(root: Path, *extra: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fadian", "build", "--root", str(root), *extra],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
    )
    if proc.returncode != 0:
        sys.exit(proc.stderr.decode())


def digest(root: Path, name: str) -> list[str]:
    lines = []
    for folder in ("build", "site"):
        for dirpath, dirs, files in os.walk(root / folder, followlinks=True):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for f in sorted(files):
                path = Path(dirpath) / f
                if f.startswith(".") or not path.exists():
                    continue
                rel = path.relative_to(root).as_posix()
                lines.append(f"{name}/{rel} {hashlib.sha256(path.read_bytes()).hexdigest()}")
    return lines


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        project(plain)
        build(plain)
        history = Path(tmp) / "history"
        project(history)
        git(history, "init", "-q", "-b", "main")
        git(history, "-c", "user.name=E", "-c", "user.email=e@x", "add", "sources")  # only sources: hashes
        git(history, "-c", "user.name=E", "-c", "user.email=e@x", "commit", "-qm", "seed")
        law = history / LAW
        text = law.read_text("utf-8")
        law.write_text(
            text.replace("第十条【", "第九条之一【算力网络】国家推动算力网络建设。\n\n第十条【", 1), "utf-8"
        )
        git(
            history,
            "-c",
            "user.name=E",
            "-c",
            "user.email=e@x",
            "commit",
            "-qam",
            "插入第九条之一",
            date="2023-06-01T12:00:00",
        )
        git(history, "-c", "user.name=E", "-c", "user.email=e@x", "tag", "-a", "v2023-06", "-m", "edition")
        build(history)
        lines = digest(plain, "plain") + digest(history, "history")
        if "--sample" in sys.argv[1:]:
            sample = Path(tmp) / "sample"
            sample_project(sample)
            build(sample, "--no-editions")
            lines += digest(sample, "sample")
        for line in lines:
            print(line)


if __name__ == "__main__":
    main()
