"""Where a quote or an excerpt stands in its article (grounding/quotes.py), case by case: the
status, the paragraph it is found in, the offsets shown to the reader and the span attribution is
read around. Each case stands for mutants of the matcher that the grounding tests let through."""

from __future__ import annotations

import pytest

from briefer.grounding.quotes import check_excerpt, find_words, locate, needle_parts
from briefer.grounding.text import Source
from briefer.ingest import document_from_bytes


def source_of(*paragraphs: str) -> Source:
    text = "\n\n".join(paragraphs)
    return Source(document_from_bytes(text.encode(), doc_id="d", origin="d", date="2024-11-15"))


def shown(source: Source, excerpt: str, cited: int) -> tuple[str, int, str]:
    """Status, paragraph, and the source's own words the reader is shown."""
    found = check_excerpt(source, excerpt, cited)
    words = source.original(found.start, found.end) if found.start is not None and found.end is not None else ""
    return found.status, found.paragraph, words


@pytest.mark.parametrize(("excerpt", "parts"), [
    ("The talks … will go on.", ["the talks", "will go on"]),
    ("The talks [...] will go on", ["the talks", "will go on"]),
    ("The talks [ … ] will go on", ["the talks", "will go on"]),
    ("“The talks...will go on!”", ["the talks", "will go on"]),
    ("…, the talks; ", ["the talks"]),
    ("… ", []),
])
def test_an_ellipsis_in_any_spelling_cuts_an_excerpt_into_trimmed_pieces(excerpt: str, parts: list[str]) -> None:
    assert needle_parts(excerpt) == parts


@pytest.mark.parametrize(("haystack", "needle", "start", "at"), [
    ("possible", "possible", 0, 0),
    ("impossible and possible", "possible", 0, 15),
    ("russian sian", "sian", 0, 8),
    ("sianese", "sian", 0, -1),
    ("a sian b sian", "sian", 3, 9),
    ("a sian b sian", "sian", 10, -1),
    ("sianese sian sian", "sian", 0, 8),
    ("it is (not) so", "(not)", 0, 6),
    ("x(not)y", "(not)", 0, 1),
    ("", "a", 0, -1),
])
def test_a_needle_is_found_only_as_whole_words_from_where_the_search_starts(
        haystack: str, needle: str, start: int, at: int) -> None:
    assert find_words(haystack, needle, start) == at


def test_pieces_are_located_in_order_each_after_the_one_before() -> None:
    assert locate(["we will", "go on"], "we will talk and go on") == [(0, 7), (17, 22)]
    assert locate(["go on", "we will"], "we will talk and go on") is None
    assert locate(["go", "go"], "go and go") == [(0, 2), (7, 9)]
    assert locate(["go", "go"], "go and gone") is None
    assert locate([], "anything") is None


def test_an_excerpt_of_nothing_but_marks_is_unsupported_at_its_cited_paragraph() -> None:
    found = check_excerpt(source_of("The first paragraph of the article is here.", "The second paragraph of the article is here."), "“…”", 2)
    assert (found.status, found.paragraph, found.start, found.end, found.local) == ("unsupported", 2, None, None, None)


def test_a_verbatim_excerpt_is_verified_with_the_offsets_of_its_own_words() -> None:
    src = source_of("The minister said the talks would go on until Friday.")
    found = check_excerpt(src, "the talks would go on", 1)
    assert (found.status, found.paragraph) == ("verified", 1)
    assert src.original(found.start, found.end) == "the talks would go on"
    assert found.local == (18, 39)


def test_an_excerpt_in_another_paragraph_is_found_there_and_the_cited_one_comes_first() -> None:
    src = source_of("Nothing to see.", "The talks would go on, he said.", "The talks would go on, she said.")
    assert shown(src, "The talks would go on", 1) == ("verified", 2, "The talks would go on")
    assert shown(src, "The talks would go on", 3) == ("verified", 3, "The talks would go on")
    assert shown(src, "The talks would go on", 9) == ("verified", 2, "The talks would go on")


