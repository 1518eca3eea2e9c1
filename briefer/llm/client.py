"""The one place that talks to a model.

Two failure kinds, two mechanisms, never stacked:
- transport faults (429, 5xx, timeouts, dropped connections) are retried by one loop alone
  (briefer/llm/retries.py), and said on the progress line;
- invalid output and grounding findings go back to the model a bounded number of times: as a
  request for a patch of the faulty items when the reply is a JSON object whose errors name its
  items (briefer/llm/repair.py), else as a re-ask for the whole reply (bad JSON, a cut-off).
Every call streams, with a completion budget; refusals are reported, not retried. The usage of
every attempt is summed, calls answered from recordings counted apart.
"""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

import httpx2
import openai
from pydantic import BaseModel

from ..core.defaults import DEFAULT_CONCURRENCY
from ..core.errors import InvalidOutput, ProviderError
from ..core.models import Usage
from ..core.safety import register_secret, safe_url
from ..core.startup import resume as resume_collector
from ..extract.prompting import Message, StructuredMode, cutoff_message, reask_message, repair_message
from ..extract.schema import response_format as schema_format
from ..extract.schema import strict_json_schema
from . import cutoff, repair
from .budget import repair_budget
from .progress import Progress
from .reading import MAX_ERRORS_IN_REASK, validated
from .retries import GaveUp, RetryPolicy, describe_api_error, mentions, retried, retry_notice
from . import wire
from .servers import ServerFacts, server_facts
from .stream import LOOPING, Completion, read_completion
from .work import add_to_current_work

T = TypeVar("T", bound=BaseModel)
BudgetParam = Literal["max_completion_tokens", "max_tokens"]
#: Where a replay's look-ups go: only the response store sees them, which keys them by path.
REPLAY_BASE = "http://replay.invalid/v1"
#: A chat completion is sent as the SDK's `chat.completions.with_streaming_response.create`
#: sends it (the same body, in its order, the same headers and authentication), through the
#: client's own `post`: the SDK's chat resource module, which this does not import, costs every
#: run about 25 ms of start-up. The reply is read from the HTTP response as it streams in.
_STREAMED: dict[str, Any] = {"headers": {"X-Stainless-Raw-Response": "stream"}, "security": {"bearer_auth": True}}
#: What a deadline's timeout error names as its request (the SDK's errors carry one).
_DEADLINE_REQUEST = httpx2.Request("POST", "http://deadline.invalid/chat/completions")


@dataclass(frozen=True)
class LLMSettings:
    model: str
    api_key: str
    base_url: str | None = None
    timeout: float = 120.0
    max_reasks: int = 2
    max_attempts: int = 5
    max_retry_seconds: float = 300.0
    first_backoff: float = 1.0
    structured_mode: StructuredMode = "json_schema"
    concurrency: int = DEFAULT_CONCURRENCY
    #: The request field of the completion budget; servers that only know `max_tokens` are
    #: also found out by their 400 and asked again with it.
    budget_param: BudgetParam = "max_completion_tokens"
    #: The language replies are written in (ISO 639-1); None: English, the instructions' own.
    language: str | None = None


@dataclass
class StructuredReply(Generic[T]):
    value: T
    usage: Usage


@dataclass
class _Ask:
    """One request of the conversation: the messages, the format, the budget, and for a repair
    the patch model and the reply it applies to."""

    messages: list[Message]
    response_format: dict[str, Any]
    budget: int | None
    patch: type[BaseModel] | None = None
    base: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)  # what this ask is to put right
    #: The messages before any cut-off note: a later cut replaces the note, never adds one.
    uncut: list[Message] | None = None


