"""Extractions into the items of one Briefing: deterministic, whatever order the calls finished in.

The model cites paragraphs; only the program knows which document a chunk came from, so this is
where every item gets its source. Across chunks and sources, one actor per real-world actor
("Olaf Scholz", "Scholz", "German Chancellor Olaf Scholz" are one; two people who share a surname
stay apart), and positions, claims, quotes, figures and events that say the same thing are one
item with their evidence combined. Ids come from names, so they are stable from run to run.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .grounding.check import checked_quote
from .grounding.figures import figures_in
from .grounding.meaning import disagree
from .grounding.text import Source as Text
from .ingest import slug
from .models import (
    Actor,
    Briefing,
    ChunkExtraction,
    Cited,
    DisputedClaim,
    Document,
    Event,
    Evidence,
    ExtractedActor,
    Fact,
    Account,
    Position,
    Quote,
    Source,
    SourceDispute,
    Usage,
)

#: rapidfuzz token_set_ratio from which two statements count as the same item.
SAME_ITEM_AT = 88.0
_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|gov|governor|sen|senator|rep|representative|president|prime minister|"
    r"chancellor|secretary|minister|the|lt|gen|col)\.?\s+)+"
)
_STATUS_WEIGHT = {"contested": 0, "denied": 1, "unverified": 2}
_ATTRIBUTION = ["unchecked", "confirmed", "flagged"]


def source_of(document: Document) -> Source:
    return Source(
        id=document.id,
        title=document.title,
        outlet=document.outlet,
        date=document.date,
        origin=document.origin,
        url=document.url,
        sha256=document.sha256,
        paragraphs=len(document.paragraphs),
    )


def name_key(name: str) -> str:
    """A name in comparable form: case, accents, punctuation and honorifics gone."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("’", "").replace("'", ""))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().casefold()
    flat = " ".join(re.sub(r"[^\w\s-]", " ", ascii_name).split())
    return _HONORIFICS.sub("", flat).strip()


@dataclass
class _Cluster:
    """One real-world actor as seen so far."""

    kind: str
    names: list[str]  # display names in the order met: names first, then aliases
    primary: list[str] = field(default_factory=list)  # the `name` each extraction gave
    keys: set[str] = field(default_factory=set)
    role: str | None = None
    affiliation: str | None = None
    parts: set[int] = field(default_factory=set)
    id: str = ""

    @property
    def full_names(self) -> list[str]:
        return [n for n in self.names if len(name_key(n).split()) > 1]

    @property
    def surnames(self) -> set[str]:
        return {name_key(n).split()[-1] for n in self.full_names} if self.kind == "person" else set()

    @property
    def name(self) -> str:
        """The name the extractions gave it, the first full one (more than one word) if any:
        "Kristi Noem" over "Noem", and never an alias like "South Dakota Gov. Kristi Noem"."""
        full = [n for n in self.primary if len(name_key(n).split()) > 1]
        return (full or self.primary)[0]


class ActorResolver:
    """Assigns every (part, local actor id) a global actor, one per real-world actor."""

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        self.mapping: dict[tuple[int, str], _Cluster] = {}

    def add(self, part: int, actor: ExtractedActor) -> None:
        keys = {name_key(n) for n in (actor.name, *actor.aliases)} - {""}
        cluster = self._match(part, actor, keys)
        if cluster is None:
            cluster = _Cluster(kind=actor.kind, names=[])
            self.clusters.append(cluster)
        for display in (actor.name, *actor.aliases):
            if display not in cluster.names:
                cluster.names.append(display)
        cluster.primary.append(actor.name)
        cluster.keys |= keys
        cluster.role = cluster.role or actor.role
        cluster.affiliation = cluster.affiliation or actor.affiliation
        cluster.parts.add(part)
        self.mapping[(part, actor.id)] = cluster

    def _match(self, part: int, actor: ExtractedActor, keys: set[str]) -> _Cluster | None:
        others = [c for c in self.clusters if part not in c.parts and _compatible(c.kind, actor.kind)
                  and not _different_people(c, actor)]
        main = name_key(actor.name)
        for cluster in others:  # the same full name, or a multi-word alias of it
            if main in cluster.keys or any(k in cluster.keys for k in keys if len(k.split()) > 1):
                return cluster
        for cluster in others:  # a full name behind a title: "German Chancellor Olaf Scholz"
            full = [k for k in cluster.keys if len(k.split()) > 1]
            if any(main.endswith(" " + k) or k.endswith(" " + main) for k in full if len(main.split()) > 1):
                return cluster
        if actor.kind != "person":
            return None
        words = main.split()
        if len(words) == 1:  # a surname alone: only when exactly one person bears it
            bearers = [c for c in others if words[0] in c.surnames]
            return bearers[0] if len(bearers) == 1 else None
        surname_only = [c for c in others if c.kind == "person" and not c.full_names
                        and words[-1] in c.keys]
        return surname_only[0] if len(surname_only) == 1 else None

    def actors(self) -> list[Actor]:
        """The merged actors with unique ids, in the order first met."""
        taken: set[str] = set()
        result = []
        for cluster in self.clusters:
            base = slug(name_key(cluster.name) or cluster.name)
            cluster.id, n = base, 2
            while cluster.id in taken:
                cluster.id, n = f"{base}-{n}", n + 1
            taken.add(cluster.id)
            result.append(Actor(
                id=cluster.id, name=cluster.name, kind=cluster.kind,  # type: ignore[arg-type]
                role=cluster.role, affiliation=cluster.affiliation,
                aliases=[n for n in cluster.names if n != cluster.name],
            ))
        return result



