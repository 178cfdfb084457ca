"""The core stays independent of MkDocs, so it can move to another engine."""

import ast
from pathlib import Path

import publisher

PACKAGE = Path(publisher.__file__).parent
#: The only module allowed to import MkDocs (it runs it).
ADAPTERS = {"engine.py"}


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
