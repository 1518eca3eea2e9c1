"""A Batch API run over OUTDIR, wired from settings: the provider's Files and Batches through the
store the flags chose, and the pipeline round, which is `brief --each` itself (run.run_each)
priced at batch prices. The rounds, the state and the answers are in briefer/batch/rounds.py."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..app.result import Hooks, RunResult
from ..app.run import page_store, planned_first, run_each, run_summary
from ..app.settings import OutputSettings, RunSettings

if TYPE_CHECKING:
    from ..app.each import BatchSummary
    from ..core.models import Cost
    from ..llm.costs import PriceTable
    from .rounds import BatchRun, Outcome
    from .state import RunState

    #: A pipeline round: its settings, what it did, and the prices it was priced at.
    Round = tuple[RunSettings, RunResult, PriceTable]

#: A round over saved answers calls nothing: every article may run at once.
ROUND_CONCURRENCY = 64


def pages_kept(settings: RunSettings, outdir: Path) -> RunSettings:
    """Settings whose web pages (URL and feed sources) are fetched once and kept in the run's
    folder, unless the flags name a store: every round must read the same article."""
    from .state import RunFolder

    if settings.replay or settings.record or settings.cache:
        return settings
    return replace(settings, cache=RunFolder(outdir).root / "pages")


def new_state(settings: RunSettings, sources: tuple[str, ...], outdir: Path, file_only: bool,
              stories: bool = False, report: Any = None) -> RunState:
    """The state of a new run: its settings and its articles (files by absolute path, so that
    `collect` can run from anywhere; feeds stand for their links, and for `stories` so do the
    feeds a list of URLs names: `report` hears of a listed link that cannot be fetched)."""
    from ..app.each import expand, resolve_listed
    from ..ingest.web import is_url
    from ..llm import transport as config
    from .state import RunState

    kept = pages_kept(settings, outdir)
    store = config.page_store(kept.replay, kept.record, kept.cache)
    articles = expand(sources, store)
    if stories:
        articles = resolve_listed(articles, store, report or (lambda _source, _outcome: None))
    return RunState(model=settings.model, base_url=settings.base_url,
                    sources=[a if is_url(a) else str(Path(a).resolve()) for a in articles],
                    feed_links=[a for a in articles if getattr(a, "public_only", False)],
                    chunk_tokens=settings.chunk_tokens, structured_mode=settings.structured_mode,
                    grounding=settings.grounding, max_reasks=settings.max_reasks,
                    fmt=settings.output.fmt or "md", template=settings.output.template,
                    templates_dir=str(settings.output.templates_dir) if settings.output.templates_dir else None,
                    file_only=file_only, stories=stories)


def dry_run_report(settings: RunSettings, sources: tuple[str, ...], dry_run: bool) -> str | None:
    """The plan at batch prices (beside the synchronous price), or None; with --max-calls or
    --max-cost, a plan over them is refused here."""
    from ..app.each import expand
    from ..app.estimate import check_guards, estimate
    from ..ingest import read_source
    from ..llm.costs import price_table

    if not planned_first(settings, dry_run):
        return None
    # Guards read the pages into the run's folder, where the run then finds them (one GET each);
    # a dry run writes nothing.
    outdir = settings.output.path
    pages = page_store(settings if dry_run or outdir is None else pages_kept(settings, outdir))
    groups = [[read_source(a, store=pages)] for a in expand(sources, pages)]
    table = price_table(settings.prices)
    planned, standard = (estimate(groups, model=settings.model, chunk_tokens=settings.chunk_tokens,
                                  mode=settings.structured_mode, prices=t)  # type: ignore[arg-type]
                         for t in (table.batch(), table))
    if not dry_run:
        check_guards(planned, settings.max_calls, settings.max_cost)
        return None
    report = planned.report().replace("briefer dry run:", "briefer dry run (Batch API):", 1)
    if standard.cost and planned.cost:
        report += (f"\nthe same run synchronously: about {standard.cost.amount:.4f} {standard.cost.currency}"
                   f" (batch prices save {standard.cost.amount - planned.cost.amount:.4f})")
    return report


def batch_run(state: RunState, outdir: Path, store: RunSettings, hooks: Hooks,
              concurrency: int | None = None, rounds: list[Round] | None = None) -> BatchRun:
    """The run over OUTDIR. `store` carries the flags of this command (endpoint, --replay/
    --record/--cache, --prices); the rest comes from the state, as it was at submit. Every
    pipeline round is added to `rounds`, with the prices it was priced at (for the run log)."""
    from ..llm import transport as config
    from ..llm.costs import price_table
    from .api import BatchAPI
    from .rounds import BatchRun
    from .state import RunFolder

    settings = replace(
        store, model=state.model, base_url=store.base_url or state.base_url, chunk_tokens=state.chunk_tokens,
        max_reasks=state.max_reasks, structured_mode=state.structured_mode, grounding=state.grounding,
        concurrency=ROUND_CONCURRENCY,
        output=OutputSettings(path=outdir, fmt=state.fmt, template=state.template,
                              templates_dir=Path(state.templates_dir) if state.templates_dir else None))
    chosen = config.store_mode(store.replay, store.record, store.cache)
    key = config.REPLAY_KEY if state.file_only else config.api_key(chosen[0] if chosen else None)
    table = price_table(settings.prices)

    def brief_round(transport: Any, live: bool) -> BatchSummary:
        """A round over the batch's answers, at batch prices; with --now some calls are made
        live, and a briefing's cost is one figure, so it is given at the standard price: an
        estimate may overstate what was paid, never understate it."""
        round_settings = pages_kept(settings, outdir)
        if live:
            round_settings = replace(round_settings, concurrency=concurrency or store.concurrency)
        prices = table if live else table.batch()
        if state.stories:
            from ..app.morning import stories_round

            result = stories_round(round_settings, round_settings.llm_settings(key), transport,
                                   round_articles(state), prices, hooks)
        else:
            result = run_each(round_settings, round_settings.llm_settings(key), transport,
                              round_articles(state), prices, hooks, charged=frozenset(state.charged))
        assert result.batch is not None
        if rounds is not None:
            rounds.append((round_settings, result, prices))
        return result.batch

    def network() -> Any:
        import httpx2

        from ..llm.ratelimit import RateLimiter

        limiter = RateLimiter(httpx2.AsyncHTTPTransport(), concurrency or store.concurrency)
        return config.transport(chosen, key, limiter)

    return BatchRun(folder=RunFolder(outdir), api=lambda: BatchAPI(settings.llm_settings(key),
                                                                   config.transport(chosen, key)),
                    brief_round=brief_round, live=network)


def round_articles(state: RunState) -> list[str]:
    """The run's articles, the links a public feed gave marked untrusted again (FeedLink)."""
    from ..ingest.feeds import FeedLink

    untrusted = set(state.feed_links)
    return [FeedLink(s) if s in untrusted else s for s in state.sources]


