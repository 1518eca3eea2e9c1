"""The blind set (fixtures/grounding/blind.json, issue 21): honest but hard items from real pages
in five languages that the checker was never tuned on, written and committed before it ran on
them. Every one must end *verified* or *not checked*, never *contradicted*: a false flag costs a
re-ask and a model pushed to "fix" what was right. A case the checker still wrongly contradicts
carries `"xfail_until": "checker"` (and `"false_alarm"`: why) and is a strict expected failure, so that the day the checker
gets it right the run says so (XPASS fails) and the mark comes off."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from typing import Any

import pytest

from briefer.core.models import Document
from briefer.grounding import grounding_problems, outcome

from .conftest import FIXTURES, ROOT
from .grounding_cases import OUTCOMES, grounded_item, load_document

BLIND = json.loads((FIXTURES / "grounding" / "blind.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = BLIND["cases"]
HONEST = ("verified", "not checked")


@cache
def document(name: str) -> Document:
    return load_document(BLIND["articles"][name], name)


@cache
def checked(index: int) -> tuple[str, tuple[str, ...]]:
    """Case `index` run through briefer's merge and checks: its outcome and the findings briefer
    would send back to the model."""
    case = CASES[index]
    briefing, item = grounded_item(document(case["article"]), case["kind"], case["item"],
                                   BLIND["casts"][case["article"]])
    return ("missing" if item is None else OUTCOMES[outcome(item)]), tuple(grounding_problems(briefing))


def cases() -> list[Any]:
    # raises: the known false alarm is the assertion below; a crash is no expected failure
    return [pytest.param(n, id=f"{case['article']}-{n}", marks=[pytest.mark.xfail(
                strict=True, raises=AssertionError, reason=f"known false alarm until the {case['xfail_until']} is fixed: {case['false_alarm']}")]
                if "xfail_until" in case else [])
            for n, case in enumerate(CASES)]


@pytest.mark.parametrize("index", cases())
def test_an_honest_item_is_never_contradicted(index: int, record_property: Any) -> None:
    case = CASES[index]
    found, findings = checked(index)
    record_property("outcome", found)
    print(f"{case['article']} ({case['language']}) {case['kind']} {case['name']!r}: {found}")
    assert found in HONEST, (f"{case['name']!r} ({case['kind']}, {case['article']}, {case['language']}) "
                             f"ended {found}: {list(findings)}")


def test_the_blind_set_is_wide_and_says_where_every_case_comes_from() -> None:
    assert len(CASES) >= 45
    assert len({c["language"] for c in CASES}) >= 4
    assert len({c["name"] for c in CASES}) == len(CASES)
    for name, spec in BLIND["articles"].items():
        assert spec["origin"] and spec["language"] and spec["copied_from"], name
        assert (ROOT / spec["path"]).is_file() and not spec["path"].startswith("fixtures/articles/"), name
    for case in CASES:
        assert case["language"] == BLIND["articles"][case["article"]]["language"], case["name"]
        assert case["hard"] and case["kind"] in ("quote", "position", "claim", "fact", "event"), case["name"]


def test_the_outcome_table_and_the_marks_agree() -> None:
    """Every case's outcome, one line each, and the counts: the cases marked as known false
    alarms are exactly the ones the checker contradicts today (printed with -s)."""
    rows = [f"{'case':<14} {'lang':<4} {'kind':<8} {'outcome':<13} name"]
    counts: Counter[str] = Counter()
    flagged = []
    for n, case in enumerate(CASES):
        found, findings = checked(n)
        counts[found] += 1
        rows.append(f"{case['article'] + '-' + str(n):<14} {case['language']:<4} {case['kind']:<8} {found:<13} "
                    f"{case['name']}")
        rows += [f"{'':<14} finding: {f}" for f in findings if found not in HONEST]
        flagged += [n] if found not in HONEST else []
    rows.append(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + f" of {len(CASES)}")
    print("\n" + "\n".join(rows))
    assert flagged == [n for n, c in enumerate(CASES) if "xfail_until" in c]
