"""What a run will cost before it starts: the plan behind --dry-run, --max-calls and --max-cost.

Calls and prompt tokens are counted exactly from the chunks and the real prompts (offline
tokenizer); completion tokens can only be estimated, by a rule calibrated on the recordings:

    an extraction writes the upper quartile of (completion tokens / article tokens) over the
    recorded extractions, times its article tokens, plus a fixed allowance; a synthesis writes
    the upper quartile of the recorded synthesis replies.

`calibration()` computes both quartiles from a folder of recordings (fixtures/cassettes); the
constants below must be at least those (a test checks it, and that --max-cost refuses every
fixture's recorded run when set below its cost). Re-asks and retries are not foreseen.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import GuardRefused
from ..core.models import Chunk, Cost, Document, Usage
from ..extract.chunking import count_tokens
from ..extract.prompting import StructuredMode, extraction_request
from ..llm.budget import SYNTHESIS_BASE, extraction_budget
from ..llm.costs import PriceTable
from ..llm.cutoff import GROWTH
from .pipeline import plan

#: The upper quartile of completion / article tokens over the recorded extractions (1.56 on
#: fixtures/cassettes in the compact reply contract, 2026-12-02, 1.61 with the German briefing's,
#: 1.57 with the French ones, 1.77 once the Assange and meth answers were completed; 4.40
#: before it; 1.96 in the reply contract of 2026-12-06, which asks again for every quote, disputed
#: claim and stance; 1.56 in the compact reply of prompts compact-2026-12-06, where an excerpt is
#: "N: words" and an actor or a quote one line; 1.49 in compact-2026-12-06b, a position one line
#: too, with what had been trimmed restored; 1.45 in compact-2026-12-06c, every short quote and
#: every stance asked for again, a fact and an event one line; 1.46 in compact-2026-12-07, every
#: sentence keeping the article's hedges and attributions), rounded up to a tenth.
COMPLETION_PER_ARTICLE_TOKEN = 1.5
#: An allowance per extraction, so that the replies above the quartile stay under the estimate.
COMPLETION_PER_EXTRACTION = 500
#: The upper quartile of the recorded synthesis replies (1,063 tokens with the completed Assange
#: synthesis, 909 before it; 1,423 before the compact contract; 1,095 in the contract of
#: 2026-12-06), rounded up to a hundred.
COMPLETION_PER_SYNTHESIS = 1100


@dataclass
class Estimate:
    model: str
    chunks: list[tuple[Document, Chunk]] = field(default_factory=list)
    extractions: int = 0
    syntheses: int = 0
    static_tokens: int = 0
    article_tokens: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: Cost | None = None
    #: The completion budgets of the first attempts, summed, and what every attempt of every call
    #: could spend at most (re-asks after cut-offs with a grown budget, the review, a hollow
    #: reply's re-ask).
    budget_tokens: int = 0
    worst_tokens: int = 0
    max_reasks: int = 2
    #: The endpoint when it is not OpenAI's: its server counts prompt tokens its own way.
    base_url: str | None = None

    @property
    def calls(self) -> int:
        return self.extractions + self.syntheses

    def report(self) -> str:
        lines = [f"briefer dry run: {self.model}, {self.calls} call{'s' * (self.calls != 1)} "
                 f"({self.extractions} extraction{'s' * (self.extractions != 1)} + {self.syntheses} "
                 f"{'synthesis' if self.syntheses == 1 else 'syntheses'}), nothing sent"]
        by_document: dict[str, list[Chunk]] = {}
        for document, chunk in self.chunks:
            by_document.setdefault(document.id, []).append(chunk)
        for document_id, chunks in by_document.items():
            parts = "; ".join(f"¶{c.first_paragraph}-{c.last_paragraph} {c.tokens:,} tokens" for c in chunks)
            lines.append(f"  {document_id}: {len(chunks)} chunk{'s' * (len(chunks) != 1)} ({parts})")
        lines.append(f"prompt tokens: {self.prompt_tokens:,} (static instructions and schema "
                     f"{self.static_tokens:,} a call, the same bytes every call so a provider's prompt "
                     f"cache can serve them; article {self.article_tokens:,})")
        lines.append(f"completion tokens: about {self.completion_tokens:,} (estimated: "
                     f"{COMPLETION_PER_ARTICLE_TOKEN}x the article tokens + {COMPLETION_PER_EXTRACTION} "
                     f"an extraction, {COMPLETION_PER_SYNTHESIS:,} a synthesis; the upper quartile of "
                     "the recorded replies)")
        lines.append(f"completion budget: {self.budget_tokens:,} tokens over the first attempts (the "
                     f"server stops a reply there); worst case {self.worst_tokens:,} if every attempt "
                     f"used its whole budget ({self.max_reasks} re-asks a call, each after a cut-off "
                     f"with up to {GROWTH:g}x the budget, one review and one re-ask of a hollow reply)")
        if self.base_url and "api.openai.com" not in self.base_url:
            lines.append("prompt tokens are OpenAI's tokenizer's count, an estimate for this server: it "
                         "counts with its own (llama.cpp counted about half for an extraction, where the "
                         "schema becomes a grammar, not prompt tokens)")
        if self.cost:
            lines.append(f"estimated cost: about {self.cost.amount:.4f} {self.cost.currency} "
                         f"(prices of {self.cost.prices_of}; re-asks and retries not included)")
        else:
            lines.append(f"estimated cost: unknown, no price for {self.model} (add it with --prices)")
        return "\n".join(lines)


def estimate(
    groups: list[list[Document]],
    *,
    model: str,
    chunk_tokens: int,
    mode: StructuredMode,
    prices: PriceTable,
    max_reasks: int = 2,
    base_url: str | None = None,
) -> Estimate:
    """The calls and tokens of briefing each group of documents together (one group for a
    combined briefing, one group per article for --each)."""
    result = Estimate(model=model, max_reasks=max_reasks, base_url=base_url)
    for documents in groups:
        jobs = plan(documents, chunk_tokens, model, exact=True)
        result.chunks += jobs
        completion = 0
        for document, chunk in jobs:
            messages, response_format = extraction_request(document, chunk, mode)
            static = count_tokens(messages[0]["content"] + json.dumps(response_format), model)
            article = count_tokens(messages[1]["content"], model)
            result.static_tokens = static
            result.article_tokens += article
            result.prompt_tokens += static + article
            completion += math.ceil(article * COMPLETION_PER_ARTICLE_TOKEN) + COMPLETION_PER_EXTRACTION
            budget = extraction_budget(messages[1]["content"])
            result.budget_tokens += budget
            result.worst_tokens += worst_case(budget, max_reasks, extra=2)
        result.extractions += len(jobs)
        if len(jobs) > 1:
            result.syntheses += 1
            result.prompt_tokens += result.static_tokens + completion  # it reads what was extracted
            completion += COMPLETION_PER_SYNTHESIS
            # the synthesis's budget grows with what it reads, unknown before the extractions
            result.budget_tokens += SYNTHESIS_BASE
            result.worst_tokens += worst_case(SYNTHESIS_BASE, max_reasks, extra=1)
        result.completion_tokens += completion
    usage = Usage(prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens)
    result.cost = prices.cost(model, usage)
    return result


def worst_case(budget: int, reasks: int, extra: int) -> int:
    """Every attempt of one call at its whole budget: the first, `reasks` re-asks each after a
    cut at a grown budget, and `extra` more at the last budget (a review, a hollow re-ask)."""
    budgets = [math.ceil(budget * GROWTH**n) for n in range(reasks + 1)]
    return sum(budgets) + extra * budgets[-1]


def check_guards(plan_: Estimate, max_calls: int | None, max_cost: float | None) -> None:
    """Refuse, before any call, a run that would exceed the user's limits."""
    if max_calls is not None and plan_.calls > max_calls:
        raise GuardRefused(f"this run would make {plan_.calls} calls, more than --max-calls "
                           f"{max_calls}; raise the limit, brief fewer articles or use larger "
                           "--chunk-tokens (see --dry-run)")
    if max_cost is not None:
        if plan_.cost is None:
            raise GuardRefused(f"--max-cost needs a price for {plan_.model}; add it with --prices FILE")
        if plan_.cost.amount > max_cost:
            raise GuardRefused(f"this run would cost about {plan_.cost.amount:.4f} {plan_.cost.currency}, "
                               f"more than --max-cost {max_cost:g}; raise the limit or brief fewer "
                               "articles (see --dry-run)")


def calibration(recordings: Path, model: str) -> tuple[float, float]:
    """The upper quartiles the rule above takes from recordings: completion tokens per article
    token of the extractions, and completion tokens of the syntheses."""
    from ..extract.prompting import SYNTHESIS_SCHEMA_NAME
    from ..llm.recording import recorded_completion

    ratios, syntheses = [], []
    for path in sorted(recordings.glob("*.json")):
        recording = json.loads(path.read_text(encoding="utf-8"))
        body = recording["request"]["body"]
        completion = recorded_completion(recording).usage.get("completion_tokens", 0)
        name = (body.get("response_format") or {}).get("json_schema", {}).get("name")
        if name == SYNTHESIS_SCHEMA_NAME:
            syntheses.append(float(completion))
        elif len(body.get("messages", [])) == 2:  # a first ask, not a re-ask or a repair
            ratios.append(completion / count_tokens(body["messages"][1]["content"], model))
    return upper_quartile(ratios), upper_quartile(syntheses)


def upper_quartile(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=4, method="inclusive")[2]
