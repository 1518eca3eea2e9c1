"""Long articles, HTML pages and several sources: chunking, concurrency, merge, synthesis, and
one briefing per article that survives an interruption."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefer.core.models import Briefing, ChunkExtraction, ExtractedActor, Usage
from briefer.extract.chunking import chunk_document, count_tokens
from briefer.ingest import document_from_bytes, read_source
from briefer.merge.extractions import merge, name_key

from .answers import extraction, synthesis
from .chat_server import ChatServer, Reply
from .conftest import CASSETTES, FIXTURES, SEED, SENTINEL_KEY, Run, seed_answer

ARTICLES = FIXTURES / "articles"
LONG = ARTICLES / "businessweek_afghanistan_new_millionaires_2014.txt"
ASSANGE = [ARTICLES / "bbc_sweden_drops_assange_investigation_2019.txt", ARTICLES / "assange_albawaba_2019.txt"]
METH = sorted(ARTICLES.glob("meth_*.txt"))
KEY = {"OPENAI_API_KEY": SENTINEL_KEY}


def replayed(run: Run, *args: object) -> Briefing:
    result = run("brief", *args, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    return Briefing.model_validate_json(result.stdout)


# ------------------------------------------------------------------------ long articles


def test_a_long_article_is_briefed_in_several_chunks_with_n_plus_one_calls(run: Run) -> None:
    document = read_source(str(LONG))
    assert len(document.text.split()) >= 3000
    chunks = chunk_document(document)
    assert len(chunks) == 3
    briefing = replayed(run, LONG)
    assert briefing.usage.calls == len(chunks) + 1


def test_every_evidence_paragraph_of_the_long_article_points_at_the_right_paragraph(run: Run) -> None:
    document = read_source(str(LONG))
    briefing = replayed(run, LONG)
    items = [briefing.bottom_line, *briefing.key_points, *briefing.findings, *briefing.positions,
             *briefing.disputed_claims, *briefing.facts, *briefing.events]
    evidence = [e for item in items for e in item.evidence] + [e for c in briefing.disputed_claims for e in c.rebuttal]
    assert len(evidence) > 60
    for e in evidence:
        assert (e.status, e.cited_paragraph) == ("verified", None), e
        paragraph = document.paragraph(e.paragraph)
        assert paragraph is not None and paragraph.start <= e.start and e.end <= paragraph.end
    assert {e.paragraph for e in evidence} & set(range(31, 37)), "the last chunk's paragraphs are cited as such"


def test_chunks_stay_under_the_budget_and_keep_paragraph_numbers() -> None:
    document = read_source(str(LONG))
    chunks = chunk_document(document, budget=300)
    assert all(c.tokens <= 300 for c in chunks)
    numbers = [int(line[2:].split("]")[0]) for c in chunks for line in c.text.split("\n\n")]
    assert numbers == sorted(numbers) and set(numbers) == set(range(1, len(document.paragraphs) + 1))


def test_a_paragraph_longer_than_the_budget_is_split_at_sentences_under_its_own_number() -> None:
    sentences = [f"Sentence number {n} says something about the long paragraph here." for n in range(60)]
    document = document_from_bytes(" ".join(sentences).encode(), doc_id="d", origin="d")
    chunks = chunk_document(document, budget=200)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith("[P1] Sentence number") and chunk.text.rstrip().endswith("here.")
        assert count_tokens(chunk.text) <= 200


def test_a_one_chunk_article_costs_exactly_one_call(run: Run) -> None:
    assert replayed(run, SEED).usage.calls == 1


# -------------------------------------------------------------------------- HTML pages


@pytest.mark.parametrize("name", ["ap_uk_tories_factcheckuk_2019", "pick_nypost_taliban_hostage_swap_2019"])
def test_an_html_page_briefs_to_the_same_actors_as_its_text(run: Run, name: str) -> None:
    from_html = replayed(run, ARTICLES / f"{name}.html")
    from_text = replayed(run, ARTICLES / f"{name}.txt")
    assert [a.id for a in from_html.actors] == [a.id for a in from_text.actors]
    assert from_html.sources[0].title == from_text.sources[0].title


def test_no_navigation_or_script_text_reaches_the_model(run: Run) -> None:
    page = ARTICLES / "ap_uk_tories_factcheckuk_2019.html"
    answer = (FIXTURES / "answers" / "ap-uk-tories-factcheckuk-2019.p1-19.json").read_text(encoding="utf-8")
    with ChatServer([Reply(content=answer)]) as server:
        result = run("brief", page, "--base-url", server.url, "-q", env=KEY)
    assert result.exit_code == 0, result.stderr
    sent = json.dumps(server.requests, ensure_ascii=False)
    assert "Britain's Conservative Party was accused Wednesday" in sent
    for leftover in ("googletag", "NREUM", "jQuery", "E-Edition", "Obits", "All rights reserved", "Privacy Policy"):
        assert leftover not in sent, leftover


def test_an_html_page_on_standard_input_is_recognised_by_its_content() -> None:
    import io

    page = ARTICLES / "pick_nypost_taliban_hostage_swap_2019.html"
    from_stdin = read_source("-", stdin=io.BytesIO(page.read_bytes()))
    assert [p.text for p in from_stdin.paragraphs] == [p.text for p in read_source(str(page)).paragraphs]


def test_html_metadata_fills_title_outlet_and_date_when_there_is_no_sidecar(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes((ARTICLES / "pick_nypost_taliban_hostage_swap_2019.html").read_bytes())
    document = read_source(str(page))
    assert document.title == "Taliban say they freed US, Australian hostages for 3 terrorist figures"
    assert (document.outlet, document.date) == ("New York Post", "2019-11-19")


# ---------------------------------------------------------------------- several sources


def test_two_reports_give_one_briefing_with_sourced_items_and_a_cross_source_dispute(run: Run) -> None:
    briefing = replayed(run, *ASSANGE)
    ids = [s.id for s in briefing.sources]
    assert ids == ["bbc-sweden-drops-assange-investigation-2019", "assange-albawaba-2019"]
    evidence_sources = {e.source for p in briefing.positions for e in p.evidence}
    assert evidence_sources == set(ids)
    assert briefing.source_disputes
    for dispute in briefing.source_disputes:
        assert {a.source for a in dispute.accounts} == set(ids)
        assert all(a.status == "verified" for a in dispute.accounts)
    age = next(d for d in briefing.source_disputes if "age" in d.subject.lower())
    assert [a.excerpt for a in age.accounts] == ["The 48-year-old Australian", "Assange, 47"]


def test_the_combined_markdown_lists_sources_and_cites_them_on_every_item(run: Run) -> None:
    result = run("brief", *ASSANGE, "--replay", CASSETTES, "-q")
    assert result.exit_code == 0, result.stderr
    markdown = result.stdout
    assert "## Where the sources differ" in markdown
    assert "- **S1** BBC News, 19 November 2019: [Sweden drops Assange rape investigation](https://www.bbc.com/news/world-europe-50473792)" in markdown
    dossier = run("brief", *ASSANGE, "--replay", CASSETTES, "-q", "--template", "dossier").stdout
    positions = dossier.split("## Positions")[1].split("## Disputed and unconfirmed claims")[0]
    items = [line for line in positions.splitlines() if line.startswith("- ")]
    assert items and all(" ¶" in line and ("S1 ¶" in line or "S2 ¶" in line) for line in items)
    points = markdown.split("## Key points")[1].split("\n## ")[0]
    items = [line for line in points.splitlines() if line.startswith("- ")]
    assert items and all(re.search(r"\((S\d ¶\d+(, )?)+\)", line) for line in items)


def test_four_reports_merge_into_one_set_of_actors_without_duplicates(run: Run) -> None:
    briefing = replayed(run, *METH)
    keys = [name_key(a.name) for a in briefing.actors]
    assert len(keys) == len(set(keys))
    noem = [a for a in briefing.actors if "noem" in name_key(a.name)]
    assert [a.id for a in noem] == ["kristi-noem"]
    agencies = [a for a in briefing.actors if {"broadhead co", "minneapolis-based firm", "minnesota ad agency"}
                & {name_key(n) for n in (a.name, *a.aliases)}]
    assert len(agencies) == 1 and agencies[0].name == "Broadhead Co."
    assert len(briefing.sources) == 4 and briefing.usage.calls == 5


def actor(actor_id: str, name: str, *aliases: str, kind: str = "person") -> ExtractedActor:
    return ExtractedActor(id=actor_id, name=name, kind=kind, role=None, affiliation=None, aliases=list(aliases))  # type: ignore[arg-type]


def merged_actors(*groups: list[ExtractedActor]) -> list[tuple[str, str]]:
    document = read_source(str(SEED))
    empty = json.loads(seed_answer()) | {"positions": [], "disputed_claims": [], "quotes": [], "facts": [], "events": []}
    parts = [(document, ChunkExtraction.model_validate(empty | {"actors": [a.model_dump() for a in g]}))
             for g in groups]
    briefing = merge(parts, usage=Usage(), model="m", prompt_version="v")
    return [(a.id, a.name) for a in briefing.actors]


def test_one_actor_per_real_world_actor_across_sources() -> None:
    assert merged_actors(
        [actor("olaf-scholz", "Olaf Scholz")],
        [actor("scholz", "Scholz")],
        [actor("chancellor", "German Chancellor Olaf Scholz", "the chancellor")],
    ) == [("olaf-scholz", "Olaf Scholz")]


def test_two_people_who_share_a_surname_stay_apart() -> None:
    assert merged_actors(
        [actor("kristi-noem", "Kristi Noem"), actor("bill-noem", "Bill Noem")],
        [actor("noem", "Noem")],
    ) == [("kristi-noem", "Kristi Noem"), ("bill-noem", "Bill Noem"), ("noem", "Noem")]


def test_a_surname_alone_joins_the_one_person_who_bears_it() -> None:
    assert merged_actors([actor("a", "Timothy Weeks")], [actor("b", "Weeks")]) == [("timothy-weeks", "Timothy Weeks")]


def test_ids_are_stable_whatever_ids_the_model_chose() -> None:
    first = merged_actors([actor("x1", "Kevin King")], [actor("y9", "King")])
    again = merged_actors([actor("king", "Kevin King")], [actor("k", "King")])
    assert first == again == [("kevin-king", "Kevin King")]


# ------------------------------------------------------------------- concurrency, order


def small_answer(body: dict, _: int) -> Reply:
    user = body["messages"][1]["content"]
    if user.startswith("Sources:"):
        content = synthesis()
    else:
        first = int(user.split("Paragraphs: ")[1].split(" ")[0])
        content = extraction(f"chunk from ¶{first}")
    return Reply(content=json.dumps(content), delay=0.05 + (hash(user) % 7) / 100)


class InFlight:
    """Wraps a reply script to record the most requests the server held at once."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, body: dict, n: int) -> Reply:
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            reply = small_answer(body, n)
            time.sleep(reply.delay)
            return Reply(content=reply.content)
        finally:
            with self.lock:
                self.now -= 1


