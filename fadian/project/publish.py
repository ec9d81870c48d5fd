"""Publishing a build atomically: readers see the old tree or the new one, never a mix.

Every build writes a complete *generation* (``build/.generations/<id>/``: akn, history,
editions, reports, manifest.json and site) and then switches one symlink,
``build/.current``, with ``os.replace`` — a single atomic rename. The published names are fixed
symlinks through it: ``build/akn → .current/akn`` … and ``site → build/.current/site``, so the
one switch moves build/ and site/ together. A build killed at any instant leaves ``.current``
at the old generation or the new one; its half-written generation is removed by the next
build. A lock file (``build/.lock``, ``flock``) serializes builds of one checkout; the lock dies
with its process, so a killed build never blocks the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PUBLISHED = ("akn", "history", "editions", "reports", "manifest.json")
GENERATIONS = ".generations"
CURRENT = ".current"
KILL_ENV = "FADIAN_KILL_AT"  # fault injection for the tests: a checkpoint name → SIGKILL there


def die_with_parent() -> None:
    """Worker initializer: the kernel kills this process when its parent dies (Linux
    PR_SET_PDEATHSIG), so a killed build leaves no pandoc/typst worker running."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # not Linux: workers end when their pipe closes
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def start_worker() -> None:
    """A forked pool worker's initializer: it dies with the build, and collects its garbage
    (the build's own process may run without the cyclic collector: `fadian build`)."""
    die_with_parent()
    gc.enable()


@dataclass
class LinkedCopy:
    """A published generation's folders being linked into build/ by a helper process while the
    build does other work (its site: project/site_stage; its AKN and history: outputs). A build
    takes it only when it is whole and of the generation the build then finds published."""

    generation: Path  # the published generation it copies (resolved)
    target: Path
    proc: subprocess.Popen

    def whole_copy_of(self, generation: Path | None) -> bool:
        return generation is not None and self.generation == generation.resolve() and self.proc.wait() == 0


def start_copy(generation: Path, target: Path, command: list[str], env: dict | None = None) -> LinkedCopy:
    """``command`` started as the helper making ``target`` a copy of ``generation``'s folders;
    killed with the build: a killed build leaves nothing writing."""
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent, env=env
    )
    return LinkedCopy(generation.resolve(), target, proc)


def start_linking(generation: Path, entries: list[Path], target: Path) -> LinkedCopy | None:
    """``entries`` (of ``generation``) linked into a new folder ``target`` by GNU ``cp -al`` in a
    helper process; None where there is no such cp, or ``target`` cannot be made."""
    if not sys.platform.startswith("linux") or not shutil.which("cp"):
        return None
    shutil.rmtree(target, ignore_errors=True)
    try:
        target.mkdir()
        return start_copy(generation, target, ["cp", "-al", "--", *map(str, entries), str(target)])
    except OSError:
        return None


def discard_copy(copy: LinkedCopy | None) -> None:
    """Stop a copy the build did not take and move what it made to the trash (the next build
    deletes it on the other core, as it does old generations)."""
    if copy is None:
        return
    if copy.proc.poll() is None:
        copy.proc.kill()
    copy.proc.wait()
    if copy.target.exists():
        try:
            copy.target.rename(copy.target.with_name(f"{TRASH}{copy.target.name.lstrip('.')}"))
        except OSError:
            shutil.rmtree(copy.target, ignore_errors=True)


SPARE = ".spare-"  # in build/: a linked copy of the published generation being made (pid)


def start_spare(build: Path, gen: Path, names: tuple[str, ...]) -> LinkedCopy | None:
    """After a build that found no older generation to bring up to date (the first of a
    project), start linking ``names`` of the one it published into build/ (call with the lock
    held): `keep_spare` leaves it in the trash, where the next build takes it as an old
    generation. Without it the first edit would link every file of the site while it worked,
    on the core Pagefind then shares. None when there is an older one or no ``cp``."""
    try:
        others = [g for g in (build / GENERATIONS).iterdir() if g.resolve() != gen.resolve()]
    except OSError:
        return None
    if others or any(build.glob(f"{TRASH}*")):
        return None
    entries = [gen / n for n in names if (gen / n).exists()]
    return start_linking(gen, entries, build / f"{SPARE}{os.getpid()}")


