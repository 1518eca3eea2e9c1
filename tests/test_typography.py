"""A translated briefing is typeset as its language is: „…“ in German, « … » in French with
narrow no-break spaces inside, French spacing before high punctuation in briefer's own text; the
article's words inside the marks, and the model's text, exactly as they were."""

from __future__ import annotations

import html
import json
import re

import pytest

from briefer.core.typography import number, punctuate, quotation

from .conftest import CASSETTES, FIXTURES, Run

GERMAN_PAGE = FIXTURES / "articles" / "sueddeutsche_flixtrain_2019.html"
FRENCH_PAGE = FIXTURES / "articles" / "franceculture_idees_2020.html"
NNBSP, NBSP = "\u202f", "\u00a0"
#: The templates' own English words that no German or French briefing, email or dossier may show.
ENGLISH = ["Bottom line", "Key points", "Asserted by", "Disputed by", "In the article", "The other side",
           "according to", "Model ", "prompts", "calls made", "replayed", "tokens;", "Written by", "Reported",
           "unattributed", "not named", "Key point", "Appendix", "KEY POINTS", "QUOTES", "Checked against"]


def briefed(run: Run, tmp_path, page, language: str) -> tuple[str, dict]:
    """The Markdown briefing and the saved Briefing JSON of a page briefed in a language."""
    saved = tmp_path / f"{page.stem}.{language}.json"
    result = run("brief", page, "--replay", CASSETTES, "-q", "--language", language)
    assert result.exit_code == 0, result.stderr
    assert run("brief", page, "--replay", CASSETTES, "-q", "--language", language, "-o", saved).exit_code == 0
    return result.stdout, json.loads(saved.read_text(encoding="utf-8"))


def test_a_french_briefing_has_french_marks_and_spacing_around_untouched_article_text(run: Run, tmp_path) -> None:
    markdown, briefing = briefed(run, tmp_path, FRENCH_PAGE, "fr")
    assert f"**L'essentiel{NBSP}:**" in markdown and "L'essentiel:" not in markdown
    assert "*Rédigé par un modèle de langage" in markdown and "non vérifiés" not in markdown  # the tally: stderr
    dossier = run("render", tmp_path / f"{FRENCH_PAGE.stem}.fr.json", "--template", "dossier").stdout
    assert f"**Vérifié dans la source{NBSP}:**" in dossier and f"non vérifiés{NNBSP};" in dossier
    quote = "Emmanuel Macron se dit “calme et déterminé”"  # the article's own inner marks, as printed
    assert quote in [q["text"] for q in briefing["quotes"]]
    assert f"«{NNBSP}{quote}{NNBSP}»" in markdown
    assert "“Emmanuel" not in markdown and "‘calme" not in markdown
    # the model's own text keeps its spacing: "résultat ?" with the plain space it was written with
    assert briefing["bottom_line"]["text"] in markdown and "résultat ?" in briefing["bottom_line"]["text"]


def test_a_german_briefing_quotes_in_german_marks(run: Run, tmp_path) -> None:
    markdown, briefing = briefed(run, tmp_path, GERMAN_PAGE, "de")
    shown = [q["text"] for q in briefing["quotes"] if q["text"] in markdown]
    assert shown
    for text in shown:
        assert f"„{text}“" in markdown and f"“{text}”" not in markdown
    assert "**Kurz gesagt:**" in markdown and NBSP not in markdown and NNBSP not in markdown


def test_the_same_page_briefed_in_english_keeps_english_marks(run: Run, tmp_path) -> None:
    result = run("brief", FRENCH_PAGE, "--replay", CASSETTES, "-q")
    assert result.exit_code == 0, result.stderr
    assert "“Emmanuel Macron says he is ‘calm and determined’”" in result.stdout  # translated, marks nested
    assert "**Bottom line:**" in result.stdout and NBSP not in result.stdout and NNBSP not in result.stdout


@pytest.mark.parametrize("template", ["dossier", "email.txt", "email.html", "dossier.email.txt", "dossier.email.html"])
@pytest.mark.parametrize(("page", "language"), [(FRENCH_PAGE, "fr"), (GERMAN_PAGE, "de")])
def test_every_template_of_a_translated_briefing_speaks_its_language(run: Run, tmp_path, template, page,
                                                                     language) -> None:
    _, briefing = briefed(run, tmp_path, page, language)
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(briefing), encoding="utf-8")
    result = run("render", saved, "--template", template)
    assert result.exit_code == 0, result.stderr
    text = html.unescape(result.stdout) if template.endswith("html") else result.stdout
    assert not [word for word in ENGLISH if word in text], text[-1500:]
    opening = {"fr": f"«{NNBSP}", "de": "„"}[language]
    assert opening in text and "“Emmanuel" not in text
    if language == "fr":
        assert f"{NBSP}:" in text and (f"{NNBSP};" in text or not template.startswith("dossier"))  # its tally
        flat = re.sub(r"[ \n]+", " ", text)  # the text email is wrapped at 78 columns
        assert "résultat ?" in flat and f"résultat{NNBSP}?" not in flat  # the model's text, as it wrote it


