"""A reply read as it arrives: server-sent events (`stream: true`) or, from a server that
ignores streaming, one JSON body. Either way the result is one `Completion`.

The usage comes from the final chunk (`choices: []`, asked for with
`stream_options.include_usage`), as OpenAI, vLLM and llama.cpp send it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ModelRefused, ProviderError
from .retries import one_line

#: The response header the response store sets on a replayed answer (never recorded, never sent).
REPLAYED_HEADER = "briefer-replayed"
_CODE_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)

OnText = Callable[[str], None]


@dataclass
class Completion:
    """What one call answered, whatever its wire shape."""

    content: str = ""
    refusal: str | None = None
    finish_reason: str | None = None
    has_choice: bool = False
    usage: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False

    def read(self) -> tuple[str, list[str], bool]:
        """The reply's text, what is wrong with it before parsing, and whether it was cut off
        at the completion budget. Refusals and content filters are raised, not re-asked."""
        if not self.has_choice:
            return "", ["the reply had no choices"], False
        if self.refusal:
            raise ModelRefused(f"the model refused: {one_line(self.refusal)}")
        if self.finish_reason == "content_filter":
            raise ModelRefused("the provider's content filter stopped the reply")
        if self.finish_reason == "length":
            return self.content, ["the reply was cut off at the length limit"], True
        if not self.content.strip():
            return self.content, ["the reply was empty"], False
        return self.content, [], False


async def read_completion(stream: Any, where: str, on_text: OnText | None = None) -> Completion:
    """Read the SDK's stream to its end. `on_text` hears every piece of content as it comes."""
    response = stream.response
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    replayed = response.headers.get(REPLAYED_HEADER) == "1"
    if kind == "application/json":  # the server answered without streaming
        body = await response.aread()
        try:
            completion = from_body(json.loads(body))
        except (ValueError, TypeError, AttributeError):
            raise ProviderError(_not_a_completion(where, body.decode("utf-8", "replace"))) from None
        completion.replayed = replayed
        if on_text and completion.content:
            on_text(completion.content)
        return completion
    if kind != "text/event-stream":
        body = await response.aread()
        raise ProviderError(_not_a_completion(where, body.decode("utf-8", "replace")))
    completion = Completion(replayed=replayed)
    content: list[str] = []
    refusal: list[str] = []
    async for chunk in stream:
        if getattr(chunk, "usage", None) is not None:
            completion.usage = chunk.usage.model_dump(exclude_none=True)
        for choice in chunk.choices or []:
            if choice.index != 0:
                continue
            completion.has_choice = True
            delta = choice.delta
            if delta.content:
                content.append(delta.content)
                if on_text:
                    on_text(delta.content)
            if getattr(delta, "refusal", None):
                refusal.append(delta.refusal)
            if choice.finish_reason:
                completion.finish_reason = choice.finish_reason
    completion.content = "".join(content)
    completion.refusal = "".join(refusal) or None
    return completion


def from_body(body: dict[str, Any]) -> Completion:
    """A non-streamed chat completion body (OpenAI's, or llama.cpp's with its extra fields)."""
    if body.get("object") not in (None, "chat.completion") or "choices" not in body:
        raise ValueError("not a chat completion")
    completion = Completion(usage=body.get("usage") or {})
    choices = body["choices"] or []
    if choices:
        message = choices[0].get("message") or {}
        completion.has_choice = True
        completion.content = message.get("content") or ""
        completion.refusal = message.get("refusal")
        completion.finish_reason = choices[0].get("finish_reason")
    return completion


def from_events(body: str) -> Completion:
    """A streamed body read back from its server-sent events (a recording's), without the SDK."""
    completion = Completion()
    content: list[str] = []
    for line in body.split("\n"):
        data = line.removeprefix("data:").strip() if line.startswith("data:") else ""
        if not data or data == "[DONE]":
            continue
        chunk = json.loads(data)
        completion.usage = chunk.get("usage") or completion.usage
        for choice in chunk.get("choices") or []:
            if choice.get("index", 0) != 0:
                continue
            completion.has_choice = True
            delta = choice.get("delta") or {}
            content.append(delta.get("content") or "")
            if delta.get("refusal"):
                completion.refusal = (completion.refusal or "") + delta["refusal"]
            completion.finish_reason = choice.get("finish_reason") or completion.finish_reason
    completion.content = "".join(content)
    return completion


def unfenced(content: str) -> str:
    """The JSON object in a reply: inside a ```json fence, or between prose, which some servers
    add even in JSON mode. Anything else is left for validation to report."""
    match = _CODE_FENCE.match(content)
    if match:
        return match.group(1)
    stripped = content.strip()
    if not stripped.startswith("{") and "{" in stripped and stripped.rfind("}") > stripped.find("{"):
        return stripped[stripped.find("{") : stripped.rfind("}") + 1]
    return content


def _not_a_completion(where: str, body: str) -> str:
    return (f"{where} did not answer with a chat completion (got {one_line(body, 80)!r}); is "
            "--base-url an OpenAI-compatible endpoint?")