def keep_spare(copy: LinkedCopy | None, marks: tuple[str, ...]) -> None:
    """Wait for `start_spare`'s copy; whole, it is marked as its generation is (``marks``:
    files linked last, a copy cut short has none) and moved into the trash; else discarded."""
    if copy is None:
        return
    if copy.proc.wait() != 0:
        discard_copy(copy)
        return
    try:
        for mark in marks:
            if (copy.generation / mark).exists():
                os.link(copy.generation / mark, copy.target / mark)
        copy.target.rename(copy.target.with_name(f"{TRASH}{copy.generation.name}-spare"))
    except OSError:
        shutil.rmtree(copy.target, ignore_errors=True)


_LAST_CHECKPOINT = [time.perf_counter()]


def checkpoint(name: str) -> None:
    """A point of the build where a test may kill it (FADIAN_KILL_AT=name); with
    FADIAN_TIMINGS=1, the seconds since the previous point are printed (benchmarks)."""
    if os.environ.get("FADIAN_TIMINGS"):
        now = time.perf_counter()
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        seconds = now - _LAST_CHECKPOINT[0]
        at = f"{_since_start():.2f}s"
        print(f"fadian timing: {name} {seconds:.2f}s (peak {peak} MB, at {at})", file=sys.stderr, flush=True)
        _LAST_CHECKPOINT[0] = now
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def timing_mark(name: str) -> None:
    """With FADIAN_TIMINGS=1, when (since the process started) something began or ended that is
    not a point of the build's own thread (Pagefind's run, a copy made beside it)."""
    if os.environ.get("FADIAN_TIMINGS"):
        print(f"fadian timing: {name} at {_since_start():.2f}s", file=sys.stderr, flush=True)


