"""Turn a hand-written model answer into a recording, through briefer's real record path.

No live model is reachable where the fixtures are made, so the answers under fixtures/answers/
are written by hand, as a capable model would answer the exact request. This script serves such
an answer from a Chat Completions server on 127.0.0.1 and briefs the article in --record mode, so
the recording is keyed by the very request briefer sends, and says in its metadata that it was
written by hand. Re-run it after a prompt or schema change:

    python tests/record_handwritten.py fixtures/articles/scholz-putin-call.txt \
        fixtures/answers/scholz-putin-call.json --cassettes fixtures/cassettes
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefer.config import DEFAULT_MODEL  # noqa: E402
from briefer.ingest import read_source  # noqa: E402
from briefer.llm import LLMClient, LLMSettings  # noqa: E402
from briefer.models import Briefing  # noqa: E402
from briefer.pipeline import brief_document  # noqa: E402
from briefer.recording import ResponseStore  # noqa: E402
from tests.chat_server import CHARS_PER_TOKEN, ChatServer, Reply  # noqa: E402


def provenance(answer: Path) -> dict[str, str]:
    return {
        "source": "hand-written",
        "note": "No live model was reachable: this answer was written by hand as a capable "
        "model would answer this exact request, from a real reading of the article, and "
        "recorded through briefer's --record path from a local test server.",
        "answer": answer.as_posix(),
        "usage": f"estimated at {CHARS_PER_TOKEN} characters a token, not counted by a tokenizer",
    }


def compact(answer: Path) -> str:
    """The answer as a model sends it: one line of JSON."""
    return json.dumps(json.loads(answer.read_text(encoding="utf-8")), ensure_ascii=False,
                      separators=(",", ":"))


async def record(article: Path, answer: Path, cassettes: Path, model: str) -> Briefing:
    with ChatServer([Reply(content=compact(answer))]) as server:
        store = ResponseStore(
            cassettes, "record", upstream=httpx2.AsyncHTTPTransport(), provenance=provenance(answer)
        )
        settings = LLMSettings(model=model, api_key="no-key-for-a-local-server",
                               base_url=server.url, max_reasks=0, max_attempts=1)
        llm = LLMClient(settings, store)
        try:
            return await brief_document(llm, read_source(str(article)))
        finally:
            await llm.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", type=Path)
    parser.add_argument("answer", type=Path)
    parser.add_argument("--cassettes", type=Path, default=Path("fixtures/cassettes"))
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    briefing = asyncio.run(record(args.article, args.answer, args.cassettes, args.model))
    print(f"recorded {briefing.usage.calls} call(s) for {args.article} into {args.cassettes}")


if __name__ == "__main__":
    main()
