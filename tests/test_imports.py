"""The package's imports point one way: no module of matchmaker imports, however indirectly, itself."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "matchmaker"


def module_name(path: Path) -> str:
    parts = ["matchmaker", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported(tree: ast.AST, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """The matchmaker modules one module imports, at the top or inside functions; an
    `if TYPE_CHECKING:` block runs for the type checker only and does not count."""
    found: set[str] = set()
    package = name if is_package else name.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            # `from . import x` imports module x when there is one, else a name of the package
            targets = [
                f"{origin}.{a.name}" if f"{origin}.{a.name}" in modules else origin for a in node.names
            ]
        for target in targets:
            if not target.startswith("matchmaker"):
                continue
            if target in modules and target != name:
                found.add(target)
            # importing a.b.c runs a and a.b first: they count too, unless the importer is inside
            # them (then they are already being imported)
            parts = target.split(".")
            for k in range(1, len(parts)):
                step = ".".join(parts[:k])
                if step in modules and step != name and not name.startswith(step + "."):
                    found.add(step)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {
        name: imported(ast.parse(path.read_text(encoding="utf-8")), name, path.name == "__init__.py", modules)
        for name, path in paths.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as the list of modules around it (first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def walk(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := walk(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := walk(start)):
            return cycle
    return None


def test_the_import_graph_is_found() -> None:
    graph = import_graph()
    assert "matchmaker.export.sheets" in graph
    assert "matchmaker.export.layout" in graph["matchmaker.decisions"]
    assert "matchmaker.pipeline" in graph["matchmaker.audit"]
    assert "matchmaker.i18n" in graph["matchmaker.i18n.wording"]  # `from . import ...`


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_the_cycle_finder_names_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_type_checking_imports_and_function_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .b import X\n"
        "def f():\n    from .c import Y\n"
        "from . import d\n"
    )
    modules = {"matchmaker", "matchmaker.a", "matchmaker.b", "matchmaker.c", "matchmaker.d"}
    # `from . import d` imports module d; the package itself is already being imported around `a`
    found = imported(ast.parse(source), "matchmaker.a", False, modules)
    assert found == {"matchmaker.c", "matchmaker.d"}
    # a name that is no module comes from the package's namespace, which then counts
    assert imported(ast.parse("from . import e\n"), "matchmaker.a", False, modules) == {"matchmaker"}


def test_lower_modules_do_not_import_the_writers() -> None:
    graph = import_graph()
    upper = {"matchmaker.audit", "matchmaker.pipeline", "matchmaker.export", "matchmaker.cli"}
    for low in ("matchmaker.files", "matchmaker.cells", "matchmaker.reviews", "matchmaker.i18n.wording"):
        assert not graph[low] & upper, f"{low} imports {graph[low] & upper}"


def test_the_command_line_holds_no_table_logic() -> None:
    """cli.py parses, calls the library and prints: no pandas, no decisions of its own."""
    tree = ast.parse((PACKAGE / "cli.py").read_text(encoding="utf-8"))
    names = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    names |= {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
    }
    assert not names & {"pandas", "numpy", "openpyxl"}
    relative = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
    }
    assert "decisions" not in relative, "the pipeline applies the committee's decisions, not the CLI"


def test_no_module_grows_past_a_thousand_lines() -> None:
    sizes = {module_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert not {m: n for m, n in sizes.items() if n > 1000}
