"""Everyday papercuts, one test each: file modes, `-o -`, mail options checked before any call,
URLs without a scheme, one-line usage errors, `--dry-run --json`, `-V`, folders without --each,
shell completion."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, ROOT, SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer

FROM = "briefer@example.org"


@pytest.fixture
def umask_022() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_follow_the_umask_like_a_shell_redirect(run: Run, tmp_path: Path, umask_022: object) -> None:
    out, each, eml = tmp_path / "b.json", tmp_path / "each", tmp_path / "b.eml"
    assert run("brief", SEED, "--replay", CASSETTES, "-o", out, "-q").exit_code == 0
    assert run("brief", "--each", SEED, "--replay", CASSETTES, "-o", each, "-q").exit_code == 0
    assert run("email", out, "--to", "desk@example.org", "--from", FROM, "--eml", eml).exit_code == 0
    written = [out, eml, *sorted(each.iterdir())]
    assert len(written) == 4 and {mode(p) for p in written} == {0o644}
    os.umask(0o077)
    assert run("render", out, "-o", tmp_path / "private.md").exit_code == 0
    assert mode(tmp_path / "private.md") == 0o600


def test_dash_output_is_standard_output_not_a_file_named_dash(run: Run, tmp_path: Path) -> None:
    result = run("brief", SEED, "--replay", CASSETTES, "-o", "-", "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["sources"][0]["id"] == "scholz-putin-call"
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize(("args", "says"), [
    (["--email-to", "desk@example.org", "--eml", "x.eml"], "give the sender"),
    (["--email-to", "not-an-address", "--email-from", FROM, "--eml", "x.eml"], "is not an email address"),
    (["--email-to", "desk@example.org", "--email-from", FROM], "say where the email goes"),
    (["--email-to", "desk@example.org", "--email-from", FROM, "--smtp-host", "127.0.0.1",
      "--smtp-user", "me"], "needs a password"),
])
def test_mail_settings_that_would_fail_are_refused_before_any_call(run: Run, args: list[str], says: str) -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--base-url", server.url, *args, env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert says in assert_clean_failure(result, 2)
    assert server.requests == []


@pytest.mark.parametrize("args", [["--eml", "x.eml"], ["--smtp-host", "smtp.example.org"],
                                  ["--email-from", FROM], ["--email-cc", "c@example.org"]])
def test_mail_options_without_email_to_are_refused_not_ignored(run: Run, args: list[str]) -> None:
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES, *args), 2)
    assert f"{args[0]} applies only when mailing" in line


def test_a_standing_smtp_host_from_the_environment_is_not_refused(run: Run) -> None:
    result = run("brief", SEED, "--replay", CASSETTES, "-q", env={"BRIEFER_SMTP_HOST": "smtp.example.org"})
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("where", ["flag", "environment"])
def test_a_base_url_without_a_scheme_is_a_usage_error_at_once(run: Run, where: str) -> None:
    env = {"OPENAI_API_KEY": SENTINEL_KEY}
    if where == "flag":
        result = run("brief", SEED, "--base-url", "localhost:8000/v1", env=env)
    else:
        result = run("brief", SEED, env={**env, "OPENAI_BASE_URL": "localhost:8000/v1"})
    line = assert_clean_failure(result, 2)
    assert "'localhost:8000/v1' is not an http:// or https:// URL" in line and "http://localhost:8000/v1" in line


@pytest.mark.parametrize("args", [["brief", SEED, "--no-such-flag"], ["brief"], ["nonsense"],
                                  ["brief", SEED, "--concurrency", "zero"]])
def test_click_usage_errors_are_one_line(run: Run, args: list[object]) -> None:
    line = assert_clean_failure(run(*args), 2)
    assert "Usage:" not in line and "--help" in line


@pytest.mark.parametrize("args", [[], ["config"]])
def test_a_group_without_its_command_shows_its_help_not_an_error(run: Run, args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2 and "briefer: error" not in result.output
    assert "Commands:" in result.output and "Usage:" in result.output


def test_dry_run_with_json_prints_the_plan_as_json(run: Run) -> None:
    result = run("brief", SEED, "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["calls"] == 1 and plan["extractions"] == 1 and plan["model"] == "gpt-4.1-mini"
    # 981: the 21 paragraphs as the prompt gives them ("[P1] ..."), by gpt-4.1-mini's tokenizer
    assert plan["chunks"] == [{"source": "scholz-putin-call", "first_paragraph": 1, "last_paragraph": 21,
                               "tokens": 981}]
    assert plan["article_tokens"] > 981 and plan["static_tokens"] > 0 and plan["currency"] == "USD"
    assert plan["prompt_tokens"] == plan["static_tokens"] + plan["article_tokens"]  # one call: instructions + article


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_short_version_flag(run: Run, flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0 and "0.1.0" in result.stdout


def test_a_folder_without_each_suggests_each(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(SEED.read_text())
    line = assert_clean_failure(run("brief", folder, "--replay", CASSETTES), 3)
    assert "inbox is a directory" in line and "--each -o OUTDIR" in line


def test_shell_completion_works_as_the_readme_documents_it(run: Run) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_BRIEFER_COMPLETE=bash_source briefer)"' in readme
    from click.testing import CliRunner

    from briefer.cli import main

    result = CliRunner().invoke(main, [], prog_name="briefer", env={"_BRIEFER_COMPLETE": "bash_source"})
    assert "_briefer_completion" in result.output and "complete -o nosort" in result.output
    words = CliRunner().invoke(main, [], prog_name="briefer",
                               env={"_BRIEFER_COMPLETE": "bash_complete", "COMP_WORDS": "briefer br",
                                    "COMP_CWORD": "1"})
    assert "plain,brief" in words.output
