"""Concurrent extraction against a Chat Completions server on 127.0.0.1 that answers every call
after a fixed delay: 8 chunks at --concurrency 4 should take about two delays, not eight.

Run:  python benchmarks/concurrency.py [--delay 0.5] [--chunks 8] [--concurrency 4]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.app.pipeline import brief_documents, extract_chunk, in_order  # noqa: E402
from briefer.extract.chunking import chunk_document  # noqa: E402
from briefer.ingest import read_source  # noqa: E402
from briefer.llm import LLMClient, LLMSettings  # noqa: E402
from tests.answers import extraction, synthesis  # noqa: E402
from tests.chat_server import ChatServer, Reply  # noqa: E402

ARTICLE = ROOT / "fixtures" / "articles" / "businessweek_afghanistan_new_millionaires_2014.txt"
EMPTY_EXTRACTION = extraction()
EMPTY_SYNTHESIS = synthesis()


def budget_for(chunks: int) -> int:
    """The largest --chunk-tokens that splits the article into exactly `chunks` chunks."""
    document = read_source(str(ARTICLE))
    for budget in range(3000, 199, -10):
        if len(chunk_document(document, budget)) == chunks:
            return budget
    raise SystemExit(f"no budget gives {chunks} chunks")


async def measure(url: str, budget: int, concurrency: int) -> tuple[float, float, int]:
    document = read_source(str(ARTICLE))
    settings = LLMSettings(model="bench", api_key="local", base_url=url, concurrency=concurrency)
    llm = LLMClient(settings)
    try:
        chunks = chunk_document(document, budget)
        started = time.perf_counter()
        await in_order([extract_chunk(llm, document, c, "off") for c in chunks])
        extraction = time.perf_counter() - started
        started = time.perf_counter()
        await brief_documents(llm, [document], grounding="off", chunk_tokens=budget)
        whole = time.perf_counter() - started
        return extraction, whole, len(chunks)
    finally:
        await llm.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--chunks", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()

    def reply(body: dict, _: int) -> Reply:
        synthesis = body["messages"][1]["content"].startswith("Sources:")
        return Reply(content=json.dumps(EMPTY_SYNTHESIS if synthesis else EMPTY_EXTRACTION), delay=args.delay)

    budget = budget_for(args.chunks)
    with ChatServer(reply) as server:
        extraction, whole, chunks = asyncio.run(measure(server.url, budget, args.concurrency))
    waves = math.ceil(chunks / args.concurrency)
    print(f"article: {ARTICLE.name}, --chunk-tokens {budget} -> {chunks} chunks, "
          f"--concurrency {args.concurrency}, server delay {args.delay:.2f} s a call")
    print(f"extraction: {extraction:.2f} s = {extraction / args.delay:.2f} delays "
          f"(ideal {waves}, serial {chunks})")
    print(f"whole briefing (+1 synthesis call): {whole:.2f} s = {whole / args.delay:.2f} delays (ideal {waves + 1})")


if __name__ == "__main__":
    main()
