"""The behaviour table of the README, row by row, against the fault-injecting server on
127.0.0.1: what briefer does for each way a provider can fail."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path

import pytest

from .chat_server import ChatServer, Reply
from .conftest import SEED, SENTINEL_KEY, Run, assert_clean_failure, seed_answer, seed_reading
from .convert_answers import actor as actor_line
from .convert_answers import quote as quote_line

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
GOOD = seed_answer()


def cut_off() -> Reply:
    return Reply(content=GOOD[:400], finish_reason="length")


def schema_invalid() -> Reply:
    answer = seed_reading()  # a reply with named fields reads the same as the compact one
    del answer["actors"][0]["kind"]
    return Reply(content=json.dumps(answer))


def dangling() -> Reply:
    answer = json.loads(GOOD)
    answer["quotes"][0] = "nobody-at-all | " + answer["quotes"][0].split(" | ", 1)[1]
    return Reply(content=json.dumps(answer))


def patch(section: str, index: int, **changes: object) -> Reply:
    """A repair reply: the item of the good answer with these changes (None deletes a field)."""
    item = {**seed_reading()[section][index], **changes}
    if None not in changes.values():  # a patch is written compactly, like the reply
        item = {"actors": actor_line, "quotes": quote_line}[section](item)
    else:
        item = {k: v for k, v in item.items() if v is not None}
    fixes = {"actors": [], section: [{"index": index, "item": item}], "remove": []}
    return Reply(content=json.dumps(fixes))


@dataclass
class Row:
    """One row of the behaviour table: the fault, then what briefer must do."""

    fault: str
    replies: list[Reply]
    exit_code: int
    requests: int
    says: str = ""


ROWS = [
    Row("429 with Retry-After in seconds, then an answer",
        [Reply(status=429, headers={"retry-after": "1"}), Reply(content=GOOD)], 0, 2),
    Row("429 with Retry-After as an HTTP date, then an answer",
        [Reply(status=429, headers={"retry-after": "DATE"}), Reply(content=GOOD)], 0, 2),
    Row("429 every time", [Reply(status=429, headers={"retry-after": "0"}, error="rate limited")], 5, 3,
        "answered 429 (after 3 attempts): rate limited"),
    Row("500 then an answer", [Reply(status=500, headers={"retry-after": "0"}), Reply(content=GOOD)], 0, 2),
    Row("502 every time", [Reply(status=502, headers={"retry-after": "0"}, error="bad gateway")], 5, 3,
        "answered 502 (after 3 attempts): bad gateway"),
    Row("503 every time", [Reply(status=503, headers={"retry-after": "0"}, error="overloaded")], 5, 3,
        "answered 503 (after 3 attempts): overloaded"),
    Row("slower than the timeout, every time", [Reply(content=GOOD, delay=1.6)], 5, 3,
        "did not answer within 1 s (after 3 attempts)"),
    Row("connection dropped mid-body, then an answer", [Reply(content=GOOD, drop=True), Reply(content=GOOD)], 0, 2),
    Row("connection dropped mid-body every time", [Reply(content=GOOD, drop=True)], 5, 3, "cannot reach"),
    Row("finish_reason=length with cut-off JSON, then an answer", [cut_off(), Reply(content=GOOD)], 0, 2),
    Row("finish_reason=length every time", [cut_off()], 6, 3, "cut off at the length limit"),
    Row("prose around the JSON", [Reply(content=f"Here is the extraction:\n{GOOD}\nI hope this helps.")], 0, 1),
    Row("the JSON in a code fence", [Reply(content=f"```json\n{GOOD}\n```")], 0, 1),
    Row("schema-invalid JSON every time", [schema_invalid(), patch("actors", 0, kind=None)], 6, 3,
        "actors.0.kind: Field required"),
    Row("schema-invalid JSON, then a patch that fixes it", [schema_invalid(), patch("actors", 0)], 0, 2),
    # the same patch every time: the third request would be the second again, so it is not sent
    Row("dangling references every time", [dangling(), patch("quotes", 0, speaker_id="nobody-at-all")], 6, 2,
        "would repeat an identical request: quotes.0.speaker_id names actor id 'nobody-at-all'"),
    Row("a reply that never ends", [Reply(endless=True)], 6, 3, "it kept repeating"),
    Row("an answer not streamed (a server that ignores stream)", [Reply(content=GOOD, stream=False)], 0, 1),
    Row("a refusal", [Reply(refusal="I can't help with that request.")], 7, 1, "the model refused: I can't help"),
    Row("an empty choice list every time", [Reply(no_choices=True)], 6, 2,
        "would repeat an identical request: the reply had no choices"),
    Row("a wrong content type (an HTML error page)",
        [Reply(content_type="text/html", raw_body=b"<html><body>502 Bad Gateway</body></html>")], 5, 1,
        "did not answer with a chat completion"),
    Row("401, the key rejected", [Reply(status=401, error="invalid api key")], 5, 1, "rejected the API key (401)"),
    Row("404, no such model", [Reply(status=404, error="model not found")], 5, 1, "not found"),
    Row("400, a bad request", [Reply(status=400, error="bad request")], 5, 1, "answered 400"),
]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.fault)
def test_behaviour_table(run: Run, row: Row, tmp_path: Path) -> None:
    replies = [
        Reply(**{**r.__dict__, "headers": {"retry-after": formatdate(time.time() + 1, usegmt=True)}})
        if r.headers.get("retry-after") == "DATE" else r
        for r in row.replies
    ]
    with ChatServer(replies) as server:
        result = run("brief", SEED, "--base-url", server.url, "--retries", "2", "--max-reasks", "2",
                     "--timeout", "1", "-q", env=KEY)
    assert len(server.requests) == row.requests
    if row.exit_code == 0:
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("# Scholz and Putin hold first call")
        return
    line = assert_clean_failure(result, row.exit_code)
    assert row.says in line
    if row.exit_code == 6:
        (kept,) = tmp_path.glob("scholz-putin-call.raw-replies.*.json")
        assert f"kept in {kept}" in line and len(json.loads(kept.read_text())) == row.requests


def test_the_readme_table_has_a_row_for_every_tested_fault() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## What happens when the provider fails")[1].split("\n## ")[0]
    for row in ROWS:
        assert f"| {row.fault} |" in table, row.fault
