"""Mutation testing of the modules that carry briefer's promises, with mutmut (not in CI: slow).

    python scripts/mutation.py                      # every module below, one after the other
    python scripts/mutation.py safety each          # some of them
    python scripts/mutation.py --max-children 1     # gentler on a shared machine
    python scripts/mutation.py grounding-speech     # again after a stop: goes on where it stopped
    python scripts/mutation.py --again each         # only the last run's survivors, against today's tests
    python scripts/mutation.py --again grounding-core --only 'briefer.grounding.meaning.*'  # only some of them
    python scripts/mutation.py --again --kills-only grounding-quotes  # ... against the kills files alone

Each module is mutated in a copy of this checkout (under the system's temporary folder, kept for
`mutmut show NAME` there), at `nice -n 10`, and each mutant is tried against the test files that
exercise that module only (mutmut runs the ones among them that reach the mutated function). The
summary per module: mutants, killed, survived, and those no selected test reaches. In the copy,
every test starts with briefer's caches empty (scripts/mutation_fresh.py says why). The README's
testing section keeps the last figures and why each survivor left is harmless.

A run stopped partway (for machine time, or by Ctrl-C) goes on where it stopped when started
again with the same `--work`: mutmut keeps each mutant's result in the copy's .meta files and
tries only those without one, so the copy is kept when the code, the tests and the settings it
was made from are those of today (a digest of them in `copied.sha256` there); else, or with
`--fresh`, the run starts over in a new copy. `--again` runs always start over (mutmut tries
again every mutant it is given by name), and so does the layout's bound (named functions).

`--again` tries only the survivors of the last run of a module (full, or again) against the tests
as they are now, in a copy beside it (MODULE-again): a mutant killed stays killed when tests are
added, so the figures after are the full run's with those survivors re-judged. Run it
on the code the full run mutated (mutants are named by function and number); where a function
has changed since, `--only` re-judges the survivors of the others and keeps the rest as survivors.
With `--kills-only` the survivors meet only the target's tests/test_mutation_kills_*.py files:
the other tests, unchanged since the full run, let them through already, and a run of those
files alone takes minutes where the whole selection takes an hour (a survivor they do not reach
stays a survivor).
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("briefer", "tests", "fixtures", "prompts", "templates", "pyproject.toml")


@dataclass(frozen=True)
class Target:
    """What to mutate (files, and optionally only some functions) and the tests that judge it."""

    files: tuple[str, ...]
    tests: tuple[str, ...]
    functions: tuple[str, ...] = ()  # mutmut names, e.g. "briefer.render.layout.x_fit*"
    #: Tests that start `python -m briefer`: a mutant's trampolines cannot run in that process
    #: (it exits 1), and mutmut cannot see what such a test reaches anyway.
    deselect: tuple[str, ...] = ()


LAYOUT = "briefer.render.layout.x_"
#: The in-process tests that reach the checker's other modules (not the hand-written answers' test:
#: under a minute alone, too slow to run for each mutant), and those modules in groups of one run
#: each, in the order they matter.
GROUNDING_TESTS = ("tests/test_grounding.py", "tests/test_grounding_more.py", "tests/test_labelled.py",
                   "tests/test_reading.py", "tests/test_speech_forms.py", "tests/test_outcomes.py",
                   "tests/test_blind.py")
GROUNDING = {"quotes": ("quotes", "attribution", "attributed"), "figures": ("figures", "numbers"),
             "dates": ("dates", "relative"), "check": ("reading", "check", "outcome", "findings"),
             "speech": ("speech", "tense", "continued", "audit")}
TARGETS = {
    "safety": Target(("briefer/core/safety.py",),
                     ("tests/test_safety.py", "tests/test_hostile_output.py", "tests/test_llm.py")),
    "each": Target(("briefer/app/each.py",),
                   ("tests/test_resume.py", "tests/test_hardening.py", "tests/test_sources.py", "tests/test_feeds.py",
                    "tests/test_mutation_kills_each.py",
                    # the tests elsewhere that reach --each in this process
                    "tests/test_same_actors.py::test_an_each_run_names_the_article_whose_synthesis_was_refused",
                    "tests/test_batch_api.py::test_collect_now_accounts_for_the_briefings_of_both_its_rounds",
                    "tests/test_batch_api.py::"
                    "test_an_article_whose_paid_answer_fails_is_counted_in_the_collect_summary_and_the_log",
                    "tests/test_digest.py::test_a_rerun_mails_only_what_is_new"),
                   deselect=("tests/test_hardening.py::test_11_sigterm_ends_like_ctrl_c",
                             "tests/test_sources.py::test_an_interrupted_each_run_finishes_the_rest_without_redoing_or_losing_any")),
    "recording": Target(("briefer/llm/recording.py", "briefer/llm/recording_format.py"),
                        ("tests/test_recording.py", "tests/test_llm.py", "tests/test_stream.py", "tests/test_web.py",
                         "tests/test_mutation_kills_recording.py",
                         # the tests elsewhere that reach the store in this process
                         "tests/test_hardening.py::test_5_a_broken_recording_is_one_line",
                         "tests/test_hardening.py::test_5_an_html_page_while_recording_is_one_line",
                         "tests/test_hardening.py::test_5_a_recording_that_cannot_be_written_still_gives_the_answer",
                         "tests/test_hardening.py::test_12_a_recorded_error_is_one_line_not_a_replay_with_back_off",
                         "tests/test_robustness.py::test_the_api_key_never_appears_in_output_logs_recordings_or_files",
                         "tests/test_fixtures.py::test_hand_written_recordings_say_so_and_match_their_readable_answer",
                         "tests/test_fuzz_inputs.py::"
                         "test_every_wrong_type_in_a_recording_and_a_sample_of_cuts_is_one_line_or_read",
                         "tests/test_batch_api.py::test_a_batch_run_is_recorded_and_replays_offline",
                         "tests/test_attacks.py::test_deep_nesting_in_any_file_briefer_reads_is_one_line")),
    "layout-bound": Target(("briefer/render/layout.py",), ("tests/test_briefing.py", "tests/test_render.py",
                                                   "tests/test_mutation_kills_layout.py"),
                           tuple(f"{LAYOUT}{name}__mutmut_*" for name in (
                               "word_budget", "words", "fit", "_names_give_way", "_cut_path", "_recounted", "_chosen", "build",
                               "_counts"))),
    #: The grounding modules no one else was rewriting when the store was done (of `grounding` below).
    "grounding-core": Target(tuple(f"briefer/grounding/{name}.py"
                                   for name in ("sentences", "text", "anchors", "meaning")),
                             ("tests/test_grounding.py", "tests/test_grounding_more.py", "tests/test_labelled.py",
                              "tests/test_mutation_kills_sentences.py", "tests/test_mutation_kills_text.py",
                              "tests/test_mutation_kills_anchors.py", "tests/test_mutation_kills_meaning.py")),
    **{f"grounding-{name}": Target(tuple(f"briefer/grounding/{module}.py" for module in modules),
                                   (*GROUNDING_TESTS, *(f"tests/test_mutation_kills_{module}.py" for module in modules)))
       for name, modules in GROUNDING.items()},
    "grounding": Target(("briefer/grounding/*.py",),
                        ("tests/test_grounding.py", "tests/test_grounding_more.py", "tests/test_labelled.py")),
}
#: mutmut's exit codes of a mutant's test run, by what they mean here.
#: A timeout (the mutant made the tests hang) counts as killed.
KILLED, SURVIVED, NO_TESTS = {1, 3, 36, -24, 24, 152, 255}, {0}, {5, 33}


def settings(target: Target) -> str:
    """mutmut's settings for a target (setup.cfg in the copy)."""
    lines = ["[mutmut]", "source_paths = briefer", "only_mutate =", *(f"    {f}" for f in target.files),
             "also_copy =", "    fixtures", "    prompts", "    templates",
             "pytest_add_cli_args =", "    -p", "    no:cacheprovider",  # one argument a line
             *(f"    --deselect={test}" for test in target.deselect),
             "pytest_add_cli_args_test_selection =",  # files, or single tests (FILE::NAME)
             *(f"    {t}" for t in target.tests if (ROOT / t.partition("::")[0]).is_file())]
    return "\n".join(lines) + "\n"


