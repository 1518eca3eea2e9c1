"""Transport faults: which are worth another attempt, how long to wait, and how to say so.

`retried` alone retries (the SDK's own retries are off), with tenacity, honouring Retry-After,
bounded in attempts and in total time. A transport error never reaches a prompt.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import openai

from ..core.safety import redact, safe_url

#: Status codes worth another attempt: the request was fine, the moment was not.
TRANSIENT_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})
#: The longest wait between two attempts that backing off reaches (Retry-After may ask longer).
MAX_BACKOFF = 30.0

T = TypeVar("T")


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


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a call is tried: at most `attempts` attempts, none begun after
    `seconds` have passed since the first; the first wait about `first_backoff` seconds,
    doubling with each attempt."""

    attempts: int
    seconds: float
    first_backoff: float

    def wait(self, error: BaseException, attempt: int) -> float:
        """Exactly what Retry-After asks (up to the time allowed), else exponential backoff with
        jitter after the `attempt`-th attempt failed."""
        asked = retry_after_seconds(error)
        if asked is not None:
            return min(asked, self.seconds)
        backoff = self.first_backoff * 2 ** (attempt - 1) + random.uniform(0, self.first_backoff)
        return max(0.0, min(backoff, MAX_BACKOFF))


class GaveUp(Exception):
    """The provider's error that ended a call's attempts: `error`, after `tries` attempts."""

    def __init__(self, error: openai.APIError, tries: int) -> None:
        super().__init__(str(error))
        self.error, self.tries = error, tries


async def retried(attempt: Callable[[], Awaitable[T]], policy: RetryPolicy,
                  notice: Callable[[BaseException, float, int], None]) -> tuple[T, int]:
    """`attempt()`'s result and how many retries it took. A transient fault is tried again after
    a wait (`notice` is told the fault, the wait and the number of the attempt that follows)
    while attempts and time are left; the provider's error that ends the attempts is raised as
    `GaveUp`, any other error as it is. The first attempt is made here and the rest by tenacity,
    imported only then: a call that succeeds at once (every replayed one) loads no retry library."""
    started = time.monotonic()
    try:
        return await attempt(), 0
    except Exception as error:
        if not _may_retry(error, 1, policy, started):
            _end(error, 1)
            raise
        first = error
    seconds = policy.wait(first, 1)
    notice(first, seconds, 2)
    await asyncio.sleep(seconds)
    return await _retried_by_tenacity(attempt, policy, notice, started)


async def _retried_by_tenacity(attempt: Callable[[], Awaitable[T]], policy: RetryPolicy,
                               notice: Callable[[BaseException, float, int], None],
                               started: float) -> tuple[T, int]:
    """Attempts 2 and on; tenacity's own attempt number n is the call's attempt n + 1."""
    from tenacity import AsyncRetrying, RetryCallState, retry_if_exception

    def failed(state: RetryCallState) -> BaseException:
        assert state.outcome is not None
        return state.outcome.exception()  # type: ignore[return-value]

    def say(state: RetryCallState) -> None:
        notice(failed(state), state.upcoming_sleep, state.attempt_number + 2)

    retrying = AsyncRetrying(
        retry=retry_if_exception(is_transient),
        stop=lambda state: not _may_retry(failed(state), state.attempt_number + 1, policy, started),
        wait=lambda state: policy.wait(failed(state), state.attempt_number + 1),
        before_sleep=say, reraise=True)
    async def once() -> T:  # a coroutine function, so that tenacity awaits what it returns
        return await attempt()

    try:
        return await retrying(once), retrying.statistics["attempt_number"]
    except Exception as error:
        _end(error, retrying.statistics.get("attempt_number", 0) + 1)
        raise


def _may_retry(error: BaseException, tries: int, policy: RetryPolicy, started: float) -> bool:
    return is_transient(error) and tries < policy.attempts and time.monotonic() - started < policy.seconds


def _end(error: BaseException, tries: int) -> None:
    """Raise the provider's error that ended a call as `GaveUp`; return on any other, for the
    caller to re-raise as it is."""
    if isinstance(error, openai.APIError):
        raise GaveUp(error, tries) from error


