"""briefer sends a chat completion through the SDK client's own `post`, not through its chat
resource (whose import costs every run about 25 ms of start-up). The request must be the very
one `chat.completions.with_streaming_response.create` sends: same method, address, headers
(authentication included) and body, byte for byte, whichever completion budget is named."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import openai
import pytest

from briefer.llm import LLMClient, LLMSettings

from .chat_server import Reply, sse_body

MESSAGES = [{"role": "system", "content": "Réponds en JSON."}, {"role": "user", "content": "[P1] “Quoted”\nline"}]
FORMAT = {"type": "json_schema", "json_schema": {"name": "reply", "strict": True, "schema": {
    "type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"], "additionalProperties": False}}}
URL = "http://127.0.0.1:9/v1"


class Capture(httpx2.AsyncBaseTransport):
    """Keeps every chat completion request and answers it with a short streamed reply."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, list[tuple[str, str]], bytes]] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = await request.aread()
        if not request.url.path.endswith("/chat/completions"):
            return httpx2.Response(404, json={"error": {"message": "not here"}}, request=request)
        self.sent.append((request.method, str(request.url), sorted(request.headers.items()), body))
        events = sse_body(json.loads(body), Reply(content='{"a": "b"}'), len(self.sent))
        return httpx2.Response(200, headers={"content-type": "text/event-stream"}, content=events, request=request)


def _briefer_sends(settings: LLMSettings, budget: int | None) -> tuple[Any, ...]:
    capture = Capture()

    async def go() -> None:
        llm = LLMClient(settings, capture)
        try:
            completion, _ = await llm.complete(MESSAGES, FORMAT, budget)
            assert completion.content == '{"a": "b"}'
        finally:
            await llm.close()

    asyncio.run(go())
    (sent,) = capture.sent
    return sent


def _sdk_sends(settings: LLMSettings, budget: dict[str, int]) -> tuple[Any, ...]:
    capture = Capture()

    async def go() -> None:
        http = httpx2.AsyncClient(transport=capture, timeout=settings.timeout)
        client = openai.AsyncOpenAI(api_key=settings.api_key, base_url=settings.base_url, max_retries=0,
                                    timeout=settings.timeout, http_client=http)
        async with client.chat.completions.with_streaming_response.create(
                model=settings.model, messages=MESSAGES, response_format=FORMAT, stream=True,  # type: ignore[arg-type]
                stream_options={"include_usage": True}, **budget) as response:  # type: ignore[arg-type]
            await response.http_response.aread()
        await http.aclose()

    asyncio.run(go())
    (sent,) = capture.sent
    return sent


@pytest.mark.parametrize("param, budget", [("max_completion_tokens", 1234), ("max_tokens", 77), (None, None)])
def test_the_request_is_the_one_the_sdks_chat_resource_sends(param: str | None, budget: int | None) -> None:
    settings = LLMSettings(model="gpt-test", api_key="sk-test-key", base_url=URL, max_attempts=1,
                           **({"budget_param": param} if param else {}))  # type: ignore[arg-type]
    ours = _briefer_sends(settings, budget)
    theirs = _sdk_sends(settings, {param: budget} if param and budget else {})
    assert ours[:2] == theirs[:2]
    assert ours[2] == theirs[2]  # every header, the key's among them
    assert ours[3] == theirs[3]  # the body, byte for byte
    assert ("authorization", "Bearer sk-test-key") in ours[2]
