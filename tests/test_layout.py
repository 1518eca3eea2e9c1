"""The tree is the pipeline: a dozen entries at the top of briefer/, each stage a package that
says what it does, imports that only run down the stages and never in a circle, and the command
line a thin layer over the application (small modules, short functions)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "briefer"

#: The stages, lowest first: a package may import its own modules and any package before it,
#: never one after it. The README's "How it works" lists them in this order.
STAGES = ("core", "ingest", "extract", "llm", "grounding", "merge", "render", "app", "batch", "cli")

MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {module_name(path): path for path in MODULES}


def imported(path: Path) -> set[str]:
    """Every briefer module `path` imports, anywhere in it (lazy and type-checking imports too):
    a lazy import is still a dependency."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            candidates = [f"{base}.{alias.name}" for alias in node.names] + [base]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate in NAMES:
                found.add(candidate)
                break  # `from pkg import module` names the module; else the names come from pkg
    return found - {name}


GRAPH = {name: imported(path) for name, path in NAMES.items()}


def stage(name: str) -> str:
    return name.split(".")[1] if name.count(".") >= 1 else ""


def test_the_top_of_the_package_is_a_dozen_stages() -> None:
    entries = sorted(p.name for p in PACKAGE.iterdir() if p.name != "__pycache__")
    assert len(entries) <= 12, entries
    assert set(STAGES) <= set(entries)
    assert set(entries) - set(STAGES) == {"__init__.py", "__main__.py"}


@pytest.mark.parametrize("package", STAGES)
def test_each_stage_says_what_it_does_and_hands_on(package: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
    assert doc and len(doc.splitlines()) <= 2, f"briefer/{package}: a docstring of two lines at most"


def test_imports_only_run_down_the_stages() -> None:
    rank = {name: i for i, name in enumerate(STAGES)}
    upward = [f"{source} imports {target}" for source, targets in GRAPH.items() for target in sorted(targets)
              if stage(source) in rank and stage(target) in rank and rank[stage(target)] > rank[stage(source)]]
    assert upward == []


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_module_imports_itself_in_a_circle() -> None:
    """A package's __init__ that gathers its modules' names is not a cycle with them: the edges
    from a module to its own package's __init__ are left out."""
    graph = {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in GRAPH.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_400_lines_and_no_function_over_60(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 400
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"  # type: ignore[operator]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > 60]  # type: ignore[operator]
    assert long == []


def test_commands_do_not_reach_past_the_application_layer() -> None:
    """A command imports click, its siblings, the application (app, batch) and the shared core;
    the stages below are the application's business, but for two read-only look-ups (the
    templates' list and the schema, shown as they are)."""
    allowed = {"app", "batch", "core", "render.engine", "extract.schema"}
    for module in sorted((PACKAGE / "cli").glob("*.py")):
        for target in GRAPH[module_name(module)]:
            if stage(target) != "cli":
                inner = target.split(".", 1)[1]
                assert inner in allowed or inner.split(".")[0] in allowed, f"{module.name} imports {target}"
def test_every_stderr_line_and_every_file_goes_through_the_shared_mechanisms() -> None:
    """stderr only through safety.say (secrets masked, controls removed), files only through
    files.py (atomic, redacted, briefer's own temp names): a new call site cannot skip them."""
    bypass = re.compile(r"err=True|sys\.stderr\.write|\.write_text\(|\.write_bytes\(|mkstemp\(|open\([^)]*['\"][wa]")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in sorted((ROOT / "briefer").rglob("*.py"))
             if path.name not in ("safety.py", "files.py")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bypass.search(line)]
    assert found == []


def test_each_command_is_where_the_map_says_and_a_run_loads_only_its_own() -> None:
    """`COMMAND_MODULES` names every command's module (a command missing from it would not be
    found), and running one command imports no other command's module."""
    import importlib

    from briefer.cli.main import COMMAND_MODULES, main

    for module in sorted((ROOT / "briefer" / "cli").glob("*.py")):
        importlib.import_module(f"briefer.cli.{module.stem}")
    assert {name: c.callback.__module__.rsplit(".", 1)[1] for name, c in main.commands.items()} \
        == COMMAND_MODULES  # type: ignore[union-attr]
    probe = ("import sys\nfrom briefer.cli import main\ntry:\n    main(['schema'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.startswith('briefer.cli.')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    loaded = {name.rsplit(".", 1)[1] for name in ast.literal_eval(result.stderr.strip().splitlines()[-1])}
    assert loaded & set(COMMAND_MODULES.values()) == {"info"}