def test_an_ellipsis_spans_the_skipped_words_and_keeps_the_excerpt_verified() -> None:
    src = source_of("The talks, which began in spring in a quiet village, would go on for weeks.")
    found = check_excerpt(src, "The talks … would go on for weeks", 1)
    assert found.status == "verified"
    assert src.original(found.start, found.end) == \
        "The talks, which began in spring in a quiet village, would go on for weeks"
    assert found.local == (0, 74)


def test_an_ellipsis_over_a_negation_a_number_or_a_name_is_unsupported() -> None:
    src = source_of("The talks would not go on, and 30 envoys from Berlin would leave at once.")
    assert check_excerpt(src, "The talks would … go on", 1).status == "unsupported"
    assert check_excerpt(src, "and … envoys from Berlin would leave", 1).status == "unsupported"
    assert check_excerpt(src, "30 envoys from … would leave at once", 1).status == "unsupported"


def test_an_excerpt_with_two_ellipses_over_harmless_words_stays_verified() -> None:
    src = source_of("The talks, which began in spring in a quiet village, would go on for weeks.")
    assert check_excerpt(src, "The talks … in spring … would go on for weeks", 1).status == "verified"


def test_a_piece_of_one_word_around_an_ellipsis_makes_it_approximate() -> None:
    src = source_of("The talks would surely go on for many weeks.")
    assert check_excerpt(src, "The talks would … go on for many weeks", 1).status == "verified"
    assert check_excerpt(src, "talks … go on for many weeks", 1).status == "approximate"
    assert check_excerpt(src, "The talks would … weeks", 1).status == "approximate"


def test_pieces_next_to_each_other_skip_nothing() -> None:
    src = source_of("Nobody said no, the talks would go on.")
    assert check_excerpt(src, "the talks would … go on", 1).status == "verified"


def test_a_near_verbatim_excerpt_is_approximate_and_shows_the_articles_whole_words() -> None:
    src = source_of("Background only.", "Officials said the negotiations would continue throughout the winter months.")
    status, paragraph, words = shown(src, "the negotiation would continue throughout the winter month", 1)
    assert (status, paragraph) == ("approximate", 2)
    assert words == "the negotiations would continue throughout the winter months"
    found = check_excerpt(src, "the negotiation would continue throughout the winter month", 1)
    assert found.local is not None
    assert src.text(2)[found.local[0]:found.local[1]] == words.lower()


def test_a_near_verbatim_excerpt_cut_inside_words_shows_them_whole() -> None:
    src = source_of("Officials said the negotiations would continue throughout the winter months.")
    status, _, words = shown(src, "egotiations would continue throughout the winte", 1)
    assert status == "approximate"
    assert words == "negotiations would continue throughout the winter"


def test_a_near_verbatim_excerpt_that_changes_a_number_or_drops_a_negation_is_unsupported() -> None:
    src = source_of("Officials said the negotiations would not continue throughout the 12 winter months.")
    assert check_excerpt(src, "the negotiations would continue throughout the 12 winter months", 1).status \
        == "unsupported"
    assert check_excerpt(src, "negotiations would not continue throughout the 13 winter months", 1).status \
        == "unsupported"
    found = check_excerpt(src, "negotiations would not continue throughout the 13 winter months", 1)
    assert found.paragraph == 1 and found.start is not None


def test_an_excerpt_close_to_nothing_is_unsupported_at_its_cited_paragraph() -> None:
    src = source_of("One thing happened in the town on Monday.", "Another thing happened in the town on Tuesday.")
    found = check_excerpt(src, "a completely different sentence about elections", 2)
    assert (found.status, found.paragraph, found.start, found.local) == ("unsupported", 2, None, None)


def test_the_closest_span_is_looked_for_in_the_cited_paragraph_first() -> None:
    para = "Officials said the negotiations would continue throughout the winter months."
    src = source_of(para, "Filler.", para)
    assert check_excerpt(src, "the negotiation would continue throughout the winter month", 3).paragraph == 3
    assert check_excerpt(src, "the negotiation would continue throughout the winter month", 2).paragraph == 1


# ------------------------------------------------------------ who said it (attribution.py)

from briefer.core.models import Actor  # noqa: E402
from briefer.grounding.attribution import _cast, check_attribution, namings  # noqa: E402


