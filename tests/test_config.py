"""The config file: defaults and profiles under flags and the environment, `config show` naming
each value's origin, and secrets never written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import CASSETTES, SEED, SENTINEL_KEY, Run, assert_clean_failure


def config_file() -> Path:
    return Path(os.environ["BRIEFER_CONFIG"])


def settings(run: Run, *before: str, env: dict[str, str] | None = None) -> dict[str, dict[str, object]]:
    result = run(*before, "config", "show", "--json", env=env)
    assert result.exit_code == 0, result.stderr
    return {row["key"]: row for row in json.loads(result.stdout)["settings"]}


def planned_model(run: Run, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    result = run(*args, env=env)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_flags_beat_the_environment_beat_the_profile_beat_the_file(run: Run) -> None:
    assert run("config", "set", "model", "gpt-4.1").exit_code == 0
    assert run("--profile", "work", "config", "set", "model", "gpt-4.1-nano").exit_code == 0
    plan = ("brief", SEED, "--dry-run", "--json")
    assert planned_model(run, *plan)["model"] == "gpt-4.1"
    assert planned_model(run, "--profile", "work", *plan)["model"] == "gpt-4.1-nano"
    assert planned_model(run, *plan, env={"BRIEFER_PROFILE": "work", "BRIEFER_MODEL": "o3"})["model"] == "o3"
    flagged = planned_model(run, "--profile", "work", *plan, "--model", "gpt-4o", env={"BRIEFER_MODEL": "o3"})
    assert flagged["model"] == "gpt-4o" and flagged["settings"]["model"] == "flag --model"

    path = str(config_file())
    assert settings(run)["model"] == {"key": "model", "value": "gpt-4.1", "origin": f"config file {path}"}
    assert settings(run, "--profile", "work")["model"]["origin"] == f"profile work in {path}"
    shown = settings(run, "--profile", "work", env={"BRIEFER_MODEL": "o3"})["model"]
    assert shown == {"key": "model", "value": "o3", "origin": "environment BRIEFER_MODEL"}
    assert settings(run)["concurrency"] == {"key": "concurrency", "value": 4, "origin": "default"}


def test_a_run_uses_the_configured_model(run: Run, tmp_path: Path) -> None:
    assert run("config", "set", "model", "gpt-4.1").exit_code == 0
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES), 4)
    assert "asked gpt-4.1)" in line  # no recording for gpt-4.1: the configured model was asked for
    assert run("brief", SEED, "--replay", CASSETTES, "--model", "gpt-4.1-mini", "-q").exit_code == 0


def test_the_file_keeps_lists_numbers_and_other_lines(run: Run) -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text("# my settings\nconcurrency = 8\n")
    assert run("config", "set", "email-to", "desk@example.org", "ed@example.org").exit_code == 0
    assert run("config", "set", "max-cost", "0.5").exit_code == 0
    text = path.read_text()
    assert text.startswith("# my settings\nconcurrency = 8\n")
    assert 'email-to = ["desk@example.org", "ed@example.org"]' in text and "max-cost = 0.5" in text
    assert run("config", "unset", "concurrency").exit_code == 0
    assert "concurrency" not in path.read_text()


@pytest.mark.parametrize("key", ["api-key", "smtp-password", "openai-api-key", "token"])
def test_secrets_are_never_written(run: Run, key: str) -> None:
    line = assert_clean_failure(run("config", "set", key, SENTINEL_KEY), 2)
    assert "never written to the config file" in line
    assert not config_file().exists()


def test_a_setting_whose_name_merely_contains_a_secret_word_is_settable(run: Run) -> None:
    assert run("config", "set", "chunk-tokens", "1500").exit_code == 0
    assert "chunk-tokens = 1500" in config_file().read_text()


def test_show_names_the_secrets_and_where_they_live_never_their_values(run: Run) -> None:
    result = run("config", "show", env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert result.exit_code == 0
    assert SENTINEL_KEY not in result.stdout and SENTINEL_KEY[:8] not in result.stdout
    assert "api-key" in result.stdout and "(set; never stored)" in result.stdout and "OPENAI_API_KEY" in result.stdout


def test_a_secret_put_in_the_file_by_hand_is_refused(run: Run) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text(f'api-key = "{SENTINEL_KEY}"\n')
    result = run("brief", SEED, "--replay", CASSETTES)
    line = assert_clean_failure(result, 2)
    assert "api-key is a secret" in line and SENTINEL_KEY not in result.stderr


@pytest.mark.parametrize(("content", "says"), [
    ("model = \n", "not valid TOML"),
    ('concurrency = "many"\n', "concurrency = 'many'"),
    ('base-url = "localhost:8000"\n', "not an http:// or https:// URL"),
    ('colour = "blue"\n', "no setting 'colour'"),
])
def test_a_bad_config_file_is_one_line_naming_the_file(run: Run, content: str, says: str) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text(content)
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES), 2)
    assert says in line and str(config_file()) in line


def test_set_checks_the_value_like_the_flag_would(run: Run) -> None:
    assert "base-url" in assert_clean_failure(run("config", "set", "base-url", "localhost:1"), 2)
    assert "concurrency" in assert_clean_failure(run("config", "set", "concurrency", "0"), 2)
    assert not config_file().exists()


def test_an_unknown_profile_names_the_known_ones(run: Run) -> None:
    assert run("--profile", "work", "config", "set", "model", "gpt-4.1").exit_code == 0
    line = assert_clean_failure(run("--profile", "home", "brief", SEED, "--replay", CASSETTES), 2)
    assert "no profile 'home'" in line and "profiles: work" in line


def test_path_follows_briefer_config(run: Run) -> None:
    assert run("config", "path").stdout.strip() == str(config_file())


def test_the_key_can_live_in_a_private_file_named_by_the_config(run: Run, tmp_path: Path) -> None:
    from .chat_server import ChatServer, Reply
    from .conftest import seed_answer

    key_file = tmp_path / "openai.key"
    key_file.write_text(SENTINEL_KEY + "\n")
    key_file.chmod(0o644)
    assert run("config", "set", "api-key-file", key_file).exit_code == 0
    assert SENTINEL_KEY not in config_file().read_text()
    line = assert_clean_failure(run("brief", SEED), 2)
    assert "can be read by others (mode 0644): chmod 600" in line
    key_file.chmod(0o600)
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "-q")
    assert result.exit_code == 0, result.stderr
    assert SENTINEL_KEY not in result.output


def test_standing_mail_settings_feed_every_command_that_mails(run: Run, seed_json: Path, tmp_path: Path) -> None:
    assert run("config", "set", "email-from", "briefer@example.org").exit_code == 0
    assert run("--profile", "desk", "config", "set", "email-to", "desk@example.org").exit_code == 0
    eml = tmp_path / "m.eml"
    assert run("--profile", "desk", "email", seed_json, "--eml", eml).exit_code == 0  # --from and --to from the file
    text = eml.read_text()
    assert "From: briefer@example.org" in text and "To: desk@example.org" in text
    result = run("brief", SEED, "--replay", CASSETTES, "-q")  # no email-to in the defaults: no mail, no refusal
    assert result.exit_code == 0, result.stderr
