"""An editor's collection as a project, and what it costs: the folders given are imported with
`fadian import` into a new project (`fadian init`), committed to git, then built.

Run: .venv/bin/python benchmarks/bench_collection.py FOLDER… [--keep DIR] [--scheduler tcp://…]
     .venv/bin/python benchmarks/bench_collection.py --cycled 3000   (bench_scale's cycled corpus)
     … --dask   also: the cold build on the process pool against a Dask LocalCluster of 2
                worker processes (1 thread each), seconds of each and whether the bytes are equal
Prints: texts imported (and refused), cold build, no-op rebuild, one-edit rebuild (seconds), the
next three edits (an editor's steady state: from the third build on an old generation is reused),
seconds per stage of the cold build (parse, compile, pages, site, search…, from FADIAN_TIMINGS),
peak RSS (MB, the build and its workers), site MB (document pages, w/ permalink pages, search
index), how many documents a --keep-going build withheld, and the machine's speed before and
after (a fixed loop's seconds: 0.12–0.13 s when this VM ran at full speed, 0.4–0.5 s when it
was rationed). Editions are off, as in bench_scale (they have their own benchmark).
"""

from __future__ import annotations

import argparse
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import _git, make_project  # noqa: E402  (a benchmark beside this one)
from realistic_corpus import make_realistic_collection  # noqa: E402

TIMING = re.compile(r"^fadian timing: (\S+) ([0-9.]+)s")


def fadian(*args: str, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    import os

    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "fadian", *args], capture_output=True, env={**os.environ, **(env or {})}
    )
    return time.perf_counter() - start, proc


def make_collection_project(root: Path, folders: list[Path]) -> tuple[int, int]:
    """A new project with every text of ``folders`` imported and committed: (imported, refused)."""
    _seconds, proc = fadian("init", str(root))
    if proc.returncode != 0:
        sys.exit(proc.stderr.decode())
    _seconds, proc = fadian("import", "--root", str(root), *map(str, folders))
    err = proc.stderr.decode()
    summary = re.search(r"import: (\d+) written, (\d+) unchanged, (\d+) refused", err)
    if summary is None:
        sys.exit(err[-2000:])
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "import", "--date", "2024-01-01T00:00:00")
    return int(summary.group(1)), int(summary.group(3))


def size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6 if path.exists() else 0.0