def person(actor_id: str, name: str, *aliases: str) -> Actor:
    return Actor(id=actor_id, name=name, kind="person", role=None, affiliation=None, aliases=list(aliases))


def said_by(src: Source, cast: list[Actor], quote: str, paragraph: int) -> dict[str, str]:
    """The attribution of a verbatim quote to each actor of the cast."""
    found = check_excerpt(src, quote, paragraph)
    assert found.status == "verified", quote
    return {a.id: check_attribution(src, a, cast, found.paragraph, found.local) for a in cast}


def test_a_quote_without_a_speaker_is_unsupported_and_one_without_a_place_is_not_checked() -> None:
    src = source_of("“We will win this war,” Scholz said on Monday in Berlin.")
    scholz = person("scholz", "Olaf Scholz")
    assert check_attribution(src, None, [scholz], 1, (1, 20)) == "unsupported"
    assert check_attribution(src, scholz, [scholz], 1, None) == "unchecked"


def test_a_one_word_name_that_is_also_a_pronoun_is_no_name_where_a_sentence_starts() -> None:
    liu = person("liu", "Liu He")
    src = source_of("He said the talks in Washington went well, Liu He added later.",
                    "The talks ended on Friday. He left, and so did Liu He.",
                    "The talks ended on Friday. “He left,” said Liu He.",
                    "The talks ended on Friday: He left, as did the others.",
                    "The talks ended when Vice-Premier He left the room.")
    cast = _cast([liu])

    def named(paragraph: int) -> list[str]:
        return [src.text(paragraph)[a:b] for a, b, _ in namings(src, paragraph, cast)]

    assert named(1) == ["liu he"]
    assert named(2) == ["liu he"]
    assert named(3) == ["liu he"]
    assert named(4) == []
    assert named(5) == ["he"]


def test_a_quote_split_by_its_attribution_is_the_speakers_who_splits_it() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin was not in Berlin. “We will win this war,” Scholz explains, “and they will lose it.”")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "unsupported"}


def test_a_paragraph_that_is_all_quote_is_its_neighbours_speakers() -> None:
    cast = [person("vance", "JD Vance"), person("putin", "Vladimir Putin")]
    src = source_of("“The talks went well and will go on next week in Geneva.”",
                    "“We have met the envoys and spoken at length,” said Vance on Monday.")
    assert said_by(src, cast, "The talks went well", 1) == {"vance": "verified", "putin": "unsupported"}


def test_a_name_that_ends_a_quotation_is_what_was_said_not_who_said_it() -> None:
    cast = [person("vance", "Vance"), person("putin", "Putin")]
    src = source_of("“We have met the envoys and we have spoken to Putin” said Vance.",
                    "“The talks went well and will go on next week in Geneva.”")
    assert said_by(src, cast, "The talks went well", 2) == {"vance": "verified", "putin": "unsupported"}


def test_a_verb_of_saying_after_the_next_quotation_of_the_sentence_is_that_quotations() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war,” Scholz said, and “they will lose it,” Putin added on Monday.")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "unsupported"}


def test_the_speaker_named_before_a_quote_is_the_one_of_its_sentence_not_of_the_paragraph() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin was not in Berlin on Friday. Scholz: “We will win this war.”",
                    "Putin was not in Berlin on Friday. Scholz told reporters: “We will win this war.”")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "unsupported"}
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "verified", "putin": "unsupported"}


def test_a_verb_of_saying_inside_the_quote_names_no_speaker() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Asked about Scholz, “they said no to the deal,” Putin recalled.")
    assert said_by(src, cast, "they said no to the deal", 1) == {"scholz": "unsupported", "putin": "verified"}


def test_an_attribution_of_up_to_six_words_between_two_quotations_splits_one_quote() -> None:
    scholz = Actor(id="scholz", name="Olaf Scholz", kind="person", role="chancellor", affiliation=None, aliases=[])
    cast = [scholz, person("putin", "Vladimir Putin")]
    src = source_of("Putin was not in Berlin. “We will win this war,” the chancellor of all Germany explains, "
                    "“and they will lose it.”")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "unsupported"}


