"""The LLM boundary against a real Chat Completions server on 127.0.0.1: re-asks on invalid
output, transport retries, refusals, and usage summed over every attempt."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from briefer.core.models import Briefing
from briefer.llm import retry_after_seconds

from .chat_server import ChatServer, Reply
from .conftest import SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer, seed_reading

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}


def brief_against(run: Run, server: ChatServer, *extra: object):
    return run("brief", SEED, "--base-url", server.url, "--format", "json", *extra, env=KEY)


def dangling_reference_answer() -> str:
    answer = json.loads(seed_answer())
    answer["positions"][0] = "angela-merkel | " + answer["positions"][0].split(" | ", 1)[1]  # the actor's field
    return json.dumps(answer, ensure_ascii=False)


def test_invalid_json_then_valid_answer_succeeds_with_usage_summed(run: Run) -> None:
    replies = [Reply(content='{"title": "cut', usage=(1000, 5)), Reply(content=seed_answer(), usage=(1100, 900))]
    with ChatServer(replies) as server:
        result = brief_against(run, server)
    assert result.exit_code == 0, result.stderr
    usage = Briefing.model_validate_json(result.stdout).usage
    assert (usage.calls, usage.reasks) == (2, 1)
    assert (usage.prompt_tokens, usage.completion_tokens) == (2100, 905)


def position_patch() -> str:
    """The repair a model sends for the dangling reference: the whole corrected position."""
    fixed = json.loads(seed_answer())["positions"][0]
    return json.dumps({"actors": [], "positions": [{"index": 0, "item": fixed}], "remove": []})


def test_a_dangling_reference_is_repaired_by_a_patch_of_that_item_alone(run: Run) -> None:
    replies = [Reply(content=dangling_reference_answer()), Reply(content=position_patch())]
    with ChatServer(replies) as server:
        result = brief_against(run, server)
    assert result.exit_code == 0, result.stderr
    first, second = server.requests
    assert second["messages"][:2] == first["messages"]  # the cached prefix, not the first reply
    assert [m["role"] for m in second["messages"]] == ["system", "user", "user"]
    repair = second["messages"][2]["content"]
    assert "positions.0: " in repair and "'angela-merkel', which is not in actors" in repair
    assert json.dumps(json.loads(dangling_reference_answer())["positions"][0], ensure_ascii=False,
                      separators=(",", ":")) in repair
    assert "positions.1" not in repair and len(repair) < 2000
    assert second["response_format"]["json_schema"]["name"] == "chunkextraction_patch"
    assert set(second["response_format"]["json_schema"]["schema"]["properties"]) == {"actors", "positions", "remove"}
    briefing = Briefing.model_validate_json(result.stdout)
    assert briefing.positions[0].actor_id == seed_reading()["positions"][0]["actor_id"]
    assert briefing.usage.reasks == 1 and briefing.usage.calls == 2


def test_reply_cut_off_at_length_is_asked_again_without_the_cut_text(run: Run) -> None:
    replies = [Reply(content=seed_answer()[:500], finish_reason="length"), Reply(content=seed_answer())]
    with ChatServer(replies) as server:
        result = brief_against(run, server)
    assert result.exit_code == 0, result.stderr
    reask = server.requests[1]["messages"]
    assert [m["role"] for m in reask] == ["system", "user", "user"]
    assert "cut off" in reask[-1]["content"]


def test_reply_in_a_code_fence_is_accepted(run: Run) -> None:
    with ChatServer([Reply(content=f"```json\n{seed_answer()}\n```")]) as server:
        result = brief_against(run, server)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 1


def test_output_still_invalid_after_reasks_fails_and_keeps_the_raw_replies(run: Run, tmp_path: Path) -> None:
    with ChatServer([Reply(content="not json at all")]) as server:
        result = brief_against(run, server, "--max-reasks", "2")
    line = assert_clean_failure(result, 6)
    # the same answer to the re-ask: a second re-ask would be the first again, byte for byte
    assert len(server.requests) == 2 and "would repeat an identical request" in line
    (kept,) = tmp_path.glob("scholz-putin-call.raw-replies.*.json")  # named by the run
    assert str(kept) in line
    assert json.loads(kept.read_text()) == ["not json at all"] * 2


def test_rate_limit_waits_for_retry_after_then_succeeds(run: Run) -> None:
    replies = [Reply(status=429, headers={"retry-after": "1"}, error="slow down"), Reply(content=seed_answer())]
    with ChatServer(replies) as server:
        started = time.monotonic()
        result = brief_against(run, server)
        waited = time.monotonic() - started
    assert result.exit_code == 0, result.stderr
    assert waited >= 0.9
    usage = Briefing.model_validate_json(result.stdout).usage
    assert (usage.calls, usage.retries) == (1, 1)


def test_retries_exhausted_end_with_a_clear_message_and_their_own_exit_code(run: Run) -> None:
    failing = Reply(status=503, headers={"retry-after": "0"}, error="overloaded")
    with ChatServer([failing]) as server:
        result = brief_against(run, server, "--retries", "2")
    line = assert_clean_failure(result, 5)
    assert "503" in line and "after 3 attempts" in line and "overloaded" in line
    assert len(server.requests) == 3


def test_dropped_connection_is_retried(run: Run) -> None:
    replies = [Reply(content=seed_answer(), drop=True), Reply(content=seed_answer())]
    with ChatServer(replies) as server:
        result = brief_against(run, server)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 2


def test_a_call_slower_than_the_timeout_is_retried_then_reported(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer(), delay=1.5)]) as server:
        result = brief_against(run, server, "--timeout", "1", "--retries", "1")
    line = assert_clean_failure(result, 5)
    assert "did not answer within 1 s" in line
    assert len(server.requests) == 2


def test_a_rejected_key_is_not_retried_and_never_echoed(run: Run) -> None:
    rejected = Reply(status=401, error=f"Incorrect API key provided: {SENTINEL_KEY}")
    with ChatServer([rejected]) as server:
        result = brief_against(run, server)
    line = assert_clean_failure(result, 5)
    assert "rejected the API key" in line
    assert SENTINEL_KEY not in result.output + result.stderr
    assert len(server.requests) == 1


def test_a_refusal_is_reported_not_retried(run: Run) -> None:
    with ChatServer([Reply(refusal="I can't help with that.")]) as server:
        result = brief_against(run, server)
    line = assert_clean_failure(result, 7)
    assert "refused: I can't help with that." in line
    assert len(server.requests) == 1


def test_the_sdk_sends_what_briefer_asks_for(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = brief_against(run, server, "--model", "some-local-model")
    assert result.exit_code == 0, result.stderr
    (request,) = server.requests
    assert request["model"] == "some-local-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"retry-after": "7"}, 7.0), ({"retry-after-ms": "250"}, 0.25), ({}, None), ({"retry-after": "soon"}, None)],
)
def test_retry_after_is_read_in_seconds_or_milliseconds(headers: dict[str, str], expected: float | None) -> None:
    class Response:
        def __init__(self) -> None:
            self.headers = headers

    class Error(Exception):
        response = Response()

    assert retry_after_seconds(Error()) == expected


def test_retry_after_as_an_http_date_waits_until_then() -> None:
    from email.utils import formatdate

    class Response:
        headers = {"retry-after": formatdate(time.time() + 30, usegmt=True)}

    class Error(Exception):
        response = Response()

    waited = retry_after_seconds(Error())
    assert waited is not None and 25 <= waited <= 31


def test_json_object_mode_puts_the_schema_in_the_instructions_and_still_validates(run: Run) -> None:
    replies = [Reply(content=dangling_reference_answer()), Reply(content=position_patch())]
    with ChatServer(replies) as server:
        result = brief_against(run, server, "--response-format", "json_object")
    assert result.exit_code == 0, result.stderr
    first = server.requests[0]
    assert first["response_format"] == {"type": "json_object"}
    assert '"additionalProperties": false' in first["messages"][0]["content"]
    assert len(server.requests) == 2  # the dangling reference was still caught and repaired
    repair = server.requests[1]
    assert repair["response_format"] == {"type": "json_object"}
    assert '"remove"' in repair["messages"][-1]["content"]  # the patch's schema, in the message
