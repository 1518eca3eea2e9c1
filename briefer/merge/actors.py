"""One actor per real-world actor, across chunks and sources: "Olaf Scholz", "Scholz" and
"German Chancellor Olaf Scholz" are one; two people who share a surname, or a role ("the foreign
minister"), stay two. Also the synthesis's `same_actors` folds, which can never make two named
people one. Ids come from names, so they are stable from run to run."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..core.models import Actor, Briefing, ExtractedActor
from ..ingest import slug

_HONORIFICS = re.compile(
    r"^(?:(?:mr|mrs|ms|dr|gov|governor|sen|senator|rep|representative|president|prime minister|"
    r"chancellor|secretary|minister|the|lt|gen|col)\.?\s+)+"
)


@lru_cache(maxsize=8192)
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


def _two_people(a: Actor, b: Actor) -> bool:
    """Two people with different full names are two people, whoever says they are one; one
    name spelt two ways ("Tim"/"Timothy Morrison", "Zelensky"/"Zelenskiy") is not two names,
    and a description ("55-year-old hunter", "a 55-year old man") is no name at all: that two
    descriptions are one person only the reading can tell, so the synthesis is believed."""
    names = [name_key(a.name), name_key(b.name)]
    return a.kind == b.kind == "person" and all(len(n.split()) > 1 for n in names) \
        and _proper_name(a.name) and _proper_name(b.name) \
        and not _same_person_name(names[0], [names[1]]) and not spelling_variants(*names)


#: Lower-case words a name may hold ("Ursula von der Leyen", "Mohammed bin Salman").
_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "dos", "du", "el", "ibn", "la", "le",
                        "ten", "ter", "van", "von", "y", "zu"})


def _proper_name(name: str) -> bool:
    """Whether a name is written as a person's name: no digit, and every word but a particle
    capitalised ("Patrick W. Carlineo Jr.", "Liu He"), unlike a description ("55-year-old
    hunter", "sources who know both women")."""
    words = name.split()
    return bool(words) and not any(c.isdigit() for c in name) and all(
        w[0].isupper() or w.casefold() in _PARTICLES for w in words)


def _variant_word(a: str, b: str) -> bool:
    """One name word spelt two ways: the same, a transliteration (Zelensky/Zelenskiy/Zelenskyy,
    one or two letters apart in a long word, same first letter), or a short form or initial
    of a given name (Tim/Timothy, T/Timothy)."""
    from rapidfuzz.distance import Levenshtein

    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and (len(short) == 1 or len(short) >= 3):
        return True  # an initial or a short form
    return a[0] == b[0] and len(short) >= 5 and Levenshtein.distance(a, b) <= (1 if len(short) < 7 else 2)


_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _core_name(name: str) -> list[str]:
    """A name's given name and surname: middle names and initials ("Patrick W. Carlineo Jr.")
    and generational suffixes aside, which one report gives and another leaves out."""
    words = [w for w in name.split() if w not in _SUFFIXES]
    return [words[0], words[-1]] if len(words) > 2 else words


def _asides(name: str) -> tuple[list[str], set[str]]:
    """What `_core_name` sets aside: the middle words, and the suffixes."""
    words = name.split()
    plain = [w for w in words if w not in _SUFFIXES]
    return plain[1:-1], {w for w in words if w in _SUFFIXES}


def _asides_agree(a: str, b: str) -> bool:
    """Middle names and suffixes both names give must agree: George W. and George H. W. Bush,
    or a Jr. and a Sr., are two people."""
    (middle_a, suffix_a), (middle_b, suffix_b) = _asides(a), _asides(b)
    return (not middle_a or not middle_b or middle_a == middle_b) and (not suffix_a or not suffix_b or suffix_a == suffix_b)


def spelling_variants(a: str, b: str) -> bool:
    """Whether two names (name_key form) may be one name spelt two ways: the same given name and
    surname once middle names, initials and "Jr." are set aside, each a variant (given names may
    be short forms, surnames transliterations)."""
    if a == b:
        return False
    left, right = _core_name(a), _core_name(b)
    if not left or len(left) != len(right) or not _asides_agree(a, b):
        return False
    return len(left[-1]) > 1 and len(right[-1]) > 1 and all(_variant_word(x, y) for x, y in zip(left, right))


def variant_candidates(actors: list[Actor]) -> list[list[str]]:
    """Pairs of actors whose names look like one name spelt two ways: offered to the synthesis
    as candidates for `same_actors` (never folded by name alone: "Clinton"/"Clinten" may be two)."""
    keyed = [(a, name_key(a.name)) for a in actors]
    return [[x.id, y.id] for i, (x, kx) in enumerate(keyed) for y, ky in keyed[i + 1:]
            if _compatible(x.kind, y.kind) and spelling_variants(kx, ky)]


def refused_same_actors(briefing: Briefing, groups: list[list[str]]) -> list[str]:
    """A warning line for every pair of a `same_actors` group that `same_actors` refuses to
    fold, saying why: the synthesis's word was not followed, and the reader should know."""
    by_id = {a.id: a for a in briefing.actors}
    return [f"same_actors: kept {by_id[group[0]].name!r} and {by_id[other].name!r} apart: "
            "two people with different names"
            for group in groups for other in group[1:]
            if other in by_id and group[0] in by_id and _two_people(by_id[group[0]], by_id[other])]


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
        names = unique([*actor.aliases, *(n for a in folded for n in (a.name, *a.aliases))])
        actors.append(actor.model_copy(update={
            "aliases": [n for n in names if n != actor.name],
            "role": actor.role or next((a.role for a in folded if a.role), None),
            "affiliation": actor.affiliation or next((a.affiliation for a in folded if a.affiliation), None),
        }))

    def one(actor_id: str | None) -> str | None:
        return renamed.get(actor_id, actor_id) if actor_id else actor_id

    def many(ids: list[str]) -> list[str]:
        return unique([renamed.get(i, i) for i in ids])

    return briefing.model_copy(update={
        "actors": actors,
        "positions": [p.model_copy(update={"actor_id": one(p.actor_id)}) for p in briefing.positions],
        "disputed_claims": [c.model_copy(update={"asserted_by": many(c.asserted_by),
                                                 "disputed_by": many(c.disputed_by)})
                            for c in briefing.disputed_claims],
        "quotes": [q.model_copy(update={"speaker_id": one(q.speaker_id)}) for q in briefing.quotes],
        "facts": [f.model_copy(update={"attributed_to": one(f.attributed_to)}) for f in briefing.facts],
    })


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
