"""`briefer batch` against a local Batch API server: the same briefings as `brief --each` from
the same recordings, expiry, follow-up batches, per-request errors, other engines, recordings,
prices, and never paying twice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from briefer.batch.state import RunFolder, RunState, batch_body, custom_id
from briefer.cli import main
from briefer.llm.recording import request_key

from .batch_server import BatchServer, Error, Outcome
from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, FIXTURES, ROOT, SEED, SENTINEL_KEY, assert_clean_failure, seed_answer
from .offline_engine import recorded_answers

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
ARTICLES = FIXTURES / "articles"
#: Every fixture article with its own recording and its own id (one of them in three chunks).
FIXTURE_ARTICLES = [ARTICLES / n for n in (
    "ap_uk_tories_factcheckuk_2019.txt", "assange_albawaba_2019.txt",
    "bbc_sweden_drops_assange_investigation_2019.txt", "businessweek_afghanistan_new_millionaires_2014.txt",
    "meth_njcom_2019.txt", "meth_spokesman_ad_agencies_2019.txt", "meth_thehill_noem_doubles_down_2019.txt",
    "meth_usatoday_argusleader_2019.txt", "pick_nypost_taliban_hostage_swap_2019.html", "scholz-putin-call.txt")]
LONG = ARTICLES / "businessweek_afghanistan_new_millionaires_2014.txt"


def cli(*args: object, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env={**KEY, **(env or {})})


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.stderr, result.exception)
    return result


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path, Path]:
    """20 articles (the 10 fixture articles and 10 copies of the seed article), one folder of
    recordings for all of them, and their briefings by `brief --each` answered from them."""
    work = tmp_path_factory.mktemp("corpus")
    copies = []
    for n in range(10):
        copies.append(work / "copies" / f"seed-{n:02}.txt")
        copies[-1].parent.mkdir(exist_ok=True)
        shutil.copy(SEED, copies[-1])
        shutil.copy(SEED.with_name("scholz-putin-call.meta.json"), copies[-1].with_suffix(".meta.json"))
    recordings = work / "recordings"
    shutil.copytree(CASSETTES, recordings)
    articles = FIXTURE_ARTICLES + copies
    # A module's fixture runs before the per-test isolation (conftest.py): its runs log and read
    # settings in its own folder, never in the user's.
    with pytest.MonkeyPatch.context() as isolated:
        isolated.setenv("BRIEFER_DATA_DIR", str(work / "data"))
        isolated.setenv("BRIEFER_CONFIG", str(work / "config.toml"))
        with ChatServer([Reply(content=seed_answer())]) as server:  # the copies, recorded as the seed was
            ok(cli("brief", "--each", *copies, "-o", work / "recorded", "--record", recordings,
                   "--base-url", server.url, "-q"))
        return articles, recordings, each_briefings(articles, recordings, work / "each")


def each_briefings(articles: list[Path], recordings: Path, outdir: Path) -> Path:
    """`brief --each` of the articles, every call answered from the recordings by a live server
    (so the calls are made, as a batch's are, not replayed)."""
    answers = recorded_answers(recordings)

    def reply(body: dict[str, Any], _: int) -> Reply:
        answer = answers[request_key(batch_body(body))]
        usage = answer["usage"]
        return Reply(content=answer["choices"][0]["message"]["content"],
                     finish_reason=answer["choices"][0]["finish_reason"],
                     usage=(usage["prompt_tokens"], usage["completion_tokens"],
                            (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)))

    with ChatServer(reply) as server:
        ok(cli("brief", "--each", *articles, "-o", outdir, "--base-url", server.url, "-q"))
    return outdir


def from_recordings(recordings: Path) -> Any:
    answers = recorded_answers(recordings)
    # A batch's body is not streamed; the fake's synchronous endpoint gets a streamed one.
    return lambda body: answers.get(request_key(batch_body(body))) or Error(400, "no recording for this request")


def briefings(folder: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def assert_same_briefings(batch: Path, each: Path) -> None:
    """The same Briefing JSON, file for file; only the price differs: half, at batch prices."""
    got, expected = briefings(batch), briefings(each)
    assert got.keys() == expected.keys() and len(got) >= 1
    for name, briefing in got.items():
        cost, sync_cost = briefing.pop("cost"), expected[name].pop("cost")
        assert briefing == expected[name], name
        assert cost["prices_of"].endswith("Batch API")
        assert cost["amount"] == pytest.approx(sync_cost["amount"] / 2, abs=2e-6)
    assert sorted(p.name for p in batch.glob("*.md")) == sorted(p.name for p in each.glob("*.md"))


def round_ids(outdir: Path, number: int) -> list[str]:
    return [json.loads(line)["custom_id"] for part in sorted((outdir / ".briefer-batch").glob(f"round-{number}.*.jsonl"))
            for line in part.read_text(encoding="utf-8").splitlines()]


def test_twenty_articles_give_the_same_briefings_as_each_and_a_second_collect_asks_nothing(
    corpus: tuple[list[Path], Path, Path], tmp_path: Path
) -> None:
    articles, recordings, each = corpus
    out = tmp_path / "out"
    with BatchServer(from_recordings(recordings)) as server:
        submitted = ok(cli("batch", "submit", *articles, "-o", out, "--base-url", server.url))
        assert "submitted round 1, 22 requests (batch_0001)" in submitted.stderr
        assert ok(cli("batch", "status", out)).stdout == "batch batch_0001: in_progress, 0/22 done, 0 failed (round 1)\n"
        first = ok(cli("batch", "collect", out))
        assert "19 briefed, 0 already done, 0 failed, 1 waiting for the next batch" in first.stderr
        assert "submitted round 2, 1 request (batch_0002)" in first.stderr
        status = json.loads(ok(cli("batch", "status", out, "--json")).stdout)
        assert status["batches"] == [{"id": "batch_0002", "status": "in_progress",
                                      "request_counts": {"total": 1, "completed": 0, "failed": 0}}]
        ok(cli("batch", "collect", out))
        assert_same_briefings(out, each)
        asked = len(server.requests)
        again = ok(cli("batch", "collect", out))
        assert len(server.requests) == asked  # no request at all, let alone a paid one
        assert "0 briefed, 20 already done, 0 failed" in again.stderr
        assert "finished" in again.stderr
        assert Counter(map(json.dumps, server.answered)).most_common(1)[0][1] == 1  # nothing paid twice
    assert not [p for p in out.rglob("*") if p.is_file() and SENTINEL_KEY in p.read_text(encoding="utf-8")]
    # The long article: its three chunks in the first batch, its synthesis in the follow-up.
    long_id = "businessweek-afghanistan-new-millionaires-2014"
    assert sorted(i.rsplit(".", 1)[0] for i in round_ids(out, 1) if i.startswith(long_id)) == [
        f"{long_id}.p1-17", f"{long_id}.p18-30", f"{long_id}.p31-36"]
    assert [i.rsplit(".", 1)[0] for i in round_ids(out, 2)] == [f"{long_id}.synthesis"]


def test_the_batch_requests_are_the_synchronous_requests_byte_for_byte(
    corpus: tuple[list[Path], Path, Path], tmp_path: Path
) -> None:
    articles, recordings, _ = corpus
    with ChatServer([Reply(content=seed_answer())]) as server:
        ok(cli("brief", "--each", SEED, "-o", tmp_path / "sync", "--base-url", server.url, "-q"))
        sent = server.requests[0]
    ok(cli("batch", "submit", SEED, "-o", tmp_path / "out", "--file-only", "-q"))
    line = json.loads((tmp_path / "out" / ".briefer-batch" / "round-1.part-1.jsonl").read_text(encoding="utf-8"))
    assert line["body"] == batch_body(sent) and sent["stream"] is True  # only not streamed
    assert {k: v for k, v in sent.items() if k not in line["body"]} == {
        "stream": True, "stream_options": {"include_usage": True}}
    assert line["body"]["max_completion_tokens"] == sent["max_completion_tokens"]
    assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
    assert line["custom_id"] == custom_id(sent, request_key(sent)) == f"scholz-putin-call.p1-21.{request_key(sent)[:12]}"


def test_an_expired_batch_keeps_the_half_it_answered_and_resubmits_only_the_rest(
    corpus: tuple[list[Path], Path, Path], tmp_path: Path
) -> None:
    articles, recordings, each = corpus
    out = tmp_path / "out"
    with BatchServer(from_recordings(recordings), outcomes=[Outcome("expired", 0.5), Outcome()]) as server:
        ok(cli("batch", "submit", *articles, "-o", out, "--base-url", server.url, "-q"))
        ok(cli("batch", "status", out))
        first = ok(cli("batch", "collect", out))
        assert server.batches["batch_0001"].status == "expired"
        answered_first = set(server.answered_ids)
        assert len(answered_first) == 11
        resubmitted = set(round_ids(out, 2))
        unanswered = set(round_ids(out, 1)) - answered_first
        assert unanswered <= resubmitted and len(unanswered) == 11  # the rest, and only the rest ...
        assert not resubmitted & answered_first
        assert "submitted round 2" in first.stderr
        assert "batch batch_0001: expired, 11/22 done, 11 failed; what it did not answer is asked again" in first.stderr
        ok(cli("batch", "collect", out))  # ... and the synthesis, once its chunks are in
        while "submitted round" in (last := ok(cli("batch", "collect", out))).stderr:
            pass
        assert_same_briefings(out, each)
        assert Counter(map(json.dumps, server.answered)).most_common(1)[0][1] == 1


def test_a_long_article_has_its_chunks_in_the_first_batch_and_its_synthesis_in_the_follow_up(
    tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with BatchServer(from_recordings(CASSETTES)) as server:
        ok(cli("batch", "submit", LONG, "-o", out, "--base-url", server.url, "-q"))
        ok(cli("batch", "status", out))
        ok(cli("batch", "collect", out, "-q"))
        assert not list(out.glob("*.json"))  # the chunks are in, the synthesis is not
        assert "batch_0002: in_progress" in ok(cli("batch", "status", out)).stdout
        summary = json.loads(ok(cli("batch", "collect", out, "--json")).stdout)
    assert summary["briefed"] == 1 and summary["waiting"] == 0 and summary["calls_made"] == 4
    assert summary["prices_of"] == "2025-08-07, Batch API"
    each_briefings([LONG], CASSETTES, tmp_path / "each")
    assert len(round_ids(out, 1)) == 3 and round_ids(out, 2)[0].startswith(
        "businessweek-afghanistan-new-millionaires-2014.synthesis.")
    assert_same_briefings(out, tmp_path / "each")
    assert json.loads((out / "businessweek-afghanistan-new-millionaires-2014.json").read_text())["usage"]["calls"] == 4


def test_file_only_then_results_from_an_offline_engine_give_the_same_briefings(
    corpus: tuple[list[Path], Path, Path], tmp_path: Path
) -> None:
    articles, recordings, each = corpus
    out = tmp_path / "out"
    written = ok(cli("batch", "submit", *articles, "-o", out, "--file-only"))
    assert "round 1: 22 requests written to" in written.stderr
    engine = [sys.executable, str(ROOT / "tests" / "offline_engine.py")]
    for number in (1, 2):
        requests = out / ".briefer-batch" / f"round-{number}.part-1.jsonl"
        subprocess.run([*engine, str(requests), "-o", str(tmp_path / f"output-{number}.jsonl"),
                        "--recordings", str(recordings)], check=True, capture_output=True)
        ok(cli("batch", "collect", out, "--results", tmp_path / f"output-{number}.jsonl"))
    assert_same_briefings(out, each)
    assert "finished" in ok(cli("batch", "collect", out)).stderr
    assert_clean_failure(cli("batch", "collect", out, "--results", tmp_path / "output-1.jsonl"), 2)


def test_collect_of_a_file_only_run_without_results_says_how(tmp_path: Path) -> None:
    ok(cli("batch", "submit", SEED, "-o", tmp_path / "out", "--file-only", "-q"))
    line = assert_clean_failure(cli("batch", "collect", tmp_path / "out"), 2)
    assert "--results FILE" in line


def test_dry_run_shows_the_batch_price_half_the_synchronous_one(tmp_path: Path) -> None:
    sync = ok(cli("brief", "--each", LONG, SEED, "-o", tmp_path / "x", "--dry-run")).stdout
    batch = ok(cli("batch", "submit", LONG, SEED, "-o", tmp_path / "y", "--dry-run")).stdout
    amount = lambda text: float(text.split("estimated cost: about ")[1].split()[0])  # noqa: E731
    assert amount(batch) == pytest.approx(amount(sync) / 2, abs=1e-4)
    assert "prices of 2025-08-07, Batch API" in batch and "briefer dry run (Batch API)" in batch
    assert f"the same run synchronously: about {amount(sync):.4f} USD" in batch
    assert not (tmp_path / "y").exists()


def test_max_cost_is_checked_at_batch_prices(tmp_path: Path) -> None:
    batch = ok(cli("batch", "submit", LONG, "-o", tmp_path / "y", "--dry-run")).stdout
    cost = float(batch.split("estimated cost: about ")[1].split()[0])
    line = assert_clean_failure(cli("batch", "submit", LONG, "-o", tmp_path / "y", "--max-cost", cost / 2), 12)
    assert "more than --max-cost" in line
    ok(cli("batch", "submit", LONG, "-o", tmp_path / "y", "--max-cost", cost * 1.5, "--file-only", "-q"))


def test_a_batch_run_is_recorded_and_replays_offline(tmp_path: Path) -> None:
    tape = tmp_path / "tape"
    with BatchServer(from_recordings(CASSETTES)) as server:
        for command in (["submit", LONG, SEED, "-o", tmp_path / "live"], ["status", tmp_path / "live"],
                        ["collect", tmp_path / "live"], ["status", tmp_path / "live"],
                        ["collect", tmp_path / "live"]):
            ok(cli("batch", *command, "--base-url", server.url, "--record", tape, "-q"))
    kinds = Counter(json.loads(p.read_text())["request"]["path"].split("/")[1] for p in tape.glob("*.json"))
    assert kinds == {"files": 4, "batches": 4}  # 2 uploads, 2 output files; 2 creates, 2 retrieves
    assert SENTINEL_KEY not in "".join(p.read_text() for p in tape.glob("*.json"))
    replayed = tmp_path / "replayed"
    ok(cli("batch", "submit", LONG, SEED, "-o", replayed, "--base-url", "http://127.0.0.1:9/v1",
           "--replay", tape, "-q", env={"OPENAI_API_KEY": ""}))
    for _ in range(2):
        ok(cli("batch", "collect", replayed, "--replay", tape, "-q", env={"OPENAI_API_KEY": ""}))
    assert briefings(replayed) == briefings(tmp_path / "live")


def test_per_request_errors_retry_what_can_succeed_and_fail_only_their_article(tmp_path: Path) -> None:
    answers = recorded_answers(CASSETTES)
    seen: Counter[str] = Counter()
    copy = tmp_path / "unrecorded.txt"
    copy.write_text(SEED.read_text(encoding="utf-8") + "\nOne more paragraph that no recording has.\n")

    def answer(body: dict[str, Any]) -> dict[str, Any] | Error:
        key = request_key(body)
        seen[key] += 1
        if key not in answers:
            return Error(400, "invalid request: no recording")
        return Error(500, "server error") if seen[key] == 1 else answers[key]

    out = tmp_path / "out"
    with BatchServer(answer) as server:
        ok(cli("batch", "submit", SEED, copy, "-o", out, "--base-url", server.url, "-q"))
        ok(cli("batch", "status", out))
        ok(cli("batch", "collect", out, "-q"))
        assert round_ids(out, 2)[0].startswith("scholz-putin-call.p1-21.")  # the 500 goes again
        ok(cli("batch", "status", out))
        last = cli("batch", "collect", out)
    line = last.stderr
    assert last.exit_code == 11
    assert "unrecorded.txt: failed: the batch answered unrecorded.p1-22." in line
    assert "400: invalid request: no recording" in line
    assert (out / "scholz-putin-call.json").is_file() and not (out / "unrecorded.json").exists()
    assert len(round_ids(out, 2)) == 1  # the 400 was not asked again


def test_a_batch_that_fails_validation_fails_its_articles_with_the_reason(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with BatchServer(from_recordings(CASSETTES), outcomes=[Outcome("failed")]) as server:
        ok(cli("batch", "submit", SEED, "-o", out, "--base-url", server.url, "-q"))
        result = cli("batch", "collect", out)
    assert result.exit_code == 11
    assert "failed validation: invalid_request: refused (line 1)" in result.stderr
    assert "batch batch_0001: failed, 0/0 done, 0 failed; refused, so its articles fail" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("briefer: error: 0 briefed, 0 already done, 1 failed")


def test_a_cancelled_batch_keeps_what_it_answered_and_collect_resubmits_the_rest(
    corpus: tuple[list[Path], Path, Path], tmp_path: Path
) -> None:
    articles, recordings, each = corpus
    out = tmp_path / "out"
    singles = [a for a in articles if a != LONG][:6]
    with BatchServer(from_recordings(recordings), in_progress_retrieves=5) as server:
        ok(cli("batch", "submit", *singles, "-o", out, "--base-url", server.url, "-q"))
        assert "batch_0001: cancelling" in ok(cli("batch", "cancel", out)).stderr
        collected = ok(cli("batch", "collect", out))
        assert "3 briefed" in collected.stderr and "submitted round 2, 3 requests" in collected.stderr
        for _ in range(6):
            ok(cli("batch", "collect", out, "-q"))
    assert len(briefings(out)) == 6
    assert Counter(map(json.dumps, server.answered)).most_common(1)[0][1] == 1


def test_a_submit_killed_after_creating_the_batch_does_not_create_a_second(tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = RunFolder(out)
    with BatchServer(from_recordings(CASSETTES)) as server:
        ok(cli("batch", "submit", SEED, "-o", out, "--base-url", server.url, "-q"))
        state = folder.load()  # as if killed between creating the batch and saving its id
        state.rounds[0].parts[0].batch_id, state.rounds[0].parts[0].status = None, "creating"
        folder.save(state)
        again = ok(cli("batch", "submit", SEED, "-o", out, "--base-url", server.url))
        assert list(server.batches) == ["batch_0001"]
        assert folder.load().rounds[0].parts[0].batch_id == "batch_0001"
        assert "already submitted" in ok(cli("batch", "submit", SEED, "-o", out, "--base-url", server.url)).stderr
    assert "submitted round 1" in again.stderr


def test_a_round_is_split_at_the_per_batch_limits(tmp_path: Path) -> None:
    folder = RunFolder(tmp_path)
    state = RunState(model="m", sources=[], chunk_tokens=2000, structured_mode="json_schema",
                     grounding="mark", max_reasks=2, fmt="md", template="briefing.md")
    requests = {f"{n:064x}": {"model": "m", "messages": [{"role": "user", "content": "x" * 100}]} for n in range(5)}
    by_count = folder.write_round(state, requests, max_requests=2)
    assert [p.requests for p in by_count.parts] == [2, 2, 1]
    one_line = len((tmp_path / ".briefer-batch" / by_count.parts[0].file).read_bytes()) // 2
    by_size = folder.write_round(state, requests, max_bytes=one_line * 3)
    assert [p.requests for p in by_size.parts] == [3, 2]
    assert all(len((tmp_path / ".briefer-batch" / p.file).read_bytes()) <= one_line * 3 for p in by_size.parts)
    assert state.tries[f"{0:064x}"] == 2


def test_status_and_collect_of_a_folder_without_a_run_are_one_line(tmp_path: Path) -> None:
    for command in ("status", "collect", "cancel"):
        line = assert_clean_failure(cli("batch", command, tmp_path), 2)
        assert "no batch run here" in line


def test_a_deferred_chunk_lets_its_siblings_note_their_requests_too() -> None:
    """One follow-up batch carries every chunk's request, however the chunks interleave."""
    import asyncio

    from briefer.app.pipeline import in_order
    from briefer.core.errors import Deferred

    noted: list[int] = []

    async def chunk(number: int, pauses: int) -> int:
        for _ in range(pauses):
            await asyncio.sleep(0)
        noted.append(number)
        raise Deferred(f"{number:064}")

    with pytest.raises(Deferred):
        asyncio.run(in_order([chunk(1, 0), chunk(2, 3), chunk(3, 6)]))
    assert sorted(noted) == [1, 2, 3]


def test_collect_now_asks_the_follow_up_synchronously_and_keeps_its_answer(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with BatchServer(from_recordings(CASSETTES)) as server:
        ok(cli("batch", "submit", LONG, "-o", out, "--base-url", server.url, "-q"))
        ok(cli("batch", "status", out))
        now = ok(cli("batch", "collect", out, "--now"))
        assert "the rest was asked synchronously (--now)" in now.stderr
        assert [b["messages"][1]["content"].split(":")[0] for b in server.synchronous] == ["Sources"]
        assert list(server.batches) == ["batch_0001"]  # no follow-up batch
        again = ok(cli("batch", "collect", out))
        assert len(server.synchronous) == 1 and list(server.batches) == ["batch_0001"]
        assert "0 briefed, 1 already done" in again.stderr
    each_briefings([LONG], CASSETTES, tmp_path / "each")
    got = json.loads((out / "businessweek-afghanistan-new-millionaires-2014.json").read_text())
    expected = json.loads((tmp_path / "each" / "businessweek-afghanistan-new-millionaires-2014.json").read_text())
    cost = got.pop("cost")
    assert cost == expected.pop("cost")  # live calls in it: the standard price, never less
    assert got == expected
    (entry,) = [r for r in logged_runs()["runs"] if r["kind"] == "batch"]  # the --now collect; not the next
    assert entry["cost"] == round(cost["amount"], 6) > 0 and entry["calls"] == 4
    assert entry["prices_of"] == "2025-08-07, standard (--now)"  # the batch's round briefed nothing


def test_a_round_over_the_per_batch_limit_goes_out_as_several_batches_and_comes_back_whole(
    corpus: tuple[list[Path], Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefer.batch.state

    monkeypatch.setattr(briefer.batch.state, "MAX_REQUESTS_PER_BATCH", 5)
    articles, recordings, each = corpus
    out = tmp_path / "out"
    with BatchServer(from_recordings(recordings), max_requests_per_batch=5) as server:
        assert "(batch_0001, batch_0002, batch_0003, batch_0004, batch_0005)" in ok(
            cli("batch", "submit", *articles, "-o", out, "--base-url", server.url)).stderr
        status = ok(cli("batch", "status", out)).stdout
        assert status.count(": in_progress") == 5 and "0/2 done" in status  # 5 + 5 + 5 + 5 + 2
        ok(cli("batch", "collect", out, "-q"))
        ok(cli("batch", "status", out))
        ok(cli("batch", "collect", out, "-q"))
    assert [b.status for b in server.batches.values()] == ["completed"] * 6
    assert_same_briefings(out, each)


def test_the_config_file_sets_the_batch_commands_options_too(tmp_path: Path) -> None:
    import os

    config = Path(os.environ["BRIEFER_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('model = "gpt-4.1"\n', encoding="utf-8")
    planned = ok(cli("batch", "submit", SEED, "-o", tmp_path / "out", "--dry-run")).stdout
    assert planned.startswith("briefer dry run (Batch API): gpt-4.1, 1 call")
    flagged = ok(cli("batch", "submit", SEED, "-o", tmp_path / "out", "--dry-run", "--model", "gpt-5")).stdout
    assert flagged.startswith("briefer dry run (Batch API): gpt-5, 1 call")


def logged_runs() -> dict[str, Any]:
    return json.loads(ok(cli("log", "--json")).stdout)


def test_a_collect_that_writes_briefings_is_one_run_in_the_log_at_batch_prices(tmp_path: Path) -> None:
    """The seed is briefed by the first collect, the long article (its synthesis in a follow-up
    batch) by the second; a third collect writes nothing and logs nothing."""
    out = tmp_path / "out"
    with BatchServer(from_recordings(CASSETTES)) as server:
        ok(cli("batch", "submit", SEED, LONG, "-o", out, "--base-url", server.url, "-q"))
        assert logged_runs()["runs"] == []  # a submit writes no briefing
        for _ in range(2):
            ok(cli("batch", "status", out))
            ok(cli("batch", "collect", out, "-q"))
        ok(cli("batch", "collect", out, "-q"))
    seed = json.loads((out / "scholz-putin-call.json").read_text())
    long = json.loads((out / "businessweek-afghanistan-new-millionaires-2014.json").read_text())
    data = logged_runs()
    second, first = data["runs"]  # newest first; not three: the last collect wrote nothing
    for entry, briefing in ((first, seed), (second, long)):
        assert entry["kind"] == "batch" and entry["model"] == "gpt-4.1-mini" and entry["endpoint"] == server.url
        assert (entry["calls"], entry["replayed"]) == (briefing["usage"]["calls"], 0)
        assert (entry["prompt_tokens"], entry["completion_tokens"]) == (
            briefing["usage"]["prompt_tokens"], briefing["usage"]["completion_tokens"])
        assert entry["cost"] == round(briefing["cost"]["amount"], 6) > 0
        assert entry["prices_of"] == briefing["cost"]["prices_of"] == "2025-08-07, Batch API"
        assert str(out / f"{briefing['sources'][0]['id']}.json") in entry["outputs"]
    assert first["outcome"] == "ok: 1 briefed, 0 already done, 0 failed, 1 waiting for the next batch"
    assert second["outcome"] == "ok: 1 briefed, 1 already done, 0 failed" and second["exit_code"] == 0
    assert [s["sha256"] for s in second["sources"]] == [None, long["sources"][0]["sha256"]]
    (by_model,) = data["totals"]["by_model"]
    assert (by_model["model"], by_model["runs"], by_model["calls"]) == ("gpt-4.1-mini", 2, 5)
    assert by_model["cost"] == pytest.approx(seed["cost"]["amount"] + long["cost"]["amount"], abs=2e-6)
    assert data["totals"]["by_day"][0]["cost"] == by_model["cost"]
    assert ok(cli("log")).stdout.count(" USD (Batch API): ") == 2


def test_no_log_and_the_config_switch_leave_a_collect_out_of_the_log(tmp_path: Path) -> None:
    with BatchServer(from_recordings(CASSETTES)) as server:
        for name, flags in (("flag", ["--no-log"]), ("config", [])):
            out = tmp_path / name
            ok(cli("batch", "submit", SEED, "-o", out, "--base-url", server.url, "-q"))
            ok(cli("batch", "status", out))
            if name == "config":
                ok(cli("config", "set", "log", "false"))
            assert "1 briefed" in ok(cli("batch", "collect", out, *flags)).stderr
    assert logged_runs()["runs"] == []


def test_collect_now_accounts_for_the_briefings_of_both_its_rounds(tmp_path: Path) -> None:
    """The seed is briefed from the batch's answers, the long article after its synthesis is
    asked synchronously: one collect wrote both, and says so, each at the price it was paid."""
    out = tmp_path / "out"
    with BatchServer(from_recordings(CASSETTES)) as server:
        ok(cli("batch", "submit", SEED, LONG, "-o", out, "--base-url", server.url, "-q"))
        ok(cli("batch", "status", out))
        summary = json.loads(ok(cli("batch", "collect", out, "--now", "--json")).stdout)
    seed = json.loads((out / "scholz-putin-call.json").read_text())
    long = json.loads((out / "businessweek-afghanistan-new-millionaires-2014.json").read_text())
    assert (seed["cost"]["prices_of"], long["cost"]["prices_of"]) == ("2025-08-07, Batch API", "2025-08-07")
    assert (summary["briefed"], summary["skipped"], summary["calls_made"]) == (2, 0, 5)
    assert summary["estimated_cost"] == pytest.approx(seed["cost"]["amount"] + long["cost"]["amount"], abs=2e-6)
    assert summary["prices_of"] == "2025-08-07, Batch API; 2025-08-07, standard (--now)"
    (entry,) = logged_runs()["runs"]
    assert entry["outcome"] == "ok: 2 briefed, 0 already done, 0 failed" and entry["calls"] == 5
    assert (entry["cost"], entry["prices_of"]) == (round(summary["estimated_cost"], 6), summary["prices_of"])


def test_an_article_whose_paid_answer_fails_is_counted_in_the_collect_summary_and_the_log(
        tmp_path: Path) -> None:
    """The batch answered the copy of the seed with a reply that is not the contract's JSON: the
    request was paid for, the article fails, and the collect's --json summary, its log row and a
    later collect say so once, with the tokens the batch reported."""
    answers = recorded_answers(CASSETTES)
    copy = tmp_path / "broken.txt"
    copy.write_text(SEED.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")

    def answer(body: dict[str, Any]) -> dict[str, Any] | Error:
        recorded = answers.get(request_key(body))
        if recorded is not None:
            return recorded
        broken = json.loads(json.dumps(answers[next(iter(answers))]))
        broken["choices"][0]["message"]["content"] = "I cannot help with that."
        broken["usage"] = {"prompt_tokens": 4000, "completion_tokens": 12, "total_tokens": 4012}
        return broken

    out = tmp_path / "out"
    with BatchServer(answer) as server:
        ok(cli("batch", "submit", SEED, copy, "-o", out, "--base-url", server.url, "-q"))
        ok(cli("batch", "status", out))
        first = json.loads(ok(cli("batch", "collect", out, "--json")).stdout)  # the copy is asked again
        ok(cli("batch", "status", out))
        result = cli("batch", "collect", out, "--json")
        assert result.exit_code == 11, result.stderr
        last = json.loads(result.stdout)
        seed = json.loads((out / "scholz-putin-call.json").read_text())
        asked = len(server.requests)
        again = cli("batch", "collect", out, "--json")
    assert (first["briefed"], first["failed"], last["failed"]) == (1, 0, 1)
    # Two answers paid for the copy (the first, and the one to the re-ask), both counted:
    assert first["calls_made"] + last["calls_made"] == seed["usage"]["calls"] + 2
    assert first["prompt_tokens"] + last["prompt_tokens"] == seed["usage"]["prompt_tokens"] + 8000
    assert last["estimated_cost"] > 0
    runs = logged_runs()["runs"]
    assert [r["exit_code"] for r in runs] == [11, 0]
    assert sum(r["calls"] for r in runs) == first["calls_made"] + last["calls_made"]
    assert len(server.requests) == asked and again.exit_code in (0, 11)
    assert len(logged_runs()["runs"]) == 2, again.stderr  # a collect that does nothing new logs nothing
