"""The reply as the model writes it: compact, pointing rather than copying (prompts of
`compact-2026-12-06` on). Half the tokens of the earlier contract went to JSON key names, nulls and
evidence wrappers, not to content; here the model writes an excerpt as "12: exact words", an
actor, a position, a quote, a fact and an event as one line of fields, and a claim nobody
disputes without a rebuttal.

This module is only the wire: `ChunkReply` is the JSON Schema sent as the strict
`response_format` (and the item types a repair patch may send), and `expand_extraction` turns
such a reply into the shape of `ChunkExtraction` (reply.py), which grounding, merging and
rendering read unchanged. The expansion is mechanical and lossless; what does not parse is a
finding with the item's path, sent back like any validation error."""

import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from .base import Strict

#: The separator of a line of fields (an actor, a quote).
BAR = " | "
_CITED = re.compile(r"\s*\[?P?(\d+)\]?\s*:\s*(.*\S)\s*$", re.DOTALL)
_GAP = re.compile(r"\s*(?:…|\.\.\.)\s*")
ACTOR_FIELDS = ("id", "name", "kind", "role", "affiliation", "aliases")
#: The fields of a fact's and an event's line before its excerpts, and the words that name them
#: in a finding; a field left empty is null.
FACT_FIELDS = (("statement", "figure", "unit", "attributed_to"), "statement | figure | unit | source id")
EVENT_FIELDS = (("date", "date_text", "what"), "date | date as written | what")

EVIDENCE = (
    "Where the item rests: one string per paragraph, 'N: exact words', the paragraph's [P#] number, "
    "a colon, then the fewest words of that paragraph that prove the item, copied exactly (usually 3 "
    "to 10 contiguous words, no '...'), e.g. '12: spoke for about an hour'."
)
ATTRIBUTED_BY = (
    "The article's own words, copied exactly, that give this to its actor: the speaker or holder with "
    "the verb ('Lopez said', 'a Singapore-based spokesman for Google said', 'the minister had told "
    "reporters'), from the paragraph of {what} or the one before, in the same sentence or the sentence "
    "that introduces it."
)


class CompactPoint(Strict):
    text: str = Field(description="One plain sentence.")
    evidence: list[str] = Field(description=EVIDENCE)


class CompactFinding(Strict):
    statement: str = Field(description="A central finding, result, decision or development, in one sentence.")
    evidence: list[str] = Field(description=EVIDENCE)


class CompactRebuttal(Strict):
    by: list[str] = Field(description="Ids of the actors who contest or deny the claim.")
    attributed_by: str = Field(description=ATTRIBUTED_BY.format(what="the first rebuttal excerpt"))
    evidence: list[str] = Field(description="The disputing side's words. " + EVIDENCE)


class CompactClaim(Strict):
    claim: str = Field(description="The claim, stated neutrally in one short sentence.")
    status: Literal["contested", "denied", "unverified"] = Field(
        description="contested: actors disagree; denied: the claim's subject denies it; unverified: "
        "asserted by one side, disputed by nobody, not confirmed in the article (rebuttal null).")
    asserted_by: list[str] = Field(description="Ids of the actors who make the claim.")
    attributed_by: str = Field(description=ATTRIBUTED_BY.format(what="the first evidence excerpt")
                               + " For the asserting side.")
    evidence: list[str] = Field(description="The asserting side's words. " + EVIDENCE)
    rebuttal: CompactRebuttal | None = Field(
        description="The disputing side; null when nobody in the article disputes the claim.")