def test_chunks_are_extracted_concurrently_within_the_bound_and_merged_in_order(run: Run) -> None:
    counter = InFlight()
    args = ["brief", LONG, "--chunk-tokens", "600", "--grounding", "off", "--format", "json", "-q"]
    with ChatServer(counter) as server:
        parallel = run(*args, "--concurrency", "4", "--base-url", server.url, env=KEY)
        calls = len(server.requests)
    with ChatServer(small_answer) as server:
        serial = run(*args, "--concurrency", "1", "--base-url", server.url, env=KEY)
    assert parallel.exit_code == serial.exit_code == 0, parallel.stderr
    chunks = len(chunk_document(read_source(str(LONG)), budget=600))
    assert chunks >= 8 and calls == chunks + 1
    assert counter.most == 4
    assert parallel.stdout == serial.stdout


def test_no_progress_when_stderr_is_not_a_terminal_and_nothing_but_errors_with_quiet(run: Run) -> None:
    """(On a terminal, tests/test_progress.py.)"""
    with ChatServer(small_answer) as server:
        shown = run("brief", LONG, "--grounding", "off", "--base-url", server.url, env=KEY)
        quiet = run("brief", LONG, "--grounding", "off", "--base-url", server.url, "-q", env=KEY)
    assert shown.exit_code == quiet.exit_code == 0
    assert "in flight" not in shown.stderr and "\r" not in shown.stderr
    assert shown.stderr.startswith("briefer: businessweek-afghanistan-new-millionaires-2014: 4 calls made;")
    assert quiet.stderr == "" and quiet.stdout == shown.stdout


