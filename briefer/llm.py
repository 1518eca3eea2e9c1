"""The one place that talks to a model.

Two failure kinds, two mechanisms, never stacked:
- transport faults (429, 5xx, timeouts, dropped connections) are retried by tenacity alone,
  honouring Retry-After, bounded in attempts and in total time; the SDK's own retries are off;
- invalid output (bad JSON, schema or reference errors, a reply cut off at the length limit) is
  re-asked with the errors, a bounded number of times. A transport error never reaches a prompt.
Refusals are reported, not retried. The usage of every attempt is summed.
"""

from __future__ import annotations

import asyncio
import email.utils
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx2
import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

from .defaults import DEFAULT_CONCURRENCY
from .errors import InvalidOutput, ModelRefused, ProviderError
from .models import Usage
from .prompting import Message, StructuredMode, reask_message

T = TypeVar("T", bound=BaseModel)

#: Status codes worth another attempt: the request was fine, the moment was not.
TRANSIENT_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
MAX_ERRORS_IN_REASK = 20
_CODE_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)


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


@dataclass
class StructuredReply(Generic[T]):
    value: T
    usage: Usage


class LLMClient:
    """An async Chat Completions client that returns validated pydantic objects."""

    def __init__(self, settings: LLMSettings, transport: httpx2.AsyncBaseTransport | None = None):
        self.settings = settings
        #: Calls in flight at once, across every chunk and article of the run.
        self._slots = asyncio.Semaphore(settings.concurrency)
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key,
            base_url=settings.base_url,
            max_retries=0,
            timeout=settings.timeout,
            http_client=httpx2.AsyncClient(
                transport=transport or httpx2.AsyncHTTPTransport(), timeout=settings.timeout
            ),
        )

    async def close(self) -> None:
        await self._client.close()

    async def structured(
        self,
        messages: list[Message],
        output: type[T],
        response_format: dict[str, Any],
        context: dict[str, Any] | None = None,
        review: Callable[[T], list[str]] | None = None,
    ) -> StructuredReply[T]:
        """Ask until the reply validates as `output`, re-asking with the errors at most
        `max_reasks` times.

        `review` checks a valid reply further (grounding): what it finds goes back to the model
        once, like a validation error; if the answer to that is no better, or invalid, the
        reviewed reply is kept, so that nothing is lost and the findings stay marked.
        """
        usage = Usage()
        raw_replies: list[str] = []
        conversation = list(messages)
        reasks_left, reviews_left = self.settings.max_reasks, 1 if review else 0
        reviewed: T | None = None
        while True:
            completion, retries = await self._complete(conversation, response_format)
            usage += usage_of(completion, retries)
            content, errors, cut_off = _read_reply(completion)
            raw_replies.append(content)
            if not errors:
                try:
                    value = output.model_validate_json(_unfenced(content), context=context)
                except ValidationError as error:
                    errors = describe_validation_error(error)
                else:
                    findings = review(value) if review and reviews_left else []
                    if not findings:
                        return StructuredReply(value, usage)
                    reviewed, errors, reviews_left = value, findings, 0
                    usage.reasks += 1
                    conversation = [*messages, {"role": "assistant", "content": content},
                                    reask_message(errors)]
                    continue
            if reviewed is not None:  # the answer to the review is invalid: keep the reviewed one
                return StructuredReply(reviewed, usage)
            if reasks_left == 0:
                raise InvalidOutput(
                    f"the model's reply was still invalid after {self.settings.max_reasks} "
                    f"re-asks: {errors[0]}",
                    raw_replies,
                )
            reasks_left -= 1
            usage.reasks += 1
            follow_up = [] if cut_off else [{"role": "assistant", "content": content}]
            conversation = [*messages, *follow_up, reask_message(errors, cut_off=cut_off)]

    async def _complete(
        self, conversation: list[Message], response_format: dict[str, Any]
    ) -> tuple[ChatCompletion, int]:
        """One completion, with transport faults retried. Returns it and the retries it took."""
        settings = self.settings
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=_wait_for(settings.first_backoff, settings.max_retry_seconds),
            stop=stop_after_attempt(settings.max_attempts)
            | stop_after_delay(settings.max_retry_seconds),
            reraise=True,
        )

        async def call() -> ChatCompletion:
            async with self._slots:  # held per attempt, not while backing off
                return await self._client.chat.completions.create(
                    model=settings.model,
                    messages=conversation,  # type: ignore[arg-type]
                    response_format=response_format,  # type: ignore[arg-type]
                )

        try:
            completion = await retrying(call)
            # The slot is free: let a waiting call go out before this reply's CPU work (parsing,
            # validation, grounding, rendering) holds the event loop. Under load this keeps
            # requests flowing instead of arriving at the provider in bursts.
            await asyncio.sleep(0)
        except openai.APIError as error:
            tries = retrying.statistics.get("attempt_number", 1)
            raise ProviderError(describe_api_error(error, tries, settings)) from None
        if not isinstance(completion, ChatCompletion):  # the SDK hands back non-JSON bodies as text
            where = settings.base_url or "the OpenAI API"
            raise ProviderError(f"{where} did not answer with a chat completion (got "
                                f"{_one_line(str(completion), 80)!r}); is --base-url an "
                                "OpenAI-compatible endpoint?")
        return completion, retrying.statistics["attempt_number"] - 1


