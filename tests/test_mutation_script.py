"""scripts/mutation.py goes on with a stopped run only where its results still hold: the copy's
code, tests and settings are those of today, and mutmut has kept results there to go on from.
A run of a group takes hours on a shared machine; a wrong reuse would report mutants judged by
tests or code that are gone."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .conftest import ROOT


def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_script", ROOT / "scripts" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def checkout(root: Path) -> Path:
    """A small checkout with everything the script copies."""
    for name, text in {"briefer/grounding/speech.py": "WORDS = 'said'\n", "tests/test_speech.py": "def test(): pass\n",
                       "fixtures/a.txt": "text\n", "prompts/p.txt": "p\n", "templates/t.html": "t\n",
                       "pyproject.toml": "[project]\n", "scripts/mutation_fresh.py": "# fresh\n"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_stopped_run_goes_on_only_with_the_same_code_tests_and_settings(tmp_path: Path) -> None:
    mutation = script()
    root = checkout(tmp_path / "checkout")
    work = tmp_path / "work"
    (work / "mutants" / "briefer" / "grounding").mkdir(parents=True)
    target = mutation.TARGETS["grounding-speech"]
    digest = mutation.fingerprint("[mutmut]\n", root)
    (work / "copied.sha256").write_text(digest)
    assert not mutation.resumable(work, target, digest)  # mutmut kept nothing yet: start afresh
    (work / "mutants" / "briefer" / "grounding" / "speech.py.meta").write_text("{}")
    assert mutation.resumable(work, target, digest)
    (root / "briefer" / "grounding" / "__pycache__").mkdir()
    (root / "briefer" / "grounding" / "__pycache__" / "speech.pyc").write_bytes(b"\0")
    assert mutation.fingerprint("[mutmut]\n", root) == digest  # compiled files are not copied
    # another selection of tests, a test changed, a test added, the code changed: all afresh
    assert mutation.fingerprint("[mutmut]\n    tests/test_other.py\n", root) != digest
    for name, text in [("tests/test_speech.py", "def test(): assert False\n"), ("tests/test_new.py", "\n"),
                       ("briefer/grounding/speech.py", "WORDS = 'told'\n")]:
        (root / name).write_text(text)
        changed = mutation.fingerprint("[mutmut]\n", root)
        assert changed != digest and not mutation.resumable(work, target, changed)
        digest = changed
    # named functions (--again, the layout's bound) are tried again by mutmut whatever it kept
    (work / "copied.sha256").write_text(digest)
    assert not mutation.resumable(work, mutation.Target(target.files, target.tests, ("briefer.x_f*",)), digest)
