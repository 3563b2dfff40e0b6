"""The code's shape, checked from its own imports (Python's ast): wings in one direction, no circles, small modules.

The flow runs one way (README, "How the code is laid out"): the bottom of
``kg`` under everything; ``build`` and ``store`` over it; ``publish`` over
both; ``views`` and ``sparql`` over ``store``; the ``kg`` command and the web
app on top.  Every import counts, those inside functions too: an import put
in a function to hide a backward arrow is still one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

#: What each wing may import besides itself.
BOTTOM = "bottom"
ALLOWED: dict[str, set[str]] = {
    BOTTOM: set(),
    "build": {BOTTOM},
    "store": {BOTTOM},
    "publish": {BOTTOM, "build", "store"},
    "views": {BOTTOM, "store"},
    "sparql": {BOTTOM, "store"},
    "cli": {BOTTOM, "build", "store", "publish", "views", "sparql"},
    "web": {BOTTOM, "store", "publish", "views", "sparql", "cli"},
}
#: Within the bottom, the rdf wing writes RDF for everyone and needs only these.
RDF_MAY_IMPORT = {"kg.errors", "kg.namespaces"}
MAX_LINES = 300


def modules() -> dict[str, Path]:
    """Every Python module of kg/ and web/ by its dotted name (a package by its __init__)."""
    found = {}
    for path in sorted([*ROOT.glob("kg/**/*.py"), *ROOT.glob("web/**/*.py")]):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def wing(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "web":
        return "web"
    if len(parts) > 1 and parts[1] in ("build", "store", "publish", "views", "sparql", "cli"):
        return parts[1]
    if module in ("kg.__main__", "kg.launch"):  # the command's entry points, outside kg.cli (see kg.launch)
        return "cli"
    return BOTTOM


def imports(module: str) -> set[str]:
    """The project's modules ``module`` imports, anywhere in its code (a name imported from a package that is
    a module of its own counts as that module)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports(module) for module in MODULES}


def test_the_modules_are_found():
    assert {"kg.build.pipeline", "kg.store.base", "kg.rdf.formats", "web.entities", "kg.cli.base"} <= set(MODULES)
    assert "kg.store.base" in GRAPH["kg.views.describe"] or "kg.store" in GRAPH["kg.views.describe"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    mine = wing(module)
    wrong = sorted(f"{other} ({wing(other)})" for other in GRAPH[module]
                   if wing(other) != mine and wing(other) not in ALLOWED[mine])
    assert not wrong, f"{module} ({mine}) may import only {sorted(ALLOWED[mine] | {mine})}, but imports {wrong}"


def test_the_rdf_wing_stands_on_its_own():
    for module in (m for m in MODULES if m.startswith("kg.rdf")):
        outside = {m for m in GRAPH[module] if not m.startswith("kg.rdf") and m != "kg"}
        assert outside <= RDF_MAY_IMPORT, f"{module} imports {sorted(outside - RDF_MAY_IMPORT)}"


def test_the_library_never_imports_the_web_app():
    assert not [(m, sorted(o for o in GRAPH[m] if o.startswith("web"))) for m in MODULES
                if m.startswith("kg") and any(o.startswith("web") for o in GRAPH[m])]


def cycle() -> list[str] | None:
    """An import circle among the modules, if there is one (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for other in sorted(GRAPH[module]):
            if other.startswith(module + "."):  # a package importing its own modules is its face, not a circle
                continue
            if state.get(other) == 1 and not module.startswith(other + "."):
                return path[path.index(other):] + [other]
            if other not in state and (found := visit(other)):
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_no_import_circles():
    assert cycle() is None, " -> ".join(cycle())


def test_the_cycle_finder_finds_a_circle(monkeypatch):
    monkeypatch.setitem(GRAPH, "kg.errors", {*GRAPH["kg.errors"], "kg.build.pipeline"})
    found = cycle()
    assert found is not None and found[0] == found[-1] and "kg.errors" in found


SOURCES = sorted([*ROOT.glob("kg/**/*.py"), *ROOT.glob("web/**/*.py"), *ROOT.glob("web/static/*.js")])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_over_300_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: it holds two things, split it"


def test_every_wing_says_what_it_may_import():
    for package in ("build", "store", "publish", "views", "sparql", "rdf", "cli"):
        doc = ast.get_docstring(ast.parse((ROOT / "kg" / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"kg/{package}/__init__.py does not say what it may import"