class ChunkReply(Strict):
    """The extraction reply as sent: the schema of the strict `response_format`."""

    title: str = Field(description="A neutral headline for the briefing.")
    bottom_line: CompactPoint = Field(
        description="What a busy reader must know, in at most about 50 words, with its evidence.")
    key_points: list[CompactPoint] = Field(
        description="Two to five key points, most important first, each with its evidence.")
    findings: list[CompactFinding] = Field(
        description="Central findings or developments that are neither a dated event nor a figure (a "
        "study's result, a decision, a conclusion); often empty in short news.")
    actors: list[str] = Field(
        description="One line per actor, six fields joined by ' | ': 'id | name | kind | role | "
        "affiliation | aliases'. id: a short lowercase slug used for the actor everywhere in this "
        "reply; name: as the article gives it; kind: person, organization, government, state, group "
        "or other; role: a few words; affiliation: country, party or organisation; aliases: the other "
        "names the article uses for it, separated by '; '. Leave a field empty when the article gives "
        "nothing, e.g. 'maria-lopez | Maria Lopez | person | mayor | Green Party | Lopez; the mayor' "
        "or 'city-council | City council | government |  |  | '.")
    positions: list[str] = Field(
        description="One line per position, for every actor the article gives a stance in direct or "
        "reported speech, fields joined by ' | ': 'actor id | stance | attribution words | N: exact "
        "words', one more 'N: exact words' field for each further excerpt. The stance is what the actor "
        "holds, as a short clause without the actor's name; the attribution words "
        "are the article's own, as for attributed_by; each excerpt is evidence as elsewhere, e.g. "
        "'maria-lopez | wants the vote delayed | Lopez told reporters | 4: delay the vote until spring'.")
    disputed_claims: list[CompactClaim]
    quotes: list[str] = Field(
        description="One line per direct quote, three fields joined by ' | ': 'speaker id | N: first "
        "words … last words | attribution words', and a fourth when the article is not in the reply's "
        "language: the whole quote translated into the reply's language. N is the [P#] number of the quote's paragraph; the "
        "first and last three to six words are copied exactly, without the quotation marks around the "
        "quote, joined by ' … ' (a short quote may be given whole); the program cuts the quote out of "
        "the article between them. A phrase in quotation marks that the article gives to a speaker is a "
        "quote however short (a word they used, a campaign's slogan). The attribution words are the article's own, as for attributed_by, "
        "e.g. 'maria-lopez | 6: We will not be rushed … who live here. | Lopez said', or of a German "
        "article 'maria-lopez | 6: Wir lassen uns … die hier leben. | sagte Lopez | We will not be rushed "
        "by people who do not live here.'.")
    facts: list[str] = Field(
        description="One line per figure that matters (amounts, counts, percentages, durations), fields "
        "joined by ' | ': 'statement | figure | unit | source id | N: exact words', one more 'N: exact "
        "words' field for each further excerpt. statement: a short clause that reads on its own and holds "
        "the figure as written; figure: the number as the article writes it; unit: what is counted or "
        "measured; source id: the actor the figure comes from when the article attributes it. Leave a "
        "field empty when the article gives nothing, e.g. 'The city hired 240 teachers | 240 | teachers | "
        "city-council | 5: hired 240 new teachers'.")
    events: list[str] = Field(
        description="One line per dated event, past or coming, fields joined by ' | ': 'date | date as "
        "written | what | N: exact words', one more 'N: exact words' field for each further excerpt. "
        "date: ISO (YYYY-MM-DD, YYYY-MM or YYYY) when the article and its publication date fix it, else "
        "empty; what: what happened or will happen, in a short clause, e.g. '2025-03-04 | next Tuesday | "
        "the council votes on the budget | 7: vote on the budget next Tuesday'.")


# ------------------------------------------------------------------ the expansion


def wire_of(model: type[BaseModel]) -> type[BaseModel]:
    """The model a reply is written in: its `wire_model()` when it reads a compact reply (the
    schema sent and the items a patch may hold), else the model itself."""
    wire = getattr(model, "wire_model", None)
    return wire() if callable(wire) else model


