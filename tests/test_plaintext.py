"""The plain-text part of an email: every line within 78 columns, headings underlined to fit."""

from __future__ import annotations

from briefer.render.plaintext import WIDTH, wrap


def test_a_long_heading_is_wrapped_and_its_underline_fits_under_it() -> None:
    title = ("Sweden drops the rape investigation into Julian Assange, nine years after it began, "
             "prosecutors say")
    text = wrap(f"{title}\n{'=' * len(title)}\n\nBody.")
    heading, underline = text.split("\n\n")[0].rsplit("\n", 1)
    assert all(len(line) <= WIDTH for line in text.split("\n"))
    assert set(underline) == {"="} and len(underline) == max(len(line) for line in heading.split("\n"))
    assert " ".join(heading.split("\n")) == title


def test_a_short_heading_keeps_its_underline_and_other_lines_of_dashes_are_left_alone() -> None:
    assert wrap("Title\n=====\n\n-- \nfooter") == "Title\n=====\n\n-- \nfooter"
    assert wrap("Title\n---\n") == "Title\n---\n"  # not the heading's length: a rule, not an underline