def measure(root: Path, scheduler: str | None) -> None:
    build = ["build", "--root", str(root), "--no-editions", "--keep-going"]
    if scheduler:
        build += ["--scheduler", scheduler]
    cold, proc = fadian(*build, env={"FADIAN_TIMINGS": "1"})
    err = proc.stderr.decode()
    if proc.returncode not in (0, 1) or "build failed" in err:
        sys.exit(err[-3000:])
    stages = [(m.group(1), float(m.group(2))) for line in err.splitlines() if (m := TIMING.match(line))]
    withheld = re.search(r"withheld (\d+) document", err)
    noop, _ = fadian(*build)
    docs = sorted((root / "sources" / "documents").glob("*.txt"))
    edited = docs[len(docs) // 2]
    edited.write_text(edited.read_text("utf-8") + "\n本条为测试而增加的一段文字。\n", "utf-8")
    edit, _ = fadian(*build)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e3
    more = []  # an editor's next edits: from the third on, an old generation is there to reuse
    for k in (1, 2, 3):
        other = docs[(len(docs) // 2 + 97 * k) % len(docs)]
        other.write_text(other.read_text("utf-8") + "\n本条为测试而增加的一段文字。\n", "utf-8")
        more.append(fadian(*build)[0])
    site = (root / "site").resolve()
    print(f"cold build        {cold:8.1f} s")
    print(f"no-op rebuild     {noop:8.2f} s")
    print(f"one edit          {edit:8.1f} s")
    print("next three edits  " + " / ".join(f"{t:.1f}" for t in more) + " s")
    print("cold build stages " + ", ".join(f"{name} {s:.1f}" for name, s in stages if s >= 0.05))
    print(f"peak RSS          {rss:8.0f} MB")
    print(
        f"site              {size_mb(site):8.1f} MB (document pages {size_mb(site / 'documents'):.1f}, "
        f"w/ {size_mb(site / 'w'):.1f}, search {size_mb(site / 'pagefind'):.1f}, "
        f"history {size_mb(site / 'history'):.1f})"
    )
    print(f"withheld          {int(withheld.group(1)) if withheld else 0:8d} document(s) with errors")


def site_files(root: Path) -> dict[str, tuple[int, str]]:
    """Every file of the published site: (inode, sha256) by path (a file rewritten, even with the
    same bytes, has a new inode: a deploy by inode or time copies it again)."""
    import hashlib
    import os

    site = (root / "site").resolve()
    out = {}
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            path = Path(dirpath) / name
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            out[str(path.relative_to(site))] = (os.lstat(path).st_ino, digest)
    return out


def newest_commit(root: Path) -> str:
    out = subprocess.run(["git", "log", "-1", "--format=%cI"], cwd=root, capture_output=True, text=True)
    return out.stdout.strip()[:10]


def most_cited(root: Path) -> Path:
    """The source of the text the most citations point at (build/reports/backlinks.json)."""
    import json

    backlinks = json.loads((root / "build" / "reports" / "backlinks.json").read_text("utf-8"))
    counts = {slug: sum(map(len, eids.values())) for slug, eids in backlinks.items()}
    slug = max(sorted(counts), key=counts.get)
    return root / "sources" / "documents" / f"{slug}.txt"


def measure_commit(root: Path, law: Path, days: int, label: str) -> None:
    """One sentence of ``law`` edited and committed ``days`` after the newest commit, then built:
    seconds, site files rewritten (new inode or new bytes) and with new bytes, search shards
    indexed again, documents whose pages were rendered."""
    import datetime as dt
    import os

    before = site_files(root)
    text = law.read_text("utf-8")
    k = text.index("。", text.index("第一条"))
    law.write_text(text[:k] + f"，并在{label}作此修改" + text[k:], "utf-8")
    day = dt.date.fromisoformat(newest_commit(root)) + dt.timedelta(days=days)
    when = f"{day.isoformat()}T12:00:00"
    env = {**os.environ, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when}
    subprocess.run(["git", "commit", "-qam", label], cwd=root, env=env, check=True)
    build = ["build", "--root", str(root), "--no-editions", "--keep-going"]
    seconds, proc = fadian(*build, env={"FADIAN_TIMINGS": "1"})
    err = proc.stderr.decode()
    after = site_files(root)
    rewritten = [p for p, v in after.items() if before.get(p) != v]
    new_bytes = [p for p, v in after.items() if p not in before or before[p][1] != v[1]]
    shards = len(re.findall(r"fadian timing: pagefind-started", err))
    rendered = sum(int(n) for n in re.findall(r"pages-of (\d+) documents rendered", err))
    print(
        f"{label:<18}{seconds:8.2f} s, {len(rewritten)} site files rewritten ({len(new_bytes)} with new"
        f" bytes), {shards} search shard(s) indexed, {rendered} documents' pages rendered"
    )


def published(root: Path) -> dict[str, str]:
    """sha256 of every file a build publishes (build/ and site/, caches left out), by path."""
    import hashlib
    import os

    out = {}
    for folder in ("build", "site"):
        for dirpath, dirs, files in os.walk(root / folder, followlinks=True):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            for name in files:
                path = Path(dirpath) / name
                if not name.startswith(".") and path.is_file():
                    out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def compare_dask(root: Path) -> None:
    """A cold build on the local process pool, then one on a Dask LocalCluster with 2 workers."""
    import shutil

    from distributed import LocalCluster

    build = ["build", "--root", str(root), "--no-editions", "--keep-going"]

    def cold(*extra: str) -> tuple[float, dict[str, str]]:
        shutil.rmtree(root / "build", ignore_errors=True)
        (root / "site").unlink(missing_ok=True)
        seconds, proc = fadian(*build, *extra)
        if proc.returncode not in (0, 1):
            sys.exit(proc.stderr.decode()[-3000:])
        return seconds, published(root)

    pool_s, pool_bytes = cold()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask_s, dask_bytes = cold("--scheduler", cluster.scheduler_address)
    same = "identical" if dask_bytes == pool_bytes else f"DIFFERENT ({len(pool_bytes)} files)"
    print(f"cold, process pool {pool_s:7.1f} s")
    print(f"cold, Dask 2 workers {dask_s:5.1f} s   published files {same}")


def machine_speed() -> float:
    """Seconds a fixed pure-Python loop takes on one core now: this VM's speed varies by 3× within
    an afternoon (its processor time is rationed), so figures are read against it."""
    start = time.perf_counter()
    total = 0
    for k in range(5_000_000):
        total += k
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument(
        "--cycled", type=int, default=0, help="bench_scale's corpus of N cycled texts instead"
    )
    parser.add_argument(
        "--realistic",
        type=int,
        default=-1,
        metavar="COPIES",
        help="the realistic corpus (realistic_corpus.py) with COPIES retitled copies of the sample",
    )
    parser.add_argument("--keep", type=Path, default=None, help="build the project here and keep it")
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler address")
    parser.add_argument("--dask", action="store_true", help="compare with a Dask LocalCluster")
    args = parser.parse_args()
    if not args.folders and not args.cycled and args.realistic < 0:
        parser.error("give folders of texts, --cycled N or --realistic COPIES")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp) / "collection"
        start = time.perf_counter()
        if args.cycled:
            make_project(root, args.cycled)
            print(f"project           {args.cycled} cycled national-sample texts")
        elif args.realistic >= 0:
            files = make_realistic_collection(Path(tmp) / "incoming", args.realistic)
            imported, refused = make_collection_project(root, [Path(tmp) / "incoming"])
            copies = f"{args.realistic} copies of the sample"
            print(f"realistic corpus  {files} files ({copies}), {imported} imported, {refused} refused")
        else:
            imported, refused = make_collection_project(root, args.folders)
            took = time.perf_counter() - start
            print(f"imported          {imported} text(s), {refused} refused, {took:.1f} s")
        before = machine_speed()
        measure(root, args.scheduler)
        law = most_cited(root)
        print(f"edited text       {law.name} (the text most citations point at)")
        measure_commit(root, law, 1, "next-day commit")
        measure_commit(root, law, 700, "23 months later")
        measure_commit(root, law, 1, "next-day again")
        after = machine_speed()
        print(f"machine           {before:8.2f} s / {after:.2f} s (a reference loop, before / after)")
        if args.dask:
            compare_dask(root)


if __name__ == "__main__":
    main()
