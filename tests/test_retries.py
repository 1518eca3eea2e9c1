"""The retry loop itself (briefer/llm/retries.py), in-process: what is tried again, how long it
waits, and what ends it. The end-to-end faults are in test_faults.py and test_llm.py."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx2
import openai
import pytest

from briefer.llm.retries import MAX_BACKOFF, GaveUp, RetryPolicy, retried

REQUEST = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status(code: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx2.Response(code, headers=headers or {}, request=REQUEST)
    return openai.APIStatusError("failed", response=response, body=None)


def failing(*errors: BaseException) -> tuple[Callable[[], object], list[int]]:
    """An attempt that raises `errors` in turn and then answers "done"; and how often it ran."""
    calls: list[int] = []

    async def attempt() -> str:
        calls.append(1)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "done"

    return attempt, calls


def run(attempt: Callable[[], object], policy: RetryPolicy, notices: list[tuple[float, int]] | None = None):
    said = notices if notices is not None else []
    return asyncio.run(retried(attempt, policy, lambda _error, seconds, number: said.append((seconds, number))))  # type: ignore[arg-type]


def test_a_call_that_succeeds_at_once_is_not_retried() -> None:
    attempt, calls = failing()
    assert run(attempt, RetryPolicy(5, 300, 0)) == ("done", 0) and len(calls) == 1


def test_transient_faults_are_tried_again_and_counted_with_each_notice() -> None:
    attempt, calls = failing(status(503, {"retry-after": "0"}), openai.APIConnectionError(request=REQUEST))
    notices: list[tuple[float, int]] = []
    assert run(attempt, RetryPolicy(5, 300, 0), notices) == ("done", 2)
    assert [number for _, number in notices] == [2, 3] and len(calls) == 3


def test_the_last_attempt_gives_up_with_the_error_and_the_number_of_tries() -> None:
    attempt, calls = failing(*[status(502, {"retry-after": "0"})] * 5)
    with pytest.raises(GaveUp) as gave_up:
        run(attempt, RetryPolicy(3, 300, 0))
    assert gave_up.value.tries == 3 and gave_up.value.error.status_code == 502 and len(calls) == 3


def test_no_attempt_begins_once_the_time_allowed_is_spent() -> None:
    attempt, calls = failing(*[status(503, {"retry-after": "0"})] * 5)
    with pytest.raises(GaveUp) as gave_up:
        run(attempt, RetryPolicy(5, 0, 0))
    assert gave_up.value.tries == 1 and len(calls) == 1


def test_a_fault_waiting_cannot_fix_is_not_retried() -> None:
    attempt, calls = failing(status(401))
    with pytest.raises(GaveUp) as gave_up:
        run(attempt, RetryPolicy(5, 300, 0))
    assert gave_up.value.tries == 1 and len(calls) == 1
    attempt, calls = failing(ValueError("not the provider's"))
    with pytest.raises(ValueError):
        run(attempt, RetryPolicy(5, 300, 0))
    assert len(calls) == 1


def test_the_wait_is_what_retry_after_asks_up_to_the_time_allowed_else_a_jittered_doubling() -> None:
    policy = RetryPolicy(10, 60, 1.0)
    assert policy.wait(status(429, {"retry-after": "7"}), 1) == 7.0
    assert policy.wait(status(429, {"retry-after": "600"}), 1) == 60
    for attempt, low in ((1, 1.0), (2, 2.0), (3, 4.0)):
        waits = [policy.wait(status(503), attempt) for _ in range(50)]
        assert all(low <= w <= low + 1.0 for w in waits) and len(set(waits)) > 1  # jittered
    assert policy.wait(status(503), 9) == MAX_BACKOFF
