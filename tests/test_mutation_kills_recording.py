"""The response store's promises as a user of recordings meets them (llm/recording.py and
llm/recording_format.py): a recording answers only the request it was made for, on any host; a
miss in replay never reaches the network and says what differs; what is recorded is the answer
and its provenance, never a header or a secret; a recording that cannot be used is one line.
Each test stands for mutants of those modules that the rest of the suite let through
(scripts/mutation.py recording)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from briefer.core.errors import RecordingMissing, RecordingUnusable, UsageError
from briefer.llm.recording import LIVE, ResponseStore
from briefer.llm.recording_format import explain_miss, load_recording, request_key, write_recording
from briefer.llm.servers import LOOKUP_EXTENSION
from briefer.llm.stream import REPLAYED_HEADER, STOPPED_EXTENSION

from .conftest import SENTINEL_KEY

CHAT = "http://127.0.0.1:9/v1/chat/completions"
BODY = {"model": "m-1", "messages": [{"role": "system", "content": "Read it."},
                                     {"role": "user", "content": "Ärger in Köln"}]}
ANSWER = {"id": "c1", "object": "chat.completion", "choices": [{"index": 0, "message": {"content": "{}"}}]}


class Upstream:
    """A network that answers every request with the next of `responses` (the last one again
    when they run out) and counts what reached it."""

    def __init__(self, *responses: httpx2.Response) -> None:
        self.responses, self.requests = list(responses), []  # type: list[httpx2.Response], list[httpx2.Request]
        self.transport = httpx2.MockTransport(self.answer)

    def answer(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        response = self.responses.pop(0) if len(self.responses) > 1 else self.responses[0]
        return httpx2.Response(response.status_code, headers=response.headers, content=response.content)


def ask(store: ResponseStore, request: httpx2.Request) -> tuple[int, dict[str, str], bytes]:
    """What the SDK would get from the store for `request`: status, headers and the whole body."""

    async def go() -> tuple[int, dict[str, str], bytes]:
        response = await store.handle_async_request(request)
        return response.status_code, dict(response.headers), await response.aread()

    return asyncio.run(go())


def chat(body: dict[str, Any] = BODY, url: str = CHAT, **extensions: Any) -> httpx2.Request:
    return httpx2.Request("POST", url, json=body, extensions=extensions)


def answered(content: Any = ANSWER, status: int = 200, **headers: str) -> httpx2.Response:
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return httpx2.Response(status, headers={"content-type": "application/json", **headers}, content=raw)


def recordings(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


# ---------------------------------------------------------------------- web pages


PAGE = "http://news.example/a"
MOVED = "http://news.example/b"
LATIN = b"<html><body><p>Caf\xe9 cr\xe8me, \xa320</p></body></html>"  # windows-1252: not UTF-8


def pages(*responses: tuple[str, httpx2.Response]) -> tuple[httpx2.MockTransport, list[str]]:
    """A network serving each URL its response, and the URLs asked, in order."""
    served, asked = dict(responses), []

    def answer(request: httpx2.Request) -> httpx2.Response:
        asked.append(str(request.url))
        response = served[str(request.url)]
        return httpx2.Response(response.status_code, headers=response.headers, content=response.content)

    return httpx2.MockTransport(answer), asked


def sent(response: httpx2.Response) -> dict[str, str]:
    """The headers a response carries on, but the length httpx2 adds to any body it is given."""
    return {k: v for k, v in response.headers.items() if k != "content-length"}


def get(store: ResponseStore, url: str) -> httpx2.Response:
    response = store.handle_request(httpx2.Request("GET", url))
    response.read()
    return response


def test_a_page_and_its_redirect_replay_offline_byte_for_byte_with_only_their_type_and_target(tmp_path: Path) -> None:
    network, _ = pages(
        (PAGE, httpx2.Response(301, headers={"location": MOVED, "set-cookie": "s=secret-session"})),
        (MOVED, httpx2.Response(200, headers={"content-type": "text/html; charset=windows-1252",
                                              "set-cookie": "s=secret-session", "server": "nginx"}, content=LATIN)))
    store = ResponseStore(tmp_path, "record", upstream=network, max_body=1000)
    live = [get(store, PAGE), get(store, MOVED)]
    assert [sent(r) for r in live] == [{"location": MOVED}, {"content-type": "text/html; charset=windows-1252"}]
    assert live[1].content == LATIN

    by_url = {r["request"]["url"]: r for r in recordings(tmp_path)}
    assert set(by_url) == {PAGE, MOVED}
    for url, recording in by_url.items():
        assert recording["format"] == "briefer-recording/1"
        assert recording["provenance"] == {"source": "fetched from the web"}
        assert recording["request"] == {"method": "GET", "url": url}
        assert recording["key"] == request_key(recording["request"])
        assert (tmp_path / f"{recording['key'][:24]}.json").is_file()
    assert by_url[PAGE]["response"] == {"status": 301, "headers": {"location": MOVED}, "text": ""}
    assert by_url[MOVED]["response"] == {"status": 200, "headers": {"content-type": "text/html; charset=windows-1252"},
                                         "base64": base64.b64encode(LATIN).decode("ascii")}
    assert "secret-session" not in "".join(p.read_text() for p in tmp_path.glob("*.json"))

    offline = ResponseStore(tmp_path, "replay")
    replayed = [get(offline, PAGE), get(offline, MOVED)]
    assert [(r.status_code, sent(r), r.content) for r in replayed] == \
        [(301, {"location": MOVED}, b""), (200, {"content-type": "text/html; charset=windows-1252"}, LATIN)]


def test_a_utf8_page_is_kept_as_readable_text(tmp_path: Path) -> None:
    html = "<p>Ärger in Köln</p>".encode()
    network, _ = pages((PAGE, httpx2.Response(200, headers={"content-type": "text/html"}, content=html)))
    get(ResponseStore(tmp_path, "record", upstream=network), PAGE)
    (recording,) = recordings(tmp_path)
    assert recording["response"]["text"] == "<p>Ärger in Köln</p>" and "base64" not in recording["response"]
    assert get(ResponseStore(tmp_path, "replay"), PAGE).content == html


def test_a_page_replay_never_fetches_even_with_a_network_at_hand(tmp_path: Path) -> None:
    network, asked = pages((PAGE, httpx2.Response(200, content=b"<p>x</p>")))
    store = ResponseStore(tmp_path, "replay", upstream=network)
    with pytest.raises(RecordingMissing) as missing:
        get(store, PAGE)
    assert asked == []
    assert str(missing.value) == (f"no recording in {tmp_path} of GET {PAGE}; to record it: --record {tmp_path}, "
                                  f"or --cache {tmp_path}")


def test_a_page_cache_fetches_a_page_once_and_then_answers_from_its_recording(tmp_path: Path) -> None:
    network, asked = pages((PAGE, httpx2.Response(200, headers={"content-type": "text/html"}, content=b"<p>1</p>")),
                           (MOVED, httpx2.Response(200, headers={"content-type": "text/html"}, content=b"<p>2</p>")))
    store = ResponseStore(tmp_path, "cache", upstream=network)
    assert [get(store, url).content for url in (PAGE, PAGE, MOVED, PAGE)] == [b"<p>1</p>", b"<p>1</p>", b"<p>2</p>",
                                                                              b"<p>1</p>"]
    assert asked == [PAGE, MOVED]


@pytest.mark.parametrize("status", [404, 500, 503])
def test_a_page_that_is_an_error_is_passed_on_but_never_recorded(tmp_path: Path, status: int) -> None:
    network, _ = pages((PAGE, httpx2.Response(status, headers={"content-type": "text/html"}, content=b"gone")))
    response = get(ResponseStore(tmp_path / "rec", "record", upstream=network), PAGE)
    assert (response.status_code, response.content) == (status, b"gone")
    assert not (tmp_path / "rec").exists()


def test_a_page_over_the_limit_is_read_one_byte_past_it_and_never_recorded_one_at_it_is(tmp_path: Path) -> None:
    chunks = [b"a" * 25] * 12  # 300 bytes, arriving in pieces: the fourth ends at the limit

    def answer(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, headers={"content-type": "text/plain"}, content=iter(chunks))

    store = ResponseStore(tmp_path / "over", "record", upstream=httpx2.MockTransport(answer), max_body=100)
    over = get(store, PAGE).content
    assert over == b"a" * 125  # stopped at the first piece past the limit
    assert not (tmp_path / "over").exists()
    at = ResponseStore(tmp_path / "at", "record", upstream=httpx2.MockTransport(answer), max_body=300)
    assert get(at, PAGE).content == b"a" * 300
    (recording,) = recordings(tmp_path / "at")
    assert recording["response"]["text"] == "a" * 300


def test_the_run_s_page_store_records_a_page_up_to_the_input_limit_and_not_past_it(tmp_path: Path) -> None:
    from briefer.ingest.documents import MAX_INPUT_BYTES
    from briefer.llm.recording import PageStore

    body = {PAGE: b"a" * MAX_INPUT_BYTES, MOVED: b"a" * (MAX_INPUT_BYTES + 1)}
    network = httpx2.MockTransport(lambda r: httpx2.Response(200, content=body[str(r.url)]))
    store = PageStore("record", tmp_path).transport(network)
    assert len(store.handle_request(httpx2.Request("GET", PAGE)).content) == MAX_INPUT_BYTES
    store.handle_request(httpx2.Request("GET", MOVED))
    assert [r["request"]["url"] for r in recordings(tmp_path)] == [PAGE]


def test_a_broken_page_recording_is_one_line_naming_it(tmp_path: Path) -> None:
    network, _ = pages((PAGE, httpx2.Response(200, content=b"x")))
    get(ResponseStore(tmp_path, "record", upstream=network), PAGE)
    (path,) = tmp_path.glob("*.json")
    path.write_text(json.dumps({"format": "briefer-recording/1", "response": {"status": 200}}))
    with pytest.raises(RecordingUnusable) as unusable:
        get(ResponseStore(tmp_path, "replay"), PAGE)
    assert str(unusable.value) == f"{path}: not a usable recording of a page; delete it and re-record"


def test_only_a_get_goes_through_the_page_store(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as refused:
        ResponseStore(tmp_path, "cache").handle_request(httpx2.Request("POST", PAGE, content=b"{}"))
    assert str(refused.value) == "only JSON model calls and page GETs can be recorded"


def test_a_page_that_cannot_be_recorded_is_still_used_and_a_warning_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from briefer.core import files

    def full_disk(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    network, _ = pages((PAGE, httpx2.Response(200, content=b"<p>x</p>")))
    assert get(ResponseStore(tmp_path, "record", upstream=network), PAGE).content == b"<p>x</p>"
    warning = capsys.readouterr().err
    assert warning.startswith("briefer: warning: cannot write ") and \
        warning.rstrip().endswith("No space left on device; the page is used but not recorded")


# ---------------------------------------------------------------------- the Files and Batches API

FILES = "http://127.0.0.1:9/v1/files"


def upload(content: bytes, name: str = "batch.jsonl", purpose: str | bytes = "batch",
           url: str = FILES) -> httpx2.Request:
    """A file upload as the SDK sends it: multipart, with a random boundary each time."""
    return httpx2.Request("POST", url, files={"file": (name, content, "application/jsonl")},
                          data={"purpose": purpose})


def test_an_upload_is_keyed_by_its_fields_and_file_digest_never_its_random_boundary(tmp_path: Path) -> None:
    from briefer.llm.recording_format import keyed, upload_fields

    # a file whose lines end in CRLF and that holds a blank line: its bytes are its own
    content = b'{"custom_id": "a-1"}\r\n\r\n{"custom_id": "a-2"}\r\n'
    first, again = upload(content), upload(content)
    assert first.headers["content-type"] != again.headers["content-type"]  # two random boundaries
    first.read()
    assert upload_fields(first.content, first.headers["content-type"]) == {
        "purpose": "batch",
        "file": {"filename": "batch.jsonl", "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}}
    elsewhere = upload(content, url="https://x.example/files-gateway/v1/files")  # a prefix that says "files" too
    keys = {asyncio.run(keyed(request))[1] for request in (first, again, elsewhere)}
    assert len(keys) == 1
    others = [upload(content + b"\n"), upload(content, name="other.jsonl"), upload(content, purpose="fine-tune")]
    assert len({asyncio.run(keyed(request))[1] for request in others} | keys) == 4


def test_an_upload_with_stray_bytes_in_its_name_and_fields_is_keyed_not_a_crash() -> None:
    from briefer.llm.recording_format import upload_fields

    content = (b'--X0X\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\xff\r\n'
               b'--X0X\r\nContent-Disposition: form-data; name="file"; filename="caf\xe9.jsonl"\r\n'
               b'Content-Type: application/jsonl; charset="utf-8"\r\n\r\n{}\r\n--X0X--\r\n')
    assert upload_fields(content, 'multipart/form-data; boundary="X0X"') == {
        "purpose": "batch\ufffd",
        "file": {"filename": "caf\ufffd.jsonl", "sha256": hashlib.sha256(b"{}").hexdigest(), "bytes": 2}}


BATCH = "http://127.0.0.1:9/v1/batches/batch_1"


@pytest.mark.parametrize("status", ["validating", "in_progress", "finalizing", "cancelling"])
def test_a_cache_asks_again_about_a_batch_that_was_still_running(tmp_path: Path, status: str) -> None:
    running = answered({"id": "batch_1", "object": "batch", "status": status})
    done = answered({"id": "batch_1", "object": "batch", "status": "completed"})
    network = Upstream(running, done)
    store = ResponseStore(tmp_path, "cache", upstream=network.transport)
    bodies = [json.loads(ask(store, httpx2.Request("GET", BATCH))[2])["status"] for _ in range(3)]
    assert bodies == [status, "completed", "completed"] and len(network.requests) == 2
    # a replay gives the moment recorded, the last one
    assert json.loads(ask(ResponseStore(tmp_path, "replay"), httpx2.Request("GET", BATCH))[2])["status"] == "completed"


@pytest.mark.parametrize("status", ["completed", "expired", "failed", "cancelled"])
def test_a_cache_never_asks_again_about_a_finished_batch_or_anything_else(tmp_path: Path, status: str) -> None:
    network = Upstream(answered({"id": "batch_1", "object": "batch", "status": status}),
                       answered({"id": "file-1", "object": "file", "status": "processed"}))
    store = ResponseStore(tmp_path, "cache", upstream=network.transport)
    for _ in range(2):
        ask(store, httpx2.Request("GET", BATCH))
        ask(store, httpx2.Request("GET", "http://127.0.0.1:9/v1/files/file-1"))
    assert len(network.requests) == 2


# ---------------------------------------------------------------------- why a replay misses


def article_request(text: str = "[P1] Mayor: the bridge waits.\n\n[P2] Council: it does not.", *,
                    model: str = "m-1", system: str = "Read it.", marker: str = "ab12", reasks: int = 0,
                    **lines: str) -> dict[str, Any]:
    """A request as briefer's extraction sends it: a header of `Name: value` lines, then the
    article between its markers; `lines` override the header (None leaves a line out)."""
    header = {"Source id": "council", "Title": "Bridge: a vote put off", "Published": "2019-11-19",
              "Marker": marker} | {k.replace("_", " ").capitalize(): v for k, v in lines.items()}
    user = "".join(f"{k}: {v}\n" for k, v in header.items() if v is not None)
    user += f"\n<<<ARTICLE {marker}>>>\n{text}\n<<<END ARTICLE {marker}>>>"
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    for n in range(reasks):
        messages += [{"role": "assistant", "content": f"reply {n}"}, {"role": "user", "content": "Fix it."}]
    return {"model": model, "messages": messages, "response_format": {"type": "json_object"},
            "max_completion_tokens": 900}


def recorded(folder: Path, *bodies: dict[str, Any], named: bool = False) -> Path:
    """A folder of recordings of `bodies` (answers do not matter to a miss); `named`: files
    named in the order given (a tie goes to the first name), not by their keys."""
    for n, body in enumerate(bodies):
        key = request_key(body)
        write_recording(folder / (f"{n}.json" if named else f"{key[:24]}.json"),
                        {"format": "briefer-recording/1", "key": key, "provenance": LIVE,
                         "request": {"method": "POST", "path": "/chat/completions", "body": body},
                         "response": {"status": 200, "body": ANSWER}})
    return folder


def why(folder: Path, body: dict[str, Any]) -> str:
    """What explain_miss says differs, after checking the line around it."""
    key = request_key(body)
    line = explain_miss(folder, body, key)
    head = f"no recording in {folder} for request {key[:24]} (model {body.get('model')}): "
    tail = f"; to re-record: --record {folder} with OPENAI_API_KEY set, or --cache {folder}"
    assert line.startswith(head) and line.endswith(tail), line
    return line[len(head): -len(tail)]


def test_a_miss_names_each_changed_header_line_and_nothing_that_did_not_change(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request(outlet="The Review"))
    changed = article_request(title="Bridge: the vote", published=None, source_id="council-2", language="de")
    changed["max_completion_tokens"] = 950  # worked out from the article: follows from it, never named
    assert why(folder, changed) == ("its language is 'de', recorded as 'not given'; "
                                    "its outlet is 'not given', recorded as 'The Review'; "
                                    "its published is 'not given', recorded as '2019-11-19'; "
                                    "its source id is 'council-2', recorded as 'council'; "
                                    "its title is 'Bridge: the vote', recorded as 'Bridge: a vote put off'")


def test_a_miss_of_a_new_marker_alone_says_only_that_the_request_differs(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request())
    assert why(folder, article_request(marker="cd34")) == "the article's request differs from its recording"


def test_a_miss_names_the_reply_language_asked_and_the_one_recorded(tmp_path: Path) -> None:
    german = "German (Deutsch). Write every field in German."
    folder = recorded(tmp_path, article_request())
    assert why(folder, article_request(reply_language=german)) == \
        "the reply language is German (Deutsch), recorded in English, the default (--language)"
    folder = recorded(tmp_path / "de", article_request(reply_language=german))
    assert why(folder, article_request(reply_language="French (français). Write every field in French.")) == \
        "the reply language is French (français), recorded in German (Deutsch) (--language)"
    assert why(folder, article_request(reply_language=german, title="Other")) == \
        "its title is 'Other', recorded as 'Bridge: a vote put off'"


def test_a_miss_of_a_piped_article_says_how_it_gets_its_name(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request())
    assert why(folder, article_request(source_id="stdin")) == \
        ("its source id is 'stdin', recorded as 'council'; "
         "a piped article is named 'stdin' unless --url gives it the link's name")
    folder = recorded(tmp_path / "piped", article_request(source_id="stdin"))
    assert why(folder, article_request(source_id="stdin", title="Other")) == \
        "its title is 'Other', recorded as 'Bridge: a vote put off'"


def test_a_miss_names_new_instructions_alone_or_with_a_new_article(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request())
    changed = article_request(system="Read it twice.")
    changed["max_completion_tokens"] = 950
    assert why(folder, changed) == "the instructions changed (a new prompt version?)"
    assert why(folder, article_request("[P1] Another story.", system="Read it twice.")) == \
        ("the instructions changed (a new prompt version?); this article's text is in no recording here "
         "(recorded from another file, or edited since)")


def test_a_miss_names_the_model_the_schema_and_options_only_when_they_changed(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request())
    changed = article_request(model="m-2") | {"response_format": {"type": "json_schema"}, "temperature": 0}
    changed["max_completion_tokens"] = 950
    assert why(folder, changed) == ("the model changed (recorded with m-1, asked m-2); the response schema changed; "
                                    "request options differ (max_completion_tokens, temperature)")


def test_a_miss_of_a_re_ask_says_the_earlier_reply_differed_and_a_first_ask_is_never_called_one(
        tmp_path: Path) -> None:
    reask = article_request(reasks=1)
    folder = recorded(tmp_path, reask)
    other = article_request(reasks=1)
    other["messages"][2]["content"] = "another reply"
    assert why(folder, other) == "a re-ask that was not recorded (the earlier reply differed)"
    assert why(folder, reask | {"temperature": 0}) == "request options differ (temperature)"
    first = article_request() | {"temperature": 0}
    assert why(folder, first) == "request options differ (temperature)"


def test_a_miss_is_explained_by_the_nearest_recording_whose_article_lines_are_no_header(tmp_path: Path) -> None:
    # Another article of another model shares two of the request's paragraphs, which read like
    # header lines (`[P1] Mayor: ...`); a third article shares the model, the options and the header.
    shared = article_request(model="m-0")["messages"][1]["content"].replace("\n<<<END", "\n\n[P3] More.\n<<<END")
    other_model = article_request(model="m-0")
    other_model["messages"][1]["content"] = shared
    folder = recorded(tmp_path, other_model, article_request("[P1] Quite another story."))
    assert why(folder, article_request()) == \
        "this article's text is in no recording here (recorded from another file, or edited since)"


# ---------------------------------------------------------------------- model calls


def test_an_answer_is_found_again_only_for_the_same_request_on_any_host(tmp_path: Path) -> None:
    network = Upstream(answered(ANSWER))
    status, headers, content = ask(ResponseStore(tmp_path, "record", upstream=network.transport), chat())
    assert (status, json.loads(content)) == (200, ANSWER) and REPLAYED_HEADER not in headers  # a call made
    (path,) = tmp_path.glob("*.json")
    assert path.name == f"{request_key(BODY)[:24]}.json"

    offline = ResponseStore(tmp_path, "replay")
    for url in (CHAT, "https://gateway.example/openai/deployments/x/chat/completions"):
        status, headers, content = ask(offline, chat(url=url))
        assert (status, json.loads(content)) == (200, ANSWER)
        assert (headers["content-type"], headers[REPLAYED_HEADER]) == ("application/json", "1")
    for other in ({**BODY, "model": "m-2"}, {**BODY, "messages": BODY["messages"][:1]}, {**BODY, "temperature": 0}):
        with pytest.raises(RecordingMissing):
            ask(offline, chat(other))
    assert len(network.requests) == 1


def test_a_replay_miss_never_reaches_the_network_even_with_one_at_hand(tmp_path: Path) -> None:
    network = Upstream(answered(ANSWER))
    store = ResponseStore(tmp_path, "replay", upstream=network.transport)
    with pytest.raises(RecordingMissing) as missing:
        ask(store, chat())
    assert "the folder has no recordings" in str(missing.value)
    with pytest.raises(RecordingMissing) as missing:
        ask(store, httpx2.Request("GET", "http://127.0.0.1:9/v1/batches/batch_1?limit=2"))
    key = request_key({"method": "GET", "path": "/batches/batch_1?limit=2", "body": {}})
    assert str(missing.value) == (f"no recording in {tmp_path} for GET /batches/batch_1?limit=2 (request {key[:24]}); "
                                  f"to re-record: --record {tmp_path} with OPENAI_API_KEY set")
    assert network.requests == []


def test_a_store_without_a_network_says_which_recording_is_missing(tmp_path: Path) -> None:
    with pytest.raises(RecordingMissing) as missing:
        ask(ResponseStore(tmp_path, "cache"), chat())
    assert str(missing.value).startswith(f"no recording in {tmp_path} for request {request_key(BODY)[:24]} (model m-1)")


def test_a_cache_asks_the_network_once_per_request(tmp_path: Path) -> None:
    network = Upstream(answered(ANSWER))
    store = ResponseStore(tmp_path, "cache", upstream=network.transport)
    replies = [ask(store, chat(body)) for body in (BODY, BODY, {**BODY, "model": "m-2"}, BODY)]
    assert [REPLAYED_HEADER in headers for _, headers, _ in replies] == [False, True, False, True]
    assert len(network.requests) == 2


def test_a_record_run_asks_the_network_again_and_keeps_the_latest_answer(tmp_path: Path) -> None:
    second = {**ANSWER, "id": "c2"}
    network = Upstream(answered(ANSWER), answered(second))
    store = ResponseStore(tmp_path, "record", upstream=network.transport)
    ask(store, chat()), ask(store, chat())
    assert len(network.requests) == 2
    assert [r["response"]["body"]["id"] for r in recordings(tmp_path)] == ["c2"]


def test_a_recording_holds_the_request_and_answer_with_its_provenance_and_no_header(tmp_path: Path) -> None:
    network = Upstream(answered(ANSWER, **{"set-cookie": "session=abc123", "openai-organization": "org-secret",
                                           "retry-after": "3", "x-request-id": "req-1"}))
    hand = {"source": "hand-written", "note": "written by hand for this exact request"}
    status, headers, _ = ask(ResponseStore(tmp_path, "record", upstream=network.transport, provenance=hand),
                             chat(url="https://gateway.example/openai/v1/chat/completions?api-version=1"))
    assert {k: v for k, v in headers.items() if k != "content-length"} == \
        {"content-type": "application/json", "retry-after": "3"}
    (recording,) = recordings(tmp_path)
    assert recording == {"format": "briefer-recording/1", "key": request_key(BODY), "provenance": hand,
                         "request": {"method": "POST", "path": "/chat/completions?api-version=1", "body": BODY},
                         "response": {"status": 200, "body": ANSWER}}
    text = (tmp_path / f"{request_key(BODY)[:24]}.json").read_text(encoding="utf-8")
    assert "Ärger in Köln" in text and text.endswith("}\n") and "\n  \"key\"" in text  # readable in a diff
    for leak in ("session=abc123", "org-secret", "req-1", "gateway.example"):
        assert leak not in text
    ask(ResponseStore(tmp_path / "live", "record", upstream=network.transport), chat())
    assert recordings(tmp_path / "live")[0]["provenance"] == {"source": "recorded from a live model"}


def test_a_secret_in_a_request_or_an_answer_is_never_written_and_short_values_are_no_secrets(tmp_path: Path) -> None:
    eight = "k3y-8chr"
    body = {**BODY, "messages": [{"role": "user", "content": f"key {SENTINEL_KEY}, {eight} and 7chars1"}]}
    network = Upstream(answered({**ANSWER, "echo": f"you sent {SENTINEL_KEY}"}))
    store = ResponseStore(tmp_path, "record", upstream=network.transport, secrets=(SENTINEL_KEY, eight, "7chars1"))
    _, _, content = ask(store, chat(body))
    assert SENTINEL_KEY in content.decode()  # the answer itself is the model's, unchanged
    (recording,) = recordings(tmp_path)
    assert recording["request"]["body"]["messages"][0]["content"] == "key [redacted], [redacted] and 7chars1"
    assert recording["response"]["body"]["echo"] == "you sent [redacted]"


@pytest.mark.parametrize("reply", [
    answered(b"<html><body>Login</body></html>"),  # a portal's page: no answer
    answered(b"[1, 2]"),
    answered(ANSWER, status=500),
    answered(ANSWER, status=429, **{"retry-after-ms": "20"}),
])
def test_an_error_or_a_body_that_is_no_answer_is_passed_on_but_never_recorded(tmp_path: Path,
                                                                                reply: httpx2.Response) -> None:
    network = Upstream(reply)
    status, headers, content = ask(ResponseStore(tmp_path / "rec", "record", upstream=network.transport), chat())
    assert (status, content) == (reply.status_code, reply.content)
    assert headers.get("retry-after-ms") == reply.headers.get("retry-after-ms")
    assert not list((tmp_path / "rec").glob("*.json"))


def test_a_downloaded_batch_output_is_recorded_as_text_and_replayed_as_a_file_not_an_answer(tmp_path: Path) -> None:
    lines = '{"custom_id": "a-1", "response": {"status_code": 200}}\n{"custom_id": "a-2"}\n'
    url = "http://127.0.0.1:9/v1/files/file-9/content"
    network = Upstream(httpx2.Response(200, headers={"content-type": "application/octet-stream;name=output.jsonl"},
                                       content=lines.encode()))
    ask(ResponseStore(tmp_path, "record", upstream=network.transport), httpx2.Request("GET", url))
    (recording,) = recordings(tmp_path)
    assert recording["response"] == {"status": 200, "text": lines}
    assert recording["request"] == {"method": "GET", "path": "/files/file-9/content", "body": {}}
    status, headers, content = ask(ResponseStore(tmp_path, "replay"), httpx2.Request("GET", url))
    assert (status, content.decode()) == (200, lines)
    assert headers["content-type"] == "application/octet-stream" and REPLAYED_HEADER not in headers
    # a page of text from anywhere else is no answer
    ask(ResponseStore(tmp_path / "other", "record", upstream=network.transport),
        httpx2.Request("GET", "http://127.0.0.1:9/v1/files/file-9"))
    assert not (tmp_path / "other").exists()


def test_a_look_up_of_the_server_is_kept_apart_from_the_model_calls(tmp_path: Path) -> None:
    network = Upstream(answered({"object": "list", "data": [{"id": "m-1"}]}))
    store = ResponseStore(tmp_path, "cache", upstream=network.transport)
    models = httpx2.Request("GET", "http://127.0.0.1:9/v1/models", extensions={LOOKUP_EXTENSION: True})
    ask(store, models)
    key = request_key({"method": "GET", "path": "/v1/models", "body": {}})  # not an API the store knows: whole
    assert list(tmp_path.glob("*.json")) == [] and list((tmp_path / "server").glob("*.json")) == \
        [tmp_path / "server" / f"{key[:24]}.json"]
    ask(store, httpx2.Request("GET", "http://127.0.0.1:9/v1/models", extensions={LOOKUP_EXTENSION: True}))
    assert len(network.requests) == 1


# ---------------------------------------------------------------------- streamed answers

EVENTS = [b'data: {"choices": [{"delta": {"content": "{\\"a\\""}}]}\n\n',
          b'data: {"choices": [{"delta": {"content": ": 1}"}}]}\n\n',
          b"data: [DONE]\n\n"]


def streamed(pieces: list[bytes], fail_after: int | None = None,
             content_type: str = "Text/Event-Stream; charset=utf-8") -> Upstream:
    """A network that streams `pieces` (dropping the connection after `fail_after` of them)."""

    class Pieces(httpx2.AsyncByteStream):
        async def __aiter__(self):  # type: ignore[no-untyped-def]
            for n, piece in enumerate(pieces):
                if n == fail_after:
                    raise httpx2.ReadError("connection dropped")
                yield piece

    network = Upstream(answered(b""))
    network.transport = httpx2.MockTransport(
        lambda request: network.requests.append(request)  # type: ignore[func-returns-value]
        or httpx2.Response(200, headers={"content-type": content_type}, stream=Pieces()))
    return network


def read_stream(store: ResponseStore, request: httpx2.Request, stop_after: int | None = None) -> list[bytes]:
    """The pieces as the reader gets them; with `stop_after`, it stops there as briefer stops a
    looping reply (the request says so, then the response is closed)."""

    async def go() -> list[bytes]:
        response = await store.handle_async_request(request)
        assert response.status_code == 200
        pieces = []
        async for piece in response.stream:  # type: ignore[union-attr]
            pieces.append(piece)
            if len(pieces) == stop_after:
                request.extensions[STOPPED_EXTENSION] = "looping"
                break
        await response.stream.aclose()  # type: ignore[union-attr]
        return pieces

    return asyncio.run(go())


def test_a_streamed_answer_is_passed_on_piece_by_piece_and_replayed_byte_for_byte(tmp_path: Path) -> None:
    pieces = read_stream(ResponseStore(tmp_path, "record", upstream=streamed(EVENTS).transport), chat())
    assert pieces == EVENTS
    (recording,) = recordings(tmp_path)
    assert recording["response"] == {"status": 200, "content_type": "text/event-stream",
                                     "events": b"".join(EVENTS).decode().split("\n")}
    status, headers, content = ask(ResponseStore(tmp_path, "replay"), chat())
    assert (status, content) == (200, b"".join(EVENTS))
    assert (headers["content-type"], headers[REPLAYED_HEADER]) == ("text/event-stream", "1")


def test_a_stream_cut_by_a_dropped_connection_is_never_kept(tmp_path: Path) -> None:
    store = ResponseStore(tmp_path / "rec", "record", upstream=streamed(EVENTS, fail_after=2).transport)
    with pytest.raises(httpx2.ReadError):
        read_stream(store, chat())
    assert not (tmp_path / "rec").exists()


def test_a_stream_the_reader_closes_early_without_saying_why_is_never_kept(tmp_path: Path) -> None:
    async def go() -> None:
        store = ResponseStore(tmp_path / "rec", "record", upstream=streamed(EVENTS).transport)
        response = await store.handle_async_request(chat())
        async for _ in response.stream:  # type: ignore[union-attr]
            break
        await response.aclose()

    asyncio.run(go())
    assert not (tmp_path / "rec").exists()


def test_a_looping_stream_stopped_on_purpose_is_kept_to_its_last_whole_event(tmp_path: Path) -> None:
    pieces = [EVENTS[0], EVENTS[1][:20], EVENTS[1][20:], EVENTS[0][:10]]  # stopped inside an event
    network = streamed(pieces)
    assert read_stream(ResponseStore(tmp_path, "record", upstream=network.transport), chat(), stop_after=4) == pieces
    (recording,) = recordings(tmp_path)
    assert "\n".join(recording["response"]["events"]).encode() == EVENTS[0] + EVENTS[1]


def test_a_miss_is_explained_by_the_recording_of_the_same_article_before_any_closer_one(tmp_path: Path) -> None:
    same_text = article_request(model="m-2", title="Other")
    closer = article_request("[P1] Another story.")  # same model, options and header
    folder = recorded(tmp_path, same_text, closer)
    assert why(folder, article_request()) == ("the model changed (recorded with m-2, asked m-1); "
                                              "its title is 'Bridge: a vote put off', recorded as 'Other'")


def test_a_miss_of_another_article_is_explained_by_the_recording_with_most_options_alike(tmp_path: Path) -> None:
    same_header = article_request("[P1] Another story.", model="m-2") | {"max_completion_tokens": 100}
    same_options = article_request("[P1] A third story.", title="Other")
    folder = recorded(tmp_path, same_header, same_options)
    assert why(folder, article_request()) == \
        "this article's text is in no recording here (recorded from another file, or edited since)"


def test_a_miss_skips_recordings_that_cannot_be_read_or_hold_no_request(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request(model="m-2"))
    (folder / "0-cut.json").write_text('{"format": "briefer-recording/1", "resp')
    hostile = {"format": "briefer-recording/1", "request": {"body": {"model": "m-1", "messages": {"a": 1, "b": 2}}},
               "response": {"status": 200, "body": {}}}
    (folder / "1-hostile.json").write_text(json.dumps(hostile))
    (folder / "2-no-request.json").write_text(json.dumps({"response": {"status": 200, "body": {}}}))
    assert why(folder, article_request()) == "the model changed (recorded with m-2, asked m-1)"


def test_a_first_ask_whose_only_recording_is_its_re_ask_says_it_differs(tmp_path: Path) -> None:
    folder = recorded(tmp_path, article_request(reasks=1))
    assert why(folder, article_request()) == "it differs from every recording"


# ---------------------------------------------------------------------- a recording that cannot be used

NOT_USABLE = "not a usable briefer recording (cut short, empty or another format); delete it and re-record"


@pytest.mark.parametrize(("content", "says"), [
    ("", NOT_USABLE),
    ('{"format": "briefer-recording/1", "resp', NOT_USABLE),
    ("[]", NOT_USABLE),
    ('{"format": "briefer-recording/1"}', NOT_USABLE),
    ('{"response": []}', NOT_USABLE),
    ('{"response": {"status": 200}}', NOT_USABLE),
    ('{"response": {"status": 200, "body": "an answer"}}', NOT_USABLE),
    ('{"response": {"status": 200, "events": "data: [DONE]"}}', NOT_USABLE),
    ('{"response": {"status": 200, "text": ["a", "b"]}}', NOT_USABLE),
    ('{"response": {"status": 500, "body": {"error": {"message": "overloaded"}}}}',
     "the recording holds a 500 error, not an answer; delete it and re-record"),
    ('{"response": {"events": ["data: [DONE]"]}}',
     "the recording holds a None error, not an answer; delete it and re-record"),
    ("[" * 5000 + "]" * 5000, "nested too deeply (over 100 levels)"),
])
def test_a_recording_that_cannot_be_used_is_one_line_naming_it(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / f"{request_key(BODY)[:24]}.json"
    path.write_text(content, encoding="utf-8")
    for mode in ("replay", "cache"):
        with pytest.raises(RecordingUnusable) as unusable:
            ask(ResponseStore(tmp_path, mode, upstream=Upstream(answered(ANSWER)).transport), chat())
        assert str(unusable.value).startswith(f"{path}: ") and str(unusable.value).endswith(says)
        assert "\n" not in str(unusable.value)


def test_a_recording_larger_than_any_answer_is_refused_unread(tmp_path: Path) -> None:
    import os

    from briefer.llm.recording_format import MAX_RECORDING_BYTES

    path = tmp_path / f"{request_key(BODY)[:24]}.json"
    path.write_bytes(b"{}")
    os.truncate(path, MAX_RECORDING_BYTES + 1)
    with pytest.raises(RecordingUnusable) as unusable:
        load_recording(path)
    assert str(unusable.value) == f"recording {path}: larger than 64 MB, more than briefer reads from such a file"
    os.truncate(path, MAX_RECORDING_BYTES)
    with pytest.raises(RecordingUnusable, match="not a usable briefer recording"):
        load_recording(path)


def test_what_a_recording_answered_is_read_back_streamed_or_not() -> None:
    from briefer.llm.recording_format import recorded_completion

    body = {"object": "chat.completion", "choices": [{"index": 0, "finish_reason": "stop",
                                                      "message": {"role": "assistant", "content": "{\"a\": 1}"}}]}
    events = b"".join(EVENTS).decode().split("\n")
    assert recorded_completion({"response": {"status": 200, "body": body}}).content == '{"a": 1}'
    assert recorded_completion({"response": {"status": 200, "events": events}}).content == '{"a": 1}'
    for hollow in ({}, {"response": []}, {"response": {"events": "data: [DONE]"}}, {"response": {"body": [body]}}):
        with pytest.raises(RecordingUnusable) as unusable:
            recorded_completion(hollow)
        assert str(unusable.value) == ("a recording that holds no answer (cut short, empty or another format); "
                                       "delete it and re-record")


def test_an_answer_sent_as_json_in_any_case_with_a_charset_is_kept_as_json(tmp_path: Path) -> None:
    reply = httpx2.Response(200, headers={"content-type": "Application/JSON; charset=utf-8"},
                            content=json.dumps(ANSWER).encode())
    ask(ResponseStore(tmp_path, "record", upstream=Upstream(reply).transport), chat())
    assert recordings(tmp_path)[0]["response"] == {"status": 200, "body": ANSWER}


def test_replay_of_a_folder_that_is_not_there_is_a_usage_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as missing:
        ResponseStore(tmp_path / "nowhere", "replay")
    assert str(missing.value) == f"--replay {tmp_path / 'nowhere'}: no such folder of recordings"
    ResponseStore(tmp_path / "later", "record")  # made when the first answer is kept
    assert not (tmp_path / "later").exists()


def test_an_answer_that_cannot_be_recorded_is_still_used_and_a_warning_says_where(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from briefer.core import files

    def full_disk(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    status, _, content = ask(ResponseStore(tmp_path, "record", upstream=Upstream(answered(ANSWER)).transport), chat())
    assert (status, json.loads(content)) == (200, ANSWER)
    warning = capsys.readouterr().err
    assert warning.startswith(f"briefer: warning: cannot write {tmp_path}") and \
        warning.rstrip().endswith("No space left on device; the answer is used but not recorded")


def test_a_miss_is_explained_by_the_recording_with_most_messages_alike(tmp_path: Path) -> None:
    new_instructions = article_request("[P1] Another story.", system="Read it twice.")
    same_instructions = article_request("[P1] A third story.")
    folder = recorded(tmp_path, new_instructions, same_instructions, named=True)
    assert why(folder, article_request()) == \
        "this article's text is in no recording here (recorded from another file, or edited since)"


def test_a_miss_of_the_same_article_is_explained_by_the_recording_of_the_most_options_alike(tmp_path: Path) -> None:
    same_messages = article_request(model="m-2") | {"response_format": {"type": "text"}, "max_completion_tokens": 5}
    new_title = article_request(title="Other")
    folder = recorded(tmp_path, same_messages, new_title, named=True)
    assert why(folder, article_request() | {"temperature": 0}) == \
        "its title is 'Bridge: a vote put off', recorded as 'Other'; request options differ (temperature)"


def test_a_chat_miss_in_a_folder_of_batch_uploads_is_still_one_line(tmp_path: Path) -> None:
    upload_body = {"purpose": "batch", "file": {"filename": "batch.jsonl", "sha256": "0" * 64, "bytes": 2}}
    key = request_key({"method": "POST", "path": "/files", "body": upload_body})
    write_recording(tmp_path / f"{key[:24]}.json",
                    {"format": "briefer-recording/1", "key": key, "provenance": LIVE,
                     "request": {"method": "POST", "path": "/files", "body": upload_body},
                     "response": {"status": 200, "body": {"id": "file-1"}}})
    assert "this article's text is in no recording here" in why(tmp_path, article_request())


def test_a_miss_of_another_article_is_explained_by_the_recording_with_most_header_lines_alike(tmp_path: Path) -> None:
    same_header = article_request("[P1] Another story.", model="m-2")
    other_header = article_request("[P1] A third story.", title="Other", published="2020-01-01", source_id="elsewhere")
    folder = recorded(tmp_path, other_header, same_header, named=True)
    assert why(folder, article_request()) == ("the model changed (recorded with m-2, asked m-1); this article's text "
                                              "is in no recording here (recorded from another file, or edited since)")


def test_a_miss_compares_the_whole_article_even_one_that_holds_the_markers_own_text(tmp_path: Path) -> None:
    in_no_recording = "this article's text is in no recording here (recorded from another file, or edited since)"
    for n, (old, new) in enumerate((("[P1] Old start >>>\n[P2] The same end.",
                                      "[P1] New start >>>\n[P2] The same end."),
                     ("[P1] The same start.\n<<<END ARTICLE quoted\n[P2] Old end.",
                      "[P1] The same start.\n<<<END ARTICLE quoted\n[P2] New end."),
                     ("A council met.", "B council met."))):
        folder = recorded(tmp_path / str(n), article_request(old))
        assert why(folder, article_request(new)) == in_no_recording


def test_a_miss_of_a_request_without_an_article_names_its_changed_lines(tmp_path: Path) -> None:
    def story(title: str) -> dict[str, Any]:
        return {"model": "m-1", "messages": [{"role": "system", "content": "Merge them."},
                                              {"role": "user", "content": f"Story: {title}\nSources: 2"}]}

    folder = recorded(tmp_path, story("The bridge"))
    assert why(folder, story("The harbour bridge")) == "its story is 'The harbour bridge', recorded as 'The bridge'"


def test_an_answer_without_a_content_type_is_passed_on_and_kept_in_a_folder_made_as_deep_as_needed(
        tmp_path: Path) -> None:
    bare = httpx2.Response(200, content=json.dumps(ANSWER).encode())
    folder = tmp_path / "new" / "deeper"
    status, _, content = ask(ResponseStore(folder, "record", upstream=Upstream(bare).transport), chat())
    assert (status, json.loads(content)) == (200, ANSWER)
    assert len(recordings(folder)) == 1


def test_a_request_that_is_not_json_is_refused_in_one_line(tmp_path: Path) -> None:
    request = httpx2.Request("POST", CHAT, content=b"model=m-1&stream=true")
    with pytest.raises(UsageError) as refused:
        ask(ResponseStore(tmp_path, "cache", upstream=Upstream(answered(ANSWER)).transport), request)
    assert str(refused.value) == "only JSON requests can be recorded"
