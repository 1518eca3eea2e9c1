"""Recall and size of the hand-written answers, before and after, as one table (issue 21, point 8):

    python tests/answer_table.py

For every extraction answer: the article's tokens (its extraction call's user message, counted as
check_answer.py counts it), the reply's completion tokens in the contract before the compact reply
and now, and the quotes, disputed claims and actors with a stance of the format-1 recordings (the
answers before the compact contract of 2026-12-02) beside today's. Syntheses add their completion
tokens to the total (their articles are counted once, with the extractions). The targets: at most
1.5 completion tokens per article token in total, at most 2 on any answer, and per answer at least
the format-1 counts. Below the table, each format-1 quote that is not a quote today and each
format-1 stance holder with no stance today, so that a shortfall can be read. Exit 1 when a
target is missed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefer.core.models.compact import expand_extraction  # noqa: E402
from briefer.extract.chunking import count_tokens  # noqa: E402
from briefer.llm.transport import DEFAULT_MODEL  # noqa: E402
from tests.check_answer import article_tokens, find_chunk  # noqa: E402

#: The answers of format 1: the last commit before "Compact reply contract, a short cited briefing".
FORMAT_1 = "ea5c1ab"
#: The answers just before the compact reply (prompts contract-2026-12-06).
BEFORE = "e6a51e2"
#: An answer with no format-1 recording of its own is compared with its article's English one.
SAME_ARTICLE = {"sueddeutsche-flixtrain-2019.p1-9.de.json": "sueddeutsche-flixtrain-2019.p1-9.json"}
TOTAL_AT_MOST, EACH_AT_MOST = 1.5, 2.0


def at(revision: str, name: str) -> dict[str, Any] | None:
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:fixtures/answers/{name}"],
                           capture_output=True, text=True)
    return json.loads(shown.stdout) if shown.returncode == 0 else None


def tokens(data: dict[str, Any] | None) -> int | None:
    """Completion tokens as the model sends the reply: one line of JSON."""
    if data is None:
        return None
    return count_tokens(json.dumps(data, ensure_ascii=False, separators=(",", ":")), DEFAULT_MODEL)


#: Format-1 positions that are no stance: an act the article reports in its own voice, where the
#: prompt asks for "a stance, in direct or reported speech". Read one by one (the script prints each
#: with its format-1 text, and a line here that no longer matches a lost holder is itself a miss).
NOT_A_STANCE = {
    ("ap-uk-tories-factcheckuk-2019.p1-18.json", "british-officials"): "the article says officials made no changes",
    ("ap-uk-tories-factcheckuk-2019.p1-19.json", "british-officials"): "the article says officials made no changes",
    ("businessweek-afghanistan-new-millionaires-2014.p18-30.json", "us-congress"):
        "the article reports an appropriation of $3.7 billion",
    ("businessweek-afghanistan-new-millionaires-2014.p18-30.json", "usaid"):
        "the article reports money poured into Helmand",
    ("businessweek-afghanistan-new-millionaires-2014.p31-36.json", "afghan-authorities"):
        "the article reports accounts unfrozen",
    ("meth-spokesman-ad-agencies-2019.p1-16.json", "dh"): "the article reports the agency's research",
}


def recall(data: dict[str, Any] | None, name: str = "") -> tuple[int, int, int] | None:
    """Quotes, disputed claims, actors with a stance (those of `NOT_A_STANCE` left out)."""
    if data is None:
        return None
    data = expand_extraction(data)[0]
    holders = {p["actor_id"] for p in data["positions"]} - {actor for answer, actor in NOT_A_STANCE if answer == name}
    return len(data["quotes"]), len(data["disputed_claims"]), len(holders)


def quotations(old: dict[str, Any], now: dict[str, Any], document: Any) -> int:
    """Format 1's quotes counted as today's reading counts them: format-1 quotes that lie inside
    one quote of today (its paragraph, from its first words to its last) are one quotation, as
    when format 1 split a quotation the article opens twice ("… other calls. “They are just
    words,”") in two; a format-1 quote inside none counts as one."""
    spans: list[tuple[int, str]] = []
    for quote in expand_extraction(now)[0]["quotes"]:
        paragraph = document.paragraph(quote["paragraph"])
        text = words(paragraph.text) if paragraph else ""
        start, end = text.find(words(quote["begins"])), text.rfind(words(quote["ends"]))
        if start >= 0 and end >= start:
            spans.append((quote["paragraph"], text[start:end + len(words(quote["ends"]))]))
    inside: set[int] = set()
    alone = 0
    for quote in old["quotes"]:
        said = words(quote["text"])
        found = next((i for i, (number, span) in enumerate(spans) if number == quote["paragraph"] and said in span),
                     None)
        if found is None:
            alone += 1
        else:
            inside.add(found)
    return alone + len(inside)


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def not_kept(name: str, old: dict[str, Any] | None, now: dict[str, Any]) -> list[str]:
    """The format-1 quotes no quote of today's answer overlaps (its paragraph, its words), and the
    format-1 actors with a stance that hold none today: what a reader should look at."""
    if old is None:
        return []
    now = expand_extraction(now)[0]
    lines = []
    for quote in old["quotes"]:
        said = words(quote["text"])
        if not any(q["paragraph"] == quote["paragraph"] and (words(q["begins"]) in said or words(q["ends"]) in said
                                                              or said in words(q["begins"])) for q in now["quotes"]):
            lines.append(f"{name}: format-1 quote not a quote now: ¶{quote['paragraph']} “{quote['text']}”")
    def names(reading: dict[str, Any]) -> dict[str, set[str]]:  # ids differ between the two; names less
        return {a["id"]: {words(n) for n in (a["name"], *a["aliases"])} for a in reading["actors"]}

    old_names, new_names = names(old), names(now)
    holders = set().union(*(new_names.get(p["actor_id"], set()) for p in now["positions"]))

    def holds(actor: str) -> bool:
        return any(a in b or b in a for a in old_names.get(actor, {actor}) for b in holders)

    for actor in sorted({p["actor_id"] for p in old["positions"]}):
        if not holds(actor):
            stance = next(p["stance"] for p in old["positions"] if p["actor_id"] == actor)
            reason = NOT_A_STANCE.get((name, actor))
            lines.append(f"{name}: format-1 position that is no stance ({reason}): {actor} ({stance})" if reason
                         else f"{name}: format-1 stance holder with none now: {actor} ({stance})")
    return lines


def main() -> None:
    rows, missed, details = [], [], []
    total_article = total_before = total_after = 0
    then_article = then_after = 0  # the answers that existed before the compact reply
    for path in sorted((ROOT / "fixtures" / "answers").glob("*.json")):
        now = json.loads(path.read_text(encoding="utf-8"))
        before, after = tokens(at(BEFORE, path.name)), tokens(now)
        assert after is not None
        total_after += after
        total_before += before or 0
        then_after += after if before is not None else 0
        match = re.fullmatch(r"(.+)\.p(\d+)-(\d+)(?:\.([a-z]{2}))?\.json", path.name)
        if match is None:  # a synthesis
            rows.append((path.name, "", before, after, "", "", "", "", ""))
            continue
        try:
            document, chunk = find_chunk(match[1], int(match[2]), int(match[3]))
        except SystemExit as stale:  # its article is chunked otherwise now: the answer must follow
            missed.append(f"{path.name}: {stale}")
            continue
        article = article_tokens(document, chunk, match[4])
        total_article += article
        then_article += article if before is not None else 0
        ratio = after / article
        if ratio > EACH_AT_MOST:
            missed.append(f"{path.name}: {ratio:.2f} completion tokens per article token")
        first = at(FORMAT_1, SAME_ARTICLE.get(path.name, path.name))
        details += not_kept(path.name, first, now)
        old = recall(first, path.name)
        if first is not None and old is not None:
            old = (quotations(first, now, document), *old[1:])
        new = recall(now)
        assert new is not None
        cells = []
        for what, was, is_ in zip(("quotes", "disputed claims", "actors with a stance"), old or (None,) * 3, new):
            cells.append(f"{'-' if was is None else was} → {is_}")
            if was is not None and is_ < was:
                missed.append(f"{path.name}: {is_} {what}, format 1 had {was}")
        rows.append((path.name, article, before, after, f"{before / article:.2f}" if before else "-",
                     f"{ratio:.2f}", *cells))
    header = ("answer", "article", "before", "after", "ratio before", "ratio after",
              "quotes f1 → now", "disputes f1 → now", "stances f1 → now")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str("" if c is None else c).ljust(w) for c, w in zip(row, widths)).rstrip())
    print(f"the answers of before the compact reply: {then_article} article tokens; completion "
          f"{total_before} before ({total_before / then_article:.2f}), {then_after} now "
          f"({then_after / then_article:.2f})")
    print(f"total, every answer: {total_article} article tokens; completion {total_after} "
          f"({total_after / total_article:.2f}; at most {TOTAL_AT_MOST}), syntheses included")
    if total_after / total_article > TOTAL_AT_MOST:
        missed.append(f"total: {total_after / total_article:.2f} completion tokens per article token")
    for line in details:
        print(line)
    excused = {line.split(": ")[0] + " " + line.split("): ")[1].split(" (")[0]
               for line in details if "format-1 position that is no stance" in line}
    for answer, actor in NOT_A_STANCE:
        if f"{answer} {actor}" not in excused:
            missed.append(f"{answer}: {actor} is listed as no stance, but format 1 gave it none or it holds one now")
    for line in missed:
        print(f"missed: {line}")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
