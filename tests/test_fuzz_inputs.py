"""Issue 24: every reply and file briefer reads, fuzzed. Provider replies (plain and streamed),
batch result lines, and the JSON and TOML files (config, sidecar, price table, recording, batch
state): a wrong type at every field, the sample cut at every byte, and nesting 100,000 deep.

Every field and every cut is tried on the reading code itself (fast); a sample of them, drawn by
Hypothesis, goes through the command line, where each run must end as `hostile.clean_outcome`
says: a documented exit code, only briefer's own lines on stderr, a failure in one line, and
never a traceback."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefer.core.errors import BrieferError

from .conftest import CASSETTES, SEED, Run, seed_answer, seed_recording
from .hostile import clean_outcome, deep_json, deep_toml, traceback_count  # noqa: F401

#: Values of every wrong type, and the usual troublemakers among the right ones.
WRONG: list[Any] = [42, -5_000_000_000, 1.5, "x", "", None, True, [], {}, [[1]], {"a": {"b": 1}}]
CLI_RUNS = settings(max_examples=8, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every field of a JSON value (the whole value first), as a path of keys and indexes."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from paths(child, (*prefix, key))


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    changed = copy.deepcopy(value)
    holder = changed
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = new
    return changed


def mutations(sample: Any) -> list[tuple[tuple[Any, ...], Any]]:
    return [(path, wrong) for path in paths(sample) for wrong in WRONG]


PLAIN = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4.1-mini",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": seed_answer(), "refusal": None},
                      "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 3935, "completion_tokens": 1913, "total_tokens": 5848,
                   "prompt_tokens_details": {"cached_tokens": 0}}}
CHUNK = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "model": "gpt-4.1-mini",
         "choices": [{"index": 0, "delta": {"role": "assistant", "content": seed_answer(), "refusal": None},
                      "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 3935, "completion_tokens": 1913, "prompt_tokens_details": {"cached_tokens": 0}}}


def events(*chunks: Any) -> str:
    return "\n\n".join(f"data: {json.dumps(chunk)}" for chunk in chunks) + "\n\ndata: [DONE]\n"


def read_reply(completion: Any) -> None:
    """What the client does with a reply: its text, problems, usage; only briefer's errors."""
    try:
        completion.read()
    except BrieferError:
        pass
    assert all(isinstance(v, int) and v >= 0 for v in (completion.usage.get("prompt_tokens", 0),
                                                       completion.usage.get("completion_tokens", 0)))


# ------------------------------------------------------------------ provider replies


def test_every_field_of_a_plain_or_streamed_reply_with_a_wrong_type_is_read_without_a_traceback() -> None:
    from briefer.llm.stream import from_body, from_events

    for path, wrong in mutations(PLAIN):
        try:
            completion = from_body(replaced(PLAIN, path, wrong))
        except ValueError:  # not a chat completion at all: the caller's one line (exit 5)
            continue
        read_reply(completion)
    for path, wrong in mutations(CHUNK):
        try:
            read_reply(from_events(events(replaced(CHUNK, path, wrong))))
        except BrieferError:
            pass  # an error event in the stream: the provider's error, said in one line


def test_a_stream_cut_at_every_byte_is_read_without_a_traceback() -> None:
    from briefer.llm.stream import from_events

    stream = events({"choices": [{"index": 0, "delta": {"content": '{"title": "a"}'}}]},
                    {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 3}})
    for cut in range(len(stream) + 1):
        try:
            read_reply(from_events(stream[:cut]))
        except ValueError:  # a cut event is not JSON: the caller's one line (exit 5)
            pass


