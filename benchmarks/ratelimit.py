"""A large --each against a provider that enforces a request (and token) rate: how close the run
comes to the highest rate the limit allows, and how many 429s it met on the way.

It starts tests/chat_server.py in its own process with rate limits (token buckets that start
full and refill continuously, the x-ratelimit-* headers on every answer, 429 beyond them),
writes N copies of the seed article and runs the real `briefer brief --each --json` on them.
The ideal is the slower of two bounds: the rate limit (calls beyond the initial budget, at the
refill rate) and the concurrency (calls / concurrency x the server's delay).

Run:  python benchmarks/ratelimit.py        (200 articles, --concurrency 16, 20 requests/s, 0.5 s a call)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import ANSWER, BRIEFER, inbox  # noqa: E402  (benchmarks/run.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.5, help="seconds the server takes per call")
    parser.add_argument("--requests", type=int, default=20, help="requests allowed per --per seconds")
    parser.add_argument("--tokens", type=int, default=10_000_000, help="tokens allowed per --per seconds")
    parser.add_argument("--per", type=float, default=1.0)
    args = parser.parse_args()

    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "chat_server.py"), "--answer", str(ANSWER), "--delay", str(args.delay),
         "--requests", str(args.requests), "--tokens", str(args.tokens), "--per", str(args.per)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert server.stdout is not None and server.stdin is not None
    url = server.stdout.readline().strip()
    try:
        with tempfile.TemporaryDirectory() as work:
            folder = inbox(Path(work) / "in", args.articles)
            started = time.perf_counter()
            done = subprocess.run(
                [*BRIEFER, "brief", "--each", str(folder), "-o", str(Path(work) / "out"), "--format", "json",
                 "--concurrency", str(args.concurrency), "--base-url", url, "--json"],
                env={**os.environ, "OPENAI_API_KEY": "benchmark-key-not-a-secret"}, capture_output=True, text=True)
            wall = time.perf_counter() - started
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    if done.returncode != 0:
        raise SystemExit(f"briefer failed ({done.returncode}):\n{done.stderr[-2000:]}")
    summary = json.loads(done.stdout)
    calls = summary["calls"]
    rate = args.requests / args.per
    by_rate = max(0, calls - args.requests) / rate
    by_concurrency = calls / args.concurrency * args.delay
    ideal = max(by_rate, by_concurrency)
    print(f"{args.articles} articles, --concurrency {args.concurrency}, limit {rate:g} requests/s "
          f"(budget {args.requests}), {args.delay:g} s a call")
    print(f"briefed {summary['briefed']}, failed {summary['failed']}, calls {calls}, "
          f"429s {summary['rate_limited']}, requests held back {summary['paced_seconds']:.1f} s in all")
    print(f"wall {wall:.2f} s vs ideal {ideal:.2f} s (rate bound {by_rate:.2f} s, concurrency bound "
          f"{by_concurrency:.2f} s): ratio {wall / ideal:.3f}, briefer's start-up included")


if __name__ == "__main__":
    main()
