"""The ten editors' stories against their short briefings (issue 22), measured again on today's
code and recordings:

    python scripts/editor_table.py            # Markdown to standard output

For each `fixtures/editor/NAME.reader.json` (the actors the story turns on and the figures and
dates that matter, written by a reader from the articles before any briefing of them was
rendered), the short briefing is rendered as a user renders it (`briefer brief FILES --replay
fixtures/cassettes -q`) and each reader's actor is marked where the briefing names them:
**W+s** in "Who's who" with what they hold, **W** there without it, **A** only under "Also
mentioned", **txt** only elsewhere, **–** nowhere; each figure or date: **N** under "Numbers and
dates", **kp** in the bottom line or a key point only, **txt** elsewhere only, **–** nowhere.
Names are matched by their words of four letters or more (a surname finds its person); a
figure by its digits and number words, a date by its day and month or its weekday. The
matching is literal, so read the per-story lines where a mark looks wrong.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITOR = ROOT / "fixtures" / "editor"
ARTICLES = ROOT / "fixtures" / "articles"

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
#: Words of a reader's name that name no one ("Twitter users / critics", "the Minneapolis firm").
GENERIC = {"users", "critics", "firm", "agency", "department", "government", "officials", "official", "spokesman",
           "spokeswoman", "named", "surname", "only", "witness", "a", "the", "and", "with", "says"}


def render(files: list[str]) -> str:
    """The short briefing exactly as a user gets it, in a fresh process and empty folders."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "BRIEFER_DATA_DIR": str(Path(home) / "data"),
               "BRIEFER_CONFIG": str(Path(home) / "none.toml"), "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "briefer", "brief", *files, "--replay", "../cassettes", "-q"],
                              cwd=ARTICLES, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def sections(markdown: str) -> dict[str, str]:
    """The briefing's text by section; the headline and bottom line are "top"."""
    parts: dict[str, list[str]] = {"top": []}
    current = "top"
    for line in markdown.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            parts[current] = []
        elif line.startswith("# "):
            parts["top"].append(line)
        else:
            parts[current].append(line)
    return {name: "\n".join(lines) for name, lines in parts.items()}


def name_words(name: str) -> list[list[str]]:
    """A reader's name as alternatives ("Taliban / Zabihullah Mujahid", "Michelle Hege (DH)"),
    each as the words that find it."""
    alternatives = re.split(r"\s*/\s*|\s*\(|\)", name)
    found = []
    for alternative in alternatives:
        words = [w for w in re.findall(r"[^\W\d_][\w’'.-]{3,}|[A-Z]{2,}", alternative) if w.casefold() not in GENERIC]
        if words:
            found.append(words)
    return found


def names(text: str, name: str) -> bool:
    """Whether the text names the reader's actor: any alternative's last word (a surname, an
    organisation's distinctive word), or all of its words."""
    folded = text.casefold()
    return any(re.search(rf"\b{re.escape(words[-1].casefold())}\b", folded) for words in name_words(name))


def who_entries(text: str) -> list[tuple[str, bool]]:
    """Each "Who's who" entry: its bold name with its role, and whether it says what they hold."""
    entries = []
    for line in text.splitlines():
        match = re.match(r"- \*\*(.+?)\*\*(.*)", line)
        if match:
            held = re.sub(r"^\s*\([^)]*\)", "", match[2]).lstrip(":").strip()
            entries.append((match[1] + " " + match[2].split("):")[0], bool(re.sub(r"\(¶[^)]*\)|\(S\d[^)]*\)", "", held).strip())))
    return entries


def actor_mark(parts: dict[str, str], name: str) -> str:
    who = parts.get("Who's who", "")
    for entry, holds in who_entries(who.split("*Also mentioned:*")[0]):
        if names(entry, name):
            return "W+s" if holds else "W"
    if "*Also mentioned:*" in who and names(who.split("*Also mentioned:*")[1], name):
        return "A"
    rest = "\n".join(text for section, text in parts.items() if section != "Sources")
    return "txt" if names(rest, name) else "–"