def test_a_verb_of_saying_that_introduces_the_next_quotation_is_that_quotations() -> None:
    cast = [person("hill", "Fiona Hill"), person("khan", "Amir Khan")]
    src = source_of("Hill wrote of “a bleak and hungry winter” in a long report in which the farmer Amir Khan says, "
                    "“We are cold.”")
    assert said_by(src, cast, "a bleak and hungry winter", 1) == {"hill": "verified", "khan": "unsupported"}


def test_he_said_is_someone_named_before_never_a_speaker_of_the_next_paragraph() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("The talks in Geneva dragged on for a third day on Friday.",
                    "“We will win this war,” he said.",
                    "Putin told reporters that nobody would win it.")
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "unsupported", "putin": "unsupported"}


def test_a_pronoun_inside_the_quote_is_no_pronoun_speaking() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin stayed in Moscow during the talks.",
                    "“They asked and he said no to the deal.”",
                    "Scholz told reporters that on Friday.")
    assert said_by(src, cast, "They asked and he said no to the deal", 2)["scholz"] == "verified"


def test_the_speaker_right_after_a_quote_counts_before_a_verb_that_introduces_the_next_one() -> None:
    cast = [person("hill", "Fiona Hill"), person("khan", "Amir Khan")]
    src = source_of("Hill spoke first. “It was a bleak and hungry winter,” Khan said in a long report in which the "
                    "farmers of Kunduz say, “We are cold.”")
    assert said_by(src, cast, "It was a bleak and hungry winter", 1) == {"hill": "unsupported", "khan": "verified"}


def organisation(actor_id: str, name: str) -> Actor:
    return Actor(id=actor_id, name=name, kind="organization", role=None, affiliation=None, aliases=[])


def test_he_said_is_a_person_named_before_and_they_said_may_be_an_organisation() -> None:
    cast = [organisation("kremlin", "Kremlin"), person("putin", "Vladimir Putin")]
    src = source_of("The Kremlin and Putin did not answer on Friday. “We will not comment,” he said.",
                    "The Kremlin did not answer on Friday. “We will not comment,” they said.")
    assert said_by(src, cast, "We will not comment", 1) == {"kremlin": "unsupported", "putin": "verified"}
    assert said_by(src, cast, "We will not comment", 2) == {"kremlin": "verified", "putin": "unsupported"}


def test_he_said_is_who_the_nearest_paragraph_before_names_up_to_two_back() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Scholz arrived in Minsk on Friday morning.",
                    "Putin arrived in Minsk on Friday evening.",
                    "“We will not give in,” he said.")
    assert said_by(src, cast, "We will not give in", 3) == {"scholz": "unsupported", "putin": "verified"}
    src = source_of("Putin arrived in Minsk on Friday morning.",
                    "The talks dragged on into the night there.",
                    "“We will not give in,” he said.")
    assert said_by(src, cast, "We will not give in", 3) == {"scholz": "unsupported", "putin": "verified"}


def test_he_said_is_someone_named_before_the_quote_not_after_it() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Scholz arrived. “We will not give in,” he said, and the meeting then went on for hours with "
                    "Putin.")
    assert said_by(src, cast, "We will not give in", 1) == {"scholz": "verified", "putin": "unsupported"}
    src = source_of("The talks went on. “We will not give in,” he said, and the meeting then went on for hours "
                    "with Putin.")
    assert said_by(src, cast, "We will not give in", 1) == {"scholz": "unsupported", "putin": "unsupported"}


def test_a_near_verbatim_excerpt_with_an_ellipsis_is_compared_without_it() -> None:
    src = source_of("Officials said the negotiations would continue through the long winter months.")
    assert check_excerpt(src, "the negotiation would continue … through the long winter month", 1).status \
        == "approximate"


def test_a_short_near_verbatim_excerpt_with_an_ellipsis_is_aligned_on_its_own_words() -> None:
    src = source_of("Officials said the negotiations would continue through the long winter months.")
    assert shown(src, "negotiation would … continue", 1) == ("approximate", 1, "negotiations would continue")
    assert check_excerpt(src, "the negotiation would continue … through the long winter month", 1).local == (15, 77)


