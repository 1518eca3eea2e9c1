"""briefer against the local servers people run, answering as they do: llama.cpp's
`llama-server` serving back its captured exchanges (fixtures/live/llamacpp-gemma3-270m/), and
stand-ins for vLLM's and Ollama's OpenAI routes (tests/local_servers.py). doctor passes; a
looping stream is stopped early; a cut-off is asked again changed; a hollow answer fails
clearly; a run with two cut-offs replays as it ran."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefer.core.models import Briefing
from briefer.llm.cutoff import prompt_estimate
from briefer.render.engine import render_briefing

from .chat_server import ChatServer, Reply
from .conftest import FIXTURES, ROOT, SENTINEL_KEY, Run, assert_clean_failure
from .local_servers import LLAMA_CPP, LLAMA_MODEL, MODEL_OF, OLLAMA, VLLM, Kind, LlamaCpp, captured, exchange

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
KINDS = [LLAMA_CPP, VLLM, OLLAMA]
ARTICLE = FIXTURES / "articles" / "meth_usatoday_argusleader_2019.txt"  # the article of 013 and 014
ANSWER = (FIXTURES / "answers" / "meth-usatoday-argusleader-2019.p1-13.json").read_text(encoding="utf-8")


def content_of(number: str) -> str:
    """The text a captured stream carried."""
    pieces = []
    for line in exchange(number)[2].decode().split("\n"):
        if line.startswith("data: {"):
            for choice in json.loads(line[6:]).get("choices") or []:
                pieces.append((choice.get("delta") or {}).get("content") or "")
    return "".join(pieces)


def looping(number: str, kind: Kind) -> Reply:
    """A captured looping reply: the real bytes from llama.cpp, the same text in the stand-in's
    own stream shape from the others."""
    if kind is LLAMA_CPP:
        return captured(number)
    return Reply(content=content_of(number), finish_reason="length", usage=(1575, 3615))


def served(kind: Kind, replies: list[Reply], models: list[str] | None = None) -> ChatServer:
    return ChatServer(replies, models=models or [MODEL_OF[kind.name]], kind=kind)


def brief_on_a_terminal(url: str, model: str, cwd: Path, *extra: str) -> tuple[int, str]:
    """`briefer brief ARTICLE` with stderr on a pseudo-terminal (where progress is drawn)."""
    leader, follower = pty.openpty()
    env = {**os.environ, **KEY, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-m", "briefer", "brief", str(ARTICLE), "--base-url", url,
                                "--model", model, "-o", str(cwd / "out.md"), *extra],
                               stdout=subprocess.DEVNULL, stderr=follower, env=env, cwd=cwd)
    os.close(follower)
    seen = bytearray()
    while True:
        try:
            piece = os.read(leader, 4096)
        except OSError:
            break
        if not piece:
            break
        seen += piece
    os.close(leader)
    return process.wait(timeout=120), seen.decode("utf-8", "replace")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_doctor_passes_and_says_the_servers_kind_and_context(run: Run, kind: Kind) -> None:
    with served(kind, [captured("003")]) as server:
        result = run("doctor", "--base-url", server.url, "--model", MODEL_OF[kind.name], "--no-log", env=KEY)
    assert result.exit_code == 0, result.output
    lines = {line.split(":")[0].split(None, 1)[1]: line for line in result.stdout.splitlines()}
    assert f"{kind.name}, context 8,192 tokens" in lines["endpoint"]
    assert lines["model"].startswith("ok") and f"{MODEL_OF[kind.name]} is listed" in lines["model"]
    assert lines["structured outputs"].startswith("ok  ") and "62 prompt + 11 completion tokens" in lines["structured outputs"]
    assert not [p for p in server.lookups if "/v1/models/" in p]  # no per-model route asked for


def test_a_local_server_listing_a_file_path_gets_a_clear_hint(run: Run) -> None:
    with served(VLLM, [captured("003")], models=["/models/gemma-3-270m"]) as server:
        result = run("doctor", "--base-url", server.url, "--model", "gemma-3-270m", "--json", "--no-log", env=KEY)
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert result.exit_code == 14 and checks["model"]["status"] == "fail"
    assert "lists its model by the file's path: use --model '/models/gemma-3-270m'" in checks["model"]["detail"]
    assert checks["structured outputs"]["status"] == "ok"  # the probe is sent all the same
    with served(LLAMA_CPP, [captured("003")]) as server:  # llama-server answers any name with its model
        result = run("doctor", "--base-url", server.url, "--model", "gemma", "--json", "--no-log", env=KEY)
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert result.exit_code == 0 and "answers every name with its one model" in checks["model"]["detail"]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_looping_stream_is_stopped_early_and_asked_again_changed(kind: Kind, tmp_path: Path) -> None:
    replies = [looping("013", kind), looping("014", kind), Reply(content=ANSWER)]
    with served(kind, replies) as server:
        code, terminal = brief_on_a_terminal(server.url, MODEL_OF[kind.name], tmp_path)
    assert code == 0, terminal
    _, second, third = server.requests
    # stopped long before its 3,615 tokens (at the 583rd of llama.cpp's: the loop on "0" was plain
    # by then), and said so
    said = re.search(r"the reply was stopped after ([\d,]+) tokens: it kept repeating '0'; asking again, "
                     r"changed \(re-ask 1 of 2\)", terminal)
    assert said and int(said.group(1).replace(",", "")) < 700, terminal
    assert kind is not LLAMA_CPP or said.group(1) == "583"
    assert f"stopped after {said.group(1)} tokens: it kept repeating the same text" in second["messages"][-1]["content"]
    assert "That is 2 cut-off replies in a row" in third["messages"][-1]["content"]
    assert len({json.dumps(r, sort_keys=True) for r in server.requests}) == 3  # never the same request twice
    assert [len(r["messages"]) for r in server.requests] == [2, 3, 3]  # one note, replaced, never stacked
    assert re.search(r"2 re-asks, [\d,]+ tokens received", terminal)
    budget_field = "max_tokens" if kind is OLLAMA else "max_completion_tokens"  # what the server reads
    for request in server.requests:  # prompt and budget inside the server's context
        assert set(request) & {"max_tokens", "max_completion_tokens"} == {budget_field}
        assert request[budget_field] + sum(len(m["content"]) for m in request["messages"]) / 4 < 8192


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_hollow_answer_is_asked_again_once_then_fails_clearly(run: Run, kind: Kind, tmp_path: Path) -> None:
    with served(kind, [captured("006") if kind is LLAMA_CPP else Reply(content=content_of("006"))]) as server:
        result = run("brief", ARTICLE, "--base-url", server.url, "--model", MODEL_OF[kind.name],
                     "-o", tmp_path / "out.md", env=KEY)
    line = assert_clean_failure(result, 6)
    assert "hollow again after a re-ask: nothing was extracted from" in line and "words of article" in line
    assert len(server.requests) == 2 and "nothing was extracted" in server.requests[1]["messages"][-1]["content"]
    (kept,) = tmp_path.glob("*.raw-replies*.json")
    assert str(kept) in line and json.loads(kept.read_text()) == [content_of("006")] * 2
    assert not (tmp_path / "out.md").exists()


def footer(stderr: str) -> str:
    """The run's closing line, with what a replay says differently (made / replayed) set aside."""
    (line,) = [ln for ln in stderr.splitlines() if ln.startswith("briefer: meth-usatoday-argusleader-2019:")]
    return re.sub(r"\d+ calls? made, \d+ replayed|\d+ calls? made", "CALLS", line)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_run_with_two_cut_offs_replays_as_it_ran(run: Run, kind: Kind, tmp_path: Path) -> None:
    recordings = tmp_path / "recordings"
    cut = Reply(content=ANSWER[:3000], finish_reason="length", usage=(1575, 800))
    args = (ARTICLE, "--model", MODEL_OF[kind.name], "--format", "json")
    with served(kind, [looping("013", kind), cut, Reply(content=ANSWER)]) as server:
        live = run("brief", *args, "--base-url", server.url, "--record", recordings, env=KEY)
    assert live.exit_code == 0, live.stderr
    assert len(server.requests) == 3
    replayed = run("brief", *args, "--replay", recordings)
    assert replayed.exit_code == 0, replayed.stderr
    first, again = json.loads(live.stdout), json.loads(replayed.stdout)
    assert first["usage"]["calls"] == again["usage"]["calls"] == 3
    assert first["usage"]["reasks"] == again["usage"]["reasks"] == 2
    for field in ("prompt_tokens", "completion_tokens", "cached_tokens"):
        assert first["usage"][field] == again["usage"][field] == again["usage"][f"replayed_{field}"]
    assert footer(live.stderr) == footer(replayed.stderr)
    for briefing in (first, again):
        del briefing["usage"], briefing["cost"]
    assert first == again


