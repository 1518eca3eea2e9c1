"""How long grounding takes on a long article's full extraction.

The workload is built from the real 3,600-word Businessweek feature in fixtures/articles/: from
every paragraph a clause and a sentence as evidence excerpts, every quotation as a quote, every
number as a figure; one excerpt in ten is altered (a word changed or invented text) so that the
fuzzy path, the slow one, is exercised as a bad model answer would. It is a timing workload, not
a model's answer. Run:  python benchmarks/grounding.py
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.core.models import Actor, Briefing, Event, Evidence, Fact, Point, Position, Quote, Usage  # noqa: E402
from briefer.grounding import figures_in, ground  # noqa: E402
from briefer.ingest import read_source  # noqa: E402

ARTICLE = ROOT / "fixtures" / "articles" / "businessweek_afghanistan_new_millionaires_2014.txt"
QUOTED = re.compile(r"“([^”]{12,})”")


def workload() -> tuple[Briefing, object]:
    document = read_source(str(ARTICLE))
    source = document.id
    positions, quotes, facts = [], [], []
    for n, paragraph in enumerate(document.paragraphs):
        sentences = re.split(r"(?<=[.!?])\s+", paragraph.text)
        excerpts = [sentences[0][:80], sentences[-1]]
        if n % 10 == 3:
            excerpts[1] = excerpts[1].replace(" the ", " a ", 1) + " indeed"
        if n % 10 == 7:
            excerpts[0] = "an excerpt the model invented that the article never says"
        evidence = [Evidence(source=source, paragraph=paragraph.number, excerpt=e) for e in excerpts]
        positions.append(Position(actor_id="a", stance="s", evidence=evidence))
        quotes += [Quote(source=source, speaker_id="a", text=q, paragraph=paragraph.number)
                   for q in QUOTED.findall(paragraph.text)]
        for number in sorted(figures_in(paragraph.text))[:2]:
            facts.append(Fact(statement="f", figure=f"{number:f}".rstrip("0").rstrip("."), unit=None, attributed_to=None,
                              evidence=[Evidence(source=source, paragraph=paragraph.number, excerpt=excerpts[0])]))
    events = [Event(date="2014", date_text="2014", what="w",
                    evidence=[Evidence(source=source, paragraph=1, excerpt=document.paragraphs[0].text[:40])])]
    briefing = Briefing(
        title="t", bottom_line=Point(text="b"), key_points=[], positions=positions, disputed_claims=[],
        quotes=quotes, facts=facts, events=events, sources=[],
        actors=[Actor(id="a", name="Matiullah Matie", kind="person", role=None, affiliation=None, aliases=[])],
        usage=Usage(), model="m", prompt_version="v",
    )
    return briefing, document


def main() -> None:
    briefing, document = workload()
    ground(briefing, [document])  # warm up imports and caches
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        result = ground(briefing, [document])
        timings.append((time.perf_counter() - started) * 1000)
    words = len(document.text.split())
    report = result.grounding
    print(f"article: {ARTICLE.name}, {words} words, {len(document.paragraphs)} paragraphs")
    print(f"checked: {report.excerpts.checked} excerpts and quotes, {report.figures.checked} figures, "
          f"{report.dates.checked} dates")
    print(f"found:   {report.summary}")
    print(f"grounding time: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms "
          f"over {len(timings)} runs")


if __name__ == "__main__":
    main()