def test_a_verb_that_opens_another_quotation_does_not_make_its_speaker_the_paragraphs() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin was in Moscow. “We will win this war.” Then Scholz said: “It is over.”")
    assert said_by(src, cast, "We will win this war", 1)["putin"] == "verified"


def test_a_quote_that_ends_its_paragraph_without_a_stop_is_read_to_its_end() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin was in Moscow on Friday. Scholz said in Berlin: “We will win this war”")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "unsupported"}


def test_the_next_quotation_of_a_later_paragraph_is_found_where_it_opens() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("The talks in Geneva went on for a third day on Friday.",
                    "“We will win this war,” Scholz said, and “they will lose it,” Putin added on Monday.")
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "verified", "putin": "unsupported"}


def test_a_quote_alone_in_its_sentence_is_the_paragraphs_last_speaker_before_it_else_the_first_after() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin spoke first, then Scholz replied. “We will win this war.”",
                    "“We will win this war.” Scholz said so twice, and Putin replied later.")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "unsupported"}
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "verified", "putin": "unsupported"}
    src = source_of("Putin was in Moscow on Friday.", "“We will win this war.” Scholz said it twice on Monday.")
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "verified", "putin": "unsupported"}


def test_a_quote_nobody_speaks_near_is_whoever_this_paragraph_or_the_one_before_names() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin was in Moscow on Friday.", "“We will win this war.”", "Scholz was in Berlin then.")
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "unsupported", "putin": "verified"}
    src = source_of("Putin was in Moscow on Friday.", "Scholz was in Berlin then.", "“We will win this war.”")
    assert said_by(src, cast, "We will win this war", 3) == {"scholz": "verified", "putin": "unsupported"}


def test_a_near_verbatim_excerpt_at_a_paragraphs_ends_is_widened_to_its_first_and_last_words() -> None:
    src = source_of("The negotiations would continue throughout the winter, officials said at the end",
                    "Nothing else was said about the talks.")
    status, _, words = shown(src, "he negotiations would continue throughout the winter", 1)
    assert (status, words) == ("approximate", "The negotiations would continue throughout the winter")
    status, _, words = shown(src, "the winter, official said at the en", 1)
    assert (status, words) == ("approximate", "the winter, officials said at the end")
    assert shown(src, "officials said at the e", 1) == ("approximate", 1, "officials said at the end")


def test_a_verb_opens_a_quotation_after_a_dash_but_not_one_a_word_away() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin was in Moscow. “We will win this war.” Then Scholz said — “It is over.”",
                    "Putin was in Moscow. “We will win this war.” Then Scholz said in “The Times” that it was over.")
    # "said — “It is over”" is that quotation's: the quote is whoever the paragraph names
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "verified", "putin": "verified"}
    # "said in “The Times”" introduces a title, not a quotation: Scholz is the paragraph's speaker
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": "verified", "putin": "unsupported"}

# ------------------------------------------------- the article's own attribution words (attributed.py)

from briefer.grounding.attributed import check_attributed  # noqa: E402


def test_words_that_give_the_item_to_two_others_name_them_both_to_the_model() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin"), person("lavrov", "Sergey Lavrov")]
    src = source_of("“We will win this war,” Putin and Lavrov said on Monday in Moscow.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["scholz"], 1, found.local, "Putin and Lavrov said") == (
        "unsupported", "attributed_by: these words give it to Sergey Lavrov, Vladimir Putin, not to the actor the item "
                       "names")


def test_a_verb_of_saying_inside_a_neighbours_quotation_makes_nobody_its_speaker() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war.”", "The mood around Putin was “he said no, and then no again” on Monday.")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "unsupported", "putin": "unsupported"}


def test_words_in_the_sentence_after_an_item_count_only_where_its_quotation_runs_on_into_it() -> None:
    cast = [person("hill", "Fiona Hill"), person("putin", "Vladimir Putin")]
    src = source_of("Taxes will rise next year. Hill said the budget was sound.",
                    "Putin spoke. “Taxes will rise. “The budget is sound. It will hold,” Hill said.")
    found = check_excerpt(src, "Taxes will rise next year", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["hill"], 1, found.local, "Hill said") == (
        "unsupported", "attributed_by: “Hill said” is not next to it; give the words of its own sentence, or of "
                       "the sentence that introduces it")
    # the quotation left open before it is not the one that holds it: its own runs on to "Hill said"
    found = check_excerpt(src, "The budget is sound", 2)
    assert found.local is not None
    assert check_attributed(src, cast, ["hill"], 2, found.local, "Hill said") == ("verified", None)


