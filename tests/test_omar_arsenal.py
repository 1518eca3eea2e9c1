"""Issue 22, fourth reading of C (NBC + The Hill, the threat to Omar): the short briefing left
out the arsenal and the 1998 conviction (S1 ¶9), which the synthesis had as its sixth key point
of seven, past the five the short briefing shows, and it paraphrased the threat ("spoke of a
bullet in her skull"). The synthesis puts the arsenal second, for it is the second charge, and
quotes the threat as prosecutors give it."""

from __future__ import annotations

from briefer.render.engine import render_briefing
from briefer.core.models import Briefing

from .conftest import CASSETTES, Run
from .record_handwritten import ARTICLES

OMAR = [ARTICLES / "omar_nbcnews_guilty_plea_2019.txt", ARTICLES / "omar_thehill_guilty_plea_2019.txt"]


def test_the_short_briefing_gives_the_arsenal_and_quotes_the_threat(run: Run) -> None:
    result = run("brief", *OMAR, "--replay", CASSETTES, "--format", "json", "-q")
    assert result.exit_code == 0, result.stderr
    briefing = Briefing.model_validate_json(result.stdout)
    points = render_briefing(briefing).split("## Key points")[1].split("\n## ")[0]
    assert "three rifles, two shotguns" in points and "1998 conviction" in points and "(S1 ¶9)" in points
    assert "said “somebody ought to put a bullet in her skull”, prosecutors say" in points
