"""Issue 22, fourth reading: the National Review column was never put to its writer ("The
columnist"), though the page says who wrote it. The byline ingest reads (JSON-LD author, meta
author, a sidecar) goes into the request's article header, and the briefing names the writer of
an opinion piece; the writer's own claims still rest on their word alone ("Unconfirmed")."""

from __future__ import annotations

import dataclasses

from briefer.core.models import Briefing
from briefer.extract.chunking import chunk_document
from briefer.extract.prompting import extraction_request, synthesis_request
from briefer.ingest import read_source
from briefer.render.engine import render_briefing

from .conftest import CASSETTES, Run
from .record_handwritten import ARTICLES

COLUMN = ARTICLES / "nationalreview_impeachment_clock_2019.html"
WRITER = "Victor Davis Hanson"


def test_the_request_header_names_the_writer_next_to_title_and_outlet() -> None:
    document = read_source(str(COLUMN))
    assert document.author == WRITER  # the page's JSON-LD author
    chunk = chunk_document(document, 100_000, "gpt-4.1-mini")[0]
    user = extraction_request(document, chunk)[0][-1]["content"]
    header = user.split("<<<ARTICLE")[0]
    assert f"Outlet: National Review\nAuthor: {WRITER}\n" in header
    anonymous = extraction_request(dataclasses.replace(document, author=None), chunk)[0][-1]
    assert "Author: unknown" in anonymous["content"]


def test_the_synthesis_request_names_each_sources_writer(run: Run) -> None:
    result = run("brief", COLUMN, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    user = synthesis_request(briefing, [])[0][-1]["content"]
    assert f"National Review; by {WRITER}; published" in user


def test_an_opinion_piece_is_put_to_its_writer_whose_claims_stay_unconfirmed(run: Run) -> None:
    result = run("brief", COLUMN, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    assert WRITER in briefing.bottom_line.text
    markdown = render_briefing(briefing)
    who = markdown.split("## Who's who")[1].split("##")[0]
    assert f"**{WRITER}**" in who and "columnist" not in who.split(f"**{WRITER}**")[0]
    unconfirmed = markdown.split("## Unconfirmed")[1].split("##")[0]
    assert f"- According to {WRITER}, as vice president, Biden leveraged U.S. aid" in unconfirmed