@pytest.mark.parametrize("template", ["briefing", "dossier", "email.html", "email.txt", "dossier.email.html",
                                      "dossier.email.txt"])
def test_no_template_prints_an_empty_heading_or_empty_citation_brackets(run: Run, template: str) -> None:
    """What a hollow reply kept by hand (or an old briefing) would look like: nothing to list, a
    bottom line without evidence."""
    result = run("brief", FIXTURES / "articles" / "scholz-putin-call.txt", "--replay", FIXTURES / "cassettes",
                 "--format", "json")
    briefing = Briefing.model_validate_json(result.stdout)
    bare = briefing.model_copy(update={"key_points": [], "bottom_line": briefing.bottom_line.model_copy(
        update={"evidence": []})})
    text = render_briefing(bare, template)
    assert "()" not in text and "(</span>" not in text and "(<" not in text.replace("(<a", "")
    assert "no source cited" in " ".join(text.split())  # plain text may wrap it
    for heading in ("## Key points", "<h2>Key points</h2>", "KEY POINTS"):
        assert heading not in text
    assert "key points" in render_briefing(briefing, template).lower()  # shown when there are some


def test_failed_runs_keep_their_raw_replies_side_by_side_and_old_ones_are_pruned(run: Run, tmp_path: Path) -> None:
    def fail() -> set[Path]:
        with served(LLAMA_CPP, [captured("006")]) as server:
            result = run("brief", ARTICLE, "--base-url", server.url, "--model", LLAMA_MODEL,
                         "-o", tmp_path / "out.md", env=KEY)
        assert_clean_failure(result, 6)
        return set(tmp_path.glob("meth-usatoday-argusleader-2019.raw-replies.*.json"))

    first = fail()
    both = fail()
    assert len(first) == 1 and len(both) == 2 and first < both  # the second run did not overwrite the first
    (old,) = first
    month_ago = time.time() - 40 * 86400
    os.utime(old, (month_ago, month_ago))
    third = fail()
    assert old not in third and len(third) == 2  # older than 30 days: pruned by the next failure