def _since_start() -> float:
    """Seconds since this process started (its start in /proc, against the boot clock)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return time.clock_gettime(time.CLOCK_BOOTTIME) - started
    except (OSError, ValueError, IndexError, AttributeError):
        return float("nan")


@contextlib.contextmanager
def build_lock(build: Path) -> Iterator[None]:
    """Hold ``build/.lock`` for the duration; say so when another build holds it, then wait."""
    build.mkdir(parents=True, exist_ok=True)
    fd = os.open(build / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            print(
                f"fadian: waiting for another build of this project (pid {holder}) to finish", file=sys.stderr
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        checkpoint("locked")
        yield
    finally:
        os.close(fd)  # closing releases the lock


def new_generation(build: Path) -> Path:
    """A fresh, empty generation folder (call with the lock held)."""
    root = build / GENERATIONS
    root.mkdir(parents=True, exist_ok=True)
    gen = root / f"{time.time_ns():020d}-{os.getpid()}"
    gen.mkdir()
    return gen


def current_generation(build: Path) -> Path | None:
    link = build / CURRENT
    if not link.is_symlink():
        return None
    target = (build / os.readlink(link)).resolve()
    return target if target.is_dir() else None


TRASH = ".trash-"  # in build/: generations on their way out


def clean_leftovers(project_root: Path, build: Path, keep: int = 2) -> None:
    """Remove what killed builds left (unpublished generations, old-layout staging folders) and
    move all but the newest ``keep`` published generations out of the way (call with the lock
    held): a generation leaves by one rename into build/.trash-*, which `removing_trash`
    deletes while the next build works. A build ends keeping two (the one it published and the
    previous one, whole until the next build starts) and starts keeping one (the previous one's
    folders are then brought up to date for the new generation)."""
    current = current_generation(build)
    root = build / GENERATIONS
    if root.is_dir():
        gens = sorted(p for p in root.iterdir() if p.is_dir())
        published = [g for g in gens if (g / ".published").exists()]
        keep_set = {g for g in published[-keep:]} | ({current} if current else set())
        for g in gens:
            if g.resolve() not in {k.resolve() for k in keep_set}:
                with contextlib.suppress(OSError):
                    g.rename(build / f"{TRASH}{g.name}")
    leftovers = (
        (".staging-*", build),
        (".old-*", build),
        (".site-staging-*", project_root),
        (".site-copy-*", build),
        (".outputs-copy-*", build),
        (f"{SPARE}*", build),
    )
    mine = {f".site-copy-{os.getpid()}", f".outputs-copy-{os.getpid()}", f"{SPARE}{os.getpid()}"}
    for pattern, base in leftovers:
        for leftover in base.glob(pattern):
            if leftover.name in mine:  # this build's own copies
                continue
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
    for tmp in build.glob(f"{CURRENT}.tmp-*"):
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def removing_trash(build: Path) -> Iterator[None]:
    """Delete the old generations in build/.trash-* alongside the work inside the block (a
    child process: thousands of unlinks on the other core), and wait for it at the end, so
    that nothing deletes inside build/ once a build has ended. Each loses its ``.published``
    mark first: a deletion cut short (a killed build) leaves nothing a build would reuse."""
    trash = [str(p) for p in sorted(build.glob(f"{TRASH}*"))]
    for path in trash:  # no longer a whole generation: a later build must not reuse what is left
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(path, ".published"))
    remover = None
    if trash and shutil.which("rm"):
        # dies with the build: a deletion that outlived a killed build could go on inside a
        # folder the next build took from the trash (an old site it brings up to date)
        remover = subprocess.Popen(
            ["rm", "-rf", "--", *trash], stdin=subprocess.DEVNULL, preexec_fn=die_with_parent
        )
    try:
        yield
    finally:
        if remover is not None:
            remover.wait()
        else:
            for path in trash:
                shutil.rmtree(path, ignore_errors=True)


def _ensure_link(path: Path, target: str) -> None:
    """``path`` becomes a symlink to ``target``; a real folder there (the layout before
    generations) is moved aside first. Only the first build of an old checkout does that."""
    if path.is_symlink():
        if os.readlink(path) == target:
            return
        path.unlink()
    elif path.is_dir():
        aside = path.with_name(f".old-{path.name}")
        shutil.rmtree(aside, ignore_errors=True)
        path.rename(aside)
        shutil.rmtree(aside, ignore_errors=True)
    elif path.exists():
        path.unlink()
    os.symlink(target, path)


def publish(project_root: Path, build: Path, gen: Path, with_site: bool) -> None:
    """Make ``gen`` the published generation in one atomic step."""
    for name in PUBLISHED:  # no dangling link: an output this build does not make is empty
        if not (gen / name).exists() and "." not in name:
            (gen / name).mkdir()
    (gen / ".published").write_text("", encoding="utf-8")
    checkpoint("marked")
    for name in PUBLISHED:
        _ensure_link(build / name, f"{CURRENT}/{name}")
    checkpoint("linked")
    if with_site:
        _ensure_link(project_root / "site", os.path.relpath(build / CURRENT / "site", project_root))
    checkpoint("site-linked")
    tmp = build / f"{CURRENT}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(os.path.relpath(gen, build), tmp)
    checkpoint("switching")
    os.replace(tmp, build / CURRENT)  # the one atomic step
    checkpoint("switched")


def carry_site(build: Path, gen: Path) -> None:
    """A build without a site of its own (the mkdocs plugin) keeps the published one."""
    current = current_generation(build)
    if current is not None and (current / "site").is_dir():
        shutil.copytree(current / "site", gen / "site", symlinks=True)


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a file that holds ``data`` (its size first: most files that differ
    differ in size, and are not read)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as existing:
            return existing.read() == data
    except OSError:
        return False
