"""How long grouping 5,000 feed items into stories takes (the issue asks under 10 s on one core).

The items are made from the real articles labelled by story (fixtures/stories/labels.json): each
item one article's title and its lead's words shuffled and cut, from one of 97 outlets, dated in
November 2019, so that many items share words and names as a morning's feeds do. The library is
loaded before the clock starts. Run:  python benchmarks/grouping.py [--items N]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.ingest.stories import group  # noqa: E402
from tests.test_stories_grouping import feed_items  # noqa: E402  (the test's items, at any count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    items = feed_items(args.items)
    group(items[:10])  # the library loaded before the clock starts
    started, cpu = time.perf_counter(), time.process_time()
    stories = group(items)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert sum(len(s.members) for s in stories) == len(items)
    print(f"grouping {len(items)} feed items: {wall:.2f} s wall, {cpu:.2f} s CPU, {len(stories)} stories, "
          f"peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
