"""A row of the run log as briefer writes it: what `briefer log` may show and sum.

SQLite keeps any value in any column, so a row is checked before it is used; counts and costs
are never negative (a provider's or a hand-edited negative count must not net out the totals).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, NonNegativeFloat, NonNegativeInt


class LoggedSource(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str | None = None
    sha256: str | None = None
    origin: str | None = None


class LoggedRun(BaseModel):
    id: int
    started: str
    seconds: float
    kind: str
    model: str
    endpoint: str | None = None
    store: str | None = None
    prompt_version: str | None = None
    title: str | None = None
    sources: list[LoggedSource]
    calls: NonNegativeInt | None = None
    replayed: NonNegativeInt | None = None
    prompt_tokens: NonNegativeInt | None = None
    completion_tokens: NonNegativeInt | None = None
    cached_tokens: NonNegativeInt | None = None
    cost: NonNegativeFloat | None = None
    replayed_cost: NonNegativeFloat | None = None
    currency: str | None = None
    prices_of: str | None = None
    outcome: str
    exit_code: int
    outputs: list[str]
