"""The article in a news page, and only the article: trafilatura, tuned for recall, then the
teasers it keeps taken out by their structure (lists of links, "Related: ..." lines).

Measured on a human-annotated development set (fixtures/extraction-dev, see
tests/test_extraction.py): trafilatura's precision mode loses whole paragraphs and leads; its
recall mode keeps them, and the link-teaser pruning below wins back the precision.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from ..core.bounded import embedded_json
from ..core.errors import InputError
from .structured import claim_reviews, with_verdicts
from .text import clean, is_headline_of, is_prose

_WORD = re.compile(r"\w+")
_SOURCE_BREAK = re.compile(r"[ \t]*\n\s*")
_UNSEEN_CLASSES = ("hide", "hidden", "print-header", "print-footer", "print-only", "sr-only",
                   "visually-hidden", "screen-reader-text")
#: What a reader never sees on screen: hidden elements and print-only headers and footers.
_UNSEEN = [
    "//*[@hidden]", "//*[@aria-hidden='true']",
    "//*[contains(translate(@style, ' ', ''), 'display:none')]",
    *(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]" for name in _UNSEEN_CLASSES),
]
#: Calls to action (subscribe, join, donate): a "cta" block, as pages name them.
_PROMOS = ["//*[contains(concat('-', translate(normalize-space(@class), ' _', '--'), '-'), '-cta-')]"]
#: A line that is an unrendered WordPress shortcode ("[button link=...]Send us[/button]").
_SHORTCODE = re.compile(r"^\s*\[\w+(?:\s[^\]]*)?\].*\[/\w+\]\s*$")
_QUOTED_POSTS = ("//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
                 " or contains(@class, 'tiktok-embed')]")
#: Structured data wins when it holds this many times the words the visible page gave.
_STATED_SHARE = 1.5
#: ... and at least this share of what the page shows (a teaser, the first paragraphs) is in it.
_SAME_SHARE = 0.5
#: A line this short before the article's first sentence is a button or a label.
_FURNITURE_WORDS = 3
#: A date with a time of day ("Nov. 19, 2019 8:21 am", "22 de janeiro de 2018 às 0:13").
_DATELINE = re.compile(r"\b(1[89]|20)\d\d\b.*\b\d{1,2}[:.h]\d\d\b|\b\d{1,2}[:.h]\d\d\b.*\b(1[89]|20)\d\d\b")
#: A line before the article holding this share of the title's words retells the headline.
_RETOLD_SHARE = 0.7
_SENTENCE_END = re.compile(r"[.!?…][\"”’)]*\s*$")
#: A block that is at least this share of link text is a teaser or a menu, not the article.
_LINK_SHARE_LIST = 0.5
_LINK_SHARE_LINE = 0.6
#: ...when it is this short: a long paragraph with many links is still prose.
_SHORT_LINE_WORDS = 25
#: A links box: a heading's container this many levels up holding this many links, this share of
#: its words (the heading's aside) link text.
_BOX_LEVELS = 3
_BOX_LINKS = 3
_BOX_LINK_SHARE = 0.8
#: ... or at most this many words a link: cards, each a picture and a line under its link.
_CARD_WORDS = 20
#: A heading this short with no sentence after it, right before a removed teaser, is its title.
_HEADING_WORDS = 6
#: How a heading ends: no stop, or a colon or dots that point at what follows ("Read more:").
_HEADING_END = re.compile(r"(\w|\.\.\.|…|:)[\s\"”’')]*$")
#: The author's contact after an article: an e-mail address, "Reach the reporter on Twitter".
_CONTACT = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b|\b(reach|follow) (the reporters?|him|her|them|us) on\b",
                      re.IGNORECASE)
#: Who else reported the story ("Associated Press writers ... contributed to this report.").
_CREDIT = re.compile(r"\bcontributed (reporting )?to (this|the) (report|story|article)\b", re.IGNORECASE)
#: A call to subscribe after the article: a sentence that opens with the call ("Subscribe to our
#: newsletters", "Get the magazine delivered ...", "Click here for more").
_PROMO = re.compile(r"(^|[.!?]\s+)(subscribe|sign up|click here|get\b.*\b(inbox|letterbox|newsletters?|issues))\b",
                    re.IGNORECASE)
#: Links written out under a label ("More AP NBA: https://apnews.com/NBA").
_MORE_LINKS = re.compile(r"^\s*more\b[^:]{0,40}:\s*(https?://|www\.)", re.IGNORECASE)
#: When the page last changed, said after the article ("Updated at 1:23 p.m.").
_UPDATED = re.compile(r"^\s*(last )?updated?\b.{0,30}\b\d{1,2}[:.]\d\d\b", re.IGNORECASE)
#: The page's copyright line ("Copyright ©2019 Dow Jones & Company, Inc. All Rights Reserved.").
_COPYRIGHT = re.compile(r"^\s*(copyright\b|©)|\ball rights reserved\b", re.IGNORECASE)
#: A link written out ("twitter.com/reporter").
_WRITTEN_LINK = re.compile(r"^\s*(https?://)?[\w-]+(\.[\w-]+)*\.[a-z]{2,}/\S*\s*$", re.IGNORECASE)
_UPDATE_WORDS = 12
#: A label after the article ("comments", "Explore further"): a few words, letters only.
_LABEL = re.compile(r"^\s*[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s*$")


def extract_html(data: bytes | str, origin: str) -> tuple[str, dict[str, str]]:
    """The article text of a news page (one paragraph a line) and its metadata: navigation,
    ads, scripts, comments and teaser links stay out. When the page's structured data
    (JSON-LD `articleBody`) holds clearly more of the article than the visible page gave, that
    is the text; when the extractor finds nothing, its own baseline pass is tried."""
    import trafilatura

    tree = trafilatura.load_html(data)
    if tree is None:
        raise InputError(f"{origin}: not a readable HTML page")
    stated = stated_body(tree)
    verdicts = claim_reviews(tree)
    _unwrap_quoted_posts(tree)
    _drop_hover_cards(tree)
    _drop_link_boxes(tree)
    shown_headline = _headline_shown(tree)
    result = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, favor_recall=True, include_links=True,
        prune_xpath=_UNSEEN + _PROMOS,
    )
    lines, headline = (_article_lines(result, shown_headline) if result is not None and result.body is not None
                       else ([], None))
    if stated and _fuller(stated, lines):
        lines = stated
    if not lines:
        lines = _lines(trafilatura.baseline(tree)[1])
    if not lines:
        raise InputError(f"{origin}: no article text found in the HTML page")
    lines = with_verdicts(lines, verdicts)
    found = ({"title": headline or result.title, "outlet": result.sitename, "date": result.date,
              "url": result.url, "author": result.author} if result is not None else {})
    found["language"] = declared_language(tree)
    return clean("\n".join(lines)), {k: v for k, v in found.items() if v}


def declared_language(tree: Any) -> str | None:
    """What the page says its language is: `<html lang>`, else a Content-Language meta."""
    declared = tree.xpath("string(/html/@lang)") or tree.xpath(
        "string(//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')='content-language']/@content)")
    return str(declared).strip() or None


def _article_lines(result: Any, shown_headline: str | None = None) -> tuple[list[str], str | None]:
    """The extractor's body as lines, teasers and page furniture out, and the headline."""
    from lxml import etree
    from trafilatura.xml import xmltotxt

    _prune_teasers(result.body)
    _drop_closing_headings(result.body)
    etree.strip_tags(result.body, "ref")
    _unwrap_source_lines(result.body)
    lines, headline = _trim_furniture(_lines(xmltotxt(result.body, False) or ""), result.title, shown_headline)
    return _trim_sign_off(lines), headline


