"""Issue 22: model text that holds `javascript:`, a Markdown image, raw HTML, URLs, bare domains
and addresses stays inert in Markdown (rendered by GitHub's cmark-gfm with its autolinks and by
markdown-it with linkify, which also links bare domains), in HTML and in email (a mail client's
linker, here linkify-it, finds nothing in it), and reads as it was: no "[.]" inside a word."""

from __future__ import annotations

import re
from pathlib import Path

import cmarkgfm
import lxml.html
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

from briefer.core.models import Briefing, Point
from briefer.render.engine import render_briefing
from briefer.render.escaping import JOINER, md

from .goldens import EXPECTED

HOSTILE = ("See [click](javascript:alert(1)) or javascript:alert(2), ![x](http://evil.example/p.png), "
           "<img src=x onerror=alert(3)> <a href='http://evil.example'>here</a>, https://evil.example/a, "
           "www.evil.example, GreatFire.org, Express.co.uk, //evil.example, mailto:press@evil.example, "
           "press@evil.example")
#: What the reader must still read, word for word, once the invisible zero-width spaces are gone.
READABLE = ("GreatFire.org", "Express.co.uk", "press@evil.example", "www.evil.example", "https://evil.example/a")


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


def test_model_text_is_no_link_and_no_markup_in_rendered_markdown(seed_json: Path) -> None:
    briefing = hostile(seed_json)
    markdown = render_briefing(briefing)
    gfm = cmarkgfm.github_flavored_markdown_to_html(markdown, options=cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE)
    linkified = MarkdownIt("commonmark", {"linkify": True, "html": True}).enable("linkify")
    linkified.linkify.set({"fuzzy_link": True, "fuzzy_email": True})
    for html in (gfm, linkified.render(markdown)):
        hrefs, loaded = links_and_markup(html)
        assert hrefs <= sources_links(briefing), hrefs - sources_links(briefing)
        assert loaded == []
    plain = markdown.replace(JOINER, "")
    for words in READABLE:
        assert words in plain
    assert "[.]" not in markdown and "[:]" not in markdown and "[@]" not in markdown


def test_model_text_is_no_link_and_no_markup_in_html_and_email(seed_json: Path) -> None:
    briefing = hostile(seed_json)
    html = render_briefing(briefing, "email.html")
    text = render_briefing(briefing, "email.txt")
    hrefs, loaded = links_and_markup(html)
    assert hrefs <= sources_links(briefing) and loaded == []
    body_text = lxml.html.fromstring(html).text_content()
    for url in sources_links(briefing):  # the sources' own links are the user's input, not the model's
        body_text, text = body_text.replace(url, ""), text.replace(url, "")
    assert linker().match(body_text) is None and linker().match(text) is None
    for words in READABLE:
        assert words in body_text.replace(JOINER, "") and words in text.replace(JOINER, "")


def test_a_domain_reads_as_it_is_written() -> None:
    assert md("GreatFire.org said so").replace(JOINER, "") == "GreatFire.org said so"
    assert linker().match(md("GreatFire.org and Express.co.uk said so")) is None
    assert md("3.8 percent, U.S. troops, 10:30") == "3.8 percent, U.S. troops, 10:30"  # none where no link


def test_no_golden_shows_brackets_inside_a_word() -> None:
    for golden in sorted(EXPECTED.glob("*.md")):
        text = golden.read_text(encoding="utf-8")
        assert not re.search(r"\w\[[.:@]\]\w", text), golden.name