class LLMClient:
    """An async Chat Completions client that returns validated pydantic objects."""

    def __init__(self, settings: LLMSettings, transport: httpx2.AsyncBaseTransport | None = None,
                 progress: Progress | None = None):
        self.settings = settings
        register_secret(httpx2.URL(settings.base_url).password if settings.base_url else None)
        self.progress = progress or Progress(None)
        self._budget_param: BudgetParam = settings.budget_param
        #: Every answer this client received, summed: what the run spent, whether or not the
        #: work it was for succeeded (a reply still invalid after its re-asks was paid for).
        self.spent = Usage()
        #: Only the response store may say an answer was replayed; a server cannot.
        self._replays = bool(getattr(transport, "replays", False))
        #: Calls in flight at once, across every chunk and article of the run.
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._http = httpx2.AsyncClient(transport=transport or network_transport(settings.base_url),
                                        timeout=settings.timeout)
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key,
            base_url=settings.base_url,
            max_retries=0,
            timeout=settings.timeout,
            http_client=self._http,
        )
        self._facts: ServerFacts | None = None
        self._facts_lock = asyncio.Lock()
        #: A replay asks the recordings what the server said of itself, whatever --base-url says.
        replaying = getattr(transport, "mode", None) == "replay"
        self._lookup_base = settings.base_url or (REPLAY_BASE if replaying else None)

    async def close(self) -> None:
        await self._client.close()

    async def server(self) -> ServerFacts:
        """What the server says of itself (its context size), asked once a client: through the
        same transport as the calls, so a recording replays it."""
        async with self._facts_lock:
            if self._facts is None:
                self._facts = await server_facts(self._http, self._lookup_base, self.settings.model,
                                                 headers={"Authorization": f"Bearer {self.settings.api_key}"})
                if self._facts.kind == "Ollama":  # it ignores max_completion_tokens without a word
                    self._budget_param = "max_tokens"
            return self._facts

    async def structured(
        self,
        messages: list[Message],
        output: type[T],
        response_format: dict[str, Any],
        context: dict[str, Any] | None = None,
        review: Callable[[T], list[str]] | None = None,
        budget: int | None = None,
        hollow: Callable[[T], str | None] | None = None,
    ) -> StructuredReply[T]:
        """Ask until the reply validates as `output`, repairing or re-asking at most
        `max_reasks` times; at most `budget` completion tokens a call.

        `review` checks a valid reply further (grounding): its findings go back once, as a
        patch request; the answer is kept only when it has fewer findings, else the reviewed
        reply is, so that nothing is lost and the findings stay marked.
        """
        usage = Usage()
        raw_replies: list[str] = []
        window = (await self.server()).context  # the server's context size, when it says it
        ask = _Ask(messages, response_format, budget)
        reasks_left, reviews_left = self.settings.max_reasks, 1 if review else 0
        hollows_left = 1 if hollow else 0
        reviewed: tuple[T, int] | None = None  # the best reviewed value and its finding count
        talk = cutoff.Conversation()
        errors: list[str] = []
        while True:
            completion, spent = await self._send(ask, talk, window, len(messages), raw_replies, errors)
            usage += spent
            content, reply, value, errors, cut_off = validated(ask, completion, output, context)
            raw_replies.append(content)
            if value is not None and hollow is not None and (problem := hollow(value)):
                hollows_left = self._hollow(problem, hollows_left, raw_replies)
                value, errors = None, [problem]
            elif value is not None:
                findings = review(value) if review and (reviews_left or reviewed) else []
                if reviewed is not None and len(findings) >= reviewed[1]:
                    return StructuredReply(reviewed[0], usage)
                if not findings or not reviews_left:
                    return StructuredReply(value, usage)
                reviewed, reviews_left, errors = (value, len(findings)), reviews_left - 1, findings
            elif reviewed is not None:  # the answer to the review is invalid: keep the reviewed one
                return StructuredReply(reviewed[0], usage)
            elif reasks_left == 0:
                problem = errors[0]
                if ask.patch is not None and reply is None and ask.errors:
                    problem = f"{ask.errors[0]} (the patch sent for it was unusable: {problem})"
                raise InvalidOutput(f"the model's reply was still invalid after {self.settings.max_reasks} "
                                    f"re-asks: {problem}", raw_replies)
            else:
                reasks_left -= 1
                self.progress.notice(cutoff.reask_line(errors[0], completion, self.settings.max_reasks - reasks_left,
                                                       self.settings.max_reasks))
            usage.reasks += 1
            self.progress.reasked()
            if cut_off:
                ask = self._after_cut(ask, completion, talk, window)
            else:
                ask = self._next_ask(messages, output, response_format, budget, ask, reply, content, errors)

    def _hollow(self, problem: str, left: int, raw_replies: list[str]) -> int:
        """A hollow reply is asked again once, then fails with its raw replies."""
        if not left:
            raise InvalidOutput(f"the model's reply was hollow again after a re-ask: {problem}", raw_replies)
        self.progress.notice(f"the reply was hollow ({problem}); asking again once")
        return left - 1

    async def _send(self, ask: _Ask, talk: cutoff.Conversation, window: int | None, first: int,
                    raw_replies: list[str], errors: list[str]) -> tuple[Completion, Usage]:
        """One attempt: its budget fitted to the server's context, never a request sent before,
        its usage counted (a reply stopped for looping: as received, the prompt estimated)."""
        prompt = cutoff.prompt_estimate(ask.messages, talk.counted)
        ask.budget = cutoff.fitted_budget(ask.budget, prompt, window)
        talk.sending(cutoff.fingerprint(ask.messages, ask.response_format, ask.budget), raw_replies, errors)
        completion, retries = await self._complete(ask)
        if not completion.usage and completion.finish_reason == LOOPING:
            completion.usage = {"prompt_tokens": prompt, "completion_tokens": cutoff.received(completion)}
        call = usage_of(completion, retries)
        self.progress.settled(completion.pieces, len(completion.content), call.completion_tokens)
        if len(ask.messages) == first and completion.usage.get("prompt_tokens"):
            talk.counted = (first, int(completion.usage["prompt_tokens"]))
        return completion, call

    def _after_cut(self, ask: _Ask, completion: Completion, talk: cutoff.Conversation,
                   window: int | None) -> _Ask:
        """The same request with the cut noted and a more compact reply asked for; after a cut
        at the budget, a bigger budget where the context has room."""
        talk.cuts += 1
        uncut = ask.uncut or ask.messages
        looping = completion.finish_reason == LOOPING
        tokens = cutoff.received(completion)
        note = cutoff_message(tokens, talk.cuts, cutoff.compact_target(tokens, talk.cuts), looping=looping)
        messages = [*uncut, note]
        budget = cutoff.next_budget(ask.budget, looping, cutoff.prompt_estimate(messages, talk.counted), window)
        return _Ask(messages, ask.response_format, budget, ask.patch, ask.base, ask.errors, uncut)

    def _next_ask(
        self, messages: list[Message], output: type[BaseModel], response_format: dict[str, Any],
        budget: int | None, last: _Ask, reply: Any, content: str, errors: list[str],
    ) -> _Ask:
        """A patch request when the errors name items of a reply that parsed; a failed patch is
        asked for again, with the unusable patch and what is wrong with it; anything else is a
        re-ask for the whole reply."""
        if repair.repairable(output, reply, errors):
            return self._repair(messages, output, budget, reply, errors)
        if last.patch is not None and last.base is not None and reply is None:
            uncut = last.uncut or last.messages
            return _Ask([*uncut, {"role": "assistant", "content": content},
                         reask_message(errors[:MAX_ERRORS_IN_REASK])], last.response_format, last.budget,
                        last.patch, last.base, last.errors)
        if last.patch is not None and isinstance(reply, dict):  # show what the patch made
            content = json.dumps(reply, ensure_ascii=False, separators=(",", ":"))
        return _Ask([*messages, {"role": "assistant", "content": content},
                     reask_message(errors[:MAX_ERRORS_IN_REASK])], response_format, budget, errors=errors)

    def _repair(self, messages: list[Message], output: type[BaseModel], budget: int | None,
                reply: dict[str, Any], errors: list[str]) -> _Ask:
        patch = repair.patch_model(output, repair.sections_for(output, errors))
        items = repair.faulty_items(reply, errors[:MAX_ERRORS_IN_REASK])
        name = f"{output.__name__.lower()}{repair.PATCH_SCHEMA_SUFFIX}"
        if self.settings.structured_mode == "json_object":
            schema = json.dumps(strict_json_schema(patch), ensure_ascii=False)
            fmt: dict[str, Any] = {"type": "json_object"}
        else:
            schema, fmt = None, schema_format(patch, name)
        return _Ask([*messages, repair_message(items, schema)], fmt,
                    repair_budget(len(items), budget) if budget else None, patch, reply, errors)

    async def complete(self, messages: list[Message], response_format: dict[str, Any],
                       budget: int | None = None) -> tuple[Completion, Usage]:
        """One call as it came back, unvalidated (transport faults retried): for tools that
        look at the wire shapes."""
        completion, retries = await self._complete(_Ask(messages, response_format, budget))
        return completion, usage_of(completion, retries)

    async def _complete(self, ask: _Ask) -> tuple[Completion, int]:
        """One streamed completion, with transport faults retried. Returns it and the retries
        it took."""
        settings = self.settings
        policy = RetryPolicy(settings.max_attempts, settings.max_retry_seconds, settings.first_backoff)
        try:
            completion, retries = await retried(lambda: self._stream_once(ask), policy, self._say_retry)
            # The slot is free: let a waiting call go out before this reply's CPU work (parsing,
            # validation, grounding, rendering) holds the event loop.
            await asyncio.sleep(0)
        except GaveUp as failed:
            raise ProviderError(describe_api_error(failed.error, failed.tries, settings)) from None
        used = usage_of(completion, retries)
        self.spent += used
        add_to_current_work(used)
        return completion, retries

    async def _stream_once(self, ask: _Ask) -> Completion:
        async with self._slots:  # held per attempt, not while backing off
            try:
                # --timeout is the whole attempt's deadline: httpx's own timeouts restart with
                # every byte, so a server trickling its answer could hold a call (and its slot)
                # for ever.
                async with asyncio.timeout(self.settings.timeout):
                    return await self._attempt(ask)
            except TimeoutError:
                raise openai.APITimeoutError(request=_DEADLINE_REQUEST) from None

    async def _attempt(self, ask: _Ask) -> Completion:
        """One request and its whole streamed reply."""
        self.progress.call_started()
        try:
            try:
                return await self._call(ask)
            except openai.BadRequestError as error:
                if not (ask.budget and self._budget_param == "max_completion_tokens"
                        and mentions(error, "max_completion_tokens")):
                    raise
                self._budget_param = "max_tokens"  # a server that knows only the old name
                return await self._call(ask)
        finally:
            self.progress.call_ended()

    async def _call(self, ask: _Ask) -> Completion:
        """Send one request and read its reply as it streams in (the SDK raises for a status
        that is not 2xx, as for any call)."""
        budget = {self._budget_param: ask.budget} if ask.budget else {}
        response = await self._client.post("/chat/completions", cast_to=httpx2.Response, stream=True, body={
            "model": self.settings.model, "stream": True, "messages": ask.messages, **budget,
            "response_format": ask.response_format, "stream_options": {"include_usage": True},
        }, options=_STREAMED)
        try:
            resume_collector()  # start-up ends with the first request sent
            where = safe_url(self.settings.base_url) or "the OpenAI API"
            completion = await read_completion(response, where, self.progress.text)
        finally:
            await response.aclose()
        completion.replayed = completion.replayed and self._replays
        return completion

    def _say_retry(self, error: BaseException, seconds: float, attempt: int) -> None:
        self.progress.notice(retry_notice(error, seconds, attempt, self.settings.max_attempts))


