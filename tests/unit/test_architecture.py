"""The layout keeps data flowing one way: no import loop of any kind (every import counts: at
the top, inside a function, under TYPE_CHECKING), between modules or between packages; no
module reaches into another's private names; renderers never import the build; no module so
long that a newcomer cannot read it whole."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "fadian"
MAX_LINES = 600  # modules follow seams; a cap only against the unreadable


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path) -> list[tuple[str, str]]:
    """Every (module, name) a module imports from fadian, wherever the import statement is."""
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("fadian"):
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                out.append((submodule, "") if submodule in MODULES else (node.module, alias.name))
        elif isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names if a.name.startswith("fadian")]
    return out


def graph() -> dict[str, set[str]]:
    """Module → the fadian modules it imports (a package's __init__ is not an edge of its own
    modules: ``fadian.render.html`` importing ``fadian.render`` is not a loop)."""
    return {
        name: {m for m, _ in imports(path) if m in MODULES and m != name and not name.startswith(m + ".")}
        for name, path in MODULES.items()
    }


def package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 or MODULES[module].name == "__init__.py" else module


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_modules():
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_import_cycle_between_packages():
    edges: dict[str, set[str]] = {}
    for name, targets in graph().items():
        for target in targets:
            if package(name) != package(target):
                edges.setdefault(package(name), set()).add(package(target))
    cycle = find_cycle(edges)
    assert cycle is None, "package loop: " + " → ".join(cycle or [])


def test_no_module_imports_another_modules_private_names():
    private = [
        f"{name} imports {module}.{imported}"
        for name, path in MODULES.items()
        for module, imported in imports(path)
        if imported.startswith("_") and module != name
    ]
    assert private == []


def test_the_pipeline_flows_one_way():
    """Readers never import renderers, the AKN writer or the project; the AKN layer never
    imports the site or the project; renderers never import the project (their input is the
    published AKN and the manifest)."""
    rules = {
        ("fadian.read", "fadian.refs", "fadian.model", "fadian.amend"): (
            "fadian.render",
            "fadian.project",
            "fadian.akn",
            "fadian.history",
        ),
        ("fadian.akn",): ("fadian.render", "fadian.project", "fadian.amend", "fadian.history"),
        ("fadian.render",): ("fadian.project", "fadian.amend", "fadian.pipeline", "fadian.history"),
    }
    wrong = [
        f"{name} → {target}"
        for name, targets in graph().items()
        for sources, forbidden in rules.items()
        if name.startswith(sources)
        for target in targets
        if target.startswith(forbidden)
    ]
    assert wrong == []


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
    built = re.compile(r"""f["'][^"'\n]*<[a-zA-Z/]|\+\s*["']<[a-zA-Z/]""")
    found = {
        module_name(p): [
            n for n, line in enumerate(p.read_text("utf-8").splitlines(), 1) if built.search(line)
        ]
        for p in (PACKAGE / "render").rglob("*.py")
    }
    assert {m: lines for m, lines in found.items() if lines} == {}


def test_the_checks_see_what_they_forbid():
    """The rules above would catch the faults they name: a hidden loop, a private import."""
    hidden = ast.parse("def f():\n    from fadian.project.build import Project\n")
    assert any(isinstance(n, ast.ImportFrom) and n.module == "fadian.project.build" for n in ast.walk(hidden))
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_readers_and_writers_of_one_document_touch_no_files():
    """read/, refs/, amend/ and akn/ are pure: text in, values (or XML) out; files are read and
    written only by project/, history/git and the command line."""
    io = re.compile(
        r"\bopen\(|\.(?:write_text|write_bytes|read_text|read_bytes|mkdir|unlink)\(|\bos\.|shutil"
    )
    pure = [PACKAGE / d for d in ("read", "refs", "amend", "akn")] + [
        PACKAGE / f for f in ("model.py", "eids.py", "uri.py", "diagnostics.py")
    ]
    found = [
        f"{module_name(p)}:{n}"
        for root in pure
        for p in ([root] if root.suffix else sorted(root.rglob("*.py")))
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if io.search(line)
    ]
    assert found == []


def function_lengths(path: Path) -> dict[str, int]:
    tree = ast.parse(path.read_text("utf-8"))
    return {
        n.name: n.end_lineno - n.lineno + 1
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef) and n.end_lineno is not None
    }


MAX_FUNCTION_LINES = 60


def test_every_function_reads_whole():
    """No function of the package is longer than a screen: a long one is split where its steps
    are (the build's stages, the site's model and its rebuild plan, the legal reader's kinds of
    line); the check stage and turning front matter into metadata are shorter still."""
    long = {
        f"{name}.{func}": n
        for name, path in MODULES.items()
        for func, n in function_lengths(path).items()
        if n > MAX_FUNCTION_LINES
    }
    assert long == {}
    check = function_lengths(PACKAGE / "project" / "check.py")
    assert {name: n for name, n in check.items() if n > 50} == {}
    assert function_lengths(PACKAGE / "akn" / "meta.py")["meta_from_front_matter"] <= 40


EID_SPELLING = re.compile(
    r"(?:^|[^A-Za-z])(?:art|chp|sec|subsec|para|point|mod|hcontainer|book|part|qstr|qtxt|preamble)_(?:\d|$)"
    r"|^__$|__(?:para|point|mod|sec|p|qstr|qtxt)\b"
)


def eid_spellings(path: Path) -> list[str]:
    """The string literals of a module (f-strings' literal parts too, docstrings not) that spell
    or cut an eId: ``"art_"``, ``"__para_"``, ``"__"``."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        f"{module_name(path)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
        if EID_SPELLING.search(node.value)
    ]


def test_no_eid_is_spelled_outside_eids():
    """An eId is made, printed, parsed and cut in fadian/eids.py alone (the Eid value and its
    string helpers): a second spelling elsewhere would drift from it."""
    found = [s for name, path in MODULES.items() if name != "fadian.eids" for s in eid_spellings(path)]
    assert found == []
    assert eid_spellings(PACKAGE / "eids.py")  # the check sees a spelling where there is one