def _different_people(cluster: _Cluster, actor: ExtractedActor) -> bool:
    """Two people with different full names ("Sergei Lavrov", "David Lammy") are two people,
    whatever role or alias they share ("the foreign minister")."""
    return actor.kind == "person" and cluster.kind == "person" and bool(cluster.full_names) \
        and not _same_person_name(name_key(actor.name), [name_key(n) for n in cluster.primary])


def _same_person_name(name: str, known: list[str]) -> bool:
    """Whether a name is one of the known names, or the same person's shorter or longer form:
    "Scholz", "Olaf Scholz", "German Chancellor Olaf Scholz"."""
    for other in known:
        short, long = sorted((name, other), key=len)
        if short == long or long.endswith(" " + short) or (len(short.split()) == 1 and long.split()[-1] == short):
            return True
    return False


def _compatible(a: str, b: str) -> bool:
    return a == b or "other" in (a, b) or {a, b} <= {"government", "state"}


def _similar(a: str, b: str) -> bool:
    return fuzz.token_set_ratio(a.casefold(), b.casefold()) >= SAME_ITEM_AT


def _combined(first: list[Evidence], more: list[Evidence]) -> list[Evidence]:
    seen = {(e.source, e.paragraph, e.excerpt) for e in first}
    return [*first, *(e for e in more if (e.source, e.paragraph, e.excerpt) not in seen)]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def merge(
    parts: list[tuple[Document, ChunkExtraction]],
    *,
    usage: Usage,
    model: str,
    prompt_version: str,
) -> Briefing:
    """One briefing from the extractions of every chunk of every source, in the order given.
    Title, bottom line and key points come from the first part; the synthesis replaces them
    when there is more than one part."""
    resolver = ActorResolver()
    for n, (_, extraction) in enumerate(parts):
        for actor in extraction.actors:
            resolver.add(n, actor)
    actors = resolver.actors()

    def actor_id(n: int, local: str | None) -> str | None:
        if local is None:
            return None
        cluster = resolver.mapping.get((n, local))
        return cluster.id if cluster else local

    positions: list[tuple[Position, int]] = []
    claims: list[tuple[DisputedClaim, int]] = []
    quotes: list[tuple[Quote, int]] = []
    facts: list[tuple[Fact, int]] = []
    events: list[tuple[Event, int]] = []
    disputes: list[SourceDispute] = []
    for n, (document, extraction) in enumerate(parts):
        local_actors = [Actor(**a.model_dump()) for a in extraction.actors]

        def cited(items: list[Cited]) -> list[Evidence]:
            return [Evidence(source=document.id, **c.model_dump()) for c in items]  # noqa: B023

        for p in extraction.positions:
            _add_position(positions, n, Position(**{**p.model_dump(), "actor_id": actor_id(n, p.actor_id),
                                                    "evidence": cited(p.evidence)}), disputes)
        for c in extraction.disputed_claims:
            _add_claim(claims, n, DisputedClaim(**{
                **c.model_dump(), "evidence": cited(c.evidence),
                "asserted_by": _unique([actor_id(n, a) for a in c.asserted_by]),  # type: ignore[misc]
                "disputed_by": _unique([actor_id(n, a) for a in c.disputed_by]),  # type: ignore[misc]
            }), disputes)
        for q in extraction.quotes:
            # the speaker checked as this reply named it, before any fold of actors
            local = checked_quote({document.id: Text.of(document)}, local_actors,
                                  Quote(**q.model_dump(), source=document.id))
            _add_quote(quotes, n, Quote(**{**q.model_dump(), "speaker_id": actor_id(n, q.speaker_id),
                                           "source": document.id, "attribution": local.attribution}))
        for f in extraction.facts:
            _add_fact(facts, n, Fact(**{**f.model_dump(), "attributed_to": actor_id(n, f.attributed_to),
                                        "evidence": cited(f.evidence)}), disputes)
        for e in extraction.events:
            _add_event(events, n, Event(**{**e.model_dump(), "evidence": cited(e.evidence)}), disputes)

    first = parts[0][1]
    return Briefing(
        title=first.title,
        bottom_line=first.bottom_line,
        key_points=first.key_points,
        actors=actors,
        positions=[p for p, _ in positions],
        disputed_claims=[c for c, _ in claims],
        quotes=[q for q, _ in quotes],
        facts=[f for f, _ in facts],
        events=[e for e, _ in events],
        source_disputes=disputes,
        sources=[source_of(d) for d in dict((d.id, d) for d, _ in parts).values()],
        usage=usage,
        model=model,
        prompt_version=prompt_version,
    )


