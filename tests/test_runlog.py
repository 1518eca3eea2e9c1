"""The run log: every run appends a record (tokens, cost, outcome, outputs); `briefer log` lists
and totals them; --no-log and the config switch turn it off; nothing secret is stored."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from briefer.app.runlog import parse_since, without_secrets
from briefer.core.models import Briefing

from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, FIXTURES, SEED, SENTINEL_KEY, Run, seed_answer

AP = FIXTURES / "articles" / "ap_uk_tories_factcheckuk_2019.html"


def logged(run: Run, *args: str) -> dict[str, object]:
    result = run("log", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_three_runs_are_listed_with_their_tokens_and_costs(run: Run, tmp_path: Path) -> None:
    assert run("brief", SEED, "--replay", CASSETTES, "-o", tmp_path / "seed.json", "-q").exit_code == 0
    assert run("brief", AP, "--replay", CASSETTES, "-o", tmp_path / "ap.json", "-q").exit_code == 0
    with ChatServer([Reply(content=seed_answer(), usage=(3000, 2000))]) as server:
        live = run("brief", SEED, "--base-url", server.url, "--model", "gpt-4.1", "-o", tmp_path / "live.md",
                   "-q", env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert live.exit_code == 0, live.stderr
    runs = logged(run)["runs"][::-1]  # newest first: oldest first here
    assert [r["model"] for r in runs] == ["gpt-4.1-mini", "gpt-4.1-mini", "gpt-4.1"]
    for record, saved in zip(runs[:2], ("seed.json", "ap.json")):
        briefing = Briefing.model_validate_json((tmp_path / saved).read_text())
        assert record["calls"] == briefing.usage.calls
        assert (record["prompt_tokens"], record["completion_tokens"]) == (briefing.usage.prompt_tokens,
                                                                          briefing.usage.completion_tokens)
        assert record["cost"] == round(briefing.cost.amount, 6) == 0.0 and record["currency"] == "USD"
        assert record["replayed"] == record["calls"]  # replayed: counted, and priced apart
        assert record["replayed_cost"] == round(briefing.cost.replayed_amount, 6) > 0
        assert record["title"] == briefing.title and record["outputs"] == [str(tmp_path / saved)]
        assert record["sources"] == [{"id": s.id, "sha256": s.sha256, "origin": s.origin} for s in briefing.sources]
        assert record["store"] == "replay" and record["outcome"] == "ok" and record["exit_code"] == 0
    third = runs[2]
    assert (third["calls"], third["prompt_tokens"], third["completion_tokens"]) == (1, 3000, 2000)
    assert third["cost"] == pytest.approx(3000 * 2.0e-6 + 2000 * 8.0e-6)  # gpt-4.1: $2 / $8 per M tokens
    assert third["endpoint"] == server.url and third["store"] is None
    assert third["replayed"] == 0 and third["replayed_cost"] == 0.0
    text = run("log").stdout
    assert "1 call replayed" in text and "1 call 0.0220 USD" in text
    assert "2 runs, 2 calls (2 replayed)" in text and "0.0000 USD (replayed: " in text and "not spent" in text


def test_totals_per_day_and_per_model(run: Run, tmp_path: Path) -> None:
    for _ in range(2):
        assert run("brief", SEED, "--replay", CASSETTES, "-q").exit_code == 0
    with ChatServer([Reply(content=seed_answer(), usage=(1000, 500))]) as server:
        assert run("brief", SEED, "--base-url", server.url, "--model", "gpt-4.1", "-q",
                   env={"OPENAI_API_KEY": SENTINEL_KEY}).exit_code == 0
    data = logged(run)
    one = data["runs"][-1]
    by_model = {t["model"]: t for t in data["totals"]["by_model"]}
    assert by_model["gpt-4.1-mini"]["runs"] == 2
    assert by_model["gpt-4.1-mini"]["prompt_tokens"] == 2 * one["prompt_tokens"]
    assert by_model["gpt-4.1"]["runs"] == 1 and by_model["gpt-4.1"]["completion_tokens"] == 500
    today = datetime.now(timezone.utc).date().isoformat()
    assert [(t["day"], t["runs"]) for t in data["totals"]["by_day"]] == [(today, 3)]
    assert data["totals"]["by_day"][0]["cost"] == pytest.approx(sum(r["cost"] for r in data["runs"]), abs=1e-6)
    text = run("log").stdout
    assert "totals per day:" in text and f"  {today}: 3 runs" in text and "  gpt-4.1: 1 run, 1 call," in text


def test_since_and_model_filter_the_list(run: Run) -> None:
    assert run("brief", SEED, "--replay", CASSETTES, "-q").exit_code == 0
    assert len(logged(run, "--since", "2000-01-01")["runs"]) == 1
    assert len(logged(run, "--since", "today")["runs"]) == 1
    assert logged(run, "--since", "2999-01-01")["runs"] == []
    assert logged(run, "--model", "o3")["runs"] == []
    now = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)
    assert parse_since("7d", now) == datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    assert parse_since("2026-12-01T08:00", now) == datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
    line = run("log", "--since", "last week").stderr
    assert line.startswith("briefer: error: --since last week: give a date") and line.count("\n") == 1


def test_each_runs_and_failures_are_logged_too(run: Run, tmp_path: Path) -> None:
    assert run("brief", "--each", SEED, AP, "--replay", CASSETTES, "-o", tmp_path / "out", "-q").exit_code == 0
    with ChatServer([Reply(status=401, error=f"bad key {SENTINEL_KEY}")]) as server:
        failed = run("brief", SEED, "--base-url", server.url, env={"OPENAI_API_KEY": SENTINEL_KEY})
    assert failed.exit_code == 5
    failure, each = logged(run)["runs"]
    assert each["kind"] == "each" and each["outcome"] == "ok: 2 briefed, 0 already done, 0 failed"
    assert [s["id"] for s in each["sources"]] == ["scholz-putin-call", "ap-uk-tories-factcheckuk-2019"]
    assert len(each["outputs"]) == 2 and each["calls"] == 2
    assert failure["exit_code"] == 5 and failure["outcome"].startswith("failed: the provider rejected the API key")
    assert failure["calls"] is None and failure["sources"][0]["id"] == "scholz-putin-call"  # no answer came


def test_no_log_and_the_config_switch_turn_it_off(run: Run) -> None:
    assert run("brief", SEED, "--replay", CASSETTES, "-q", "--no-log").exit_code == 0
    assert run("config", "set", "log", "false").exit_code == 0
    assert run("brief", SEED, "--replay", CASSETTES, "-q").exit_code == 0
    assert logged(run)["runs"] == []
    assert run("brief", SEED, "--replay", CASSETTES, "-q", "--log").exit_code == 0  # a flag beats the file
    assert len(logged(run)["runs"]) == 1


def test_nothing_secret_is_stored(run: Run, tmp_path: Path) -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        assert run("brief", SEED, "--base-url", server.url, "-q", env={"OPENAI_API_KEY": SENTINEL_KEY}).exit_code == 0
    with ChatServer([Reply(status=400, error=f"echoing {SENTINEL_KEY}")]) as server:
        assert run("brief", SEED, "--base-url", server.url, env={"OPENAI_API_KEY": SENTINEL_KEY}).exit_code == 5
    database = Path(os.environ["BRIEFER_DATA_DIR"]) / "runs.sqlite3"
    stored = database.read_bytes()
    assert b"[redacted]" in stored and SENTINEL_KEY.encode() not in stored and SENTINEL_KEY[:12].encode() not in stored
    assert without_secrets("https://user:pw@example.org:8443/v1?api-key=abc#x") == "https://example.org:8443/v1"


def test_a_log_that_cannot_be_written_loses_no_run(run: Run, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    result = run("brief", SEED, "--replay", CASSETTES, "-o", tmp_path / "b.json",
                 env={"BRIEFER_DATA_DIR": str(blocked)})
    assert result.exit_code == 0 and (tmp_path / "b.json").exists()
    assert "briefer: the run log could not be written" in result.stderr


def test_a_database_from_the_first_version_gains_the_new_columns(run: Run) -> None:
    import sqlite3

    from briefer.app import runlog

    old_schema = runlog.SCHEMA.replace("    replayed INTEGER,\n", "").replace("    replayed_cost REAL,\n", "")
    assert "replayed" not in old_schema
    runlog.database().parent.mkdir(parents=True)
    with sqlite3.connect(runlog.database()) as connection:
        connection.execute(old_schema)
    assert run("brief", SEED, "--replay", CASSETTES, "-q").exit_code == 0
    assert logged(run)["runs"][0]["replayed"] == 1


def brief_runs(run: Run, models: list[str]) -> None:
    """One replayed run per model given (a model without recordings fails before any answer)."""
    for model in models:
        run("brief", SEED, "--replay", CASSETTES, "-q", "--model", model)


def test_the_config_files_model_never_filters_the_log(run: Run) -> None:
    brief_runs(run, ["gpt-4.1-mini", "gpt-4.1-mini"])
    assert run("config", "set", "model", "gpt-4.1").exit_code == 0
    result = run("log")
    assert result.exit_code == 0 and result.stdout.count(" gpt-4.1-mini ") == 2, result.stdout
    assert len(logged(run, "--model", "gpt-4.1")["runs"]) == 0  # the flag, when given, does


def test_the_log_lists_newest_first_a_few_short_lines(run: Run, tmp_path: Path) -> None:
    brief_runs(run, ["gpt-4.1-mini"] * 3)
    (tmp_path / "long.txt").write_text(("A headline " * 300) + "\n\n" + SEED.read_text(), encoding="utf-8")
    run("brief", tmp_path / "long.txt", "--replay", CASSETTES, "-q")
    lines = run("log", "-n", "2", "--no-totals").stdout.splitlines()
    numbers = [int(line.split()[0][1:]) for line in lines[:2]]
    assert numbers == [4, 3] and lines[2] == "(2 older runs not shown: -n 0 shows all)"
    assert all(len(line) <= 120 for line in lines)
    assert [r["id"] for r in logged(run, "-n", "0")["runs"]] == [4, 3, 2, 1]


def test_search_and_outcome_filters(run: Run, tmp_path: Path) -> None:
    brief_runs(run, ["gpt-4.1-mini"])
    run("brief", AP, "--replay", CASSETTES, "-q")
    (tmp_path / "empty").mkdir()
    run("brief", SEED, "--replay", tmp_path / "empty", "-q")  # fails: nothing recorded there
    (found,) = logged(run, "-q", "TORIES")["runs"]  # in its source's id, any case
    assert found["sources"][0]["id"] == "ap-uk-tories-factcheckuk-2019"
    failed = logged(run, "--outcome", "failed")["runs"]
    assert len(failed) == 1 and failed[0]["exit_code"] == 4
    assert len(logged(run, "--outcome", "ok")["runs"]) == 2


def test_totals_list_each_day_and_model_once_failed_runs_included(run: Run, tmp_path: Path) -> None:
    brief_runs(run, ["gpt-4.1-mini"])
    (tmp_path / "empty").mkdir()
    assert run("brief", SEED, "--replay", tmp_path / "empty", "-q").exit_code == 4  # no answer, no price
    data = logged(run)
    (day,) = data["totals"]["by_day"]
    (model,) = data["totals"]["by_model"]
    assert day["runs"] == model["runs"] == 2 and day["currency"] == "USD"