def expand_extraction(data: Any) -> tuple[Any, list[str]]:
    """A compact reply in the shape of `ChunkExtraction`, and what in it does not parse (each
    with its item's path). Items already in that shape (a briefing's own, a test's) pass as they
    are, so the expansion can run on anything `ChunkExtraction` is given."""
    if not isinstance(data, dict):
        return data, []
    errors: list[str] = []
    out = dict(data)

    def cites(path: str, items: Any) -> Any:
        if not isinstance(items, list):
            return items
        return [_cited(f"{path}.{n}", item, errors) for n, item in enumerate(items)]

    def each(name: str, expand: Any) -> None:
        if isinstance(out.get(name), list):
            out[name] = [expand(f"{name}.{n}", item) for n, item in enumerate(out[name])]

    def with_cites(path: str, item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        item = dict(item, evidence=cites(f"{path}.evidence", item.get("evidence")))
        return _claim(path, item, cites) if "claim" in item else item

    if isinstance(out.get("bottom_line"), dict):
        out["bottom_line"] = with_cites("bottom_line", out["bottom_line"])
    for name in ("key_points", "findings", "positions", "disputed_claims", "facts", "events"):
        each(name, with_cites)
    each("positions", lambda path, item: _position(path, item, errors))
    each("actors", lambda path, item: _actor(path, item, errors))
    each("quotes", lambda path, item: _quote(path, item, errors))
    each("facts", lambda path, item: _line(path, item, FACT_FIELDS, errors))
    each("events", lambda path, item: _line(path, item, EVENT_FIELDS, errors))
    return out, errors


def _cited(path: str, item: Any, errors: list[str]) -> Any:
    if not isinstance(item, str):
        return item
    match = _CITED.match(item)
    if match is None:
        shown = item[:60].replace(";", ",")  # a finding is one line; "; " separates findings
        errors.append(f"{path}: '{shown}' does not start with its paragraph number: write 'N: exact words'")
        return {"paragraph": 0, "excerpt": item}
    return {"paragraph": int(match[1]), "excerpt": match[2]}


def _claim(path: str, item: dict[str, Any], cites: Any) -> dict[str, Any]:
    """A claim's rebuttal object (or null) as the three fields of the internal claim."""
    if "disputed_by" in item or "rebuttal" not in item or isinstance(item["rebuttal"], list):
        return item
    rebuttal = item.pop("rebuttal") or {}
    if not isinstance(rebuttal, dict):
        return dict(item, disputed_by=[], rebuttal_by=None, rebuttal=rebuttal)
    return dict(item, disputed_by=rebuttal.get("by", []), rebuttal_by=rebuttal.get("attributed_by") or None,
                rebuttal=cites(f"{path}.rebuttal.evidence", rebuttal.get("evidence", [])))


def _actor(path: str, item: Any, errors: list[str]) -> Any:
    if not isinstance(item, str):
        return item
    fields = [part.strip() for part in item.split("|")]
    if len(fields) != len(ACTOR_FIELDS):
        errors.append(f"{path}: {len(fields)} fields where an actor has six: 'id | name | kind | role | "
                      "affiliation | aliases' (leave a field empty, keep its bar)")
        fields = (fields + [""] * len(ACTOR_FIELDS))[:len(ACTOR_FIELDS)]
    actor: dict[str, Any] = dict(zip(ACTOR_FIELDS, fields))
    actor["role"] = actor["role"] or None
    actor["affiliation"] = actor["affiliation"] or None
    actor["aliases"] = [a.strip() for a in actor["aliases"].split(";") if a.strip()]
    return actor


def _position(path: str, item: Any, errors: list[str]) -> Any:
    if not isinstance(item, str):
        return item
    fields = [part.strip() for part in item.split("|")]
    if len(fields) < 4:
        errors.append(f"{path}: write 'actor id | stance | attribution words | N: exact words'")
        fields = (fields + [""] * 4)[:4]
    evidence = [_cited(f"{path}.evidence.{n}", cited, errors) for n, cited in enumerate(fields[3:]) if cited]
    return {"actor_id": fields[0], "stance": fields[1], "attributed_by": fields[2], "evidence": evidence}


def _line(path: str, item: Any, fields: tuple[tuple[str, ...], str], errors: list[str]) -> Any:
    """A fact's or an event's line: its named fields (an empty one is null), then one excerpt a
    field."""
    if not isinstance(item, str):
        return item
    names, shown = fields
    parts = [part.strip() for part in item.split("|")]
    if len(parts) <= len(names):
        errors.append(f"{path}: write '{shown} | N: exact words' (leave a field empty, keep its bar)")
        parts = (parts + [""] * (len(names) + 1))[:len(names) + 1]
    out: dict[str, Any] = {name: value or None for name, value in zip(names, parts)}
    out["evidence"] = [_cited(f"{path}.evidence.{n}", cited, errors)
                       for n, cited in enumerate(parts[len(names):]) if cited]
    return out


def _quote(path: str, item: Any, errors: list[str]) -> Any:
    if not isinstance(item, str):
        return item
    speaker, where, attributed_by, translation = (*item.split(BAR.strip(), 3), "", "", "")[:4]
    cited = _CITED.match(where)
    said = {"attributed_by": attributed_by.strip(), "translation": translation.strip() or None}
    if not speaker.strip() or cited is None:
        errors.append(f"{path}: write 'speaker id | N: first words … last words | attribution words'")
        return {"speaker_id": speaker.strip(), "paragraph": 0, "begins": "", "ends": "", **said}
    begins, ends = _anchors(cited[2])
    return {"speaker_id": speaker.strip(), "paragraph": int(cited[1]), "begins": begins, "ends": ends, **said}


def _anchors(words: str) -> tuple[str, str]:
    """First and last words of a quote: either side of the first ' … ', or the whole of a short
    quote given whole (both anchors then cut out the same words)."""
    parts = _GAP.split(words.strip(), maxsplit=1)
    if len(parts) == 1 or not parts[0] or not parts[1]:
        return words.strip(), words.strip()
    return parts[0], parts[1]