def _same_in_other_part(items: list[tuple[Any, int]], part: int, same: Any) -> int | None:
    """Index of an item from another part that says the same, if any. Items of one part are
    the model's own choices and are never merged with each other."""
    return next((i for i, (item, n) in enumerate(items) if n != part and same(item)), None)


def _disputed(disputes: list[SourceDispute], old: Any, new: Any, subject: str, said: Any) -> None:
    """Two items on one point that disagree stay two items; from different sources, the
    disagreement is also a dispute between the sources, each account with its own evidence."""
    accounts = [Account(**e.model_dump(include=set(Evidence.model_fields) - {"status", "start", "end",
                                                                           "cited_paragraph", "source_words"}),
                        says=said(item))
                for item in (old, new) for e in item.evidence[:1]]
    if len({a.source for a in accounts}) > 1:
        disputes.append(SourceDispute(subject=subject, accounts=accounts))


def _add_position(items: list[tuple[Position, int]], part: int, new: Position, disputes: list[SourceDispute]) -> None:
    def on_point(old: Position) -> bool:
        return old.actor_id == new.actor_id and (_similar(old.issue, new.issue) or _similar(old.stance, new.stance))

    i = _same_in_other_part(items, part, on_point)
    if i is not None and disagree(items[i][0].stance, new.stance):
        _disputed(disputes, items[i][0], new, new.issue, lambda p: p.stance)
        i = None
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={"evidence": _combined(old.evidence, new.evidence)}), n)


def _add_claim(items: list[tuple[DisputedClaim, int]], part: int, new: DisputedClaim,
               disputes: list[SourceDispute]) -> None:
    i = _same_in_other_part(items, part, lambda old: _similar(old.claim, new.claim))
    if i is not None and disagree(items[i][0].claim, new.claim):
        _disputed(disputes, items[i][0], new, new.claim, lambda c: c.claim)
        i = None
    if i is None:
        items.append((new, part))
        return
    old, n = items[i]
    items[i] = (old.model_copy(update={
        "asserted_by": _unique([*old.asserted_by, *new.asserted_by]),
        "disputed_by": _unique([*old.disputed_by, *new.disputed_by]),
        "status": min(old.status, new.status, key=_STATUS_WEIGHT.__getitem__),
        "evidence": _combined(old.evidence, new.evidence),
    }), n)


def _add_quote(items: list[tuple[Quote, int]], part: int, new: Quote) -> None:
    def words(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())

    i = _same_in_other_part(items, part, lambda old: old.speaker_id == new.speaker_id
                            and (words(new.text) in words(old.text) or words(old.text) in words(new.text)))
    if i is None:
        items.append((new, part))
        return
    old, n = items[i]
    also = Evidence(source=new.source, paragraph=new.paragraph, excerpt=new.text)
    items[i] = (old.model_copy(update={"also_in": _combined(old.also_in, [also]),
                                       "attribution": max(old.attribution, new.attribution, key=_ATTRIBUTION.index)}), n)


