"""Streaming and the completion budget, against the real shapes a llama.cpp server sent
(fixtures/live/) and against the local test server: byte-for-byte recording and replay, usage
from the final chunk, a reply that never ends, servers that know only max_tokens."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx2

from briefer.core.models import Briefing, Usage
from briefer.llm import LLMClient, LLMSettings
from briefer.llm.budget import extraction_budget
from briefer.llm.recording import ResponseStore, recorded_completion
from briefer.llm.stream import Completion

from .chat_server import ChatServer, Reply
from .conftest import FIXTURES, SEED, SENTINEL_KEY, Run, seed_answer

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
LIVE = FIXTURES / "live"
LLAMA_SSE = (LIVE / "llamacpp-stream-reply.sse").read_bytes()
LLAMA_REQUEST = json.loads((LIVE / "llamacpp-stream-request.json").read_text(encoding="utf-8"))
LLAMA_BUDGET = json.loads((LIVE / "llamacpp-budget-reply.json").read_text(encoding="utf-8"))


def call(url: str, store: httpx2.AsyncBaseTransport | None, body: dict[str, Any]) -> tuple[Completion, Usage]:
    """briefer's client sends the captured request once, through `store` if given."""

    async def go() -> tuple[Completion, Usage]:
        llm = LLMClient(LLMSettings(model=body["model"], api_key="local", base_url=url, max_attempts=1), store)
        try:
            return await llm.complete(body["messages"], body["response_format"], body.get("max_completion_tokens"))
        finally:
            await llm.close()

    return asyncio.run(go())


def test_llamacpp_stream_is_read_with_usage_from_its_final_chunk_and_recorded_byte_for_byte(tmp_path: Path) -> None:
    served = Reply(raw_body=LLAMA_SSE, content_type="text/event-stream")
    with ChatServer([served]) as server:
        live, usage = call(server.url, ResponseStore(tmp_path, "record", upstream=httpx2.AsyncHTTPTransport()),
                           LLAMA_REQUEST)
    assert server.requests[0]["stream"] is True and server.requests[0]["stream_options"] == {"include_usage": True}
    assert server.requests[0]["max_completion_tokens"] == 400
    assert live.finish_reason == "length" and live.content.startswith('{\n"')
    assert (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) == (1179, 400, 1178)
    assert usage.replayed == 0
    (path,) = tmp_path.glob("*.json")
    recording = json.loads(path.read_text(encoding="utf-8"))
    assert "\n".join(recording["response"]["events"]).encode("utf-8") == LLAMA_SSE  # byte for byte
    assert recorded_completion(recording) == live

    replayed, again = call("http://127.0.0.1:9/v1", ResponseStore(tmp_path, "replay"), LLAMA_REQUEST)  # no server
    assert (replayed.content, replayed.finish_reason, replayed.usage) == (live.content, live.finish_reason, live.usage)
    assert again.replayed == 1 and again.replayed_completion_tokens == 400


def test_llamacpp_budget_reply_not_streamed_is_read_the_same(tmp_path: Path) -> None:
    """A server may answer a streamed request with one JSON body (llama.cpp's, with its timings
    and no refusal field): read as is, cut at the budget."""
    body = json.dumps(LLAMA_BUDGET["response_body"]).encode()
    with ChatServer([Reply(raw_body=body)]) as server:
        completion, usage = call(server.url, None, LLAMA_BUDGET["request_body"])
    assert completion.finish_reason == "length" and completion.refusal is None
    assert completion.read()[1:] == (["the reply was cut off at the length limit"], True)
    assert (usage.prompt_tokens, usage.completion_tokens, usage.cached_tokens) == (1179, 400, 1174)


def test_a_reply_that_loops_is_stopped_early_and_asked_again_changed(run: Run) -> None:
    with ChatServer([Reply(endless=True), Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    first, second = server.requests
    budget = first["max_completion_tokens"]
    assert budget == extraction_budget(first["messages"][1]["content"]) and budget < 10_000
    assert second["max_completion_tokens"] == budget  # a loop gets no more room to loop in
    assert [m["role"] for m in second["messages"]] == ["system", "user", "user"]  # without the looping text
    note = second["messages"][-1]["content"]
    assert "kept repeating the same text" in note and "at most about" in note
    usage = Briefing.model_validate_json(result.stdout).usage
    looped = usage.completion_tokens - round(len(seed_answer()) / 4)
    assert usage.calls == 2 and 0 < looped < budget / 4  # stopped long before the budget


def test_a_server_that_knows_only_max_tokens_is_asked_again_with_it(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer())], unknown_params=("max_completion_tokens",)) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    rejected, accepted = server.requests
    assert "max_completion_tokens" in rejected and "max_tokens" not in rejected
    assert accepted["max_tokens"] == rejected["max_completion_tokens"] and "max_completion_tokens" not in accepted
    assert Briefing.model_validate_json(result.stdout).usage.calls == 1


def test_budget_param_max_tokens_sends_it_from_the_start(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer())], unknown_params=("max_completion_tokens",)) as server:
        result = run("brief", SEED, "--base-url", server.url, "--budget-param", "max_tokens", "-q", env=KEY)
    assert result.exit_code == 0, result.stderr
    (request,) = server.requests
    assert request["max_tokens"] > 0 and "max_completion_tokens" not in request


def test_a_plain_http_endpoint_loads_no_certificates_and_its_tls_fails_closed() -> None:
    import ssl

    from briefer.llm.client import network_transport

    local = network_transport("http://127.0.0.1:8080/v1")._pool._ssl_context  # type: ignore[attr-defined]
    assert local.get_ca_certs() == [] and local.verify_mode == ssl.CERT_REQUIRED and local.check_hostname
    hosted = network_transport("https://api.openai.com/v1")._pool._ssl_context  # type: ignore[attr-defined]
    assert hosted.verify_mode == ssl.CERT_REQUIRED and hosted.get_ca_certs()


def test_an_error_inside_the_stream_is_one_line_and_not_retried(run: Run) -> None:
    from .conftest import assert_clean_failure

    broken = Reply(raw_body=b'data: {"error": {"message": "the model crashed"}}\n\n', content_type="text/event-stream")
    with ChatServer([broken]) as server:
        result = run("brief", SEED, "--base-url", server.url, env=KEY)
    line = assert_clean_failure(result, 5)
    assert "the model crashed" in line and len(server.requests) == 1


def test_a_streamed_reply_holding_a_line_separator_is_read_whole(run: Run) -> None:
    """Servers send model text raw in the events' JSON (ensure_ascii off, as this server and
    llama.cpp do): a U+2028 or U+0085 in the text is part of the event, not a line break."""
    answer = json.loads(seed_answer())
    answer["title"] = "Scholz and Putin\u2028speak\u0085again"
    with ChatServer([Reply(content=json.dumps(answer, ensure_ascii=False))]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--format", "json", env=KEY)
    assert result.exit_code == 0, result.stderr
    assert Briefing.model_validate_json(result.stdout).title == "Scholz and Putin\u2028speak\u0085again"


def test_a_streamed_event_that_is_not_json_is_one_line(run: Run) -> None:
    from .conftest import assert_clean_failure

    broken = Reply(raw_body=b'data: {"choices": [{"index": 0, "delta": {"content": "{\\"ti\n\n',
                   content_type="text/event-stream")
    with ChatServer([broken]) as server:
        result = run("brief", SEED, "--base-url", server.url, env=KEY)
    line = assert_clean_failure(result, 5)
    assert "streamed event that is not JSON" in line and len(server.requests) == 1
