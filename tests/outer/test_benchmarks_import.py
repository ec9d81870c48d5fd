"""Benchmarks are not run by the suite (they print figures), but they must stay importable after
any refactoring: a benchmark that fails on import measures nothing."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REPO

SCRIPTS = sorted([*REPO.glob("benchmarks/*.py"), REPO / "scripts" / "build_digest.py"])


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_benchmark_imports(path):
    name = f"_bench_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    assert callable(getattr(module, "main", None))
