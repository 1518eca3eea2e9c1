"""The verbs the attribution checks read (grounding/speech.py) and a saved briefing checked again
(grounding/audit.py), case by case: a stance verb in every form a reporter writes it and never
as a noun or an adjective, the verbs after which the speaker may follow, the sources of a
briefing found again by their text, their name or their place, and what `--strict` fails on.
Each case stands for mutants of the checker that the grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.grounding.speech import SPEAKER_AFTER, SPEECH, VERBS
from briefer.grounding.text import matching_text

STANCES = ("Officials in Berlin reject the plan. Scholz rejected it, criticised Moscow and accused the Kremlin "
           "of stalling; he denied any deal, thought the offer a trap, dismisses it and backs Kyiv, though he "
           "played a supporting role and public support is thin.")


def test_a_stance_verb_is_found_in_every_form_a_reporter_writes_and_never_as_a_noun_or_an_adjective() -> None:
    # "support" is a noun here, "supporting" an adjective: a stance verb counts only as a verb
    assert [m.group() for m in VERBS.finditer(STANCES)] == [
        "reject", "rejected", "criticised", "accused", "denied", "thought", "dismisses", "backs"]


@pytest.mark.parametrize(("verb", "speaker_after"), [
    ("said", True), ("added", True), ("according to", True),  # “…,” said Hill; according to Reuters
    ("sagte", True), ("dijo", True), ("déclaré", True), ("disse", True),  # "sagte Scholz", "dijo Petro"
    ("warned", False), ("urged", False), ("saying", False), ("telling", False), ("denied", False),
])
def test_the_speaker_may_follow_said_according_to_and_the_other_languages_verbs_only(
        verb: str, speaker_after: bool) -> None:
    # "…, saying Hill" is no English: a name after it is not who speaks
    assert SPEAKER_AFTER.match(verb) is speaker_after


@pytest.mark.parametrize("verb", ["noting", "warning", "adding", "insisting"])
def test_a_speaker_never_follows_the_ing_form_of_an_english_verb_of_saying(verb: str) -> None:
    # "…, noting Hill" names no speaker: only "said Hill", "added Hill", "according to Hill" do
    assert SPEAKER_AFTER.match(verb) is False
    text = f"the minister went on, {verb} that talks would resume"
    assert SPEECH.match(text, text.index(verb)) is not None  # a verb of saying all the same


def test_a_verb_of_saying_matched_at_a_point_is_the_articles_own_words() -> None:
    text = matching_text("“We will not sign,” said Morrison, the chief negotiator.")
    found = SPEECH.match(text, text.index("said"))
    assert found is not None and found.group() == "said" and text[found.start():found.end()] == "said"
    assert SPEECH.match(text, text.index("said") + 1) is None  # inside a word: no verb starts there
