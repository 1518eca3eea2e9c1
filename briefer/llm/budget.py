"""The completion budget of every call: `max_completion_tokens` (or `max_tokens`), so that a
model that loops stops early instead of writing until the timeout.

Derived from the call's own input, in UTF-8 bytes: a tokenizer-free measure (no tokenizer table
is loaded before the first call) that is at least the token count in every encoding. The rules
leave an honest reply ample room: the longest hand-written extraction recorded used 1.11
completion tokens a byte of article (before the compact contract), a synthesis 0.04.
"""

from __future__ import annotations

import math

EXTRACTION_BASE, EXTRACTION_PER_BYTE = 1000, 1.25
SYNTHESIS_BASE, SYNTHESIS_PER_BYTE = 1500, 0.1
#: A patch carries only the faulty items: a little for each, never more than the first call's.
REPAIR_BASE, REPAIR_PER_ITEM = 400, 400


def extraction_budget(user_message: str) -> int:
    return EXTRACTION_BASE + math.ceil(EXTRACTION_PER_BYTE * len(user_message.encode("utf-8")))


def synthesis_budget(user_message: str) -> int:
    return SYNTHESIS_BASE + math.ceil(SYNTHESIS_PER_BYTE * len(user_message.encode("utf-8")))


def repair_budget(items: int, first: int) -> int:
    return min(first, REPAIR_BASE + REPAIR_PER_ITEM * items)
