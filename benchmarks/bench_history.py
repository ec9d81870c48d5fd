"""History and diff speed.

Run: .venv/bin/python benchmarks/bench_history.py
- the criminal-law 2020→2023 diff (505 articles): target under 0.5 s;
- the history of a generated repository with 200 commits across 20 documents
  (every version parsed, aligned and written as AKN): target under 10 s.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import git

from fadian.history.align import diff_trees
from fadian.history.versions import project_history
from fadian.pipeline import compile_standalone

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "laws"


def criminal_diff() -> None:
    old = compile_standalone("old", (CORPUS / "criminal-law-2020.txt").read_bytes(), "criminal-law").tree
    new = compile_standalone("new", (CORPUS / "criminal-law-2023.txt").read_bytes(), "criminal-law").tree
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = diff_trees(old, new)
        times.append(time.perf_counter() - start)
    parse = time.perf_counter()
    compile_standalone("old", (CORPUS / "criminal-law-2020.txt").read_bytes(), "criminal-law")
    compile_standalone("new", (CORPUS / "criminal-law-2023.txt").read_bytes(), "criminal-law")
    parse = time.perf_counter() - parse
    median = statistics.median(times)
    print(
        f"criminal-law 2020→2023 diff: {median:.3f} s median of 5 ({result.counts()}); "
        f"with both conversions {median + parse:.3f} s; target <0.5 s: "
        f"{'ok' if median + parse < 0.5 else 'MISSED'}"
    )


def generated_history() -> None:
    laws = sorted(CORPUS.glob("*.txt"))[:20]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sources" / "documents").mkdir(parents=True)
        repo = git.Repo.init(root)
        with repo.config_writer() as cw:
            cw.set_value("user", "name", "bench")
            cw.set_value("user", "email", "bench@example.org")
        texts = {}
        for k in range(20):
            law = laws[k % len(laws)]
            texts[k] = law.read_text("utf-8")
        commits = 0
        for round_ in range(10):
            for k in range(20):
                text = texts[k]
                # each round edits one paragraph: a real, small amendment
                lines = text.split("\n")
                candidates = [i for i, line in enumerate(lines) if line.strip() and i > 0]
                j = candidates[(round_ * 7 + k * 3) % len(candidates)]
                lines[j] = lines[j] + "（修改）"
                texts[k] = "\n".join(lines)
                title = lines[0]
                front = f"---\nslug: doc-{k}\ntype: act\ntitle: {title}\ndate: '2000-01-01'\n---\n"
                rel = f"sources/documents/doc-{k}.txt"
                (root / rel).write_text(front + texts[k], "utf-8")
                repo.index.add([rel])
                stamp = f"2024-01-{1 + round_:02d}T{k:02d}:00:00"
                repo.index.commit(f"round {round_} doc {k}", author_date=stamp, commit_date=stamp)
                commits += 1
        start = time.perf_counter()
        versions = 0
        for k in range(20):
            rel = f"sources/documents/doc-{k}.txt"
            history, _ = project_history(root / rel, rel, None)
            for doc in history.documents:
                doc.xml_bytes()
            versions += len(history.versions)
        seconds = time.perf_counter() - start
        print(
            f"history of {commits} commits across 20 documents ({versions} versions): {seconds:.2f} s; "
            f"target <10 s: {'ok' if seconds < 10 else 'MISSED'}"
        )


def main() -> None:
    criminal_diff()
    generated_history()


if __name__ == "__main__":
    main()