def _add_fact(items: list[tuple[Fact, int]], part: int, new: Fact, disputes: list[SourceDispute]) -> None:
    values = figures_in(new.figure)

    def on_point(old: Fact) -> bool:
        return bool(values) and (old.unit or "").casefold() == (new.unit or "").casefold() \
            and _similar(old.statement, new.statement)

    i = _same_in_other_part(items, part, on_point)
    if i is not None and (figures_in(items[i][0].figure) != values
                          or disagree(items[i][0].statement, new.statement)):
        _disputed(disputes, items[i][0], new, new.statement, lambda f: f"{f.figure}: {f.statement}")
        i = None
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={
            "evidence": _combined(old.evidence, new.evidence),
            "attributed_to": old.attributed_to or new.attributed_to,
        }), n)


def _add_event(items: list[tuple[Event, int]], part: int, new: Event, disputes: list[SourceDispute]) -> None:
    def same(old: Event) -> bool:
        if old.date != new.date:
            return False
        return fuzz.token_set_ratio(old.what.casefold(), new.what.casefold()) >= (70 if new.date else SAME_ITEM_AT)

    i = _same_in_other_part(items, part, same)
    if i is not None and disagree(items[i][0].what, new.what):
        _disputed(disputes, items[i][0], new, f"{new.date_text}: {new.what}", lambda e: e.what)
        i = None
    if i is None:
        items.append((new, part))
    else:
        old, n = items[i]
        items[i] = (old.model_copy(update={"evidence": _combined(old.evidence, new.evidence)}), n)


def briefing_from_extraction(
    document: Document,
    extraction: ChunkExtraction,
    *,
    usage: Usage,
    model: str,
    prompt_version: str,
) -> Briefing:
    """The briefing of a document read in one extraction."""
    return merge([(document, extraction)], usage=usage, model=model, prompt_version=prompt_version)



def _two_people(a: Actor, b: Actor) -> bool:
    """Two people with different full names are two people, whoever says they are one."""
    names = [name_key(a.name), name_key(b.name)]
    return a.kind == b.kind == "person" and all(len(n.split()) > 1 for n in names) \
        and not _same_person_name(names[0], [names[1]])


def same_actors(briefing: Briefing, groups: list[list[str]]) -> Briefing:
    """Fold actors the synthesis found to be one real-world actor (names a merge by name cannot
    link: "Broadhead Co." and "a Minneapolis-based firm"): the first id of a group stays, the
    others' names become its aliases, and every reference follows."""
    by_id = {a.id: a for a in briefing.actors}
    renamed = {other: group[0] for group in groups for other in group[1:]
               if other in by_id and group[0] in by_id and not _two_people(by_id[group[0]], by_id[other])}
    if not renamed:
        return briefing
    actors = []
    for actor in briefing.actors:
        if actor.id in renamed:
            continue
        folded = [by_id[i] for i, keep in renamed.items() if keep == actor.id and i in by_id]
        names = _unique([*actor.aliases, *(n for a in folded for n in (a.name, *a.aliases))])
        actors.append(actor.model_copy(update={
            "aliases": [n for n in names if n != actor.name],
            "role": actor.role or next((a.role for a in folded if a.role), None),
            "affiliation": actor.affiliation or next((a.affiliation for a in folded if a.affiliation), None),
        }))

    def one(actor_id: str | None) -> str | None:
        return renamed.get(actor_id, actor_id) if actor_id else actor_id

    def many(ids: list[str]) -> list[str]:
        return _unique([renamed.get(i, i) for i in ids])

    return briefing.model_copy(update={
        "actors": actors,
        "positions": [p.model_copy(update={"actor_id": one(p.actor_id)}) for p in briefing.positions],
        "disputed_claims": [c.model_copy(update={"asserted_by": many(c.asserted_by),
                                                 "disputed_by": many(c.disputed_by)})
                            for c in briefing.disputed_claims],
        "quotes": [q.model_copy(update={"speaker_id": one(q.speaker_id)}) for q in briefing.quotes],
        "facts": [f.model_copy(update={"attributed_to": one(f.attributed_to)}) for f in briefing.facts],
    })