def _fuller(stated: list[str], lines: list[str]) -> bool:
    """Whether the structured body should be the text: it holds clearly more words, or the same
    words (the extractor's own rescue took it, as one block: ours keeps its paragraphs), and it
    is the article a reader sees. A page may show one text and state another in its JSON-LD,
    which no reader sees: what a reader sees wins, so the stated body must contain most of it."""
    said, shown = _WORD.findall(" ".join(stated)), _WORD.findall(" ".join(lines))
    if said == shown:
        return True
    return len(said) >= _STATED_SHARE * len(shown) and _shows_the_same(said, shown)


def _shows_the_same(said: list[str], shown: list[str]) -> bool:
    """Whether most of what the page shows (its runs of three words) is in the stated body."""
    def runs(words: list[str]) -> set[tuple[str, ...]]:
        lowered = [w.casefold() for w in words]
        return {tuple(lowered[i : i + 3]) for i in range(len(lowered) - 2)}

    visible = runs(shown)
    return not visible or len(visible & runs(said)) >= _SAME_SHARE * len(visible)


def _unwrap_source_lines(body: Any) -> None:
    """A line break in a page's HTML source is a space to a reader (only <br> breaks a line):
    pages whose source is hard-wrapped would otherwise split sentences into paragraphs."""
    for element in body.iter():
        if element.tag == "code":
            continue
        if element.text and "\n" in element.text:
            element.text = _SOURCE_BREAK.sub(" ", element.text)
        if element.tail and "\n" in element.tail:
            element.tail = _SOURCE_BREAK.sub(" ", element.tail)


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if any(c.isalnum() for c in line) and not _SHORTCODE.match(line)]