def recording_with(folder: Path, response: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    recording = json.loads(seed_recording().read_text(encoding="utf-8"))
    recording["response"] = {"status": 200, **response}
    (folder / seed_recording().name).write_text(json.dumps(recording), encoding="utf-8")
    return folder


@CLI_RUNS
@given(st.sampled_from(mutations(PLAIN)), st.booleans())
def test_a_reply_with_a_wrong_type_anywhere_ends_cleanly(run: Run, tmp_path_factory: pytest.TempPathFactory,
                                                         mutation: tuple[tuple[Any, ...], Any], streamed: bool) -> None:
    folder = tmp_path_factory.mktemp("replies")
    path, wrong = mutation
    if streamed:
        chunk_path = tuple("delta" if key == "message" else key for key in path)
        chunk = replaced(CHUNK, chunk_path, wrong) if chunk_path[:1] != ("created",) else CHUNK
        response = {"content_type": "text/event-stream", "events": events(chunk).split("\n")}
    else:
        response = {"body": replaced(PLAIN, path, wrong)}
    replay = recording_with(folder / "recordings", response)
    clean_outcome(run("brief", SEED, "--replay", replay, "--max-reasks", "0", "-q", "-o", folder / "b.json"))


# ------------------------------------------------------------------ batch result lines


def batch_line(custom_id: str) -> dict[str, Any]:
    return {"id": "batch_req_1", "custom_id": custom_id,
            "response": {"status_code": 200, "request_id": "r", "body": PLAIN}, "error": None}


def test_every_field_of_a_batch_line_with_a_wrong_type_and_every_cut_is_one_line_or_read() -> None:
    from briefer.batch.rounds import answer_lines

    sample = batch_line("seed.p1-21.0123456789ab")
    texts = [json.dumps(replaced(sample, path, wrong)) for path, wrong in mutations(sample)]
    small = json.dumps({"custom_id": "c", "response": {"status_code": 200, "body": {"choices": []}}})
    texts += [small[:cut] for cut in range(len(small) + 1)] + [deep_json()]
    for text in texts:
        try:
            for line in answer_lines(text, "round-1.part-1.jsonl"):
                line.answer, line.failure()  # noqa: B018 - what collect reads of each line
        except BrieferError as error:
            assert error.exit_code == 2 and "\n" not in str(error)


@pytest.fixture(scope="module")
def submitted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A --file-only run of the seed, waiting for its results (copied before each use)."""
    from click.testing import CliRunner

    from briefer.cli import main

    out = tmp_path_factory.mktemp("batch") / "out"
    data = out.parent / "data"
    result = CliRunner().invoke(main, ["batch", "submit", str(SEED), "-o", str(out), "--file-only", "-q"],
                                env={"BRIEFER_DATA_DIR": str(data), "BRIEFER_CONFIG": str(out.parent / "none.toml")})
    assert result.exit_code == 0, result.stderr
    line = (out / ".briefer-batch" / "round-1.part-1.jsonl").read_text().splitlines()[0]
    return out, json.loads(line)["custom_id"]


@CLI_RUNS
@given(st.data())
def test_collect_with_a_wrong_type_anywhere_in_a_result_line_ends_cleanly(
        run: Run, tmp_path_factory: pytest.TempPathFactory, submitted: tuple[Path, str], data: st.DataObject) -> None:
    template, custom_id = submitted
    sample = batch_line(custom_id)
    path, wrong = data.draw(st.sampled_from(mutations(sample)))
    folder = tmp_path_factory.mktemp("collect")
    out = folder / "out"
    shutil.copytree(template, out)
    results = folder / "results.jsonl"
    results.write_text(json.dumps(replaced(sample, path, wrong)) + "\n")
    clean_outcome(run("batch", "collect", out, "--results", results, "-q"))


# ------------------------------------------------------------------ the files briefer reads

CONFIG = ('model = "gpt-4.1-mini"\nconcurrency = 4\nlog = true\nemail-to = ["desk@example.org"]\n'
          'max-cost = 2.5\n[profiles.work]\nbase-url = "http://127.0.0.1:9/v1"\n')
SIDECAR = {"title": "Scholz and Putin speak", "outlet": "Example News", "date": "2022-12-02",
           "url": "https://news.example/scholz-putin"}
PRICES = {"date": "2026-01-01", "currency": "USD",
          "models": {"gpt-4.1-mini": {"input": 0.4, "output": 1.6, "cached_input": 0.1}}}


def config_mutations() -> list[str]:
    import tomllib

    sample = tomllib.loads(CONFIG)
    toml_values = ["42", '"x"', "true", "[]", "{}", "-1", "nan", "inf", '"nan"', "[[1]]", "1.5"]
    lines = CONFIG.splitlines()
    found = []
    for number, line in enumerate(lines):
        if "=" not in line:
            continue
        key = line.split("=")[0].strip()
        found += ["\n".join([*lines[:number], f"{key} = {value}", *lines[number + 1:]]) + "\n" for value in toml_values]
    assert sample and found
    return found


def test_every_cut_of_the_config_and_a_wrong_type_at_every_key_end_cleanly(run: Run, tmp_path: Path,
                                                                             monkeypatch) -> None:
    config = tmp_path / "fuzz.toml"
    monkeypatch.setenv("BRIEFER_CONFIG", str(config))
    for text in [CONFIG[:cut] for cut in range(len(CONFIG) + 1)] + config_mutations() + [deep_toml()]:
        config.write_text(text)
        for args in (("config", "show"), ("--profile", "work", "config", "show")):
            clean_outcome(run(*args), {0, 2})


@CLI_RUNS
@given(st.sampled_from(config_mutations()))
def test_a_run_with_a_wrong_type_in_the_config_ends_cleanly(run: Run, tmp_path_factory: pytest.TempPathFactory,
                                                             monkeypatch, text: str) -> None:
    config = tmp_path_factory.mktemp("config") / "config.toml"
    config.write_text(text)
    monkeypatch.setenv("BRIEFER_CONFIG", str(config))
    clean_outcome(run("brief", SEED, "--replay", CASSETTES, "-q", "--dry-run"), {0, 2})


def json_file_cases(sample: Any) -> list[str]:
    text = json.dumps(sample)
    return ([text[:cut] for cut in range(len(text) + 1)]
            + [json.dumps(replaced(sample, path, wrong)) for path, wrong in mutations(sample)] + [deep_json()])


def test_every_cut_and_wrong_type_of_a_sidecar_is_one_line_or_read(run: Run, tmp_path: Path) -> None:
    from briefer.ingest import read_source

    article = tmp_path / "article.txt"
    shutil.copy(SEED, article)
    for text in json_file_cases(SIDECAR):
        (tmp_path / "article.meta.json").write_text(text)
        try:
            read_source(str(article))
        except BrieferError as error:
            assert error.exit_code == 3 and "\n" not in str(error)
    clean_outcome(run("text", article), {3})  # the last: nested too deeply, through the command line


def test_every_cut_and_wrong_type_of_a_price_table_is_one_line_or_read(run: Run, tmp_path: Path) -> None:
    from briefer.llm.costs import _read, price_table

    prices = tmp_path / "prices.json"
    for number, text in enumerate(json_file_cases(PRICES)):
        path = prices.with_name(f"prices-{number}.json")  # read once a process per path
        path.write_text(text)
        try:
            table = price_table(path)
            assert all(value >= 0 for model in table.models.values() for value in model.values()
                       if isinstance(value, int | float)), text
        except BrieferError as error:
            assert error.exit_code == 2 and "\n" not in str(error)
    _read.cache_clear()
    clean_outcome(run("brief", SEED, "--dry-run", "--prices", path), {2})


def test_every_wrong_type_in_a_recording_and_a_sample_of_cuts_is_one_line_or_read(tmp_path: Path) -> None:
    from briefer.llm.recording_format import load_recording, recorded_completion

    sample = {"format": "briefer-recording/1", "key": "k", "request": {"method": "POST", "body": {"model": "m"}},
              "response": {"status": 200, "body": {"object": "chat.completion", "choices": [], "usage": {}}}}
    path = tmp_path / "recording.json"
    for text in json_file_cases(sample):
        path.write_text(text)
        try:
            read_reply(recorded_completion(load_recording(path)))
        except (BrieferError, ValueError):  # ValueError: not a chat completion (the caller's line)
            pass


def test_every_cut_and_wrong_type_of_a_batch_state_is_one_line_or_read(submitted: tuple[Path, str],
                                                                      tmp_path: Path, run: Run) -> None:
    from briefer.batch.state import RunFolder

    out = tmp_path / "out"
    shutil.copytree(submitted[0], out)
    state_path = out / ".briefer-batch" / "state.json"
    sample = json.loads(state_path.read_text())
    sample["sources"] = sample["sources"][:1]
    for text in json_file_cases(sample):
        state_path.write_text(text)
        try:
            RunFolder(out).load()
        except BrieferError as error:
            assert error.exit_code == 2 and "\n" not in str(error)
    clean_outcome(run("batch", "status", out), {2})
