"""The labelled set (fixtures/grounding/labelled.json): for each kind of check, honest items that
must pass and distorted ones that must be caught. Prints, per kind, how many distortions were
caught and how many correct items were flagged, and fails on any miss."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

from briefer.core.models import Actor, ChunkExtraction, Document, ExtractedActor, Usage
from briefer.core.models.compact import expand_extraction
from briefer.grounding import Source, check_date, check_excerpt, check_figure, ground, outcome
from briefer.grounding.attribution import check_attribution
from briefer.grounding.dates import parse_published
from briefer.merge.extractions import ActorResolver, briefing_from_extraction, merge, same_actors

from .conftest import FIXTURES, ROOT
from .grounding_cases import load_document, one_item_reply

LABELLED = json.loads((FIXTURES / "grounding" / "labelled.json").read_text(encoding="utf-8"))


@cache
def document(name: str) -> Document:
    return load_document(LABELLED["articles"][name], name)


def source(name: str) -> Source:
    return Source.of(document(name))


@cache
def actors(name: str) -> tuple[Actor, ...]:
    spec = LABELLED["casts"][name]
    listed = spec.get("list") or expand_extraction(
        json.loads((ROOT / spec["from_answer"]).read_text(encoding="utf-8")))[0]["actors"]
    return tuple(Actor(**a) for a in listed)


def texts(case: dict[str, Any]) -> list[str]:
    return [p.text for n in case["paragraphs"] if (p := document(case["article"]).paragraph(n))]


# --------------------------------------------------------------- one outcome per kind


def quote_outcome(case: dict[str, Any]) -> str:
    return check_excerpt(source(case["article"]), case["text"], case["paragraph"]).status


def figure_outcome(case: dict[str, Any]) -> str:
    return check_figure(texts(case), case["figure"], case["unit"])


def date_outcome(case: dict[str, Any]) -> str:
    published = parse_published(document(case["article"]).date)
    return check_date(case["date"], case["date_text"], texts(case), published, case["what"])


def attribution_outcome(case: dict[str, Any]) -> str:
    found = check_excerpt(source(case["article"]), case["text"], case["paragraph"])
    assert found.status == "verified", case["name"]  # the words are the article's; only who said them is in question
    cast = list(actors(case["article"]))
    speaker = next(a for a in cast if a.id == case["speaker"])
    return check_attribution(source(case["article"]), speaker, cast, found.paragraph, found.local)


def _item(kind: str, text: str, figure: str | None, cited: int) -> dict[str, Any]:
    evidence = [{"paragraph": cited, "excerpt": text}]
    return {
        "position": {"actor_id": "smith", "stance": text, "attributed_by": "Smith said", "evidence": evidence},
        "claim": {"claim": text, "asserted_by": ["smith"], "disputed_by": [], "status": "contested",
                  "attributed_by": "Smith said", "evidence": evidence, "rebuttal_by": None, "rebuttal": []},
        "event": {"date": "2024-11-15", "date_text": "Friday", "what": text, "evidence": evidence},
        "fact": {"statement": text, "figure": figure, "unit": "troops", "attributed_to": None, "evidence": evidence},
    }[kind]


def _extraction(kind: str, text: str, figure: str | None) -> ChunkExtraction:
    smith = {"id": "smith", "name": "John Smith", "kind": "person", "role": None, "affiliation": None,
             "aliases": ["Smith"]}
    return one_item_reply(kind, _item(kind, text, figure, 1), [smith])


def merge_outcome(case: dict[str, Any]) -> str:
    figures = case.get("figures", [None, None])
    parts = [(document("two-lines"), _extraction(case["kind"], case["a"], figures[0])),
             (document("tuesday"), _extraction(case["kind"], case["b"], figures[1]))]
    briefing = merge(parts, usage=Usage(), model="m", prompt_version="v")
    items = {"position": briefing.positions, "claim": briefing.disputed_claims, "event": briefing.events,
             "fact": briefing.facts}[case["kind"]]
    if len(items) == 1:
        return "merged"
    if case.get("dispute", True):  # known opposites are also a dispute between the sources
        assert briefing.source_disputes, f"{case['name']}: kept apart, but no dispute between the sources"
    return "apart"


def actors_outcome(case: dict[str, Any]) -> str:
    resolver = ActorResolver()
    resolver.add(0, ExtractedActor(**case["a"]))
    resolver.add(1, ExtractedActor(**case["b"]))
    return "merged" if len(resolver.actors()) == 1 else "apart"


def same_actors_outcome(case: dict[str, Any]) -> str:
    cast = {"broadhead-co": ("Broadhead Co.", "organization"), "minneapolis-based-firm": ("a Minneapolis-based firm", "organization"),
            "vladimir-putin": ("Vladimir Putin", "person"), "volodymyr-zelensky": ("Volodymyr Zelensky", "person")}
    briefing = merge([(document("seed"), ChunkExtraction.model_validate(json.loads(
        (ROOT / "fixtures/answers/scholz-putin-call.p1-21.json").read_text(encoding="utf-8"))))],
        usage=Usage(), model="m", prompt_version="v")
    extra = [Actor(id=i, name=n, kind=k, role=None, affiliation=None, aliases=[])  # type: ignore[arg-type]
             for i, (n, k) in cast.items() if i not in {a.id for a in briefing.actors}]
    briefing = ground(briefing.model_copy(update={"actors": [*briefing.actors, *extra]}), [document("seed")])
    folded = same_actors(briefing, [case["group"]])
    return "merged" if len(folded.actors) < len(briefing.actors) else "apart"


def item_outcome(case: dict[str, Any]) -> str:
    """A whole item of a reply, grounded with its article's cast: its one outcome (the item read
    against its evidence, its attribution words, its excerpts, figure and date)."""
    answer: dict[str, Any] = {"title": "t", "bottom_line": {"text": "b", "evidence": []}, "key_points": [],
                              "findings": [], "quotes": [], "positions": [], "disputed_claims": [], "facts": [],
                              "events": [], "actors": [a.model_dump() for a in actors(case["cast"])]}
    answer[case["kind"]] = [case["item"]]
    draft = briefing_from_extraction(document(case["article"]), ChunkExtraction.model_validate(answer),
                                     usage=Usage(), model="m", prompt_version="v")
    grounded = ground(draft, [document(case["article"])])
    return outcome(getattr(grounded, case["kind"])[0])


#: kind: (cases, outcome, what a correct item gives, what counts as caught)
KINDS: dict[str, tuple[str, Callable[[dict[str, Any]], str], str, Callable[[str], bool]]] = {
    "quotes and excerpts": ("quotes", quote_outcome, "verified", lambda o: o != "verified"),
    "figures": ("figures", figure_outcome, "verified", lambda o: o != "verified"),
    "dates": ("dates", date_outcome, "verified", lambda o: o != "verified"),
    "attributions": ("attributions", attribution_outcome, "verified", lambda o: o != "verified"),
    "whole items": ("items", item_outcome, "verified", lambda o: o != "verified"),
    "merging items": ("merges", merge_outcome, "merged", lambda o: o == "apart"),
    "merging actors": ("actors", actors_outcome, "merged", lambda o: o == "apart"),
    "same_actors folds": ("same_actors", same_actors_outcome, "merged", lambda o: o == "apart"),
}


def test_the_labelled_set_catches_every_distortion_and_flags_no_correct_item() -> None:
    misses: list[str] = []
    rows = [f"{'kind':<20} {'distortions caught':>19} {'correct flagged':>16}"]
    for kind, (key, outcome, passing, caught) in KINDS.items():
        cases = LABELLED[key]
        distorted = [c for c in cases if not c["correct"]]
        correct = [c for c in cases if c["correct"]]
        n_caught = n_flagged = 0
        for case in distorted:
            found = outcome(case)
            ok = caught(found) and found == case.get("must", found)
            n_caught += ok
            misses += [] if ok else [f"{kind}: NOT CAUGHT {case['name']!r} ({found})"]
        for case in correct:
            found = outcome(case)
            n_flagged += found != passing
            misses += [] if found == passing else [f"{kind}: FLAGGED {case['name']!r} ({found})"]
        rows.append(f"{kind:<20} {f'{n_caught} of {len(distorted)}':>19} {f'{n_flagged} of {len(correct)}':>16}")
    print("\n" + "\n".join(rows))
    assert misses == []


def test_every_distortion_issue_10_lists_is_in_the_set() -> None:
    names = {c["name"] for key in ("quotes", "figures", "dates", "attributions", "merges", "actors", "same_actors")
             for c in LABELLED[key]}
    for listed in ("ellipsis hides a negation", "a substring of a longer word reverses the meaning",
                   "'possible' inside 'impossible'", "a cut inside a word", "15 billion becomes 16 billion",
                   "11,000 becomes 12,000", "'urged Trump' for 'urged Putin'", "euros reported as dollars",
                   "a day and a count read as one number", "15 m high read as 15 million",
                   "two numbers, one of them wrong", "Zelensky's words given to Putin, who is only talked about",
                   "two speakers: the first one's words given to the second", "opposite stances",
                   "a claim and its negation", "different outcomes on one date", "two people sharing a role alias",
                   "two named people listed as one actor", "a role in the quote's paragraph, the name in the next one",
                   "an alias the model listed: the UK", "a quote that continues after a line of page clutter",
                   "Spanish: este martes", "Spanish: el martes 1° de marzo", "late Tuesday evening",
                   "last week, dated to its month", "a weekday in the past tense is the past one"):
        assert listed in names, listed