def figure_tokens(value: str) -> list[list[str]]:
    """What finds a figure or date: its numbers (a thousands separator either way) and number
    words; a date's day with its month, or its weekday."""
    folded = value.casefold()
    month = next((m for m in MONTHS if re.search(rf"\b{m[:3]}", folded)), None)
    day = re.search(r"\b(\d{1,2})\b", folded)
    options: list[list[str]] = []
    if month and day:
        options.append([month, day[1]])
    options += [[w] for w in WEEKDAYS if w in folded]
    if not options:
        numbers = [n.replace(",", "").rstrip(".") for n in re.findall(r"\d[\d,.]*", folded)]
        options.append(numbers + [w for w in NUMBER_WORDS if re.search(rf"\b{w}\b", folded)])
    return [o for o in options if o]


def holds_figure(text: str, tokens: list[str]) -> bool:
    """Whether one line of the text holds every token."""
    for line in text.casefold().splitlines():
        plain = line.replace(",", "")
        if all(re.search(rf"(?<![\d.]){re.escape(t)}(?![\d])" if t[0].isdigit() else rf"\b{t}", plain) for t in tokens):
            return True
    return False


def figure_mark(parts: dict[str, str], value: str) -> str:
    options = figure_tokens(value)
    found = [section for section, text in parts.items() if section != "Sources"
             and any(holds_figure(text, o) for o in options)]
    if "Numbers and dates" in found:
        return "N"
    if any(s in ("top", "Key points") for s in found):
        return "kp"
    return "txt" if found else "–"


def story(path: Path) -> tuple[str, list[str], dict[str, int]]:
    reader = json.loads(path.read_text(encoding="utf-8"))
    markdown = render(reader["articles"])
    parts = sections(markdown)
    entries = who_entries(parts.get("Who's who", "").split("*Also mentioned:*")[0])
    lines = [f"### {path.stem.removesuffix('.reader')}: {' + '.join(reader['articles'])}", "",
             f"{len(markdown.split('## Sources')[0].split())} words before the sources; "
             f"\"Who's who\": {len(entries)} entries, {sum(h for _, h in entries)} saying what they hold", "",
             "| Reader's actor | Mark |", "|---|---|"]
    tally = {"W+s": 0, "W": 0, "A": 0, "txt": 0, "–": 0, "N": 0, "kp": 0, "fig txt": 0, "fig –": 0}
    for actor in reader["actors"]:
        mark = actor_mark(parts, actor["name"])
        tally[mark] += 1
        lines.append(f"| {actor['name']} | {mark} |")
    lines += ["", "| Reader's figure or date | Mark |", "|---|---|"]
    for item in reader.get("figures_dates", []):
        mark = figure_mark(parts, item["value"])
        tally[{"txt": "fig txt", "–": "fig –"}.get(mark, mark)] += 1
        lines.append(f"| {item['what']}: {item['value']} | {mark} |")
    tally["entries"], tally["with what they hold"] = len(entries), sum(h for _, h in entries)
    return path.stem.removesuffix(".reader"), lines + [""], tally


def main() -> None:
    rows, details = [], []
    for path in sorted(EDITOR.glob("*.reader.json")):
        name, lines, tally = story(path)
        details += lines
        rows.append((name, tally))
    print("| Story | Who's who entries (saying what they hold) | Reader's actors W+s / W / A / txt / – "
          "| Figures and dates N / kp / txt / – |")
    print("|---|---|---|---|")
    total: dict[str, int] = {}
    for name, tally in rows:
        for key, value in tally.items():
            total[key] = total.get(key, 0) + value
        print(f"| {name} | {tally['entries']} ({tally['with what they hold']}) | {tally['W+s']} / {tally['W']} / "
              f"{tally['A']} / {tally['txt']} / {tally['–']} | {tally['N']} / {tally['kp']} / {tally['fig txt']} / "
              f"{tally['fig –']} |")
    print(f"| **all** | {total['entries']} ({total['with what they hold']}) | {total['W+s']} / {total['W']} / "
          f"{total['A']} / {total['txt']} / {total['–']} | {total['N']} / {total['kp']} / {total['fig txt']} / "
          f"{total['fig –']} |")
    print()
    print("\n".join(details))


if __name__ == "__main__":
    main()
