"""Articles grouped into stories: the outlets that covered one event, read together.

No model is asked: TF-IDF over each article's title (counted twice), lead and the names it
mentions (scikit-learn), cosine similarity between every two articles, and a link where the
similarity is high enough, at least one name is shared, and the two were published within a
few days of each other (two court rulings about one person, on different days, are two
stories). Stories are the connected groups of links. Every link keeps what made it (the
similarity and the shared names), for `--explain`. Cheap: thousands of items a second or two
on one core, compared a block of rows at a time so memory stays flat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

#: Cosine similarity of two articles' TF-IDF vectors from which they may be one story.
SIMILARITY = 0.2
#: Two reports of one event are published within this many days of each other.
MAX_DAYS_APART = 2
#: The lead: this many words from the start of the article (or the feed's summary).
LEAD_WORDS = 80
_BLOCK = 512
_NAME = re.compile(r"\b[A-Z][\w'’.-]*[\w](?:\s+(?:(?:of|de|del|da|van|von|al|bin|la)\s+)?[A-Z][\w'’.-]*[\w])*")
_POSSESSIVE = re.compile(r"['’]s$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“”]\s+)$")
#: Capitalised words that are not names when they stand alone.
_NOT_NAMES = frozenset("""a an the this that these those he she it we they i you his her its our their
in on at of for to from by with as but and or if when while after before during since until what who
why how where there here mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december said says
according also however meanwhile one two three""".split())


@dataclass(frozen=True)
class Item:
    """One article as grouping sees it."""

    key: str
    title: str
    lead: str
    outlet: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Link:
    """Why two articles are one story."""

    a: int
    b: int
    similarity: float
    shared: tuple[str, ...]


@dataclass
class Story:
    """Articles about one event (indexes into the grouped items) and the links that joined them."""

    members: list[int]
    links: list[Link] = field(default_factory=list)


def lead_of(paragraphs: list[str], words: int = LEAD_WORDS) -> str:
    """The first `words` words of an article: what a feed's summary would say."""
    found: list[str] = []
    for paragraph in paragraphs:
        found += paragraph.split()
        if len(found) >= words:
            break
    return " ".join(found[:words])


def names(text: str) -> set[str]:
    """The names an article mentions: runs of capitalised words ("Ilhan Omar", "South Dakota");
    a lone capitalised word counts only where no sentence starts, or when it is not a common word."""
    found: set[str] = set()
    for match in _NAME.finditer(text):
        words = _POSSESSIVE.sub("", match.group()).split()
        while words and words[0].casefold() in _NOT_NAMES:
            words = words[1:]
        if not words:
            continue
        at_start = bool(_SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()]))
        if len(words) == 1 and (at_start and len(match.group().split()) == 1 or len(words[0]) < 3):
            continue
        found.add(" ".join(words).strip(".'’"))
    return found


def group(items: list[Item], *, similarity: float = SIMILARITY, max_days: int = MAX_DAYS_APART) -> list[Story]:
    """The stories among `items`, largest first (then in the items' order); a story of one
    article is an article no other outlet covered."""
    if not items:
        return []
    item_names = [names(f"{item.title}. {item.lead}") for item in items]
    links = [link for link in _similar_pairs(items, item_names, similarity)
             if _close_in_time(items[link.a].date, items[link.b].date, max_days)]
    return _components(len(items), links)


def _similar_pairs(items: list[Item], item_names: list[set[str]], threshold: float) -> list[Link]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [" ".join([item.title, item.title, item.lead, *(_token(n) for n in found)])
             for item, found in zip(items, item_names)]
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english", strip_accents="unicode").fit_transform(texts)
    folded = [{n.casefold(): n for n in found} for found in item_names]
    links: list[Link] = []
    for start in range(0, len(items), _BLOCK):
        block = (vectors[start : start + _BLOCK] @ vectors.T).tocoo()
        keep = (block.data >= threshold) & (block.row + start < block.col)
        for row, col, value in zip(block.row[keep], block.col[keep], block.data[keep]):
            a, b = start + int(row), int(col)
            shared = sorted(folded[a][k] for k in folded[a].keys() & folded[b].keys())
            if shared:
                links.append(Link(a, b, round(float(value), 3), tuple(shared)))
    return links


def _token(name: str) -> str:
    """A name as one TF-IDF term, so that "South Dakota" is not just "south" and "dakota"."""
    return "name_" + re.sub(r"\W+", "_", name.casefold())


def _close_in_time(first: str | None, second: str | None, max_days: int) -> bool:
    one, two = _day(first), _day(second)
    return one is None or two is None or abs((one - two).days) <= max_days


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _components(count: int, links: list[Link]) -> list[Story]:
    parent = list(range(count))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for link in links:
        parent[root(link.a)] = root(link.b)
    stories: dict[int, Story] = {}
    for n in range(count):
        stories.setdefault(root(n), Story([])).members.append(n)
    for link in links:
        stories[root(link.a)].links.append(link)
    return sorted(stories.values(), key=lambda story: (-len(story.members), story.members[0]))