@pytest.mark.parametrize(("paragraph", "outcome"), [
    # the quotation runs on into the next sentence, by however little: the words there are its speaker's
    ("“Taxes will rise. I,” Hill said, “will not stop it.”", "verified"),
    # it ends where another opens the next sentence: two speakers in turn, or broken marks
    ("“Taxes will rise.” “The budget is sound,” Hill said.", "unchecked"),
    ("“Taxes will rise”. “The budget is sound,” Hill said.", "unchecked"),  # the stop after the mark
    # the next sentence is not a quotation, only holds one: its words are not next to the item
    ("“Taxes will rise.” A “sound budget” is what matters, Hill said.", "unsupported"),
])
def test_the_sentence_after_a_quote_gives_it_a_speaker_only_as_far_as_its_quotation_runs_on(
        paragraph: str, outcome: str) -> None:
    cast = [person("hill", "Fiona Hill"), person("putin", "Vladimir Putin")]
    src = source_of(paragraph)
    found = check_excerpt(src, "Taxes will rise", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["hill"], 1, found.local, "Hill said")[0] == outcome


@pytest.mark.parametrize(("words", "outcome"), [
    ("Putin, who had met the envoys in Rome today, said", "verified"),  # 40 characters from name to verb
    ("Putin, who had met the envoys in Paris today, said", "unchecked"),  # 41: no longer its speaker
    ("Putin, who had met the envoys in Rome for ages, said", "unchecked"),  # nor read as one after a verb
    ("said, after he had met the envoys in Paris, Putin", "verified"),  # 40 after a verb that takes it after
    ("said, after he had met the envoys in Berlin, Putin", "unchecked"),  # 41
])
def test_a_name_is_the_speaker_of_a_verb_of_saying_up_to_forty_characters_from_it(words: str, outcome: str) -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of(f"“We will win this war,” {words} on Monday.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["putin"], 1, found.local, words) == (outcome, None)


def test_words_with_two_verbs_of_saying_have_the_speakers_of_both_speaking() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin"), person("lavrov", "Sergey Lavrov")]
    words = "Putin said on Monday after the long talks in Moscow, and Lavrov added"
    src = source_of(f"“We will win this war,” {words} on Tuesday.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["putin"], 1, found.local, words) == ("verified", None)
    assert check_attributed(src, cast, ["scholz"], 1, found.local, words) == (
        "unsupported", "attributed_by: these words give it to Sergey Lavrov, Vladimir Putin, not to the actor the "
                       "item names")


def test_a_name_after_for_is_whom_a_description_is_of_not_a_speaker() -> None:
    lawyer = Actor(id="kuznetsova", name="Anna Kuznetsova", kind="person", role="lawyer", affiliation=None, aliases=[])
    cast = [person("putin", "Vladimir Putin"), lawyer]
    words = "a lawyer for Putin said"
    src = source_of(f"“We will appeal the ruling,” {words} on Monday in Moscow.")
    found = check_excerpt(src, "We will appeal the ruling", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["kuznetsova"], 1, found.local, words) == ("verified", None)
    assert check_attributed(src, cast, ["putin"], 1, found.local, words) == (
        "unsupported", "attributed_by: these words give it to Anna Kuznetsova, not to the actor the item names")


def test_words_that_name_an_actor_only_as_the_one_spoken_to_are_not_checked() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    words = "the minister had told Scholz"
    src = source_of(f"“We will win this war,” {words} on Monday.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert [check_attributed(src, cast, [who], 1, found.local, words) for who in ("scholz", "putin")] == \
        [("unchecked", None)] * 2


def test_an_excerpts_place_in_the_document_is_its_span_in_its_paragraph() -> None:
    from briefer.grounding.attributed import local_span

    src = source_of("The talks in Geneva went on for a third day on Friday.",
                    "Taxes will rise next year. Hill said the budget was sound.")
    found = check_excerpt(src, "Taxes will rise next year", 2)
    assert found.start is not None and found.end is not None and found.local == (0, 25)
    assert local_span(src, 2, found.start, found.end) == (0, 25)


def test_a_verb_of_saying_inside_the_item_does_not_make_its_own_sentence_name_a_speaker() -> None:
    # "they said" is what was quoted: the speaker is named in the sentence that introduces it
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Putin told reporters in Moscow on Friday. Scholz knew “they said no to the deal” already.")
    found = check_excerpt(src, "they said no to the deal", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["putin"], 1, found.local, "Putin told reporters") == ("verified", None)


@pytest.mark.parametrize("words", [None, "", "Scholz", "said."])
def test_attribution_words_of_fewer_than_two_words_are_contradicted_and_the_model_told_what_to_give(
        words: str | None) -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war,” Scholz said on Monday in Berlin.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["scholz"], 1, found.local, words) == (
        "unsupported", "attributed_by: give the article's words that give it to its actor, the speaker or holder "
                       "with the verb (e.g. 'Zelensky said')")


@pytest.mark.parametrize("words", ["Scholz said,", "Scholz said.", ": Scholz said;"])
def test_attribution_words_are_looked_for_without_the_marks_around_them(words: str) -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war,” Scholz said on Monday in Berlin.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["scholz"], 1, found.local, words) == ("verified", None)


def test_attribution_words_elsewhere_in_the_paragraph_are_not_next_to_it_and_words_nowhere_are_to_be_copied() -> None:
    cast = [person("hill", "Fiona Hill"), person("putin", "Vladimir Putin")]
    src = source_of("Hill said the budget was sound. The talks went on for a while. Taxes will rise next year.")
    found = check_excerpt(src, "Taxes will rise next year", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["hill"], 1, found.local, "Hill said") == (
        "unsupported", "attributed_by: “Hill said” is not next to it; give the words of its own sentence, or of "
                       "the sentence that introduces it")
    assert check_attributed(src, cast, ["hill"], 1, found.local, "Hill wrote") == (
        "unsupported", "attributed_by: “Hill wrote” is not in paragraph 1 or 0; copy the article's words exactly")


def test_attribution_words_in_the_paragraph_before_are_not_next_to_it_and_the_model_told_so() -> None:
    cast = [person("hill", "Fiona Hill"), person("putin", "Vladimir Putin")]
    src = source_of("Hill said the budget was sound, and nobody in the room disagreed.",
                    "The talks went on for a while. Taxes will rise next year.",
                    "Putin said nothing about it at all on Friday.")
    found = check_excerpt(src, "Taxes will rise next year", 2)
    assert found.local is not None
    assert check_attributed(src, cast, ["hill"], 2, found.local, "Hill said") == (
        "unsupported", "attributed_by: “Hill said” is not next to it; give the words of its own sentence, or of "
                       "the sentence that introduces it")
    assert check_attributed(src, cast, ["putin"], 2, found.local, "Putin said") == (
        "unsupported", "attributed_by: “Putin said” is not in paragraph 2 or 1; copy the article's words exactly")


@pytest.mark.parametrize("words", ["Putin said", "Putin said on Monday", "Vladimir Putin said"])
def test_words_that_cut_a_speakers_full_name_still_have_that_speaker_speaking(words: str) -> None:
    # the article writes "Vladimir Putin said"; words that give only "Putin said" are his, not a
    # description the reply's names do not cover
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war,” Vladimir Putin said on Monday in Moscow.")
    found = check_excerpt(src, "We will win this war", 1)
    assert found.local is not None
    assert check_attributed(src, cast, ["putin"], 1, found.local, words) == ("verified", None)
    assert check_attributed(src, cast, ["scholz"], 1, found.local, words) == (
        "unsupported", "attributed_by: these words give it to Vladimir Putin, not to the actor the item names")


def test_a_verb_of_saying_that_opens_a_neighbours_quotation_makes_nobody_its_speaker() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war.”", "The mood around Putin was “said no, and then no again” on Monday.")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "unsupported", "putin": "unsupported"}


def test_of_names_that_start_right_after_a_verb_of_saying_the_longest_speaks() -> None:
    # "said Kremlin spokesman Dmitry Peskov": the spokesman, not the Kremlin
    peskov = Actor(id="peskov", name="Dmitry Peskov", kind="person", role="Kremlin spokesman", affiliation="Kremlin",
                   aliases=[])
    kremlin = Actor(id="kremlin", name="Kremlin", kind="organization", role=None, affiliation=None, aliases=[])
    src = source_of("“We will not comment on the talks,” said Kremlin spokesman Dmitry Peskov on Friday.")
    assert said_by(src, [kremlin, peskov], "We will not comment on the talks", 1) == \
        {"kremlin": "unsupported", "peskov": "verified"}


def test_a_name_that_opens_the_next_sentence_is_not_the_speaker_of_a_verb_that_ends_this_one() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Scholz arrived. “We will not give in,” he said. Putin left early.")
    assert said_by(src, cast, "We will not give in", 1) == {"scholz": "verified", "putin": "unsupported"}


@pytest.mark.parametrize(("words", "scholz"), [
    ("Putin, who had met the envoys in Rome today, said", "unsupported"),  # 40 characters: Putin speaks
    ("Putin, who had met the envoys in Paris today, said", "verified"),  # 41: whoever is named near
])
def test_a_quotes_speaker_is_a_name_up_to_forty_characters_before_its_verb(words: str, scholz: str) -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("Scholz was in Berlin on Friday.", f"“We will win this war,” {words} on Monday.")
    assert said_by(src, cast, "We will win this war", 2) == {"scholz": scholz, "putin": "verified"}


def test_a_one_word_name_is_no_name_in_lower_case_possessive_or_after_a_paragraph_without_a_stop() -> None:
    liu = person("liu", "Liu He")
    src = source_of("The talks went well, he's sure, and so did Liu He.",
                    "The minister called the talks in Washington “useful”",
                    "He said the talks went well, Liu He added later.")
    cast = _cast([liu])
    # "he's" is no "He's"; and "He" opens its paragraph's first sentence, whatever the one before ends with
    assert [src.text(1)[a:b] for a, b, _ in namings(src, 1, cast)] == ["liu he"]
    assert [src.text(3)[a:b] for a, b, _ in namings(src, 3, cast)] == ["liu he"]


def test_a_longer_name_before_a_verb_of_saying_speaks_rather_than_one_as_near_after_it() -> None:
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    src = source_of("“We will win this war,” Vladimir Putin told Scholz on Monday.")
    assert said_by(src, cast, "We will win this war", 1) == {"scholz": "unsupported", "putin": "verified"}


@pytest.mark.parametrize(("paragraph", "speaker"), [
    ("“We will win this war,” Putin told Scholz on Monday.", "putin"),
    ("“We will win this war,” Scholz told Putin on Monday.", "scholz"),
    ("“We will win this war,” Scholz told Vladimir Putin on Monday.", "scholz"),
])
def test_of_names_as_near_a_verb_of_saying_the_one_before_it_speaks(paragraph: str, speaker: str) -> None:
    # the one told is no speaker, however long its name
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    said = said_by(source_of(paragraph), cast, "We will win this war", 1)
    assert said == {who: "verified" if who == speaker else "unsupported" for who in ("scholz", "putin")}


@pytest.mark.parametrize("paragraph", ["Scholz spoke first. “We will win this war,” he told Putin on Monday.",
                                       "Scholz spoke first. “We will win this war,” he told Putin, and left."])
def test_a_name_after_a_pronoun_and_its_verb_of_saying_is_the_one_told_not_the_speaker(paragraph: str) -> None:
    # '"...," he told Putin' was given to Putin: the pronoun before the verb is its speaker
    cast = [person("scholz", "Olaf Scholz"), person("putin", "Vladimir Putin")]
    assert said_by(source_of(paragraph), cast, "We will win this war", 1) == {"scholz": "verified",
                                                                           "putin": "unsupported"}