def stated_body(tree: Any) -> list[str]:
    """The longest `articleBody` in the page's JSON-LD, as lines: what the publisher says the
    article is (pages that render the text with scripts often carry it only there)."""
    bodies: list[str] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        data = embedded_json(script.text or "")
        if data is None:
            continue
        bodies += [body for body in _values(data, "articleBody") if isinstance(body, str)]
    if not bodies:
        return []
    body = html_lib.unescape(max(bodies, key=len))
    return _lines(re.sub(r"<[^>]+>", "\n", body))


def _values(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        return ([data[key]] if key in data else []) + [v for item in data.values() for v in _values(item, key)]
    if isinstance(data, list):
        return [v for item in data for v in _values(item, key)]
    return []


def _unwrap_quoted_posts(tree: Any) -> None:
    """Posts the article quotes (tweets, Instagram posts) are what it reports, but their
    wrappers' "social"/"embed" classes make the extractor drop them as share buttons."""
    for post in tree.xpath(_QUOTED_POSTS):
        for wrapper in list(post.iterancestors()):
            if wrapper.tag in ("body", "html"):
                break
            if any(word in (wrapper.get("class") or "") for word in ("social", "embed", "tweet")):
                wrapper.drop_tag()
        post.attrib.pop("class", None)


def _trim_sign_off(lines: list[str]) -> list[str]:
    """Without the sign-off after the last paragraph: the author's contact line ("Write to
    ... at name@outlet.com"), the credit line ("... contributed to this report"), labels
    ("comments", "Explore further"), calls to subscribe, an update stamp, and with any of
    those the copyright line and links written out (alone, those may be the article's own)."""
    end, cut = len(lines), len(lines)
    while end > 1 and (kind := _sign_off(lines[end - 1])):
        end -= 1
        if kind == "sign-off":
            cut = end
    return lines[:cut]


def _sign_off(line: str) -> str | None:
    """"sign-off" for a line that is one, "with a sign-off" for one that goes with it, or None."""
    words = len(line.split())
    if _LABEL.match(line) or words <= _SHORT_LINE_WORDS and (
            _CONTACT.search(line) or _CREDIT.search(line) or _PROMO.search(line) or _MORE_LINKS.match(line)) or (
            words <= _UPDATE_WORDS and _UPDATED.match(line)):
        return "sign-off"
    if words <= _SHORT_LINE_WORDS and (_COPYRIGHT.search(line) or _WRITTEN_LINK.match(line)):
        return "with a sign-off"
    return None


def _drop_closing_headings(body: Any) -> None:
    """A heading with nothing after it (but a label, "comments") heads what the page dropped
    (comments, a links box): "Tell us what YOU think..." is not the article's last line."""
    while len(body) and not (body[-1].tail or "").strip() and (
            body[-1].tag == "head" or _LABEL.match("".join(body[-1].itertext()))):
        body.remove(body[-1])


def _headline_shown(tree: Any) -> str | None:
    """The headline the page shows: its one <h1> (the <title> may be another wording of it)."""
    found = tree.xpath("//h1")
    return " ".join("".join(found[0].itertext()).split()) or None if len(found) == 1 else None


def _drop_link_boxes(tree: Any) -> None:
    """Remove a box of links to other stories with its own heading ("Most read in world news"):
    the extractor drops the links as a teaser list but keeps the heading, which then stands
    between two paragraphs of the article. The box is the heading's nearest container holding
    links of its own: it goes when nearly all of its words are link text."""
    for heading in tree.xpath("//h2 | //h3 | //h4 | //h5 | //h6"):
        box = heading.getparent()
        for _ in range(_BOX_LEVELS):
            if box is None or box.tag in ("body", "html", "article", "main"):
                break
            links = [a for a in box.iter("a") if not any(h is heading for h in a.iterancestors())]
            targets = {a.get("href") for a in links if a.get("href")}
            if len(targets) >= _BOX_LINKS:
                if _is_link_box(box, heading, links, len(targets)):
                    _remove(box)
                break
            box = box.getparent()


def _is_link_box(box: Any, heading: Any, links: list[Any], targets: int) -> bool:
    """Whether nearly all of the box's words are link text, or it is cards (a picture, a few
    words, a link each) with no paragraph of prose among them."""
    words = len(_WORD.findall("".join(box.itertext()))) - len(_WORD.findall("".join(heading.itertext())))
    linked = sum(len(_WORD.findall("".join(a.itertext()))) for a in links)
    if words and linked >= _BOX_LINK_SHARE * words:
        return True
    prose = any(len(_WORD.findall("".join(p.itertext()))) > _SHORT_LINE_WORDS for p in box.iter("p"))
    return not prose and words <= _CARD_WORDS * targets


def _drop_hover_cards(tree: Any) -> None:
    """Remove the cards a page pops up over a name in a paragraph (a photo and links to other
    stories, hidden until hovered): the extractor would run them into the sentence."""
    cards = tree.xpath("//p//*[.//img and count(.//a) >= 2]")
    inner = set(cards) - {ancestor for card in cards for ancestor in card.iterancestors()}
    for card in inner:
        words = len(_WORD.findall("".join(card.itertext())))
        links = sum(len(_WORD.findall("".join(a.itertext()))) for a in card.iter("a"))
        if words and links >= _LINK_SHARE_LINE * words:
            _remove(card)


def _trim_furniture(lines: list[str], title: str | None, shown: str | None = None) -> tuple[list[str], str | None]:
    """Without the headline and the page furniture before the first sentence ("By", "Text
    size", "Print Article", the date and time, the headline told again in other words); the
    headline is returned, as the page title often has the site's name after it."""
    def is_headline(line: str) -> bool:
        return any(is_headline_of(line, name) for name in (title, shown) if name)

    first = next((n for n, line in enumerate(lines) if is_prose(line) and not is_headline(line)), len(lines))
    headline = next((line for line in lines[:first] if is_headline(line)), None)
    kept = [line for n, line in enumerate(lines)
            if n >= first or (line != headline and len(line.split()) > _FURNITURE_WORDS
                              and not _DATELINE.search(line) and not (n == 0 and _retells(line, title)))]
    return kept, headline


def _retells(line: str, title: str | None) -> bool:
    """Whether the page's first line is its headline in other words ("HS Roundup" as "High
    School Roundup"): most of the title's words are in it."""
    title_words = set(_WORD.findall((title or "").casefold()))
    return len(title_words) >= 4 and len(title_words & set(_WORD.findall(line.casefold()))) >= (
        _RETOLD_SHARE * len(title_words))


def _words(element: Any) -> int:
    return len(_WORD.findall("".join(element.itertext())))


def _link_words(element: Any) -> int:
    return sum(_words(ref) for ref in element.iter("ref"))


def _prune_teasers(body: Any) -> None:
    """Drop lists that are mostly links (related stories, menus) and short lines that are
    mostly a link ("Related: ...", "READ MORE: ..."), then headings left with nothing under
    them ("You may also like", "DON'T MISS")."""
    for block in list(body.iter("list")):
        words = _words(block)
        if words and (_link_words(block) >= _LINK_SHARE_LIST * words or _items_lead_with_links(block)):
            _remove_with_heading(block)
    for block in list(body.iter("p", "head")):
        words, lines = _words(block), 1 + sum(1 for _ in block.iter("lb"))
        if words and words <= _SHORT_LINE_WORDS * lines and _link_words(block) >= _LINK_SHARE_LINE * words:
            _remove_with_heading(block)


def _remove_with_heading(block: Any) -> None:
    """Remove a teaser block and the heading right before it that titled it ("DON'T MISS")."""
    heading = block.getprevious()
    if (heading is not None and heading.tag in ("head", "p") and not (heading.tail or "").strip()
            and 0 < _words(heading) <= _HEADING_WORDS and not _link_words(heading)
            and _HEADING_END.search("".join(heading.itertext()))):
        _remove(heading)
    _remove(block)


def _items_lead_with_links(block: Any) -> bool:
    """A list whose every item opens with a link and is not a sentence: headlines of other
    stories, each with its teaser line. (A digest whose items link their first sentence, then
    go on in prose, is the article.)"""
    items = [item for item in block.iter("item") if _words(item)]
    return len(items) >= 2 and all(_opens_with_link(item) and not _SENTENCE_END.search(
        "".join(item.itertext())) for item in items)


def _opens_with_link(element: Any) -> bool:
    for node in element.iter():
        if (node.text or "").strip():
            return node.tag == "ref" or any(a.tag == "ref" for a in node.iterancestors())
        if node is not element and (node.tail or "").strip():
            return False
    return False


def _remove(element: Any) -> None:
    """Remove an element but keep its tail text (lxml attaches following text to it)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail and tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