def open_run(outdir: Path, store: RunSettings, hooks: Hooks, concurrency: int | None = None,
             rounds: list[Round] | None = None) -> BatchRun:
    """The run saved in OUTDIR (a one-line error when there is none)."""
    from .state import RunFolder

    return batch_run(RunFolder(outdir).load(), outdir, store, hooks, concurrency, rounds)


def collect(outdir: Path, store: RunSettings, hooks: Hooks, results: list[Path] | None, now: bool,
            concurrency: int | None = None) -> tuple[BatchRun, Outcome, RunResult | None]:
    """`batch collect`: bring in the answers and write the briefings they finish; the outcome's
    summary, and the result (None when no round ran), are of every round together. A collect
    that wrote briefings or failed articles (their answers paid for) is one run in the run log
    (unless --no-log or `log = false`); one that did neither (still waiting, or all done
    before) adds nothing, so nothing is counted twice."""
    from datetime import datetime, timezone

    from ..app.history import collect_entry, remember

    began = datetime.now(timezone.utc)
    rounds: list[Round] = []
    run = open_run(outdir, store, hooks, concurrency, rounds)
    outcome = run.collect(results, now)
    if not rounds:
        return run, outcome, None
    result = combined(rounds)
    outcome.summary = result.batch
    if store.log and outcome.summary and outcome.summary.news():
        warning = remember(collect_entry(rounds[-1][0], began, result, outcome.finished))
        if warning:
            hooks.notice(warning)
    return run, outcome, result


