"""Estimated cost from token usage and a dated price table.

The table ships in briefer/llm/prices.json with the date its prices were read; a user's own
file (--prices / BRIEFER_PRICES, same format) replaces the models it lists. A model with no
price has no estimate, said as such, rather than a made-up figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.models import Cost, Usage

_BUILT_IN = Path(__file__).resolve().parent / "prices.json"


@dataclass(frozen=True)
class PriceTable:
    date: str
    currency: str
    models: dict[str, dict[str, Any]]

    def price(self, model: str) -> dict[str, float] | None:
        """The model's prices; a dated snapshot name ("gpt-4.1-mini-2025-04-14") uses its
        family's."""
        if model in self.models:
            return self.models[model]
        family = max((m for m in self.models if model.startswith(m + "-")), key=len, default=None)
        return self.models.get(family) if family else None

    def batch(self) -> PriceTable:
        """The Batch API's prices (a model without them has none here, so no estimate): a batch
        run is priced, planned and guarded with these."""
        batch = {m: p["batch"] for m, p in self.models.items() if isinstance(p.get("batch"), dict)}
        return PriceTable(f"{self.date}, Batch API", self.currency, batch)  # type: ignore[arg-type]

    def cost(self, model: str, usage: Usage) -> Cost | None:
        """What the calls made cost, and apart from it what the replayed ones would have."""
        price = self.price(model)
        if price is None:
            return None
        return Cost(amount=_amount(price, usage.made_part()), currency=self.currency,
                    prices_of=self.date, replayed_amount=_amount(price, usage.replayed_part()))


def _amount(price: dict[str, float], usage: Usage) -> float:
    fresh = usage.prompt_tokens - usage.cached_tokens
    amount = (fresh * price["input"] + usage.cached_tokens * price.get("cached_input", price["input"])
              + usage.completion_tokens * price["output"]) / 1_000_000
    return round(amount, 6)


def spending(usage: Usage, cost: Cost | None, language: str | None = None) -> str:
    """The one account of calls and money that every footer and summary line gives: calls made
    apart from calls replayed, e.g. "0 calls made, 1 replayed; 3,175 prompt and 4,682 completion
    tokens; it would have cost about 0.0088 USD (prices of 2025-08-07)"; a footer says it in its
    briefing's language (briefer/core/languages.py), its numbers written as that language writes them."""
    from ..core.languages import SPENDING, plural
    from ..core.typography import number, punctuate

    words = SPENDING.get(language or "en", SPENDING["en"])

    def counted(key: str, n: int) -> str:
        return plural(n, words[key], language).format(n=number(n, language))

    calls = counted("made", usage.made) + (counted("replayed", usage.replayed) if usage.replayed else "")
    tokens = words["tokens"].format(p=number(usage.prompt_tokens, language), c=number(usage.completion_tokens, language))
    if usage.cached_tokens:
        tokens += words["cached"].format(n=number(usage.cached_tokens, language))
    if usage.reasks:
        tokens += counted("reasks", usage.reasks)
    if cost is None:
        return punctuate(f"{calls}; {tokens}", language)
    prices = words["prices"].format(currency=cost.currency, date=cost.prices_of)
    amount, replayed = number(cost.amount, language, 4), number(cost.replayed_amount, language, 4)
    if usage.replayed and not usage.made:
        money = words["would"].format(a=replayed, prices=prices)
    else:
        money = words["spent"].format(a=amount, prices=prices) + (words["more"].format(r=replayed) if usage.replayed else "")
    return punctuate(f"{calls}; {tokens}; {money}", language)


def summary_fields(usage: Usage, cost: Cost | None) -> dict[str, Any]:
    """The same account for --json: calls made and replayed, tokens, money spent and not."""
    return {
        **usage.model_dump(),
        "calls_made": usage.made,
        "calls_replayed": usage.replayed,
        "estimated_cost": cost.amount if cost else None,
        "replayed_cost": cost.replayed_amount if cost else None,
    }


@cache
def _read(path: Path) -> dict[str, Any]:
    """A price table, checked: every price a finite, non-negative number (a hostile or mistaken
    table must not price a run at nothing, or below nothing)."""
    from ..core.bounded import SMALL_FILE, read_json

    data = read_json(path, limit=SMALL_FILE, error=UsageError, what="price table")
    try:
        assert isinstance(data, dict) and isinstance(data["models"], dict) and data["date"] and data["currency"]
        assert isinstance(data["date"], str) and isinstance(data["currency"], str)
        for name, prices in data["models"].items():
            assert isinstance(prices, dict) and {"input", "output"} <= prices.keys(), f"{name}: input and output"
            for kind in ("input", "output", "cached_input"):
                assert kind not in prices or _price(prices[kind]), f"{name}: {kind} is not a price"
    except (KeyError, TypeError, AssertionError) as error:
        raise UsageError(f"{path}: not a price table ({' '.join(str(error).split())[:80] or 'a field is missing'}); "
                         "see briefer/llm/prices.json") from None
    return data  # type: ignore[no-any-return]


def _price(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < float("inf")


def price_table(override: Path | None = None) -> PriceTable:
    built_in = _read(_BUILT_IN)
    if override is None:
        return PriceTable(built_in["date"], built_in["currency"], built_in["models"])
    mine = _read(Path(override))
    return PriceTable(mine["date"], mine["currency"], {**built_in["models"], **mine["models"]})
