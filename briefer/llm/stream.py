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

import httpx2
import openai

from ..core.errors import ModelRefused, ProviderError
from . import wire
from .looping import LoopWatch
from .retries import one_line

#: The response header the response store sets on a replayed answer (never recorded, never sent).
REPLAYED_HEADER = "briefer-replayed"
#: The request extension the reader sets when it stops a looping reply on purpose: the response
#: store then keeps what was received (a replay stops at the same place), as it never does for a
#: body cut by a fault.
STOPPED_EXTENSION = "briefer.stopped"
#: The finish reason of a reply stopped here because it was looping (no server sends it).
LOOPING = "looping"
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
    #: What made the reply no chat completion of the expected shape (see wire.py), and the
    #: reply as received then: an invalid reply like any other, kept with the raw replies.
    wrong_shape: str | None = None
    raw: str = ""
    #: What was wrong with the reported usage, which is then not counted.
    usage_problem: str | None = None
    #: Content events received: the server's tokens where it sends one a event (llama.cpp,
    #: vLLM, OpenAI nearly so); a stopped reply has no usage but this.
    pieces: int = 0
    #: The span a reply stopped for looping kept repeating.
    loop: str | None = None

    def read(self) -> tuple[str, list[str], bool]:
        """The reply's text, what is wrong with it before parsing, and whether it was cut off
        at the completion budget. Refusals and content filters are raised, not re-asked."""
        if self.wrong_shape:
            return self.raw, [f"the reply was not a chat completion of the expected shape ({self.wrong_shape})"], False
        if not self.has_choice:
            return "", ["the reply had no choices"], False
        if self.refusal:
            raise ModelRefused(f"the model refused: {one_line(self.refusal)}")
        if self.finish_reason == "content_filter":
            raise ModelRefused("the provider's content filter stopped the reply")
        if self.finish_reason == "length":
            return self.content, ["the reply was cut off at the length limit"], True
        if self.finish_reason == LOOPING:
            said = f"it kept repeating {one_line(self.loop or '', 40)!r}"
            return self.content, [f"the reply was stopped after {self.pieces:,} tokens: {said}"], True
        if not self.content.strip():
            return self.content, ["the reply was empty"], False
        return self.content, [], False


async def read_completion(response: Any, where: str, on_text: OnText | None = None) -> Completion:
    """Read a chat completion response (the httpx response under the SDK) to its end.
    `on_text` hears every piece of content as it comes. The events are parsed here, as plain
    JSON: the SDK's typed chunk objects cost a tenth of a millisecond each, and a reply is
    hundreds of them. Transport faults mid-stream become the SDK's own errors, so that they
    are retried like any other."""
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    replayed = response.headers.get(REPLAYED_HEADER) == "1"
    try:
        if kind == "text/event-stream":
            completion = await _read_events(response, where, on_text)
        else:
            body = await response.aread()
            try:
                completion = from_body(json.loads(body)) if kind == "application/json" else None
            except (ValueError, RecursionError):
                completion = None
            if completion is None:
                raise ProviderError(_not_a_completion(where, body.decode("utf-8", "replace")))
            if on_text and completion.content:
                on_text(completion.content)
    except httpx2.TimeoutException as error:
        raise openai.APITimeoutError(request=response.request) from error
    except httpx2.TransportError as error:
        raise openai.APIConnectionError(request=response.request) from error
    completion.replayed = replayed
    if completion.usage_problem:
        from ..core.safety import warn

        warn(f"{where} reported a usage that is not a count of tokens ({one_line(completion.usage_problem, 120)}); "
             "this call's tokens are not counted")
    return completion


