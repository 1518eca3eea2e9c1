"""The synthesis's `same_actors` (issue 21, point 7): applied when the names may be one name
spelt two ways, refused with a warning line that says which pair and why when they are two
people, and spelling variants offered to the model as candidates, never folded by name alone."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from briefer.core.models import Actor, Briefing
from briefer.merge.actors import refused_same_actors, same_actors, spelling_variants, variant_candidates

from .answers import extraction, point, synthesis
from .chat_server import ChatServer, Reply
from .conftest import SENTINEL_KEY, Run

KEY = {"OPENAI_API_KEY": SENTINEL_KEY}
KYIV = ("Volodymyr Zelensky said the front held through the night.\n\n"
        "Timothy Morrison, a former adviser, said more aid was coming.\n\n"
        "Vladimir Putin said the talks were pointless.\n")
WIRE = ("Volodymyr Zelenskiy thanked the allies on Tuesday.\n\n"
        "Tim Morrison said the aid would arrive within weeks.\n")


def person(actor_id: str, name: str) -> dict[str, Any]:
    return {"id": actor_id, "name": name, "kind": "person", "role": None, "affiliation": None, "aliases": []}


def answer(body: dict[str, Any], _: int) -> Reply:
    """Each article's actors as written there; the synthesis groups what the candidates offer
    and, wrongly, Putin with Morrison."""
    user = body["messages"][1]["content"]
    if user.startswith("Sources:"):
        offered = json.loads(re.search(r"spelt two ways \(.*?\): (\[.*\])$", user, re.MULTILINE)[1])  # type: ignore[index]
        groups = [pair for pair in offered if "volodymyr-zelensky" in pair]
        morrison = next(pair for pair in offered if "timothy-morrison" in pair)
        groups.append([*morrison, "vladimir-putin"])
        return Reply(content=json.dumps(synthesis(bottom_line=point("B"), same_actors=groups)))
    if "Zelenskiy" in user:
        actors = [person("zelenskiy", "Volodymyr Zelenskiy"), person("tim-morrison", "Tim Morrison")]
    else:
        actors = [person("zelensky", "Volodymyr Zelensky"), person("timothy-morrison", "Timothy Morrison"),
                  person("putin", "Vladimir Putin")]
    return Reply(content=json.dumps(extraction(actors=actors)))


def test_variants_are_offered_folded_when_the_synthesis_says_so_and_two_people_refused_aloud(
        run: Run, tmp_path: Path) -> None:
    (tmp_path / "kyiv.txt").write_text(KYIV, encoding="utf-8")
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    out = tmp_path / "brief.json"
    with ChatServer(answer) as server:
        result = run("brief", tmp_path / "kyiv.txt", tmp_path / "wire.txt", "--base-url", server.url,
                     "-o", out, env=KEY)
    assert result.exit_code == 0, result.stderr
    (synthesis_request,) = [r["messages"][1]["content"] for r in server.requests
                            if r["messages"][1]["content"].startswith("Sources:")]
    assert '["volodymyr-zelensky", "volodymyr-zelenskiy"]' in synthesis_request
    assert '["timothy-morrison", "tim-morrison"]' in synthesis_request
    names = {a["name"]: a["aliases"] for a in json.loads(out.read_text(encoding="utf-8"))["actors"]}
    assert names == {"Volodymyr Zelensky": ["Volodymyr Zelenskiy"], "Timothy Morrison": ["Tim Morrison"],
                     "Vladimir Putin": []}
    assert ("briefer: same_actors: kept 'Timothy Morrison' and 'Vladimir Putin' apart: "
            "two people with different names") in result.stderr


def test_spelling_variants_are_names_spelt_two_ways_not_two_names() -> None:
    same = [("tim morrison", "timothy morrison"), ("volodymyr zelensky", "volodymyr zelenskiy"),
            ("zelensky", "zelenskyy"), ("t morrison", "timothy morrison"),
            ("patrick w carlineo jr", "patrick carlineo jr"), ("john f kennedy", "john kennedy")]
    two = [("vladimir putin", "volodymyr zelensky"), ("bill clinton", "hillary clinton"),
           ("john smith", "jane smith"), ("liu he", "liu hu"), ("morrison", "m"),
           ("george w bush", "george h w bush"), ("john smith jr", "john smith sr")]
    assert [spelling_variants(a, b) for a, b in same] == [True] * len(same)
    assert [spelling_variants(a, b) for a, b in two] == [False] * len(two)


def test_two_descriptions_of_one_person_are_folded_without_a_warning(seed_json: Path) -> None:
    """An editor read "kept '55-year-old hunter' and '55-year old man' apart: two people with
    different names" under a plague briefing: one man, described twice, and no names at all.
    Two descriptions are the synthesis's call; two names still are not."""
    def who(actor_id: str, name: str) -> Actor:
        return Actor(id=actor_id, name=name, kind="person", role=None, affiliation=None, aliases=[])

    seed = Briefing.model_validate_json(seed_json.read_text(encoding="utf-8"))
    briefing = seed.model_copy(update={"actors": [who("hunter", "55-year-old hunter"), who("man", "55-year old man"),
                                                  who("vdl", "Ursula von der Leyen"), who("ck", "Charles Michel")]})
    assert refused_same_actors(briefing, [["hunter", "man"]]) == []
    assert [a.name for a in same_actors(briefing, [["hunter", "man"]]).actors][:1] == ["55-year-old hunter"]
    assert refused_same_actors(briefing, [["vdl", "ck"]]) == [
        "same_actors: kept 'Ursula von der Leyen' and 'Charles Michel' apart: two people with different names"]


def test_a_briefing_without_variants_offers_nothing_and_its_request_is_unchanged() -> None:
    actors = [Actor(id=i, name=n, kind="person", role=None, affiliation=None, aliases=[])
              for i, n in (("olaf-scholz", "Olaf Scholz"), ("vladimir-putin", "Vladimir Putin"))]
    assert variant_candidates(actors) == []


def test_an_each_run_names_the_article_whose_synthesis_was_refused(run: Run, tmp_path: Path) -> None:
    """One long article in two chunks, briefed with --each: the refusal is said, with its article."""
    filler = "\n\n".join(f"Paragraph {n} of background on the war and the aid, with nothing new in it." for n in range(40))
    article = tmp_path / "long.txt"
    article.write_text(f"{KYIV}\n{filler}\n\n{WIRE}\n{filler}\n", encoding="utf-8")
    with ChatServer(answer) as server:
        result = run("brief", "--each", article, "-o", tmp_path / "out", "--base-url", server.url,
                     "--chunk-tokens", "600", env=KEY)
    assert result.exit_code == 0, result.stderr
    assert sum(r["messages"][1]["content"].startswith("Sources:") for r in server.requests) == 1
    assert f"briefer: {article}: same_actors: kept 'Timothy Morrison' and 'Vladimir Putin' apart" in result.stderr
