"""The package's layout: stages that import one way (data → chapters → claims → build → cli), no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from deepseek_shock.paths import package_dir

PACKAGE = "deepseek_shock"
# Each stage may import only stages at or before it; the foundations are open to every stage.
STAGES = ("data", "chapters", "claims", "build", "cli")
FOUNDATIONS = ("errors", "paths")
# Modules of chapters/ that every chapter may use; a chapter's own folder is open to itself only.
CHAPTER_COMMONS = ("parameters", "charts", "record", "checks", "lazy", "tables", "market")


def module_name(path: Path, root: Path) -> str:
    """``deepseek_shock.chapters.market.prices`` for ``root/chapters/market/prices.py``."""
    parts = path.relative_to(root).with_suffix("").parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return ".".join((PACKAGE, *parts))


def imported_modules(path: Path, name: str, modules: set[str]) -> set[str]:
    """The package's modules that the file ``path`` (module ``name``) imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        found.update(target for target in targets if target in modules and target != name)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Every module of the package under ``root`` and the package modules it imports."""
    files = {module_name(path, root): path for path in root.rglob("*.py") if "__pycache__" not in path.parts}
    return {name: imported_modules(path, name, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (a package importing its own modules
    through its ``__init__`` is not counted)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            group = [m for m in group if not any(o != m and o.startswith(m + ".") for o in group)]
            if len(group) > 1:
                found.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def stage(module: str) -> str | None:
    """The stage a module belongs to (``None`` for the package and its foundations)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in FOUNDATIONS:
        return None
    return parts[1]


def chapter_of(module: str) -> str | None:
    """The chapter folder a module of ``chapters/`` belongs to, or ``None`` for the shared modules."""
    parts = module.split(".")
    if len(parts) < 4 or parts[1] != "chapters" or parts[2] in CHAPTER_COMMONS:
        return None
    return parts[2]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(package_dir())


def test_the_package_has_its_stages(graph: dict[str, set[str]]) -> None:
    subpackages = {name.split(".")[1] for name in graph if name.count(".") >= 2}
    assert {"data", "chapters", "claims", "build"} <= subpackages
    for name in ("data", "chapters", "claims", "build"):
        doc = ast.get_docstring(ast.parse((package_dir() / name / "__init__.py").read_text()))
        assert doc and "import" in doc.lower(), f"{name}/__init__.py: say what it holds and may import"


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    looped = {"p.a": {"p.b"}, "p.b": {"p.c"}, "p.c": {"p.a"}, "p.d": {"p.a"}}
    assert cycles(looped) == [["p.a", "p.b", "p.c"]]
    assert cycles({"p.a": {"p.b"}, "p.b": set()}) == []


def test_imports_flow_one_way(graph: dict[str, set[str]]) -> None:
    backwards = [
        f"{module} imports {other}"
        for module, imports in graph.items()
        for other in imports
        if stage(module) and stage(other) and STAGES.index(stage(other)) > STAGES.index(stage(module))
    ]
    assert backwards == []


def test_a_chapter_imports_no_other_chapter(graph: dict[str, set[str]]) -> None:
    crossed = [
        f"{module} imports {other}"
        for module, imports in graph.items()
        for other in imports
        if chapter_of(module) and chapter_of(other) and chapter_of(other) != chapter_of(module)
    ]
    shared_reaching_in = [
        f"{module} imports {other}"
        for module, imports in graph.items()
        for other in imports
        if module.split(".")[1:3] == ["chapters", "market"] and chapter_of(other)
    ]
    assert crossed == [] and shared_reaching_in == []
