"""Where a paragraph's sentences begin (grounding/sentences.py), case by case: attribution words
must stand in the sentence of what they attribute, and a date is read in its own sentence's
tense, so a stop read wrongly either way moves a check onto the wrong words. Each case stands for
mutants of the splitter that the grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.grounding.sentences import sentence_around, sentence_starts, sentences
from briefer.grounding.text import Source
from briefer.ingest import document_from_bytes


def split(text: str) -> list[str]:
    starts = sentence_starts(text)
    return [text[a:b].strip() for a, b in zip(starts, [*starts[1:], len(text)])]


@pytest.mark.parametrize(("text", "expected"), [
    ("He spoke. She left.", ["He spoke.", "She left."]),
    ("Did he? She left! They stayed… Then night fell.", ["Did he?", "She left!", "They stayed…", "Then night fell."]),
    # a stop inside closing marks, and an opening mark or bracket before the next capital
    ("He left.” Then she came.", ["He left.”", "Then she came."]),
    ("He left. “Then she came,” he said.", ["He left.", "“Then she came,” he said."]),
    ("Er ging. „Dann kam sie.“", ["Er ging.", "„Dann kam sie.“"]),
    ("Il part. «Puis il revient»", ["Il part.", "«Puis il revient»"]),
    ("It ended (briefly.) Then it began.", ["It ended (briefly.)", "Then it began."]),
    ("Il est parti. À midi il revint.", ["Il est parti.", "À midi il revint."]),
    ("Он ушёл. Она осталась.", ["Он ушёл.", "Она осталась."]),
    # no new sentence without a capital, nor inside a number or a time
    ("It rose 2.5 percent. then fell at 10 a.m. on Monday.", ["It rose 2.5 percent. then fell at 10 a.m. on Monday."]),
    # initials and abbreviations end no sentence, in any case
    ("John F. Kennedy spoke. Then he left.", ["John F. Kennedy spoke.", "Then he left."]),
    ("The U.S. State Department said it. It did.", ["The U.S. State Department said it.", "It did."]),
    ("Sen. Warren spoke. Then Gov. Noem replied.", ["Sen. Warren spoke.", "Then Gov. Noem replied."]),
    ("DR. Smith came. MR. Jones went.", ["DR. Smith came.", "MR. Jones went."]),
    ("It was due Dec. 18 and Jan. The rest.", ["It was due Dec. 18 and Jan. The rest."]),
    ("Apple Inc. Later it fell.", ["Apple Inc. Later it fell."]),
    ("Plan B. Then plan C.", ["Plan B. Then plan C."]),
    # a question closed by a quotation mark and followed by its verb of saying ends nothing
    ("Do you want it?” Matiullah Matie asks. Nobody answers.",
     ["Do you want it?” Matiullah Matie asks.", "Nobody answers."]),
    ("Why not!” The crowd cheered.", ["Why not!”", "The crowd cheered."]),
    ("Why not?) He said so.", ["Why not?)", "He said so."]),
    ("Why not? He said so.", ["Why not?", "He said so."]),
    # the verb of saying must come within six words, and before the next stop
    ("Why not?” The tall man in grey said so.", ["Why not?” The tall man in grey said so."]),
    ("Why not?” The tall old man in grey said so.", ["Why not?”", "The tall old man in grey said so."]),
    ("Why?” The man left. Then he said it.", ["Why?”", "The man left.", "Then he said it."]),
])
def test_a_paragraph_splits_where_its_sentences_end(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_the_first_sentence_starts_at_the_paragraphs_start() -> None:
    assert sentence_starts("One.") == [0]
    assert sentence_starts("One. Two.") == [0, 5]


def source_of(*paragraphs: str) -> Source:
    return Source(document_from_bytes("\n\n".join(paragraphs).encode(), doc_id="d", origin="d"))


def test_sentences_are_spans_of_the_matching_form_kept_per_paragraph() -> None:
    source = source_of("First paragraph here, long enough to read.",
                       "He spoke “plainly”. She left at once. They stayed.")
    spans = sentences(source, 2)
    text = source.text(2)
    assert [text[a:b].strip() for a, b in spans] == ["he spoke plainly.", "she left at once.", "they stayed."]
    assert spans[-1][1] == len(text) and spans[0][0] == 0
    assert sentences(source, 2) is spans  # worked out once
    assert sentences(source, 1) == [(0, len(source.text(1)))]


def test_the_sentence_around_words_covers_every_sentence_they_touch() -> None:
    source = source_of("First paragraph here, long enough to read.", "He spoke. She left at once. They stayed.")
    text = source.text(2)
    left = text.index("left")
    assert sentence_around(source, 2, left, left + 4) == (text.index("she"), text.index("they"))
    assert sentence_around(source, 2, text.index("spoke"), left) == (0, text.index("they"))
    stayed = text.index("stayed")
    assert sentence_around(source, 2, stayed, len(text)) == (text.index("they"), len(text))
    assert sentence_around(source, 2, 0, len(text)) == (0, len(text))
    she, they = text.index("she"), text.index("they")
    assert sentence_around(source, 2, she, she + 3) == (she, they)  # words that open a sentence
    assert sentence_around(source, 2, 0, she) == (0, she)  # words that close one
    # an empty span at either end, or past it, is read in the whole paragraph
    assert sentence_around(source, 2, 0, 0) == (0, len(text))
    assert sentence_around(source, 2, len(text), len(text)) == (0, len(text))