async def _read_events(response: Any, where: str, on_text: OnText | None) -> Completion:
    """Server-sent events split into lines at line feeds, as a recording's are read back
    (`from_events`): a JSON event may hold a raw U+2028 or U+0085, which text line splitting
    (httpx's `aiter_lines`, like `str.splitlines`) would cut the event at. The bytes are split
    as they come, which is also far less work per event than decoding and splitting text."""
    events, pending = _Events(on_text), b""
    try:
        async for received in response.aiter_bytes():
            *lines, pending = (pending + received).split(b"\n")
            for line in lines:
                events.line(line.decode("utf-8", "replace"), response.request)
                if events.looping:  # stop reading: closing the response ends the generation
                    response.request.extensions[STOPPED_EXTENSION] = LOOPING
                    return events.done
        events.line(pending.decode("utf-8", "replace"), response.request)
    except ValueError as error:  # an event that is not JSON: no chat completion
        raise ProviderError(f"{where} sent a streamed event that is not JSON ({one_line(str(error), 80)}); "
                            "is --base-url an OpenAI-compatible endpoint?") from None
    return events.done


class _Events:
    """Server-sent events of a streamed chat completion, one line at a time."""

    def __init__(self, on_text: OnText | None = None):
        self.completion = Completion()
        self._on_text = on_text
        self._content: list[str] = []
        self._data: list[str] = []
        self._loops = LoopWatch()
        self.looping = False

    def line(self, line: str, request: Any = None) -> None:
        if self.looping or not line.startswith("data:"):
            return  # blank lines between events, comments, event names
        data = line[5:].strip()
        if not data or data == "[DONE]":
            return
        self._data.append(data)
        try:
            chunk = json.loads(data)
        except RecursionError:
            raise ValueError("nested too deeply") from None
        if not isinstance(chunk, dict):
            return
        if chunk.get("error"):  # an error reported inside the stream
            error = chunk["error"]
            message = error.get("message") if isinstance(error, dict) else str(error)
            raise openai.APIError(one_line(str(message or "an error in the stream"), 300), request, body=error)
        completion = self.completion
        try:
            parsed = wire.parse(wire.ChatChunk, chunk)
        except wire.WrongShape as wrong:
            completion.wrong_shape = completion.wrong_shape or str(wrong)
            return
        if parsed.usage:
            completion.usage, problem = wire.usage_of(parsed.usage)
            completion.usage_problem = problem or completion.usage_problem
        for choice in parsed.choices or []:
            if choice.index != 0:
                continue
            completion.has_choice = True
            delta = choice.delta or wire.Message()
            if delta.content:
                self._content.append(delta.content)
                completion.pieces += 1
                if self._on_text:
                    self._on_text(delta.content)
                if self._loops.feed(delta.content) and not self.looping:
                    self.looping, completion.loop = True, self._loops.span
                    completion.finish_reason = LOOPING
            if delta.refusal:
                completion.refusal = (completion.refusal or "") + delta.refusal
            completion.finish_reason = choice.finish_reason or completion.finish_reason

    @property
    def done(self) -> Completion:
        self.completion.content = "".join(self._content)
        if self.completion.wrong_shape:
            self.completion.raw = "\n".join(self._data)
        return self.completion


def from_body(body: dict[str, Any]) -> Completion:
    """A non-streamed chat completion body (OpenAI's, or llama.cpp's with its extra fields)."""
    if not isinstance(body, dict) or body.get("object") not in (None, "chat.completion") or "choices" not in body:
        raise ValueError("not a chat completion")
    try:
        reply = wire.parse(wire.ChatCompletion, body)
    except wire.WrongShape as wrong:
        return Completion(has_choice=True, wrong_shape=str(wrong), raw=json.dumps(body, ensure_ascii=False))
    usage, problem = wire.usage_of(reply.usage)
    completion = Completion(usage=usage, usage_problem=problem)
    if reply.choices:
        message = reply.choices[0].message or wire.Message()
        completion.has_choice = True
        completion.content = message.content or ""
        completion.refusal = message.refusal
        completion.finish_reason = reply.choices[0].finish_reason
    return completion


def from_events(body: str) -> Completion:
    """A streamed body read back from its server-sent events (a recording's)."""
    events = _Events()
    for line in body.split("\n"):
        events.line(line)
    return events.done


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
