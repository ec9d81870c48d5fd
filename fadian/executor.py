"""Where per-document work runs: in this process for a small project, a local process pool for a
large one, or a Dask distributed cluster when the build is given a scheduler address.

Every choice is a `concurrent.futures.Executor` (Dask's through `Client.get_executor()`), and
the tasks are pure functions of picklable inputs that return their outputs instead of writing
them, so a worker on another machine needs no access to build/: the outputs are the same
bytes wherever they were made.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

LOCAL_POOL_MIN_TASKS = 64  # below this, starting workers costs more than it saves


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic collector paused for work that allocates many objects and makes no cycles
    that matter (compiling a document: it scanned them again and again, a third of the time of a
    5 MB text; a whole build's own process, `fadian build`), restored after it. Pool workers
    collect as usual (their initializer enables it)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class InlineExecutor(Executor):
    """Runs each task at once in this process (small projects, and the reference behaviour)."""

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future, as a pool does
            future.set_exception(exc)
        return future


@contextlib.contextmanager
def build_executor(tasks: int, scheduler: str | None = None) -> Iterator[Executor]:
    """The executor for ``tasks`` units of work: Dask at ``scheduler`` when given, else a local
    process pool (forked: workers start with fadian already imported) when it pays."""
    if scheduler:
        from distributed import Client

        with Client(scheduler, set_as_default=False) as client:
            yield client.get_executor()
        return
    workers = os.cpu_count() or 1
    if tasks < LOCAL_POOL_MIN_TASKS or workers < 2:
        yield InlineExecutor()
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=gc.enable) as pool:
        yield pool  # (a worker collects its garbage, whatever the build's own process does)


def scheduler_problem(scheduler: str, timeout: str = "10s") -> str | None:
    """Why the Dask scheduler at ``scheduler`` cannot be used, or None when it answers."""
    try:
        from distributed import Client

        with Client(scheduler, timeout=timeout, set_as_default=False):
            return None
    except (OSError, TimeoutError, ValueError) as exc:
        return f"cannot reach the Dask scheduler at {scheduler}: {exc}"


def chunked(items: list, parts: int) -> list[list]:
    """``items`` cut into at most ``parts`` runs of consecutive items, in order."""
    if not items:
        return []
    size = -(-len(items) // max(1, parts))
    return [items[k : k + size] for k in range(0, len(items), size)]


def run_chunks(executor: Executor, fn: Callable[[list], list], items: list, parts: int) -> Iterable:
    """``fn`` over consecutive chunks of ``items``; the results flattened, in order."""
    for result in executor.map(fn, chunked(items, parts)):
        yield from result