def _read_reply(completion: ChatCompletion) -> tuple[str, list[str], bool]:
    """The reply's text, what is wrong with it before parsing, and whether it was cut off."""
    if not completion.choices:
        return "", ["the reply had no choices"], False
    choice = completion.choices[0]
    message = choice.message
    if message.refusal:
        raise ModelRefused(f"the model refused: {message.refusal}")
    if choice.finish_reason == "content_filter":
        raise ModelRefused("the provider's content filter stopped the reply")
    content = message.content or ""
    if choice.finish_reason == "length":
        return content, ["the reply was cut off at the length limit"], True
    if not content.strip():
        return content, ["the reply was empty"], False
    return content, [], False


def _unfenced(content: str) -> str:
    """The JSON object in a reply: inside a ```json fence, or between prose, which some servers
    add even in JSON mode. Anything else is left for validation to report."""
    match = _CODE_FENCE.match(content)
    if match:
        return match.group(1)
    stripped = content.strip()
    if not stripped.startswith("{") and "{" in stripped and stripped.rfind("}") > stripped.find("{"):
        return stripped[stripped.find("{") : stripped.rfind("}") + 1]
    return content


def usage_of(completion: ChatCompletion, retries: int) -> Usage:
    reported = completion.usage
    cached = 0
    if reported and reported.prompt_tokens_details:
        cached = reported.prompt_tokens_details.cached_tokens or 0
    return Usage(
        calls=1,
        prompt_tokens=reported.prompt_tokens if reported else 0,
        completion_tokens=reported.completion_tokens if reported else 0,
        cached_tokens=cached,
        retries=retries,
    )


def describe_validation_error(error: ValidationError) -> list[str]:
    """pydantic's errors as short sentences the model can act on."""
    described = []
    for item in error.errors(include_url=False)[:MAX_ERRORS_IN_REASK]:
        where = ".".join(str(part) for part in item["loc"]) or "reply"
        message = item["msg"].removeprefix("Value error, ")
        described.append(f"{where}: {message}")
    return described


def is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # includes timeouts
        return True
    if isinstance(error, openai.APIStatusError):
        if error.code == "insufficient_quota":  # a 429 that waiting will not fix
            return False
        return error.status_code in TRANSIENT_STATUS
    return False


def retry_after_seconds(error: BaseException | None) -> float | None:
    """The wait a 429/503 asks for, from Retry-After (seconds or an HTTP date) or
    Retry-After-Ms."""
    response = getattr(error, "response", None)
    if response is None:
        return None
    headers = response.headers
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _wait_for(first_backoff: float, ceiling: float) -> Any:
    backoff = wait_exponential_jitter(initial=first_backoff, max=30.0, jitter=first_backoff)

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = retry_after_seconds(error)
        return min(asked, ceiling) if asked is not None else backoff(state)

    return wait


def describe_api_error(error: openai.APIError, tries: int, settings: LLMSettings) -> str:
    after = f" (after {tries} attempts)" if tries > 1 else ""
    where = settings.base_url or "the OpenAI API"
    if isinstance(error, openai.APITimeoutError):
        return f"the model did not answer within {settings.timeout:g} s{after}"
    if isinstance(error, openai.APIConnectionError):
        cause = error.__cause__
        reason = f": {cause}" if cause and str(cause) else ""
        return f"cannot reach {where}{reason}{after}"
    if isinstance(error, openai.APIStatusError):
        body = error.body if isinstance(error.body, dict) else {}
        detail = _one_line(str(body.get("message") or re.sub(r"^Error code: \d+ - ", "", error.message)))
        if error.status_code == 401:
            return f"the provider rejected the API key (401): {detail}"
        if error.status_code == 404:
            return f"model '{settings.model}' or endpoint not found at {where} (404): {detail}"
        return f"the provider answered {error.status_code}{after}: {detail}"
    return f"provider error{after}: {_one_line(str(error))}"


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