def test_the_budget_is_fitted_to_the_context_the_server_reports(run: Run) -> None:
    # a context that holds the prompt (about 3,400 tokens) and this answer (838), not the default budget
    small = LlamaCpp("llama.cpp", 4608, "llamacpp", per_model_route=False)
    with served(small, [Reply(content=ANSWER)]) as server:
        result = run("brief", ARTICLE, "--base-url", server.url, "--model", LLAMA_MODEL, "-q", env=KEY)
    assert result.exit_code == 0, result.stderr
    (sent,) = server.requests
    prompt = prompt_estimate(sent["messages"])
    assert sent["max_completion_tokens"] == 4608 - prompt < 3615  # 3,615 would not fit


def test_a_prompt_that_leaves_no_room_fails_before_the_call(run: Run) -> None:
    tiny = LlamaCpp("llama.cpp", 1024, "llamacpp", per_model_route=False)
    with served(tiny, [Reply(content=ANSWER)]) as server:
        line = assert_clean_failure(run("brief", ARTICLE, "--base-url", server.url, "--model", LLAMA_MODEL,
                                        env=KEY), 5)
    assert "leaves no room for a reply in the server's context of 1,024 tokens" in line
    assert "llama-server -c" in line and server.requests == []


@pytest.mark.parametrize("refusal", [
    {"error": {"code": 400, "message": "request (9000 tokens) exceeds the available context size (8192 tokens), "
               "try increasing it", "type": "exceed_context_size_error", "n_prompt_tokens": 9000, "n_ctx": 8192}},
    {"object": "error", "message": "This model's maximum context length is 8192 tokens. However, you requested "
     "12000 tokens (9000 in the messages, 3000 in the completion). Please reduce the length of the messages or "
     "completion.", "type": "BadRequestError", "param": None, "code": 400},
], ids=["llama.cpp", "vLLM"])
def test_a_servers_refusal_over_its_context_is_one_line_with_the_numbers(run: Run, refusal: dict) -> None:
    with ChatServer([Reply(status=400, raw_body=json.dumps(refusal).encode())]) as server:
        line = assert_clean_failure(run("brief", ARTICLE, "--base-url", server.url, env=KEY), 5)
    assert "the request does not fit the server's context (" in line and "a context of 8,192 tokens" in line
    assert ("9,000 prompt tokens" if "n_ctx" in json.dumps(refusal) else "12,000 tokens asked for") in line
    assert "start the server with a larger context" in line and "--chunk-tokens" in line
