"""Where the sources differ, and only there: a difference between two outlets is shown when
neither carries the other's account (issue 22). An article that reports both versions of a
remark (the prosecutors' and the staff member's) does not differ from an outlet that reports
one of them: the difference is between two accounts, and the first article already shows it."""

from __future__ import annotations

from ..core.models import Account, Document, SourceDispute
from ..grounding.figures import figures_in
from ..grounding.meaning import QUALIFIERS, TURNING, content_words, disagree, fact_bearing, words
from ..grounding.sentences import sentence_starts

#: A paragraph tells an account when it has this much of the account's content words (besides
#: all its names, numbers and negations, and nothing it contradicts).
TOLD_AT = 0.6
#: An excerpt this long or longer found word for word in another source is that source's account too.
EXCERPT_WORDS = 4


def _folded(text: str) -> str:
    return " ".join(w.casefold().replace("’", "'") for w in words(text))


def _sentences(paragraph: str) -> list[str]:
    starts = sentence_starts(paragraph)
    return [paragraph[a:b] for a, b in zip(starts, [*starts[1:], len(paragraph)])]


def _turns(text: str) -> set[str]:
    """The hedges and turning words of a text ("initially", "but", "allegedly", "only")."""
    return {w.casefold() for w in words(text) if w.casefold() in QUALIFIERS} | {
        w.casefold() for w in TURNING.findall(text)}


def tells(paragraph: str, account: Account) -> bool:
    """Whether a paragraph of another source gives this account: its excerpt word for word (when
    it is more than a fragment), or one sentence that says it: every name, number and negation
    of it, most of its words, nothing it contradicts and no hedge or turn it lacks ("had
    initially been deemed credible…, but" does not tell "calls it credible")."""
    if len(words(account.excerpt)) >= EXCERPT_WORDS and _folded(account.excerpt) in _folded(paragraph):
        return True
    said = content_words(account.says)
    bearing = {w.casefold() for w in words(account.says) if fact_bearing(w)}
    for sentence in _sentences(paragraph):
        held = content_words(sentence)
        if not said or len(said & held) / len(said) < TOLD_AT:
            continue
        if bearing <= {w.casefold() for w in words(sentence)} and not disagree(account.says, sentence) \
                and figures_in(account.says) <= figures_in(sentence) and _turns(sentence) <= _turns(account.says):
            return True
    return False


def _carries(document: Document | None, account: Account) -> bool:
    return document is not None and any(tells(p.text, account) for p in document.paragraphs)


def differing(disputes: list[SourceDispute], documents: list[Document]) -> list[SourceDispute]:
    """The disputes whose sources really differ: two accounts from two sources, neither of which
    the other source also tells. A dispute where every other source carries an account as well
    (S1 ¶5-6 give both versions of the call; S2 gives the second) is not the outlets' difference."""
    by_id = {d.id: d for d in documents}

    def apart(a: Account, b: Account) -> bool:
        return a.source != b.source and not _carries(by_id.get(b.source), a) and not _carries(by_id.get(a.source), b)

    return [d for d in disputes if any(apart(a, b) for n, a in enumerate(d.accounts) for b in d.accounts[n + 1:])]
