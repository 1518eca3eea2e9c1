"""A cut-off is a signal, not a retry; and a request must fit the server's context.

A deterministic server (a local model at temperature 0, a grammar) gives the same reply to the
same request: asking again unchanged only repeats a cut that took minutes. So a cut-off reply
(at the budget, or stopped for looping) is asked again with something changed: the cut noted
with its numbers, a more compact reply asked for, and for a cut at the budget a bigger budget
where the server's context allows. Every request of a conversation is fingerprinted, and one
identical to an earlier one is never sent (each attempt then has its own recording key).

When the server says its context (briefer/llm/servers.py), the prompt and the budget are kept
inside it: the budget shrinks to what is left, and a prompt that leaves no room for a reply
fails before the call, in one line with the numbers and what to change.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import InvalidOutput, ProviderError
from .retries import CONTEXT_ADVICE as ADVICE
from .retries import one_line
from .stream import LOOPING, Completion

#: A conservative prompt estimate where the server has not counted it yet: few tokenizers
#: average fewer than 3 bytes of English a token. A JSON schema sent as `response_format`
#: is not counted: local servers turn it into a grammar, not prompt tokens.
BYTES_PER_TOKEN = 3
#: Tokens kept free of the budget for the chat template's own tokens around the messages.
TEMPLATE_ALLOWANCE = 64
#: Below this, no reply to an extraction can fit: fail before the call.
MIN_REPLY_TOKENS = 256
#: A cut at the budget is asked again with up to this much more budget (context allowing).
GROWTH = 1.5



CHARS_PER_TOKEN = 4


@dataclass
class Conversation:
    """What one structured call has seen: the requests sent (never one twice), the cut-offs,
    and the server's own count of the first prompt."""

    sent: set[str] = field(default_factory=set)
    cuts: int = 0
    counted: tuple[int, int] | None = None  # (messages, prompt tokens) as the server counted

    def sending(self, key: str, raw_replies: list[str], errors: list[str]) -> None:
        """Note a request about to go out; one sent before fails instead (it would get the same
        answer from a deterministic server, and share its recording)."""
        if key in self.sent:
            asks = len(raw_replies) - 1
            raise InvalidOutput(f"the model's reply was still invalid after {asks} re-ask{'s' * (asks != 1)}, "
                                f"and asking again would repeat an identical request: {errors[0]}", raw_replies)
        self.sent.add(key)


def received(completion: Completion) -> int:
    """A reply's completion tokens: the server's count, else what was received (events, or a
    quarter of the characters, whichever is more; a reply stopped here has no usage)."""
    counted = completion.usage.get("completion_tokens")
    return int(counted) if counted else max(completion.pieces, -(-len(completion.content) // CHARS_PER_TOKEN))


def reask_line(problem: str, completion: Completion, reask: int, reasks: int) -> str:
    """The progress line of a re-ask: why, and for a cut-off, how far the reply got."""
    why = (f"the reply was cut off at {received(completion):,} tokens, its budget"
           if completion.finish_reason == "length"
           else problem if completion.finish_reason == LOOPING else f"the reply was unusable: {problem}")
    return f"{one_line(why, 160)}; asking again, changed (re-ask {reask} of {reasks})"


def fingerprint(messages: list[Any], response_format: Any, budget: int | None) -> str:
    """What makes two requests the same (the model and the stream options never change)."""
    text = json.dumps([messages, response_format, budget], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prompt_estimate(messages: list[Any], counted: tuple[int, int] | None = None) -> int:
    """The prompt's tokens: the server's own count for the first `counted[0]` messages when it
    gave one (`counted[1]`), plus an estimate of the rest."""
    done, tokens = counted if counted else (0, 0)
    rest = sum(len(str(m.get("content") or "").encode("utf-8")) for m in messages[done:])
    return tokens + math.ceil(rest / BYTES_PER_TOKEN) + TEMPLATE_ALLOWANCE


def fitted_budget(budget: int | None, prompt: int, context: int | None) -> int | None:
    """The budget inside the context; a prompt that leaves too little is one line."""
    if context is None or budget is None:
        return budget
    room = context - prompt
    if room < MIN_REPLY_TOKENS:
        raise ProviderError(f"the prompt (about {prompt:,} tokens) leaves no room for a reply in the "
                            f"server's context of {context:,} tokens; {ADVICE}")
    return min(budget, room)


def next_budget(budget: int | None, looping: bool, prompt: int, context: int | None) -> int | None:
    """The budget after a cut: bigger after a cut at the budget when the context says there is
    room (a looping reply gets no more room to loop in); else the same."""
    if budget is None or looping or context is None:
        return budget
    return max(budget, min(math.ceil(budget * GROWTH), context - prompt))


def compact_target(received: int, cuts: int) -> int:
    """The reply size asked for after `cuts` cut-offs: half of what was cut each time."""
    return max(MIN_REPLY_TOKENS, received // (2 ** min(cuts, 4)))
