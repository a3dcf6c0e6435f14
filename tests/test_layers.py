"""The package layout follows the flow: imports only run down it, and nothing imports in a circle.

The layers, lowest first, are those of docs/architecture.md. A module may import from its own
layer and the layers below it. The imports are read with ``ast`` (every import statement,
including those inside functions), so a lazy import that reaches up the flow fails too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import framelens

PACKAGE = Path(framelens.__file__).parent

#: Lowest first. The first entry holds the shared leaves (top-level modules).
LAYERS = [
    "leaves",
    "codebook",
    "text",
    "datasets",
    "models",
    "scorers",
    "training",
    "analysis",
    "validation",
    "plots",
    "runs",
    "cli",
]
#: The shared leaves import only each other (and the package's ``__init__``).
LEAVES = {"framelens", "framelens.errors", "framelens.tables", "framelens.hashing"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    parts = module.split(".")
    if module in LEAVES:
        return "leaves"
    if parts[1] == "__main__":
        return "cli"
    return parts[1]


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(path: Path, known: set[str]) -> list[tuple[int, str]]:
    """``(line, module)`` of every framelens module that ``path`` imports."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                # ``from framelens.x import y`` imports the module framelens.x.y if there is one.
                candidate = f"{base}.{alias.name}"
                found.append((node.lineno, candidate if candidate in known else base))
    return [(line, name) for line, name in found if name.split(".")[0] == "framelens"]


def test_every_module_belongs_to_a_layer():
    unknown = sorted(m for m in modules() if layer_of(m) not in LAYERS)
    assert not unknown, (
        f"modules outside the layers {LAYERS}: {unknown}; add a new subpackage to "
        "docs/architecture.md and to LAYERS here"
    )


def test_imports_only_run_down_the_flow():
    known = set(modules())
    violations = []
    for name, path in modules().items():
        rank = LAYERS.index(layer_of(name))
        for line, target in imported_modules(path, known):
            if LAYERS.index(layer_of(target)) > rank:
                violations.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} ({layer_of(name)}) imports "
                    f"{target} ({layer_of(target)})"
                )
    assert not violations, "imports that reach up the flow:\n" + "\n".join(violations)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_module_imports_in_a_circle():
    known = set(modules())
    graph = {
        name: {target for _, target in imported_modules(path, known) if target != name}
        for name, path in modules().items()
    }
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize(
    "source, target",
    [
        ("text/clean.py", "from framelens.scorers.base import StanceScorer"),
        ("models/wordllama.py", "from framelens.training.fit import train_scorer"),
        ("errors.py", "import framelens.codebook"),
    ],
)
def test_the_layer_check_catches_an_upward_import(tmp_path, monkeypatch, source, target):
    # The check itself must fail on a violation: copy the package, add one upward import.
    import shutil

    copy = tmp_path / "framelens"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    path = copy / source
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _probe():\n    {target}\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", copy)
    with pytest.raises(AssertionError, match="reach up the flow"):
        test_imports_only_run_down_the_flow()


def test_the_cycle_check_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_every_module_that_registers_a_scorer_is_loaded():
    from framelens.scorers.base import BUILTIN_SCORER_MODULES

    registering = {
        path.stem
        for path in (PACKAGE / "scorers").glob("*.py")
        if "@register_scorer(" in path.read_text(encoding="utf-8") and path.stem != "base"
    }
    assert registering <= set(BUILTIN_SCORER_MODULES), (
        f"add {sorted(registering - set(BUILTIN_SCORER_MODULES))} to BUILTIN_SCORER_MODULES"
    )
