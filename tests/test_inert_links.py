"""Issue 22: model text that holds `javascript:`, a Markdown image, raw HTML, URLs, bare domains
and addresses stays inert in Markdown (rendered by GitHub's cmark-gfm with its autolinks, and by
markdown-it with linkify's links that have a scheme, `//`, `www.` or an address), in HTML and in
email (a mail client's linker, here linkify-it with bare domains too, finds nothing in any of its
text nodes), and reads and copies as it was: no "[.]" inside a word, and no invisible character
in an outlet's name."""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
import lxml.html
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

from briefer.core.models import Briefing, Point
from briefer.render.engine import render_briefing
from briefer.render.escaping import JOINER, inert_html, md

from .goldens import EXPECTED

HOSTILE = ("See [click](javascript:alert(1)) or javascript:alert(2), ![x](http://evil.example/p.png), "
           "<img src=x onerror=alert(3)> <a href='http://evil.example'>here</a>, https://evil.example/a, "
           "www.evil.example, GreatFire.org, Express.co.uk, //evil.example, mailto:press@evil.example, "
           "press@evil.example")
#: What the reader must read and copy, word for word, in rendered Markdown and in HTML.
READABLE = ("GreatFire.org", "Express.co.uk", "www.evil.example", "https://evil.example/a")
#: An address is the one link a Markdown renderer finds past a backslash, and plain text has no
#: markup to break a link with: there a zero-width space stays before its `@` (or in the address).
ADDRESS = "press@evil.example"


def hostile(seed_json: Path) -> Briefing:
    briefing = Briefing.model_validate_json(seed_json.read_text())
    point = Point(text=HOSTILE, evidence=briefing.key_points[0].evidence)
    actors = [briefing.actors[0].model_copy(update={"name": "Evil.example <b>Press</b>"}), *briefing.actors[1:]]
    events = [briefing.events[0].model_copy(update={"what": HOSTILE}), *briefing.events[1:]]
    return briefing.model_copy(update={"title": HOSTILE, "key_points": [point, *briefing.key_points],
                                       "actors": actors, "events": events})


def linker() -> LinkifyIt:
    """A linker as eager as a mail client's: bare domains and addresses too."""
    found = LinkifyIt()
    found.set({"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": True})
    return found


def links_and_markup(html: str) -> tuple[set[str], list[str]]:
    """Every link target and every element that loads, runs or styles something."""
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    hrefs = {a.get("href") for a in tree.iter("a")}
    loaded = [e.tag for e in tree.iter("img", "script", "iframe", "b")]
    loaded += [name for e in tree.iter() for name in e.attrib if name.startswith("on")]
    return hrefs, loaded


def sources_links(briefing: Briefing) -> set[str]:
    return {s.url for s in briefing.sources if s.url}


def text_nodes(html: str) -> list[str]:
    """The text a linker working on the page's text (a mail client's, a browser extension's)
    reads: each run of text between elements of the body (a `<title>` is nobody's link)."""
    whole = html.lstrip().lower().startswith(("<!doctype", "<html"))
    tree = lxml.html.document_fromstring(html).body if whole else lxml.html.fromstring(f"<div>{html}</div>")
    return [t for t in tree.itertext() if t.strip()]


def test_model_text_is_no_link_and_no_markup_in_rendered_markdown(seed_json: Path) -> None:
    briefing = hostile(seed_json)
    markdown = render_briefing(briefing)
    gfm = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE)
    linkified = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable("linkify")
    linkified.linkify.set({"fuzzy_link": False, "fuzzy_email": True})
    for html in (gfm, linkified.render(markdown)):
        hrefs, loaded = links_and_markup(html)
        assert hrefs <= sources_links(briefing), hrefs - sources_links(briefing)
        assert loaded == []
        shown = lxml.html.fromstring(html).text_content()
        for words in READABLE:  # rendered, the escaped characters read and copy as themselves
            assert words in shown, words
        assert ADDRESS in shown.replace(JOINER, "")
    for outlet in ("GreatFire.org", "Express.co.uk"):  # a bare domain is no link in GFM: as it is
        assert outlet in markdown
    assert "[.]" not in markdown and "[:]" not in markdown and "[@]" not in markdown


def test_model_text_is_no_link_and_no_markup_in_html_and_email(seed_json: Path) -> None:
    briefing = hostile(seed_json)
    html = render_briefing(briefing, "email.html")
    text = render_briefing(briefing, "email.txt")
    hrefs, loaded = links_and_markup(html)
    assert hrefs <= sources_links(briefing) and loaded == []
    urls = sources_links(briefing)  # the sources' own links are the user's input, not the model's
    for node in text_nodes(html):
        assert node in urls or linker().match(node) is None, node
    for url in urls:
        text = text.replace(url, "")
    assert linker().match(text) is None
    body_text = lxml.html.fromstring(html).text_content()
    assert JOINER not in body_text  # what a reader copies from the email is the words alone
    for words in (*READABLE, ADDRESS):
        assert words in body_text and words in text.replace(JOINER, "")


def test_a_domain_reads_as_it_is_written() -> None:
    assert md("GreatFire.org said so") == "GreatFire.org said so"
    assert md("see www.evil.example") == r"see www\.evil.example"
    assert md("3.8 percent, U.S. troops, 10:30") == "3.8 percent, U.S. troops, 10:30"  # none where no link
    html = inert_html("GreatFire.org and Express.co.uk said so")
    assert lxml.html.fromstring(f"<p>{html}</p>").text_content() == "GreatFire.org and Express.co.uk said so"
    assert all(linker().match(node) is None for node in text_nodes(html))


def test_an_outlet_copies_as_its_name_on_the_sources_line(seed_json: Path) -> None:
    """Issue 22 (fourth reading): "Express\u200b.\u200bco\u200b.\u200buk" on the Sources line
    broke copying and searching the outlet's name."""
    briefing = Briefing.model_validate_json(seed_json.read_text())
    source = briefing.sources[0].model_copy(update={"outlet": "Express.co.uk"})
    briefing = briefing.model_copy(update={"sources": [source, *briefing.sources[1:]]})
    markdown = render_briefing(briefing)
    sources_line = next(line for line in markdown.splitlines() if "Express" in line)
    assert "Express.co.uk" in sources_line and JOINER not in sources_line
    html = render_briefing(briefing, "email.html")
    assert "Express.co.uk" in lxml.html.fromstring(html).text_content()


def test_no_golden_shows_brackets_inside_a_word() -> None:
    for golden in sorted(EXPECTED.glob("*.md")):
        text = golden.read_text(encoding="utf-8")
        assert not re.search(r"\w\[[.:@]\]\w", text), golden.name
        assert JOINER not in text or "@" in text, golden.name  # only an address keeps one
