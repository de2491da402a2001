"""The module graph: every module imports in a fresh interpreter, there is no import cycle, and the
layers point one way (models and render never reach up to matching, the engine, commands or the CLI)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "errdiag"


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """errdiag modules `name` imports (at any depth of the file, lazily or not; TYPE_CHECKING excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t != "errdiag":
                found.add(t)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def test_every_module_imports_in_a_fresh_interpreter():
    names = [n for n in _modules() if n != "errdiag.__main__"]
    code = "import importlib, sys\nfor n in sys.argv[1:]:\n    importlib.import_module(n)\n"
    r = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(m):] + [m]))
            if m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


def test_layers_point_one_way():
    graph = _graph()

    def reach(n: str) -> set[str]:
        seen, todo = set(), [n]
        while todo:
            for m in graph.get(todo.pop(), ()):
                if m not in seen:
                    seen.add(m)
                    todo.append(m)
        return seen

    above = ("errdiag.matching", "errdiag.engine", "errdiag.commands", "errdiag.cli")
    for low in [n for n in graph if n == "errdiag.models" or n.startswith("errdiag.render")]:
        bad = sorted(m for m in reach(low) if m.startswith(above))
        assert not bad, f"{low} reaches {bad}"
    # models.py imports only the schema table and shellsafe (how a capture goes into a command), both leaves
    assert not (reach("errdiag.models") - {"errdiag.schema", "errdiag.shellsafe"}), "models.py reaches too far"
    assert not reach("errdiag.shellsafe"), "shellsafe.py is a leaf"
    for n in graph:
        if n.startswith("errdiag.commands"):
            assert "errdiag.cli" not in reach(n), f"{n} imports the CLI above it"
