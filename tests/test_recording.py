"""The response store: record, replay and cache, keyed by the canonical request body."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from briefer.llm.recording import explain_miss, request_key

from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer, seed_recording

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}


def test_the_key_ignores_the_order_of_fields() -> None:
    assert request_key({"model": "m", "messages": []}) == request_key({"messages": [], "model": "m"})
    assert request_key({"model": "m"}) != request_key({"model": "n"})


REPLAY_ACCOUNT = {"replayed", "replayed_prompt_tokens", "replayed_completion_tokens", "replayed_cached_tokens"}


def test_a_streamed_call_recorded_then_replayed_offline_gives_the_identical_briefing(run: Run, tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    with ChatServer([Reply(content=seed_answer())]) as server:
        recorded = run("brief", SEED, "--record", recordings, "--base-url", server.url,
                       "--format", "json", env=KEY)
    assert recorded.exit_code == 0, recorded.stderr
    assert server.requests[0]["stream"] is True
    replayed = run("brief", SEED, "--replay", recordings, "--format", "json")
    assert replayed.exit_code == 0, replayed.stderr
    live, offline = json.loads(recorded.stdout), json.loads(replayed.stdout)
    # Identical, but for the run's own account of which calls were replayed and what was spent.
    assert {k: v for k, v in live["usage"].items() if k not in REPLAY_ACCOUNT} == \
        {k: v for k, v in offline["usage"].items() if k not in REPLAY_ACCOUNT}
    assert (live["usage"]["replayed"], offline["usage"]["replayed"]) == (0, 1)
    assert offline["cost"] == {**live["cost"], "amount": 0.0, "replayed_amount": live["cost"]["amount"]}
    for briefing in (live, offline):
        del briefing["usage"], briefing["cost"]
    assert live == offline


def test_a_recording_holds_the_request_body_and_response_and_never_a_header_or_key(run: Run, tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--record", recordings, "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    (path,) = recordings.glob("*.json")
    text = path.read_text()
    recording = json.loads(text)
    assert set(recording) == {"format", "key", "provenance", "request", "response"}
    assert recording["provenance"] == {"source": "recorded from a live model"}
    assert set(recording["request"]) == {"method", "path", "body"}
    assert recording["request"]["path"] == "/chat/completions"
    assert set(recording["response"]) == {"status", "content_type", "events"}  # the streamed body, kept
    assert recording["response"]["events"][-3:] == ["data: [DONE]", "", ""]
    assert recording["key"] == request_key(recording["request"]["body"])
    lowered = text.lower()
    for leak in (SENTINEL_KEY.lower(), "authorization", "bearer", "x-stainless", "127.0.0.1"):
        assert leak not in lowered


def test_cache_calls_the_model_once_and_then_never_again(run: Run, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with ChatServer([Reply(content=seed_answer())]) as server:
        first = run("brief", SEED, "--cache", cache, "--base-url", server.url, env=KEY)
        second = run("brief", SEED, "--cache", cache, "--base-url", server.url, env=KEY)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout.split("\n---\n")[0] == second.stdout.split("\n---\n")[0]  # all but the footer
    assert len(server.requests) == 1
    assert "scholz-putin-call: 1 call made;" in first.stderr
    assert "scholz-putin-call: 0 calls made, 1 replayed;" in second.stderr
    assert "it would have cost about 0.0" in second.stderr and "0 calls made, 1 replayed" not in second.stdout


def test_a_cache_rerun_says_0_calls_made_in_its_json_summary(run: Run, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with ChatServer([Reply(content=seed_answer())]) as server:
        made = run("brief", SEED, "--cache", cache, "--base-url", server.url, "-o", tmp_path / "a.json", "--json", env=KEY)
        rerun = run("brief", SEED, "--cache", cache, "--base-url", server.url, "-o", tmp_path / "b.json", "--json", env=KEY)
    first, second = json.loads(made.stdout), json.loads(rerun.stdout)
    assert (first["calls_made"], first["calls_replayed"], second["calls_made"], second["calls_replayed"]) == (1, 0, 0, 1)
    assert second["estimated_cost"] == 0 and second["replayed_cost"] == first["estimated_cost"] > 0
    assert "0 calls made, 1 replayed; " in run("render", tmp_path / "b.json", "--template", "dossier").stdout


def test_failed_calls_are_not_recorded(run: Run, tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    replies = [Reply(status=500, headers={"retry-after": "0"}), Reply(content=seed_answer())]
    with ChatServer(replies) as server:
        result = run("brief", SEED, "--record", recordings, "--base-url", server.url, env=KEY)
    assert result.exit_code == 0, result.stderr
    assert len(list(recordings.glob("*.json"))) == 1


def test_replay_miss_names_a_changed_model_and_how_to_re_record(run: Run) -> None:
    result = run("brief", SEED, "--replay", CASSETTES, "--model", "gpt-9-huge")
    line = assert_clean_failure(result, 4)
    assert "the model changed (recorded with gpt-4.1-mini, asked gpt-9-huge)" in line
    assert f"--record {CASSETTES}" in line


def test_replay_miss_names_an_unknown_article(run: Run, tmp_path: Path) -> None:
    article = tmp_path / "other.txt"
    article.write_text("Somebody said something about something else.\n")
    line = assert_clean_failure(run("brief", article, "--replay", CASSETTES), 4)
    assert "this article's text is in no recording here" in line and "request options" not in line


def test_replay_miss_names_changed_instructions(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    shutil.copy(seed_recording(), tmp_path / "c")
    (path,) = (tmp_path / "c").glob("*.json")
    body = json.loads(path.read_text())["request"]["body"]
    body["messages"][0]["content"] += " Be brief."
    explained = explain_miss(tmp_path / "c", body, request_key(body))
    assert "the instructions changed (a new prompt version?)" in explained
    assert "article" not in explained.split(":", 1)[1].split(";")[0]


def test_replay_from_an_empty_folder_says_so(run: Run, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    line = assert_clean_failure(run("brief", SEED, "--replay", tmp_path / "empty"), 4)
    assert "the folder has no recordings" in line


def test_replay_from_a_missing_folder_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    line = assert_clean_failure(run("brief", SEED, "--replay", tmp_path / "nowhere"), 2)
    assert "no such folder of recordings" in line


def test_only_one_store_mode_at_a_time(run: Run, tmp_path: Path) -> None:
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES, "--cache", tmp_path), 2)
    assert "only one of --replay, --record and --cache" in line
