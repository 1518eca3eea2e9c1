"""HTML extraction: the whole article and only the article.

The development set (fixtures/extraction-dev, 40 annotated pages of a public benchmark) gives
the figure; the small pages below pin each rule that got it there.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from briefer.core.errors import InputError
from briefer.ingest import document_from_bytes
from .measured import say

DEV = Path(__file__).resolve().parent.parent / "fixtures" / "extraction-dev"
ARTICLES = DEV.parent / "articles"
README = DEV.parent.parent / "README.md"


def shingles(text: str) -> Counter[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return Counter(tuple(words[i : i + 4]) for i in range(max(0, len(words) - 3)))


def page_scores(expected: str, extracted: str) -> tuple[float, float]:
    """Precision and recall of one page over 4-word shingles (the benchmark's metric)."""
    want, got = shingles(expected), shingles(extracted)
    tp = sum((want & got).values())
    fp, fn = sum((got - want).values()), sum((want - got).values())
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def extracted_text(data: bytes, key: str) -> str:
    document = document_from_bytes(data, doc_id="page", origin=key, html=True)
    return "\n".join(p.text for p in document.paragraphs)


def test_the_development_set_scores_what_the_readme_says() -> None:
    truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls, refused = [], [], []
    for key, page in sorted(truth.items()):
        data = gzip.decompress((DEV / "html" / f"{key}.html.gz").read_bytes())
        try:
            text = extracted_text(data, key)
        except InputError:
            refused.append(page["url"])
            text = ""
        precision, recall = page_scores(page["articleBody"], text)
        precisions.append(precision)
        recalls.append(recall)
    precision, recall = sum(precisions) / len(truth), sum(recalls) / len(truth)
    f1 = 2 * precision * recall / (precision + recall)
    say(f"extraction on {len(truth)} dev pages: F1 {f1:.4f}, precision {precision:.4f}, "
        f"recall {recall:.4f}, refused {len(refused)}")
    assert not refused
    # The README states what the code measures, to its four decimals: a change to extraction that
    # moves any of them, up or down, fails here until the README says so too.
    stated = re.search(r"F1 ([\d.]+), precision ([\d.]+), recall ([\d.]+)", README.read_text(encoding="utf-8"))
    assert stated and [float(x) for x in stated.groups()] == [round(f1, 4), round(precision, 4), round(recall, 4)]
    # and what the README states meets the extraction issue's bar (F1 0.985 or better) with no recall
    # given up for it (0.9812 is what extraction kept before the F1 was raised to that bar)
    assert f1 >= 0.985 and recall >= 0.9812


def test_the_metric_counts_surplus_and_missing_shingles() -> None:
    expected = "one two three four five six"
    assert page_scores(expected, expected) == (1.0, 1.0)
    precision, recall = page_scores(expected, "one two three four five")
    assert (precision, recall) == (1.0, 2 / 3)
    precision, recall = page_scores(expected, expected + " seven eight")
    assert (precision, recall) == (3 / 5, 1.0)


# ------------------------------------------------------------------ the rules, one page each

PROSE = [
    "The city council voted on Tuesday to close the old harbour bridge to heavy traffic after "
    "engineers found cracks in two of its steel supports during a routine inspection.",
    "Mayor Ana Ruiz said the closure would last at least six months while the council looks "
    "for the money to repair the supports, which were installed in 1962.",
    "Local businesses on the north bank warned that the detour would add twenty minutes to "
    "every delivery and asked the council for help with the extra costs.",
    "The council will publish a full engineering report next week, the mayor's office said in "
    "a statement, and residents can comment on the plans until the end of the month.",
]


def page(*blocks: str, head: str = "", title: str = "Harbour bridge closed to lorries | Daily Port") -> bytes:
    body = "\n".join(blocks)
    return (f"<!doctype html><html><head><title>{title}</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Harbour bridge closed to lorries</h1>{body}</article>"
            f"<footer>Copyright Daily Port</footer></body></html>").encode()


def paragraphs(*ps: str) -> list[str]:
    return [f"<p>{p}</p>" for p in ps]


def read(data: bytes) -> list[str]:
    document = document_from_bytes(data, doc_id="page", origin="page.html", html=True)
    return [p.text for p in document.paragraphs]


def test_a_plain_article_page_gives_its_paragraphs_and_its_headline_as_title() -> None:
    document = document_from_bytes(page(*paragraphs(*PROSE)), doc_id="p", origin="p", html=True)
    assert [p.text for p in document.paragraphs] == PROSE
    assert document.title == "Harbour bridge closed to lorries"  # without " | Daily Port"


def test_a_list_of_links_to_other_stories_is_not_article_text() -> None:
    teasers = ("<h3>You may also like</h3><ul>"
               "<li><a href='/a'>Ferry prices rise again</a> Operators blame fuel costs</li>"
               "<li><a href='/b'>New cycle lane opens</a> The lane links both banks</li>"
               "<li><a href='/c'>Harbour festival returns</a> Three days of music</li></ul>")
    text = " ".join(read(page(*paragraphs(*PROSE[:2]), teasers, *paragraphs(*PROSE[2:]))))
    assert "Ferry prices" not in text and "cycle lane" not in text
    assert PROSE[3] in text


def test_a_related_link_line_goes_but_a_paragraph_with_links_stays() -> None:
    linked = ("Mayor Ana Ruiz said the closure would last <a href='/x'>at least six months</a> "
              "while the council looks for the money to repair the supports, which were installed in 1962.")
    related = "Related: <a href='/r'>Why the harbour bridge was built in a hurry</a>"
    texts = read(page(*paragraphs(PROSE[0], linked, related, PROSE[2], PROSE[3])))
    assert texts == [PROSE[0], PROSE[1], PROSE[2], PROSE[3]]


def test_a_digest_whose_items_open_with_a_link_and_go_on_in_prose_is_kept() -> None:
    digest = "<ol>" + "".join(f"<li><a href='/{n}'>{' '.join(p.split()[:5])}</a> {' '.join(p.split()[5:])}</li>"
                              for n, p in enumerate(PROSE)) + "</ol>"
    text = " ".join(read(page("<p>Good morning! This is the harbour news you need to know today.</p>", digest)))
    assert all(p in text for p in PROSE)


def test_a_quoted_tweet_is_part_of_the_article() -> None:
    tweet = ("<div class='social-media-embed'><blockquote class='twitter-tweet'><p>The bridge was "
             "shaking under my lorry for months and nobody listened to us.</p>&mdash; A Driver "
             "(@driver) November 18, 2019</blockquote></div>")
    text = " ".join(read(page(*paragraphs(*PROSE[:2]), tweet, *paragraphs(*PROSE[2:]))))
    assert "nobody listened to us" in text


def test_hidden_and_print_only_text_stays_out() -> None:
    hidden = ("<div class='print-header'><p>This copy is for your personal, non-commercial use only "
              "and may not be distributed.</p></div>"
              "<p class='hide'>An error has occurred, please try again later.</p>"
              "<p style='display: none'>Thank you for sharing this article with a friend.</p>")
    text = " ".join(read(page(hidden, *paragraphs(*PROSE))))
    assert "personal, non-commercial" not in text and "error has occurred" not in text
    assert "Thank you" not in text and PROSE[0] in text


def test_page_furniture_before_the_first_sentence_stays_out() -> None:
    texts = read(page("<ul><li>Order Reprints</li><li>Print Article</li></ul><p>Text size</p>",
                      *paragraphs(*PROSE)))
    assert texts == PROSE


def test_structured_article_body_wins_when_the_page_shows_only_a_teaser() -> None:
    stated = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": "Harbour bridge closed to lorries", "articleBody": "\n".join(PROSE)})
    data = page(*paragraphs(PROSE[0]), "<p>Subscribe to read the rest of this story.</p>",
                head=f"<script type='application/ld+json'>{stated}</script>")
    assert read(data) == PROSE


def test_structured_article_body_does_not_replace_a_fuller_page() -> None:
    stated = json.dumps({"@type": "NewsArticle", "articleBody": PROSE[0][:200]})
    data = page(*paragraphs(*PROSE), head=f"<script type='application/ld+json'>{stated}</script>")
    assert read(data) == PROSE


@pytest.mark.parametrize("markup", ["<html><body><nav><a href='/'>Home</a></nav></body></html>",
                                    "<html><body></body></html>"])
def test_a_page_without_article_text_is_refused_in_one_line(markup: str) -> None:
    with pytest.raises(InputError) as caught:
        read(markup.encode())
    assert "\n" not in str(caught.value)


def test_a_page_whose_html_source_is_hard_wrapped_keeps_its_paragraphs_whole() -> None:
    wrapped = [p.replace(" to ", " to\n", 1).replace(" the ", "\n  the ", 1).replace(
        " and ", " <a href='/more'>and</a>\n", 1) for p in PROSE]  # a paragraph with a link, as zeit.de serves it
    texts = read(page(*(f"<p>{p}</p>" for p in wrapped), "<p>A line<br>and a break the page asked for.</p>"))
    assert texts[:4] == PROSE
    assert texts[4:] == ["A line", "and a break the page asked for."]


def test_a_name_s_hover_card_stays_out_of_the_sentence_but_the_name_stays() -> None:
    card = ("<span class='people'><a href='/people/ana-ruiz'>Ana Ruiz</a><span class='card'>"
            "<img src='/ruiz.jpg'><a href='/people/ana-ruiz'>Ana Ruiz</a>"
            "<a href='/a'>Council delays the budget vote again</a> <a href='/b'>Ruiz opens the "
            "harbour festival</a> <a href='/people/ana-ruiz'>MORE</a></span></span>")
    texts = read(page(f"<p>Mayor {card} said the closure would last at least six months while the "
                      "council looks for the money to repair the supports, which were installed in 1962.</p>",
                      *paragraphs(*PROSE[2:])))
    assert texts == ["Mayor Ana Ruiz said the closure would last at least six months while the council "
                     "looks for the money to repair the supports, which were installed in 1962.", *PROSE[2:]]


@pytest.mark.parametrize("heading", ["<h3>DON'T MISS</h3>", "<p><strong>DON'T MISS</strong></p>",
                                     "<p>You may also like...</p>"])
def test_the_heading_of_a_removed_links_box_goes_with_it(heading: str) -> None:
    box = "".join(f"<p><a href='/{n}'>{title}</a></p>" for n, title in enumerate(
        ["Ferry prices rise again as operators blame fuel", "New cycle lane opens on the north bank"]))
    texts = read(page(*paragraphs(*PROSE[:2]), heading, box, *paragraphs(*PROSE[2:])))
    assert texts == PROSE


def test_a_short_paragraph_before_a_related_link_stays() -> None:
    texts = read(page(*paragraphs(*PROSE[:2]), "<p>The mayor declined to comment.</p>",
                      "<p><a href='/r'>Related: why the harbour bridge was built in a hurry</a></p>",
                      *paragraphs(*PROSE[2:])))
    assert texts == [*PROSE[:2], "The mayor declined to comment.", *PROSE[2:]]


def test_the_sign_off_after_the_article_stays_out() -> None:
    sign_off = ("<p>Harbour news writers Joe Bloggs and Ann Lee contributed to this report.</p>"
                "<p>Write to Ann Lee at ann.lee@dailyport.example</p><p>Comments</p>")
    assert read(page(*paragraphs(*PROSE), sign_off)) == PROSE


def test_furniture_before_a_headline_that_holds_a_full_stop_stays_out() -> None:
    title = "Bridge closed. Why lorries must wait"
    body = "".join(paragraphs(*PROSE))
    data = (f"<html><head><title>{title} | Daily Port</title></head><body><article><h1>{title}</h1>"
            f"<ul><li>Order Reprints</li><li>Print Article</li></ul><p>Text size</p>{body}"
            "</article></body></html>").encode()
    assert read(data) == PROSE


def test_a_fact_check_keeps_its_verdict_the_claim_and_who_made_it() -> None:
    data = (ARTICLES / "polygraph_al_tanf_factcheck_2019.html").read_bytes()
    texts = read(data)
    assert texts[0].startswith("Claim reviewed, made by The Russian and Syrian defense ministries: "
                               "“A cause for serious concern is the situation in southern Syria")
    assert texts[1] == "Rating: False."
    assert texts[2].startswith("In a joint statement published Oct. 25")


def test_a_verdict_the_page_text_already_states_is_not_repeated() -> None:
    review = json.dumps({"@context": "https://schema.org", "@type": "ClaimReview",
                         "claimReviewed": "The bridge is safe", "reviewRating": {"@type": "Rating",
                         "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"},
                         "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Ana Ruiz"}}})
    head = f"<script type='application/ld+json'>{review}</script>"
    assert read(page(*paragraphs(*PROSE), head=head))[:2] == [
        "Claim reviewed, made by Ana Ruiz: The bridge is safe", "Rating: False."]
    stated = ["<p>Claim reviewed, made by Ana Ruiz: The bridge is safe</p>", "<p>Rating: False.</p>"]
    assert read(page(*stated, *paragraphs(*PROSE), head=head)).count("Rating: False.") == 1


