"""The core stays independent of MkDocs, so it can move to another engine."""

import ast
from pathlib import Path

import publisher

PACKAGE = Path(publisher.__file__).parent
#: The only modules allowed to import MkDocs: the one that runs it, and the hooks it calls.
ADAPTERS = {"engine.py", "hooks.py"}


def test_the_core_imports_nothing_from_mkdocs():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ADAPTERS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] in ("mkdocs", "material")]
    assert offenders == []


def _module_name(path: Path) -> str:
    parts = ("publisher", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports_between_modules() -> dict[str, set[str]]:
    """Each module of the package -> the package's modules it imports anywhere: at the top,
    inside a function, or under `if TYPE_CHECKING:` (a cycle hidden there is still one: a
    reader must know both modules to understand either). `from . import x`, where `x` is a
    module, imports `x`, not the package."""
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "vendor" not in p.relative_to(PACKAGE).parts}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in paths and t != name)
    return graph


def _a_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of imports (its modules in order, the first repeated at the end), or []."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str]:
        if module in path:
            return path[path.index(module):] + [module]
        if module in done:
            return []
        path.append(module)
        for imported in sorted(graph[module]):
            if cycle := visit(imported):
                return cycle
        path.pop()
        done.add(module)
        return []

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return []


def test_the_package_s_imports_run_one_way():
    """Content, then derivation, then the site, then the checks on the built site: a module
    may use those before it, never one that uses it, so each can be read (and changed)
    knowing only what comes before it."""
    graph = _imports_between_modules()
    assert "publisher.content" in graph and graph["publisher.site"]  # the graph was really built
    cycle = _a_cycle(graph)
    assert cycle == [], "modules that import each other: " + " -> ".join(cycle)