def retry_notice(error: BaseException | None, seconds: float, attempt: int, attempts: int) -> str:
    """What a person watching sees while a call is retried, e.g. "503 from the server,
    retrying in 4 s (2 of 5)"."""
    if isinstance(error, openai.APITimeoutError):
        what = "no answer in time"
    elif isinstance(error, openai.APIConnectionError):
        what = "the connection failed"
    elif isinstance(error, openai.APIStatusError):
        what = f"{error.status_code} from the server"
    else:
        what = "the call failed"
    return f"{what}, retrying in {seconds:.0f} s ({attempt} of {attempts})"


def describe_api_error(error: openai.APIError, tries: int, settings: Any) -> str:
    """One line for a failed call; `settings` names the model, base URL and timeout."""
    after = f" (after {tries} attempts)" if tries > 1 else ""
    where = safe_url(settings.base_url) or "the OpenAI API"
    model = settings.model
    if isinstance(error, openai.APITimeoutError):
        return f"the model did not answer within {settings.timeout:g} s{after}"
    if isinstance(error, openai.APIConnectionError):
        cause = error.__cause__
        reason = f": {cause}" if cause and str(cause) else ""
        return f"cannot reach {where}{reason}{after}"
    if isinstance(error, openai.APIStatusError):
        body = error.body if isinstance(error.body, dict) else {}
        detail = one_line(str(body.get("message") or re.sub(r"^Error code: \d+ - ", "", error.message)))
        if error.status_code == 401:
            return f"the provider rejected the API key (401): {detail}"
        if error.status_code == 404:
            return f"model '{model}' or endpoint not found at {where} (404): {detail}"
        context = context_error(error.body, detail)
        if context:
            return context
        return f"the provider answered {error.status_code}{after}: {detail}"
    return context_error(error.body, str(error)) or f"provider error{after}: {one_line(str(error))}"


CONTEXT_ADVICE = ("start the server with a larger context (llama-server -c, vLLM --max-model-len, "
                  "Ollama num_ctx) or brief with smaller --chunk-tokens")
#: vLLM's and OpenAI's words for a request over the context ("maximum context length is 8192
#: tokens. However, you requested 9000 tokens (...)"), llama.cpp's ("request (9000 tokens)
#: exceeds the available context size (8192 tokens)").
_CONTEXT_WORDS = re.compile(r"maximum context length is (\d+)|exceeds the available context size \((\d+)")
_REQUESTED = re.compile(r"requested (\d+) tokens|resulted in (\d+) tokens|request \((\d+) tokens\)")


def context_error(body: Any, detail: str) -> str | None:
    """A server's refusal of a request over its context, as one line with the numbers and what
    to change; None for any other error."""
    body = body.get("error", body) if isinstance(body, dict) else {}
    body = body if isinstance(body, dict) else {}
    words = _CONTEXT_WORDS.search(detail)
    if body.get("type") != "exceed_context_size_error" and not words:
        return None
    context = body.get("n_ctx") or next((int(g) for g in (words.groups() if words else ()) if g), None)
    asked = _REQUESTED.search(detail)
    prompt = body.get("n_prompt_tokens")
    numbers = [f"{prompt:,} prompt tokens" if isinstance(prompt, int) else None,
               f"{int(next(g for g in asked.groups() if g)):,} tokens asked for" if asked and not prompt else None,
               f"a context of {context:,} tokens" if isinstance(context, int) else None]
    said = ", ".join(n for n in numbers if n) or one_line(detail, 120)
    return f"the request does not fit the server's context ({said}); {CONTEXT_ADVICE}"


def one_line(text: str, limit: int = 300) -> str:
    """Provider text on one line and cut short, its secrets masked first (a cut must never
    leave a piece of a key that redaction can no longer recognise)."""
    flat = " ".join(redact(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def mentions(error: Any, word: str) -> bool:
    """Whether a 400 names a request parameter (a server that does not know it)."""
    return isinstance(error, openai.BadRequestError) and word in str(error.message or "")
