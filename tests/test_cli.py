"""The command line end to end: the seed briefing, output files, re-rendering, and clean errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from pymarkdown.api import PyMarkdownApi

from briefer.cli import main
from briefer.cli.main import COMMAND_MODULES
from briefer.core.models import BRIEFING_FORMAT, Briefing

from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, FIXTURES, ROOT, SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer
from .goldens import SETS, set_golden

GOLDEN = FIXTURES / "expected" / "scholz-putin-call.md"


def seed_briefing(run: Run, *extra: object) -> str:
    result = run("brief", SEED, "--replay", CASSETTES, *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def section(markdown: str, heading: str) -> str:
    return markdown.split(f"\n## {heading}\n")[1].split("\n## ")[0]


def test_seed_briefing_names_the_actors_disputes_and_figures(run: Run) -> None:
    markdown = seed_briefing(run)
    for name in ("Olaf Scholz", "Vladimir Putin", "Volodymyr Zelensky", "Donald Trump"):  # not Macron: one passing line
        assert name in section(markdown, "Who's who"), name
    peace = section(markdown, "What is contested").split("\n- ")[-1]
    assert peace.startswith("**Talks with Putin can lead to a just and lasting peace.**")
    assert "German government: “" in peace and "with Olaf Scholz" in peace and "disputed by Ukraine" in peace
    # Putin's "new territorial realities" is the bottom line's: not said again as a contested line
    assert "reflecting “new territorial realities”" in markdown.split("## Key points")[0]
    assert "territorial" not in section(markdown, "What is contested")
    numbers = section(markdown, "Numbers and dates")
    assert "- North Korea has 11,000 troops in Russia, Zelensky says (¶18)" in numbers
    assert "- Germany has given Ukraine 15 billion euros (¶19)" in numbers
    assert "Scholz faces a snap election on February 23. (¶5)" in section(markdown, "Key points")
    assert "23 February 2025" in numbers  # the key point's date is listed where a reader looks dates up


@pytest.mark.parametrize("template", ["briefing", "dossier"])
@pytest.mark.parametrize("name", SETS)
def test_briefings_match_their_golden_render(run: Run, name: str, template: str) -> None:
    """fixtures/expected/NAME.md (the briefing) and NAME.dossier.md, never rewritten by a test:
    `python scripts/update_goldens.py` does that after an intended change."""
    golden, args = set_golden(name, template)
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == golden.read_text(encoding="utf-8")
    linter = PyMarkdownApi().disable_rule_by_identifier("md013")  # prose lines are long by nature
    assert linter.scan_string(result.stdout).scan_failures == []


def test_json_output_rerenders_to_the_same_markdown_without_a_model(run: Run, tmp_path: Path) -> None:
    saved = tmp_path / "brief.json"
    result = run("brief", SEED, "--replay", CASSETTES, "-o", saved)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"written to {saved}" in result.stderr
    briefing = Briefing.model_validate_json(saved.read_text())
    assert briefing.usage.calls == 1 and briefing.model == "gpt-4.1-mini"
    rendered = run("render", saved)
    assert rendered.exit_code == 0, rendered.stderr
    assert rendered.stdout == GOLDEN.read_text(encoding="utf-8")


def test_output_format_follows_the_extension_or_the_flag(run: Run, tmp_path: Path) -> None:
    assert run("brief", SEED, "--replay", CASSETTES, "-o", tmp_path / "b.md", "-q").exit_code == 0
    assert (tmp_path / "b.md").read_text().startswith("# ")
    assert run("brief", SEED, "--replay", CASSETTES, "-o", tmp_path / "b.txt", "--format", "json").exit_code == 0
    assert json.loads((tmp_path / "b.txt").read_text())["format"] == BRIEFING_FORMAT == 4
    assert json.loads(seed_briefing(run, "--format", "json"))["sources"][0]["id"] == "scholz-putin-call"


def test_a_file_named_like_the_template_in_the_working_directory_is_not_the_template(
    run: Run, tmp_path: Path
) -> None:
    (tmp_path / "briefing.md").write_text("")  # e.g. the shell's `> briefing.md`, opened first
    assert seed_briefing(run, "--quiet") == GOLDEN.read_text(encoding="utf-8")


def test_quiet_prints_only_the_result(run: Run) -> None:
    result = run("brief", SEED, "--replay", CASSETTES, "--quiet")
    assert result.exit_code == 0 and result.stderr == ""


def test_an_article_from_standard_input(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", "-", "--base-url", server.url, input=SEED.read_bytes(),
                     env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert result.exit_code == 0, result.stderr
    assert "Source id: stdin" in server.requests[0]["messages"][1]["content"]
    assert "[P21] Scholz and Putin last spoke in December 2022" in server.requests[0]["messages"][1]["content"]


def test_no_api_key_and_no_replay_is_a_one_line_error_with_exit_code_2(run: Run) -> None:
    line = assert_clean_failure(run("brief", SEED), 2)
    assert "OPENAI_API_KEY is not set" in line


@pytest.mark.parametrize("content", [b"", b"  \n\n \t\n"])
def test_an_empty_article_is_a_one_line_error(run: Run, tmp_path: Path, content: bytes) -> None:
    article = tmp_path / "empty.txt"
    article.write_bytes(content)
    line = assert_clean_failure(run("brief", article, "--replay", CASSETTES), 3)
    assert "the article is empty" in line


def test_a_missing_article_is_a_one_line_error(run: Run) -> None:
    line = assert_clean_failure(run("brief", "no-such-article.txt", "--replay", CASSETTES), 3)
    assert "no-such-article.txt: no such file" in line


def test_errors_from_the_installed_command_have_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENAI_API_KEY"}
    for args, code in ((["brief", str(SEED)], 2), (["brief", "missing.txt", "--replay", str(CASSETTES)], 3)):
        done = subprocess.run([sys.executable, "-m", "briefer", *args], capture_output=True,
                              text=True, cwd=tmp_path, env=env)
        assert done.returncode == code
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("briefer: error: ")


COMMANDS = main.list_commands(click.Context(main))


def test_the_examples_below_cover_every_command() -> None:
    assert COMMANDS == sorted(COMMAND_MODULES) and len(COMMANDS) >= 12


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_an_example(run: Run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    examples = re.split(r"^  Examples?:\n", result.stdout, flags=re.MULTILINE)[1].split("\n\n")[0]
    assert re.search(rf"^ +.*\bbriefer( --\S+ \S+)* {command}\b", examples, re.MULTILINE), examples  # it runs itself


def test_help_does_not_import_the_sdk_or_the_models() -> None:
    code = (
        "import sys\nfrom briefer.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('openai', 'pydantic', 'jinja2', 'httpx2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_render_of_a_file_that_is_not_a_briefing_is_a_one_line_error(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "only a title"}')
    line = assert_clean_failure(run("render", bad), 9)
    assert "not a briefer briefing" in line
    assert "no such file" in assert_clean_failure(run("render", tmp_path / "none.json"), 9)


def test_a_template_with_an_undefined_variable_fails_with_its_file_and_line(run: Run, seed_json: Path, tmp_path: Path) -> None:
    template = tmp_path / "mine.md.j2"
    template.write_text("# {{ briefing.title }}\n\n{{ briefing.no_such_field }}\n")
    line = assert_clean_failure(run("render", seed_json, "--template", template), 8)
    assert "mine.md.j2:3" in line and "no_such_field" in line


def test_a_template_with_a_syntax_error_fails_with_its_file_and_line(run: Run, seed_json: Path, tmp_path: Path) -> None:
    template = tmp_path / "broken.md.j2"
    template.write_text("line one\n{% for x in %}\n")
    line = assert_clean_failure(run("render", seed_json, "--template", template), 8)
    assert "broken.md.j2:2" in line


def test_an_unknown_template_name_lists_the_built_in_ones(run: Run, tmp_path: Path) -> None:
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES, "--template", "nope"), 8)
    assert "no template 'nope'" in line and "briefing.md" in line


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run([sys.executable, "-m", "briefer", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "0.1.0" in done.stdout