# ------------------------------------------------------------------- one per article


def test_each_writes_one_briefing_per_article_and_a_rerun_skips_them(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    unrecorded = tmp_path / "unrecorded.txt"
    unrecorded.write_text("An article that nobody recorded says the council met on Monday.\n")
    first = run("brief", "--each", SEED, unrecorded, "-o", out, "--replay", CASSETTES)
    # the unrecorded article fails, cleanly, on its own; the seed lands
    assert first.exit_code == 11, first.stderr
    assert "unrecorded.txt: failed: no recording" in first.stderr
    assert "1 briefed, 0 already done, 1 failed" in first.stderr
    assert sorted(p.name for p in out.iterdir()) == ["scholz-putin-call.json", "scholz-putin-call.md"]
    again = run("brief", "--each", SEED, "-o", out, "--replay", CASSETTES)
    assert again.exit_code == 0 and "0 briefed, 1 already done, 0 failed" in again.stderr


def test_an_interrupted_each_run_finishes_the_rest_without_redoing_or_losing_any(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in range(6):
        (inbox / f"article-{n}.txt").write_text(f"Article {n} reports that the council met on Monday to vote.\n")
    out = tmp_path / "out"

    def slow(body: dict, _: int) -> Reply:
        return Reply(content=json.dumps(extraction()), delay=0.4)

    env = {**os.environ, **KEY}
    command = [sys.executable, "-m", "briefer", "brief", "--each", str(inbox), "-o", str(out), "--concurrency", "1"]
    with ChatServer(slow) as server:
        process = subprocess.Popen([*command, "--base-url", server.url], env=env, cwd=tmp_path,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while len(list(out.glob("*.json"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        finished = {p.name: p.read_bytes() for p in out.glob("*.json")}
        assert 2 <= len(finished) < 6
        for data in finished.values():
            Briefing.model_validate_json(data)  # complete, never half-written
        calls_before = len(server.requests)
        rerun = subprocess.run([*command, "--base-url", server.url], env=env, cwd=tmp_path,
                               capture_output=True, text=True, timeout=60)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{6 - len(finished)} briefed, {len(finished)} already done, 0 failed" in rerun.stderr
    assert len(server.requests) - calls_before == 6 - len(finished)
    for name, data in finished.items():
        assert (out / name).read_bytes() == data
    assert len(list(out.glob("*.json"))) == 6
    assert list(out.glob(".*.tmp")) == []  # what the killed run left half-written is cleared


def test_each_needs_an_output_folder(run: Run) -> None:
    result = run("brief", "--each", SEED, "--replay", CASSETTES)
    assert result.exit_code == 2 and "give -o OUTDIR" in result.stderr