@pytest.mark.parametrize(("words", "language", "printed"), [
    ("opened a “Pandora’s box”", "en", ("“", "opened a ‘Pandora’s box’", "”")),
    ("opened a “Pandora’s box”", "de", ("„", "opened a ‚Pandora’s box‘", "“")),
    ("kein „DB-Takt“ wird", "de", ("„", "kein ‚DB-Takt‘ wird", "“")),
    ("kein „DB-Takt“ wird", "fr", (f"«{NNBSP}", "kein „DB-Takt“ wird", f"{NNBSP}»")),
    ("« éléments de langage »", "fr", (f"«{NNBSP}", "éléments de langage", f"{NNBSP}»")),
    ("“the United States is not preventing people.”", "en", ("“", "the United States is not preventing people.", "”")),
    ('as bad as the "Meth" campaign', "de", ("„", "as bad as the ‚Meth‘ campaign", "“")),
    ("un « mais » : le « guillemetgate »", "fr", (f"«{NNBSP}", "un « mais » : le « guillemetgate »", f"{NNBSP}»")),
    ("dit « oui »", "it", ("«", "dit “ oui ”", "»")),  # Italian nests « » in “ ” (CLDR)
    ("said “yes”", "ja", ("「", "said “yes”", "」")),
    ("said “yes”", "xx", ("“", "said ‘yes’", "”")),
])
def test_quotation_marks_follow_the_briefings_language_and_nest_only_what_would_clash(words, language, printed) -> None:
    assert quotation(words, language) == printed


def test_french_spacing_is_for_briefers_own_text_and_only_in_french() -> None:
    assert punctuate("L'essentiel:", "fr") == f"L'essentiel{NBSP}:"
    assert punctuate("a; b! c? d :", "fr") == f"a{NNBSP}; b{NNBSP}! c{NNBSP}? d{NBSP}:"
    assert punctuate("a; b: c?", "de") == "a; b: c?" == punctuate("a; b: c?", None)
    assert (number(4434, "fr"), number(4434, "de"), number(4434, "en"), number(0.0047, "fr", 4)) == \
        (f"4{NNBSP}434", "4.434", "4,434", "0,0047")


def test_one_line_keeps_a_lone_no_break_space_and_folds_every_other_run_of_whitespace() -> None:
    from briefer.core.safety import one_line

    assert one_line(f" L'essentiel{NBSP}: 4{NNBSP}434\n\t mots{NBSP}\u2028fin ") == f"L'essentiel{NBSP}: 4{NNBSP}434 mots fin"


def test_a_quote_broken_by_its_attribution_keeps_the_article_s_marks() -> None:
    """'…issue,” said Della. “When…': the closing and reopening marks are the article's own
    around the attribution; turned into inner marks they read ‘ … ’ as a quote inside the quote."""
    from briefer.core.typography import quotation

    broken = "Berlin is trying to minimize this issue,” said Della. “When it comes to Namibia"
    assert "".join(quotation(broken, "en")) == f"“{broken}”"
    assert "".join(quotation("He called it “a farce” again", "en")) == "“He called it ‘a farce’ again”"


@pytest.mark.parametrize(("words", "language", "printed"), [
    # straight marks around the attribution (DW ¶6): read by where they stand
    ('in connection with postcolonial history," ISD spokesman Tahir Della told DW. "The former colony',
     "en", "“in connection with postcolonial history,” ISD spokesman Tahir Della told DW. “The former colony”"),
    # a mark with a space on both sides takes the role of its place (The Hill ¶10)
    ('retribution ourselves? " she wrote in her letter. "The answer to hate',
     "en", "“retribution ourselves? ” she wrote in her letter. “The answer to hate”"),
    # the briefing's marks in the wrong order
    ("this issue,“ said Della. ”When it comes", "en", "“this issue,” said Della. “When it comes”"),
    ('Berlin is trying," said Della. "When it', "de", "„Berlin is trying,“ said Della. „When it“"),
    # a quotation inside the quote still nests
    ('He said "no" to them', "en", "“He said ‘no’ to them”"),
])
def test_a_quote_broken_by_its_attribution_reads_as_two_quotations_whatever_marks_the_article_used(
        words, language, printed) -> None:
    assert "".join(quotation(words, language)) == printed


def test_a_quote_cut_inside_a_quotation_it_holds_closes_that_quotation_too() -> None:
    """AP ¶9: '…will, quote, ‘do anything you ask him to.’”' cut before its marks."""
    cut = "Sondland replied that ‘He’s going to do it,’ adding that Zelensky will, quote, ‘do anything you ask him to."
    assert "".join(quotation(cut, "en")) == f"“{cut}’”"
    whole = "He’s going to do it,’ adding"  # an apostrophe and a closed quotation: nothing to add
    assert "".join(quotation("‘" + whole, "en")) == f"“‘{whole}”"