def combined(rounds: list[Round]) -> RunResult:
    """What a command's pipeline rounds did together (with --now, the round over the batch's
    answers and the synchronous one after it, which finds the first one's briefings done):
    every briefing written, their usage, and their cost, each round priced as its briefings are."""
    summaries = [_summary_of(result) for _, result, _ in rounds]
    final, earlier = summaries[-1], [s for summary in summaries[:-1] for s in summary.briefed]
    summary = replace(final, briefed=earlier + final.briefed, skipped=[s for s in final.skipped if s not in earlier],
                      usage=sum((s.usage for s in summaries[:-1]), final.usage))
    paid = [(prices.cost(result.model, s.usage), s.usage.calls) for (_, result, prices), s in zip(rounds, summaries)]
    written = {path: sources for _, result, _ in rounds for path, sources in result.written.items()}
    return replace(rounds[-1][1], batch=summary, written=written, cost=_one_cost(paid))


def _summary_of(result: RunResult) -> BatchSummary:
    assert result.batch is not None  # a round is `brief --each`
    return result.batch


def _one_cost(paid: list[tuple[Cost | None, int]]) -> Cost | None:
    """The rounds' costs as one (None: the model has no price), labelled with the prices of the
    rounds that made calls: Batch API prices, and standard ones for --now."""
    from ..core.models import Cost

    costs = [cost for cost, _ in paid]
    if not costs or None in costs:
        return None
    known = [cost for cost in costs if cost is not None]
    used = [cost for cost, calls in paid if cost is not None and calls] or known[-1:]
    labels = dict.fromkeys(c.prices_of if c.prices_of.endswith("Batch API") else f"{c.prices_of}, standard (--now)"
                           for c in used)
    return Cost(amount=sum(c.amount for c in known), replayed_amount=sum(c.replayed_amount for c in known),
                currency=known[0].currency, prices_of="; ".join(labels))


def spent(result: RunResult) -> str:
    """What a collect's rounds used and cost, for its summary line (llm.costs.spending)."""
    from ..llm.costs import spending

    return spending(_summary_of(result).usage, result.cost)


def status_report(run: BatchRun, as_json: bool) -> str:
    """The current batches' states and counts: one line, or JSON."""
    import json

    from .rounds import describe, describe_round

    state, infos = run.status()
    rounds = len(state.rounds)
    if as_json:
        return json.dumps({"round": rounds, "batches": [
            {"id": i.id, "status": i.status, "request_counts": i.counts} for i in infos],
            "waiting_for_answers": bool(state.pending_parts())}, indent=2)
    if infos:
        return "; ".join(describe(i) for i in infos) + f" (round {rounds})"
    if state.pending_parts():
        return f"{describe_round(state)}: written, waiting for its answers (collect --results)"
    return (f"all answers collected ({rounds} round{'s' * (rounds != 1)}); `briefer batch collect "
            f"{run.folder.outdir}` writes whatever is left")


def collect_summary(result: RunResult, prices_file: Path | None, started: float) -> dict[str, Any]:
    """The machine-readable account of a collect's rounds, each priced as its briefings are."""
    from ..llm.costs import price_table

    account = run_summary(result, price_table(prices_file).batch(), started)
    if result.cost is not None:
        account.update(estimated_cost=result.cost.amount, replayed_cost=result.cost.replayed_amount,
                       prices_of=result.cost.prices_of)
    return {**account, "waiting": len(result.batch.waiting) if result.batch else 0}
