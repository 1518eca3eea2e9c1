"""How long the web page takes to render, and how big it is: the seed briefing's page, the
four-outlet meth briefing's (the recorded briefing of several sources), and a digest of three
briefings. The briefings are made from the recordings first (`briefer brief --replay`); the
figure is the CPU time of `render_page` alone (the sources already read), its median over 21
renderings after a first one that compiles the templates. Run:  python benchmarks/page.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.app.outputs import briefing_sources, load_briefing  # noqa: E402
from briefer.render.page import render_page  # noqa: E402
from tests.page_pages import briefing_json  # noqa: E402

#: What each figure should stay under, in milliseconds of CPU (issue 25).
AIMS = {"seed page": 20.0, "meth page (4 sources)": 50.0, "digest page (3 briefings)": None}


def cpu_ms(stories: list, times: int = 21) -> tuple[float, float, int]:
    """(first rendering, median of the next `times`) in CPU milliseconds, and the page's bytes.
    Each rendering gets freshly loaded briefings, so nothing is reused from the last one."""
    paths = [(path, documents) for path, documents in stories]
    figures, size = [], 0
    for _ in range(times + 1):
        loaded = [(load_briefing(path), documents) for path, documents in paths]
        started = time.process_time()
        html = render_page(loaded)
        figures.append((time.process_time() - started) * 1000)
        size = len(html.encode("utf-8"))
    return figures[0], statistics.median(figures[1:]), size


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        made = {name: briefing_json(Path(folder), name) for name in ("seed", "meth", "businessweek", "ap")}
        found = {name: (path, briefing_sources(load_briefing(path), [], path.parent)) for name, path in made.items()}
        cases = {"seed page": [found["seed"]], "meth page (4 sources)": [found["meth"]],
                 "digest page (3 briefings)": [found["seed"], found["businessweek"], found["ap"]]}
        for name, stories in cases.items():
            first, median, size = cpu_ms(stories)
            aim = AIMS[name]
            verdict = "" if aim is None else f" (aim < {aim:.0f} ms: {'met' if median < aim else 'MISSED'})"
            print(f"{name}: {median:.1f} ms CPU median, first {first:.1f} ms; {size:,} bytes "
                  f"({size / 1024:.1f} KiB){verdict}")


if __name__ == "__main__":
    main()