def test_a_heading_left_at_the_end_with_nothing_under_it_goes() -> None:
    closing = "<h3>Tell us what YOU think...</h3><p>comments</p>"
    assert read(page(*paragraphs(*PROSE), closing)) == PROSE


def test_calls_to_subscribe_update_stamps_and_the_copyright_after_a_contact_line_stay_out() -> None:
    assert read(page(*paragraphs(*PROSE), "<p>Get the latest harbour news right in your inbox. Subscribe to "
                     "our newsletters.</p>", "<p>Updated at 1:23 p.m.</p>")) == PROSE
    sign_off = ("<p>Write to Ann Lee at ann.lee@dailyport.example</p><p>twitter.com/annlee</p>"
                "<p>Copyright ©2019 Daily Port. All Rights Reserved.</p>")
    assert read(page(*paragraphs(*PROSE), sign_off)) == PROSE
    more = "<p>More harbour news: https://dailyport.example/harbour and https://twitter.com/dailyport</p>"
    assert read(page(*paragraphs(*PROSE), more)) == PROSE


def test_a_link_written_out_or_a_copyright_line_alone_after_the_article_is_the_article_s_own() -> None:
    """Without a sign-off to go with, a last line that is a link or names a copyright is kept: a
    list of deals ends with its links, a wire story may end with its agency's notice."""
    link = "<p>http://amzn.to/2hXQPDr</p>"
    assert read(page(*paragraphs(*PROSE), link))[-1] == "http://amzn.to/2hXQPDr"
    notice = "<p>Copyright 2019 Harbour News Now. All rights reserved.</p>"
    assert read(page(*paragraphs(*PROSE), notice))[-1] == "Copyright 2019 Harbour News Now. All rights reserved."
    told = "<p>You can also subscribe to this newsletter here, it is free and comes every morning.</p>"
    assert read(page(*paragraphs(*PROSE), told))[-1].startswith("You can also subscribe")


