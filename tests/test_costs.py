"""Cost accounting, the dry run and the guards, and the static prompt prefix that provider
caching relies on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.app.estimate import COMPLETION_PER_ARTICLE_TOKEN, COMPLETION_PER_SYNTHESIS, calibration
from briefer.core.models import Briefing
from briefer.llm.costs import price_table

from .answers import extraction, synthesis
from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, FIXTURES, SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer
from .record_handwritten import ARTICLES, SETS

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
LONG = FIXTURES / "articles" / "businessweek_afghanistan_new_millionaires_2014.txt"
INVALID_THEN_UNGROUNDED_THEN_GOOD = [
    Reply(content="{broken", usage=(3100, 20, 0)),                              # re-ask: invalid JSON
    Reply(content=json.dumps(json.loads(seed_answer()) | {"quotes": [
        {"speaker_id": "olaf-scholz", "text": "words nobody said", "paragraph": 2}]}),
        usage=(3300, 4500, 3000)),                                              # grounding feedback
    Reply(content=json.dumps({"actors": [], "quotes": [], "remove": ["quotes.0"]}),  # the patch
          usage=(7900, 4700, 3072)),
]


def test_usage_of_every_call_re_asks_included_adds_up_to_the_runs_figures(run: Run, tmp_path: Path) -> None:
    with ChatServer(INVALID_THEN_UNGROUNDED_THEN_GOOD) as server:
        result = run("brief", SEED, "--base-url", server.url, "-o", tmp_path / "b.json", "--json", env=KEY)
    assert result.exit_code == 0, result.stderr
    assert len(server.requests) == 3
    summary = json.loads(result.stdout)
    expected = {"calls": 3, "prompt_tokens": 14300, "completion_tokens": 9220, "cached_tokens": 6072, "reasks": 2}
    assert {k: summary[k] for k in expected} == expected
    briefing = Briefing.model_validate_json((tmp_path / "b.json").read_text())
    assert {k: getattr(briefing.usage, k) for k in expected} == expected
    # gpt-4.1-mini: 0.40 fresh input, 0.10 cached input, 1.60 output per million tokens
    cost = ((14300 - 6072) * 0.40 + 6072 * 0.10 + 9220 * 1.60) / 1_000_000
    assert briefing.cost is not None and briefing.cost.amount == round(cost, 6)
    assert summary["estimated_cost"] == round(cost, 6) and summary["prices_of"] == "2025-08-07"
    assert (summary["calls_made"], summary["calls_replayed"], summary["replayed_cost"]) == (3, 0, 0)
    footer = run("render", tmp_path / "b.json", "--template", "dossier").stdout  # the full inventory's account
    assert f"3 calls made; 14,300 prompt and 9,220 completion tokens (6,072 cached), 2 re-asks; about {briefing.cost.amount:.4f} USD (prices of 2025-08-07)" in footer


def test_a_users_price_table_replaces_the_models_it_lists(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "prices.json"
    mine.write_text(json.dumps({"date": "2026-11-01", "currency": "EUR",
                                "models": {"gpt-4.1-mini": {"input": 1.0, "cached_input": 1.0, "output": 1.0}}}))
    table = price_table(mine)
    assert table.price("gpt-4.1")["input"] == 2.00 and table.price("gpt-4.1-mini-2025-04-14")["input"] == 1.0
    result = run("brief", SEED, "--replay", CASSETTES, "--prices", mine, "--format", "json", "-q")
    briefing = Briefing.model_validate_json(result.stdout)
    assert briefing.cost is not None and briefing.cost.currency == "EUR" and briefing.cost.prices_of == "2026-11-01"
    assert briefing.cost.amount == 0  # replayed: nothing spent, and what it would have cost
    assert abs(briefing.cost.replayed_amount - briefing.usage.total_tokens / 1_000_000) < 1e-9


def test_a_model_without_a_price_has_no_estimate(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", SEED, "--base-url", server.url, "--model", "llama3.1", "--format", "json", "-q", env=KEY)
    assert Briefing.model_validate_json(result.stdout).cost is None


def test_dry_run_shows_chunks_calls_tokens_and_cost_and_calls_nothing(run: Run) -> None:
    result = run("brief", LONG, SEED, "--dry-run")  # no key, no server: nothing may be sent
    assert result.exit_code == 0, result.stderr
    report = result.stdout
    assert report.startswith("briefer dry run: gpt-4.1-mini, 5 calls (4 extractions + 1 synthesis), nothing sent")
    assert "businessweek-afghanistan-new-millionaires-2014: 3 chunks (¶1-17" in report
    assert "scholz-putin-call: 1 chunk (¶1-21" in report
    assert "estimated cost: about" in report and "prompt tokens:" in report


def test_each_dry_run_counts_a_synthesis_only_for_articles_of_several_chunks(run: Run) -> None:
    result = run("brief", "--each", LONG, SEED, "-o", "out", "--dry-run")
    assert "5 calls (4 extractions + 1 synthesis)" in result.stdout


def test_max_calls_refuses_before_any_call(run: Run) -> None:
    with ChatServer([Reply(content=seed_answer())]) as server:
        result = run("brief", LONG, "--base-url", server.url, "--max-calls", "3", env=KEY)
    line = assert_clean_failure(result, 12)
    assert "would make 4 calls, more than --max-calls 3" in line
    assert server.requests == []


def test_max_cost_refuses_before_any_call_and_needs_a_price(run: Run) -> None:
    line = assert_clean_failure(run("brief", LONG, "--replay", CASSETTES, "--max-cost", "0.001"), 12)
    assert "more than --max-cost 0.001" in line
    line = assert_clean_failure(run("brief", SEED, "--replay", CASSETTES, "--model", "llama3.1", "--max-cost", "1"), 12)
    assert "needs a price for llama3.1" in line
    assert run("brief", SEED, "--replay", CASSETTES, "--max-cost", "1", "--max-calls", "1", "-q").exit_code == 0


def test_the_static_prefix_is_byte_identical_across_chunks_and_articles(run: Run) -> None:
    def echo(body: dict, _: int) -> Reply:
        if body["messages"][1]["content"].startswith("Sources:"):
            return Reply(content=json.dumps(synthesis()))
        return Reply(content=json.dumps(extraction()))

    with ChatServer(echo) as server:
        result = run("brief", "--each", LONG, SEED, "-o", "out", "--base-url", server.url, "-q", env=KEY)
    assert result.exit_code == 0, result.stderr
    extractions = [r for r in server.requests if not r["messages"][1]["content"].startswith("Sources:")]
    assert len(extractions) == 4
    prefixes = {json.dumps([r["messages"][0], r["response_format"]], ensure_ascii=False) for r in extractions}
    assert len(prefixes) == 1, "instructions and schema must be the same bytes in every call"
    for request in extractions:
        assert [m["role"] for m in request["messages"]] == ["system", "user"]
        assert "Afghan" not in request["messages"][0]["content"]  # no article text in the static part
        assert "Scholz" not in request["messages"][0]["content"]
    articles = {r["messages"][1]["content"] for r in extractions}
    assert len(articles) == 4


def test_the_completion_estimate_is_calibrated_on_the_recordings_upper_quartile() -> None:
    per_article_token, synthesis = calibration(CASSETTES, "gpt-4.1-mini")
    assert 1 < per_article_token <= COMPLETION_PER_ARTICLE_TOKEN < per_article_token + 0.1
    assert 0 < synthesis <= COMPLETION_PER_SYNTHESIS < synthesis + 100


@pytest.mark.parametrize("names", SETS, ids=lambda names: names[0])
def test_max_cost_below_a_fixtures_recorded_cost_refuses_it(run: Run, names: list[str]) -> None:
    """The estimate is never below what a fixture's recorded run costs, so --max-cost is never
    exceeded on any of them."""
    articles = [ARTICLES / name for name in names]
    result = run("brief", *articles, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    recorded = briefing.cost.replayed_amount  # type: ignore[union-attr]
    assert briefing.usage.replayed == briefing.usage.calls and recorded > 0
    line = assert_clean_failure(run("brief", *articles, "--replay", CASSETTES, "--max-cost", f"{recorded * 0.999:.6f}"), 12)
    assert "more than --max-cost" in line