def network_transport(base_url: str | None) -> httpx2.AsyncHTTPTransport:
    """The transport to the model. A plain-HTTP endpoint (a local server) needs no certificate
    store, whose loading is a tenth of the start-up: its TLS context trusts no certificate at
    all, so that any HTTPS connection through it fails closed (none is made: redirects are not
    followed)."""
    if base_url and base_url.lower().startswith("http://"):
        return httpx2.AsyncHTTPTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    return httpx2.AsyncHTTPTransport()


def usage_of(completion: Any, retries: int) -> Usage:
    """The usage of one call: a `Completion`, or the SDK's own ChatCompletion (doctor's probe)."""
    reported = completion.usage
    if hasattr(reported, "model_dump"):
        reported = reported.model_dump()
    reported, _ = wire.usage_of(reported)  # never a negative or non-numeric count (wire.py)
    details = reported.get("prompt_tokens_details") or {}
    tokens = (int(reported.get("prompt_tokens") or 0), int(reported.get("completion_tokens") or 0),
              int(details.get("cached_tokens") or 0))
    usage = Usage(calls=1, prompt_tokens=tokens[0], completion_tokens=tokens[1],
                  cached_tokens=tokens[2], retries=retries)
    if getattr(completion, "replayed", False):
        usage.replayed, usage.replayed_prompt_tokens = 1, tokens[0]
        usage.replayed_completion_tokens, usage.replayed_cached_tokens = tokens[1], tokens[2]
    return usage