def fingerprint(config: str, root: Path = ROOT) -> str:
    """What a run's results depend on: mutmut's settings and every file copied (names and bytes)."""
    digest = hashlib.sha256(config.encode())
    paths = [root / "scripts" / "mutation_fresh.py"]
    for item in COPIED:
        source = root / item
        paths += sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if source.is_dir() else [source]
    for path in paths:
        digest.update(f"\0{path.relative_to(root).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def resumable(work: Path, target: Target, digest: str) -> bool:
    """Whether the copy under `work` can go on where its run stopped: mutmut keeps each mutant's
    result in its .meta files and tries only those without one, which hold as long as the
    mutated code, the tests and the settings are the same. Not with named functions (mutmut then
    tries every mutant named again)."""
    stored = work / "copied.sha256"
    return (not target.functions and stored.is_file() and stored.read_text() == digest
            and any((work / "mutants").rglob("*.meta")))


def prepare(work: Path, target: Target, digest: str) -> Path:
    """A fresh copy of the checkout with mutmut's settings for this target."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for item in COPIED:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, work / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, work / item)
    (work / "setup.cfg").write_text(settings(target))
    # every test computes from scratch (why: in the file), in the copy only
    shutil.copy(ROOT / "scripts" / "mutation_fresh.py", work / "tests" / "mutation_fresh.py")
    with open(work / "tests" / "conftest.py", "a") as conftest:
        conftest.write("\nfrom .mutation_fresh import pytest_runtest_setup  # noqa: E402,F401\n")
    (work / "copied.sha256").write_text(digest)
    return work


def summary(work: Path, target: Target, unreached_survive: bool = False) -> dict[str, object]:
    """Mutants, killed, survived and unreached, from mutmut's files, and the survivors' names
    (with `unreached_survive`, a mutant no selected test reaches counts as surviving)."""
    codes: dict[str, int | None] = {}
    for meta in (work / "mutants").rglob("*.meta"):
        codes |= json.loads(meta.read_text())["exit_code_by_key"]
    if target.functions:
        codes = {k: v for k, v in codes.items() if any(fnmatch.fnmatch(k, f) for f in target.functions)}
    surviving = SURVIVED | NO_TESTS if unreached_survive else SURVIVED
    survivors = sorted(k for k, v in codes.items() if v in surviving)
    return {"mutants": len(codes), "killed": sum(v in KILLED for v in codes.values()),
            "survived": len(survivors), "no tests": sum(v in NO_TESTS - surviving for v in codes.values()),
            "not run": sum(v is None for v in codes.values()),  # a run stopped before it was done
            "other": sum(v is not None and v not in KILLED | SURVIVED | NO_TESTS for v in codes.values()),
            "by module": _by_module(codes, surviving), "survivors": survivors}


def _by_module(codes: dict[str, int | None], surviving: set[int]) -> dict[str, dict[str, int]]:
    """The figures of each mutated module (a mutant's name is its module, then `.x_` or `.xǁ`)."""
    found: dict[str, dict[str, int]] = {}
    for key, code in codes.items():
        module = re.sub(r"\.xǁ.*|\.x_.*", "", key)
        row = found.setdefault(module, dict.fromkeys(("mutants", "killed", "survived", "no tests", "not run"), 0))
        row["mutants"] += 1
        kind = ("killed" if code in KILLED else "survived" if code in surviving else "no tests" if code in NO_TESTS
                else "not run" if code is None else None)
        if kind:
            row[kind] += 1
    return found


def mutate(name: str, work: Path, max_children: int, again: bool = False,
           only: tuple[str, ...] = (), kills_only: bool = False, fresh: bool = False) -> dict[str, object]:
    """Run mutmut on one target in its own copy of the checkout (with `again`, only the last
    run's survivors, or those of them named by `only`, in a copy beside it); its summary."""
    target = TARGETS[name]
    before = None
    if again:  # the survivors of the last run, full or again
        rerun = work.with_name(f"{work.name}-again")
        before = json.loads(((rerun if (rerun / "summary.json").is_file() else work) / "summary.json").read_text())
        chosen = [s for s in before["survivors"] if not only or any(fnmatch.fnmatch(s, o) for o in only)]
        if not chosen:  # no names would mutate everything
            raise SystemExit(f"{name}: no survivor of the last run to judge again")
        tests = tuple(t for t in target.tests if "test_mutation_kills_" in t) if kills_only else target.tests
        if not any((ROOT / t.partition("::")[0]).is_file() for t in tests):
            sys.exit(f"{name}: no tests/test_mutation_kills_*.py file of this target yet")
        target = Target(target.files, tests, tuple(chosen), target.deselect)
        work = rerun
    digest = fingerprint(settings(target))
    resumed = not fresh and resumable(work, target, digest)
    if resumed:
        print(f"{name}: code, tests and settings as in {work}: going on with the mutants not yet tried",
              file=sys.stderr, flush=True)
    else:
        prepare(work, target, digest)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = ["nice", "-n", "10", str(mutmut), "run", "--max-children", str(max_children), *target.functions]
    with open(work / "mutmut.log", "a" if resumed else "w") as log:
        subprocess.run(command, cwd=work, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "TERM": "dumb"})
    result = summary(work, target, unreached_survive=kills_only)
    if before is not None:
        result = rejudged(before, result, target.functions)
    (work / "summary.json").write_text(json.dumps(result, indent=1))
    return result


def rejudged(before: dict[str, Any], again: dict[str, Any], chosen: tuple[str, ...]) -> dict[str, object]:
    """The full run's figures with its survivors judged again (those `chosen`): those killed
    now move over, those not chosen stay survivors."""
    assert again["mutants"] == len(chosen), "a survivor of the full run is gone: run it in full"
    kept = [s for s in before["survivors"] if s not in chosen]
    return {"mutants": before["mutants"], "killed": before["killed"] + again["killed"],
            "survived": again["survived"] + len(kept), "no tests": before["no tests"] + again["no tests"],
            "not run": before.get("not run", 0) + again["not run"], "other": before["other"] + again["other"],
            "by module": _rejudged_modules(before.get("by module", {}), again["by module"]),
            "survivors": sorted([*again["survivors"], *kept])}


def _rejudged_modules(before: dict[str, dict[str, int]], again: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Each module's figures of the full run with its survivors judged again."""
    rows = {module: dict(row) for module, row in before.items()}
    for module, row in again.items():
        if module in rows:
            rows[module]["survived"] += row["survived"] - row["mutants"]
            for kind in ("killed", "no tests", "not run"):
                rows[module][kind] += row[kind]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", choices=[[], *TARGETS], metavar="MODULE",
                        help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--again", action="store_true",
                        help="only the survivors of the last full run, against the tests as they are now")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="with --again: only the survivors whose name matches (fnmatch; may be repeated)")
    parser.add_argument("--kills-only", action="store_true",
                        help="with --again: against the target's tests/test_mutation_kills_*.py files only")
    parser.add_argument("--fresh", action="store_true",
                        help="start again from a new copy, even where a stopped run could go on")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "briefer-mutation",
                        help="where the copies are made (default: %(default)s)")
    options = parser.parse_args()
    print(f"{'module':14} {'mutants':>8} {'killed':>7} {'survived':>9} {'no tests':>9} {'not run':>8} {'other':>6}")
    for name in options.modules or TARGETS:
        result = mutate(name, options.work / name, options.max_children, options.again, tuple(options.only),
                        options.kills_only, options.fresh)
        print(f"{name:14} {result['mutants']:>8} {result['killed']:>7} {result['survived']:>9} "
              f"{result['no tests']:>9} {result['not run']:>8} {result['other']:>6}", flush=True)
        for module, row in result.get("by module", {}).items():
            print(f"  {module}: " + ", ".join(f"{kind} {n}" for kind, n in row.items()))
        for survivor in result["survivors"]:
            print(f"    survived: {survivor}")
    print(f"(details: {options.work}/MODULE: mutmut.log, summary.json; `mutmut show NAME` there)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
