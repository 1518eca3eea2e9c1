"""The command line stays a thin layer: small modules, short functions, commands that only parse
and print (the application layer does the work)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

THIN = sorted((ROOT / "briefer" / "cli").glob("*.py")) + sorted((ROOT / "briefer" / "app").glob("*.py"))


@pytest.mark.parametrize("module", THIN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_module_over_400_lines_and_no_function_over_60(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 400
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"  # type: ignore[operator]
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > 60]  # type: ignore[operator]
    assert long == []


def test_commands_do_not_reach_past_the_application_layer() -> None:
    """A command imports click, its siblings and briefer.app; the pipeline is app's business."""
    allowed = {"app", "errors", "defaults", "config", "render", "models", "schema", "safety",
               "interrupts",  # how a run stops (SIGTERM), like errors
               "startup"}  # how a process starts (the collector paused)
    for module in sorted((ROOT / "briefer" / "cli").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
                assert node.module.split(".")[0] in allowed, f"{module.name} imports {node.module}"


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