def test_the_headline_the_page_shows_is_not_a_paragraph_when_the_page_title_words_it_otherwise() -> None:
    headline = "Harbour bridge closes to lorries, and drivers ask: what now?"
    body = "".join(paragraphs(*PROSE))
    data = (f"<html><head><title>Bridge shut after cracks found | Daily Port</title><meta property='og:title' "
            f"content='Bridge shut after cracks found'></head><body><article>"
            f"<h1>{headline}</h1>{body}</article></body></html>").encode()
    document = document_from_bytes(data, doc_id="p", origin="p", html=True)
    assert [p.text for p in document.paragraphs] == PROSE
    assert document.title == headline


def test_a_box_of_story_cards_under_its_own_heading_goes_with_its_heading() -> None:
    cards = "".join(f"<div class='item'><a href='/{n}'><img src='/{n}.jpg'></a><h3>{kicker}</h3>"
                    f"<span>{line}</span><a href='/{n}' class='overlay'></a></div>"
                    for n, (kicker, line) in enumerate([("FERRY CHAOS", "Ferry prices rise again as operators blame fuel"),
                                                        ("PEDAL POWER", "New cycle lane opens on the north bank"),
                                                        ("ENCORE", "Harbour festival returns for three days of music")]))
    box = f"<div class='rail'><div class='rail-header'><h3>Most read in harbour news</h3></div><div>{cards}</div></div>"
    assert read(page(*paragraphs(*PROSE[:2]), box, *paragraphs(*PROSE[2:]))) == PROSE


def test_a_section_of_the_article_under_a_heading_stays_with_its_links() -> None:
    linked = ("<p>The <a href='/council'>council</a> will publish a full <a href='/report'>engineering report</a> "
              "next week, the <a href='/mayor'>mayor's office</a> said in a statement, and residents can comment on "
              "the plans until the end of the month.</p>")
    section = f"<section><h2>What happens next</h2>{linked}</section>"
    texts = read(page(*paragraphs(*PROSE[:3]), section))
    assert texts[3:] == ["What happens next", PROSE[3]]
