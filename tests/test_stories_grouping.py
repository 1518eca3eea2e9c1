"""Grouping articles into stories: measured on real articles labelled by the event they report
(fixtures/stories/labels.json), each rule pinned on a small case, and run over more items than
one block of the similarity product (benchmarks/grouping.py times 5,000)."""

from __future__ import annotations

import gzip
import json
import random
from functools import cache
from itertools import combinations
from pathlib import Path

from briefer.ingest import document_from_bytes
from briefer.ingest import stories as stories_module
from briefer.ingest.stories import Item, group, lead_of, names
from .measured import say

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
LABELS = json.loads((FIXTURES / "stories" / "labels.json").read_text(encoding="utf-8"))["articles"]


def labelled_item(n: int, entry: dict) -> Item:
    path = FIXTURES / entry["path"]
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    sidecar = path.with_name(path.name.split(".")[0] + ".meta.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
    document = document_from_bytes(data, doc_id=f"a{n}", origin=entry["path"], title=meta.get("title"),
                                   date=meta.get("date"), html=path.name.endswith((".html", ".html.gz")))
    return Item(entry["path"], document.title or "", lead_of([p.text for p in document.paragraphs]),
                document.outlet, document.date)


@cache
def labelled_items() -> tuple[Item, ...]:
    """Every labelled article as an Item, read once for the module (Items are frozen)."""
    return tuple(labelled_item(n, entry) for n, entry in enumerate(LABELS))


def pairwise(truth: list[str | None], found: list[int]) -> tuple[float, float]:
    """Precision and recall over every pair of articles: is the pair one story?"""
    tp = fp = fn = 0
    for i, j in combinations(range(len(truth)), 2):
        same = truth[i] is not None and truth[i] == truth[j]
        together = found[i] == found[j]
        tp, fp, fn = tp + (same and together), fp + (together and not same), fn + (same and not together)
    return tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0


def story_of(stories, count: int) -> list[int]:
    found = [0] * count
    for n, story in enumerate(stories):
        for member in story.members:
            found[member] = n
    return found


def test_real_articles_group_into_their_stories_with_pairwise_precision_and_recall_0_9() -> None:
    items = list(labelled_items())
    truth = [entry["story"] for entry in LABELS]
    found = story_of(group(items), len(items))
    precision, recall = pairwise(truth, found)
    multi = {s for s in truth if s and truth.count(s) > 1}
    say(f"grouping {len(items)} real articles ({sum(t in multi for t in truth)} in {len(multi)} "
        f"stories of several outlets): pairwise precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.9 and recall >= 0.9
    epstein = [n for n, t in enumerate(truth) if t and "epstein" in t]
    assert len(epstein) == 2 and found[epstein[0]] != found[epstein[1]]  # one name, two events


RULING = ("A federal judge in Manhattan ruled on {day} that Maria Delgado, the former mayor of "
          "Riverton, must {what}, in a case brought by the state's attorney general.")


def ruling(day: str, what: str, date: str, outlet: str) -> Item:
    return Item(f"{outlet}-{date}", f"Judge rules former Riverton mayor Maria Delgado must {what}",
                RULING.format(day=day, what=what), outlet, date)


def test_two_rulings_about_one_person_on_different_days_are_two_stories() -> None:
    items = [ruling("Monday", "repay campaign funds", "2019-11-04", "Tribune"),
             ruling("Monday", "repay campaign funds", "2019-11-04", "Herald"),
             ruling("Tuesday", "stand trial for fraud", "2019-11-12", "Tribune"),
             ruling("Tuesday", "stand trial for fraud", "2019-11-12", "Courier")]
    assert sorted(sorted(s.members) for s in group(items)) == [[0, 1], [2, 3]]
    undated = [Item(i.key, i.title, i.lead, i.outlet, None) for i in items]
    assert len(group(undated)) == 1  # without dates nothing tells the two days apart


def test_what_joined_two_articles_is_recorded() -> None:
    items = [ruling("Monday", "repay campaign funds", "2019-11-04", "Tribune"),
             ruling("Monday", "repay campaign funds", "2019-11-05", "Herald"),
             Item("x", "Harbour bridge closed to lorries", "The city council voted to close the old bridge.")]
    stories = group(items)
    assert [s.members for s in stories] == [[0, 1], [2]]
    (link,) = stories[0].links
    assert (link.a, link.b) == (0, 1) and link.similarity > 0.9
    assert "Maria Delgado" in link.shared and "Riverton" in link.shared


def test_similar_words_without_a_shared_name_are_not_one_story() -> None:
    items = [Item("a", "Storm closes schools", "Heavy rain closed schools across the county on Monday."),
             Item("b", "Storm closes schools", "Heavy rain closed schools across the region on Monday.")]
    assert len(group(items)) == 2


def test_names_are_runs_of_capitalised_words_not_sentence_openers() -> None:
    found = names("The governor of South Dakota, Kristi Noem, said Tuesday's campaign works. "
                  "Critics disagree. Her office said the Meth campaign works, Noem’s aide said.")
    assert {"South Dakota", "Kristi Noem", "Noem", "Meth"} <= found
    assert not found & {"The", "Critics", "Tuesday"}


def feed_items(count: int) -> list[Item]:
    """`count` feed items made from the labelled articles: titles repeated, leads shuffled and
    cut, 97 outlets, November 2019 (benchmarks/grouping.py times 5,000 of them)."""
    rng = random.Random(26)
    base = labelled_items()
    items = []
    for n in range(count):
        source = base[n % len(base)]
        words = source.lead.split()
        rng.shuffle(words)
        items.append(Item(f"{n}", source.title, " ".join(words[: 40 + n % 40]), f"outlet{n % 97}",
                          f"2019-11-{1 + n % 28:02d}"))
    return items


def test_many_feed_items_each_land_in_one_story() -> None:
    """More items than one block of the similarity product (three blocks, the last one partial):
    every item is in exactly one story. The time of 5,000 is benchmarks/grouping.py's figure."""
    count = 2 * stories_module._BLOCK + 97
    stories = group(feed_items(count))
    assert sum(len(s.members) for s in stories) == count
    assert sorted(m for s in stories for m in s.members) == list(range(count))
