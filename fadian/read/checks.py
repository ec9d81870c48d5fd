"""Checks after parsing: numbering runs (duplicates are errors; gaps, other starts and disorder
are warnings), and that no line which looks like an article or chapter heading was silently read
as text."""

from __future__ import annotations

from fadian.model import DocumentTree, Node
from fadian.read.lines import Line, LineReader
from fadian.read.patterns import (
    CHAPTER_LINE_RE,
    DIVISION_SCOPE,
)


def check_heading_lines(
    p: LineReader,
    lines: list[Line],
    used: dict[int, str],
    tree: DocumentTree,
    article_lines: list[Line],
    division_lines: list[Line],
) -> int:
    """Never silently wrong: lines that look like article or chapter headings but were read as
    text are reported, with the count read and the count of such lines. Returns the number of
    articles read."""
    counts = {"article": 0, "chapter": 0}
    for kind in used.values():
        if kind in counts:
            counts[kind] += 1
    in_toc = {item.line for item in tree.toc.items} if tree.toc is not None else set()
    chapter_lines = [
        ln for ln in division_lines if CHAPTER_LINE_RE.match(ln.text) and ln.number not in in_toc
    ]
    for kind, label, looks in (("article", "第X条", article_lines), ("chapter", "第X章", chapter_lines)):
        unused = [ln for ln in looks if used.get(ln.number) != kind]
        read = counts[kind]
        if not unused and read == len(looks):
            continue
        listed = {ln.number for ln in looks}
        recovered = sorted(n for n, k in used.items() if k == kind and n not in listed)
        where = (
            unused[0]
            if unused
            else next((ln for ln in lines if recovered and ln.number == recovered[0]), None)
        )
        p.report(
            "F314",
            f"{read} {kind}s read, but {len(looks)} lines start with {label}"
            + (f"; {len(unused)} of them read as text, the first here" if unused else ""),
            where.number if where else (lines[0].number if lines else 1),
            where.col if where else 1,
        )
    return counts["article"]


# -- numbering checks ---------------------------------------------------------------
def _check_sequence(p: LineReader, nodes: list[Node], what: str) -> None:
    """Numbers must run 1, 2, 3 … (之一 after its base); report duplicates, gaps, disorder."""
    seen: dict[tuple[int, int], Node] = {}
    prev: tuple[int, int] | None = None
    for node in nodes:
        if node.value is None:
            continue
        key = (node.value, node.sub)
        if key in seen:
            p.report(
                "F301", f"{what} {node.num} appears twice (first on line {seen[key].line})", node.line, 1
            )
        elif prev is not None and key < prev:
            p.report("F303", f"{what} {node.num} comes after a higher number", node.line, 1)
        elif prev is None and node.value != 1 and node.sub == 0 and what != "article":
            p.report("F302", f"{what} numbering starts at {node.num}", node.line, 1)
        elif prev is not None and node.sub == 0 and node.value > prev[0] + 1:
            p.report(
                "F302", f"{what} numbering jumps from {prev[0]} to {node.value} at {node.num}", node.line, 1
            )
        elif prev is not None and node.sub > 0 and (node.value != prev[0] or node.sub != prev[1] + 1):
            p.report(
                "F302" if node.value == prev[0] else "F303",
                f"{what} {node.num} does not follow the article it extends",
                node.line,
                1,
            )
        seen.setdefault(key, node)
        prev = key if prev is None or key > prev else prev


def _check_divisions(p: LineReader, tree: DocumentTree, excerpt: bool = False) -> None:
    """Legal divisions may run on through their scope or restart at 1 under a new parent; an
    excerpt's (a part of a work kept in several files) first ones start where it starts."""
    runs: dict[tuple[str, int | None], tuple[Node, int | None]] = {}

    def visit(nodes: list[Node], ancestors: list[Node]) -> None:
        for node in nodes:
            if node.kind in DIVISION_SCOPE and node.value is not None:
                scope_kind = DIVISION_SCOPE[node.kind]
                scope = next((id(a) for a in reversed(ancestors) if a.kind == scope_kind), None)
                parent = id(ancestors[-1]) if ancestors else None
                prev = runs.get((node.kind, scope))
                what = node.kind
                if prev is None or (prev[1] != parent and node.value == 1):
                    if node.value != 1 and not (excerpt and prev is None):
                        p.report("F302", f"{what} numbering starts at {node.num}", node.line, 1)
                elif node.value == prev[0].value:
                    p.report(
                        "F301",
                        f"{what} {node.num} appears twice (first on line {prev[0].line})",
                        node.line,
                        1,
                    )
                elif node.value < prev[0].value:
                    p.report("F303", f"{what} {node.num} comes after {prev[0].num}", node.line, 1)
                elif node.value > prev[0].value + 1:
                    p.report("F302", f"{what} numbering jumps from {prev[0].num} to {node.num}", node.line, 1)
                runs[(node.kind, scope)] = (node, parent)
            visit(node.children, [*ancestors, node])

    visit(tree.body, [])


def check_numbering(p: LineReader, tree: DocumentTree, first_article: int | None = None) -> None:
    skip = {"article", "paragraph", "hcontainer"}
    nodes = list(tree.nodes())
    if tree.mode == "legal":
        articles = [n for n in nodes if n.kind == "article"]
        if articles and articles[0].value != (first_article or 1):
            p.report(
                "F302",
                f"the first article is {articles[0].num}"
                + (f", not 第{first_article}条 as first_article says" if first_article else "")
                + "; eIds follow the printed numbers",
                articles[0].line,
                1,
            )
        _check_sequence(p, articles, "article")
        _check_divisions(p, tree, excerpt=first_article is not None)
        skip |= set(DIVISION_SCOPE)
    for children in (tree.body, *(n.children for n in nodes if n.children)):
        groups: dict[tuple[str, str | None], list[Node]] = {}
        for child in children:
            if child.kind in skip or child.value is None:
                continue
            groups.setdefault((child.kind, child.name), []).append(child)
        for (kind, _name), group in groups.items():
            if len(group) > 1 or group[0].value != 1:
                _check_sequence(p, group, kind)
    p.diagnostics.sort(key=lambda d: (d.location.line, d.location.col))
