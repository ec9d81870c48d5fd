"""The layout keeps data flowing one way: no import cycle between fadian's modules, and no
module so long that a newcomer cannot read it whole."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "fadian"
MAX_LINES = 400  # issue 11: no module over ~400 lines


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def top_level_imports(path: Path) -> set[str]:
    """fadian modules imported at module level (function-level and TYPE_CHECKING imports are
    deliberate late bindings and do not make cycles at import time)."""
    tree = ast.parse(path.read_text("utf-8"))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fadian"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("fadian"))
    return out


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {m for m in top_level_imports(path) if m in modules and m != name}
        for name, path in modules.items()
    }


def test_no_import_cycle():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " → ".join([*stack[stack.index(nxt) :], nxt]))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_the_pipeline_flows_one_way():
    """Readers never import renderers or the project; the AKN layer never imports the site."""
    edges = graph()
    for name, imports in edges.items():
        if name.startswith(("fadian.read", "fadian.refs", "fadian.model")):
            assert not {
                m for m in imports if m.startswith(("fadian.render", "fadian.project", "fadian.akn"))
            }, name
        if name.startswith("fadian.akn"):
            assert not {m for m in imports if m.startswith(("fadian.render", "fadian.project"))}, name


def test_no_module_is_too_long():
    long = {
        module_name(p): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_html_is_built_by_hand_in_the_renderers():
    """HTML comes from the autoescaped templates (render/templates), never from f-strings or
    concatenation in render/: a text from a source cannot become markup by mistake."""
    import re

    built = re.compile(r"""f["'][^"'\n]*<[a-zA-Z/]|\+\s*["']<[a-zA-Z/]""")
    found = {
        module_name(p): [
            n for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if built.search(line)
        ]
        for p in (PACKAGE / "render").rglob("*.py")
    }
    assert {m: lines for m, lines in found.items() if lines} == {}
