"""The briefing as a web page (`briefer render -o brief.html`), read as HTML: every citation goes
to the very words the checker found, the page loads nothing, its style and script are the ones
its policy allows, and nothing a model or an article wrote becomes markup. How it behaves in a
browser is tests/test_page_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import lxml.html
import pytest

from briefer.render.escaping import JOINER as J
from briefer.grounding.audit import documents_for
from briefer.core.models import Briefing
from briefer.render.page import Excerpt, pieces

from .conftest import Run, assert_clean_failure
from .page_pages import ARTICLES, briefing_json, digest_page, hostile_page, page


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pages")


def tree(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.mark.parametrize("name", ["seed", "meth"])
def test_every_highlight_is_the_excerpts_own_words_at_the_checkers_offsets(folder: Path, name: str) -> None:
    briefing = Briefing.model_validate_json(briefing_json(folder, name).read_bytes())
    documents = {d.id: d for d in documents_for(briefing, [], folder)}
    html = tree(page(folder, name))
    several = len(briefing.sources) > 1
    marked: dict[str, tuple[str, str]] = {}  # excerpt -> (its paragraph, its words, all parts)
    for m in html.xpath("//mark[@data-x]"):
        where, words = marked.get(m.get("data-x"), (m.xpath("ancestor::div[1]/@id")[0], ""))
        marked[m.get("data-x")] = (where, words + m.xpath("string()"))
    found = 0
    for item in [briefing.bottom_line, *briefing.key_points, *briefing.facts, *briefing.events, *briefing.quotes]:
        for located in ([item] if hasattr(item, "speaker_id") else item.evidence):
            if located.start is None:
                continue
            words = documents[located.source].text[located.start:located.end]
            label = f"S{[s.id for s in briefing.sources].index(located.source) + 1}"
            marks = [x for x, (where, said) in marked.items()
                     if where == f"{label}-p{located.paragraph}" and said == words]
            assert marks, (label, located.paragraph, words)
            text = f"{label} ¶{located.paragraph}" if several else f"¶{located.paragraph}"
            hrefs = {a.get("href") for a in html.xpath("//a[@class]") if a.text_content() == text}
            assert any(f"#{x}" in hrefs for x in marks)
            found += 1
    assert found > 10


@pytest.mark.parametrize("name", ["seed", "meth"])
def test_every_link_inside_the_page_lands_and_every_cited_paragraph_names_its_items(folder: Path, name: str) -> None:
    html = tree(page(folder, name))
    ids = html.xpath("//@id")
    assert len(ids) == len(set(ids)), "ids are unique"
    inside = [h for h in html.xpath("//a/@href") if h.startswith("#")]
    assert inside and all(h[1:] in ids for h in inside), [h for h in inside if h[1:] not in ids]
    cited = html.xpath("//div[contains(@class, 'para') and contains(@class, 'cited')]")
    assert cited and all(p.xpath(".//p[@class='cited-by']/a") for p in cited)
    citing = {a.get("href")[1:] for p in cited for a in p.xpath(".//p[@class='cited-by']/a")}
    assert "bl" in citing and "kp1" in citing


def test_the_page_loads_nothing_and_its_policy_allows_only_its_own_style_and_script(folder: Path) -> None:
    text = page(folder, "seed").read_text(encoding="utf-8")
    html = lxml.html.fromstring(text)
    policy = html.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    (style,), (script,) = html.xpath("//style"), html.xpath("//script")
    assert policy.startswith("default-src 'none'; ")
    assert f"style-src {sha(style.text)};" in policy and f"script-src {sha(script.text)};" in policy
    assert "unsafe" not in policy and "http" not in policy
    assert not html.xpath("//*[@src] | //link | //img | //iframe | //object | //embed | //@style")
    assert re.search(r"url\(|@import", style.text) is None


def test_a_hostile_briefing_is_text_everywhere(folder: Path) -> None:
    html = tree(hostile_page(folder))
    assert len(html.xpath("//script")) == 1 and len(html.xpath("//style")) == 1
    assert not html.xpath("//img | //iframe | //svg//script | //*[local-name()='svg' and @onload]")
    events = [a for a in html.xpath("//@*") if a.attrname.lower().startswith("on")]
    assert events == []
    assert not [h for h in html.xpath("//@href") if not h.startswith(("#", "https://", "http://"))]
    assert not [h for h in html.xpath("//@href") if not h.startswith("#")], "the javascript: url is dropped"
    body = html.text_content()
    assert '<script>alert("s")</script>' in body and "http://127" in body  # reads and copies as written,
    assert not [t for t in html.xpath("//body")[0].itertext() if "://" in t]  # no linker's text
    marked = html.xpath("//mark[@id='x1']")  # the excerpt stretched over the payload
    assert any("onerror" in m.text_content() for m in html.xpath("//mark")), marked


def test_pieces_nest_excerpts_and_reopen_one_that_crosses_another() -> None:
    text = "abcdefghijklmnop"
    outer, inner, crossing = Excerpt("a", 0, 10, "verified"), Excerpt("b", 2, 5, "verified"), \
        Excerpt("c", 8, 14, "approximate")
    out = ""
    for piece in pieces(text, 0, 16, [outer, inner, crossing]):
        if piece.kind == "open":
            out += f"<{piece.excerpt.id}{'' if piece.first else '+'}>"
        out += str(piece.text) if piece.kind == "text" else "</>" if piece.kind == "close" else ""
    assert out == "<a>ab<b>cde</>fgh<c>ij</></><c+>klmn</>op"


def test_render_html_by_extension_and_by_format(run: Run, folder: Path, tmp_path: Path) -> None:
    saved = briefing_json(folder, "seed")
    result = run("render", saved, "-o", tmp_path / "brief.html")
    assert result.exit_code == 0, result.output
    written = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and 'id="S1-p21"' in written
    result = run("render", saved, "--format", "html")
    assert result.exit_code == 0 and result.stdout == written
    result = run("render", saved, "--template", "email.html", "-o", tmp_path / "email.html")
    assert result.exit_code == 0 and 'id="S1-p1"' not in (tmp_path / "email.html").read_text(encoding="utf-8")


def test_brief_writes_the_page_straight_from_its_run(run: Run, tmp_path: Path) -> None:
    from .conftest import CASSETTES, SEED

    result = run("brief", SEED, "--replay", CASSETTES, "-q", "-o", tmp_path / "b.html")
    assert result.exit_code == 0, result.output
    assert 'id="S1-p21"' in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_sources_not_found_or_changed_are_one_clear_error(run: Run, folder: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "brief.json"
    moved.parent.mkdir()
    data = json.loads(briefing_json(folder, "seed").read_text(encoding="utf-8"))
    data["sources"][0]["origin"] = "gone/scholz-putin-call.txt"
    moved.write_text(json.dumps(data), encoding="utf-8")
    line = assert_clean_failure(run("render", moved, "-o", tmp_path / "b.html"), 3)
    assert "not there any more" in line and "--source FILE" in line
    line = assert_clean_failure(run("render", moved, "-o", tmp_path / "b.html", "--source",
                                    ARTICLES / "meth_njcom_2019.txt"), 3)
    assert "has changed" in line
    result = run("render", moved, "-o", tmp_path / "b.html", "--source", ARTICLES / "scholz-putin-call.txt")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "gone").exists()
    line = assert_clean_failure(run("render", moved, "--format", "html", "--template", "email.html"), 2)
    assert "--format html" in line
    line = assert_clean_failure(run("brief", ARTICLES / "scholz-putin-call.txt", "--each", "-o", tmp_path / "out",
                                    "--format", "html", "--replay", folder), 2)
    assert "briefer render" in line


def test_digest_page_holds_each_story_beside_its_own_sources(folder: Path) -> None:
    html = tree(digest_page(folder))
    ids = html.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert [a.get("href") for a in html.xpath("//nav//a")] == ["#s1-story", "#s2-story", "#s3-story"]
    for n in (1, 2, 3):
        assert html.xpath(f"//article[@id='s{n}-story']//div[@id='s{n}-S1-p1']")
    inside = [h for h in html.xpath("//a/@href") if h.startswith("#")]
    assert all(h[1:] in ids for h in inside)
    assert len(html.xpath("//h1")) == 1 and len(html.xpath("//main")) == 1


@pytest.mark.parametrize("mode", ["mark", "strict"])
def test_words_that_did_not_hold_show_the_sources_own_beside_them(folder: Path, mode: str) -> None:
    """A key point whose excerpt is only close, and a quote not found: their marks, the source's
    own words beside the first; under strict grounding the quote goes to the appendix, and
    every link still lands."""
    from briefer.render.page import render_page

    briefing = Briefing.model_validate_json(briefing_json(folder, "seed").read_bytes())
    documents = documents_for(briefing, [], folder)
    data = briefing.model_dump(mode="json")
    data["grounding"]["mode"] = mode
    close = data["key_points"][0]["evidence"][0]
    close.update(status="approximate", excerpt="undermining the efforts to isolate Russia's leader",
                 source_words=documents[0].text[close["start"]:close["end"]])
    data["quotes"][0].update(status="unsupported", start=None, end=None, text="Words nobody said")
    html = lxml.html.fromstring(render_page([(Briefing.model_validate(data), documents)]))
    ids = html.xpath("//@id")
    assert len(ids) == len(set(ids)) and all(h[1:] in ids for h in html.xpath("//a/@href") if h.startswith("#"))
    point = html.xpath("//li[@id='kp1' or @id='d-kp1']")[0]
    assert "≈ approximate" in point.text_content()
    assert "The source's own words (¶4): “undermining efforts to isolate the Russian leader”" in \
        " ".join(point.text_content().split())
    quote = html.xpath("//li[@id='qu1' or @id='d-qu1']")[0]
    assert "✗ unsupported" in quote.text_content()
    assert f"No such words found in ¶{data['quotes'][0]['paragraph']}" in quote.text_content()
    appendix = html.xpath("//details[contains(summary, 'Appendix')]//li[@id='d-qu1']")
    assert bool(appendix) == (mode == "strict")


def test_the_sources_byline_is_shown_as_text(folder: Path) -> None:
    """A column's author is named beside its title, and a byline is text like everything else."""
    from briefer.render.page import render_page

    briefing = Briefing.model_validate_json(briefing_json(folder, "seed").read_bytes())
    source = briefing.sources[0].model_copy(update={"author": "<b>Victor</b> Davis Hanson"})
    bylined = briefing.model_copy(update={"sources": [source]})
    documents = documents_for(bylined, [], folder)
    html = lxml.html.fromstring(render_page([(bylined, documents)]))
    (title,) = html.xpath("//p[@class='source-title']")
    assert title.text_content().endswith(", by <b>Victor</b> Davis Hanson") and not title.xpath(".//b")
