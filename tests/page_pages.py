"""The web pages the page tests look at: the seed briefing's, the four-outlet meth briefing's
(the recorded briefing of several sources), a digest of three briefings, and a hostile one
whose every text field and every source paragraph carries markup, script and links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from briefer.cli import main
from briefer.grounding.audit import documents_for
from briefer.core.models import Briefing, Document, Paragraph

from .conftest import CASSETTES, FIXTURES

ARTICLES = FIXTURES / "articles"
SETS = {
    "seed": ["scholz-putin-call.txt"],
    "meth": ["meth_njcom_2019.txt", "meth_spokesman_ad_agencies_2019.txt",
             "meth_thehill_noem_doubles_down_2019.txt", "meth_usatoday_argusleader_2019.txt"],
    "businessweek": ["businessweek_afghanistan_new_millionaires_2014.txt"],
    "ap": ["ap_uk_tories_factcheckuk_2019.html"],
}
#: What an attacker would put in every field: a script, an event attribute, a javascript: link,
#: a remote image and style, and a quote that tries to leave an attribute.
HOSTILE = ('<script>alert("s")</script><img src="http://127.0.0.1:9/x.png" onerror="alert(1)">'
           '<a href="javascript:alert(2)">x</a>" onmouseover="alert(3)" <svg onload=alert(4)>'
           '<style>@import "http://127.0.0.1:9/x.css"</style> javascript:alert(5)')
#: Fields that are not text: ids, statuses, digests, dates and numbers the models validate.
NOT_TEXT = {"id", "source", "speaker_id", "actor_id", "attributed_to", "status", "date_status", "figure_status",
            "attribution", "sha256", "date", "language", "mode", "format", "prices_of", "currency", "kind",
            "asserted_by", "disputed_by", "origin", "kind", "rebuttal_attribution", "reading"}


def cli(folder: Path, *args: object) -> Any:
    """The CLI in-process, its config and data in `folder`, never the real HOME."""
    env = {"BRIEFER_CONFIG": str(folder / "config.toml"), "BRIEFER_DATA_DIR": str(folder / "data"),
           "OPENAI_API_KEY": None, "BRIEFER_TEMPLATES_DIR": None}
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def briefing_json(folder: Path, name: str) -> Path:
    """A fixture set briefed from its recordings and saved as JSON."""
    saved = folder / f"{name}.json"
    if not saved.exists():
        result = cli(folder, "brief", *(ARTICLES / a for a in SETS[name]), "--replay", CASSETTES, "-q",
                     "--no-log", "-o", saved)
        assert result.exit_code == 0, result.output
    return saved


def page(folder: Path, name: str) -> Path:
    """A fixture set's web page, made by `briefer render -o NAME.html`."""
    html = folder / f"{name}.html"
    if not html.exists():
        result = cli(folder, "render", briefing_json(folder, name), "-o", html)
        assert result.exit_code == 0, result.output
    return html


def digest_page(folder: Path) -> Path:
    html = folder / "digest.html"
    if not html.exists():
        result = cli(folder, "digest", *(briefing_json(folder, n) for n in ("seed", "businessweek", "ap")),
                     "-o", html)
        assert result.exit_code == 0, result.output
    return html


def hostile(value: Any, key: str = "") -> Any:
    """Every text field of a briefing's JSON with the hostile payload added."""
    if isinstance(value, dict):
        return {k: hostile(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v, key) for v in value]
    if isinstance(value, str) and key not in NOT_TEXT:
        return "javascript:alert(6)" if key == "url" else value + " " + HOSTILE
    return value


def hostile_document(document: Document) -> tuple[Document, dict[int, int]]:
    """The article with the payload at the end of every paragraph, and how far each old offset
    moves (the paragraphs before it grew)."""
    text, paragraphs, shift, moved = "", [], 0, {}
    last = 0
    for p in document.paragraphs:
        text += document.text[last:p.start]
        start = len(text)
        text += document.text[p.start:p.end] + " " + HOSTILE
        paragraphs.append(Paragraph(number=p.number, text=text[start:], start=start, end=len(text)))
        moved[p.start] = shift
        shift += len(" " + HOSTILE)
        last = p.end
    text += document.text[last:]
    return document.model_copy(update={"text": text, "paragraphs": paragraphs}), moved


def hostile_page(folder: Path) -> Path:
    """The seed page with every briefing field and every source paragraph hostile, and one
    excerpt stretched from inside another to the end of its paragraph, payload included: the
    payload sits inside a mark, and the two excerpts cross."""
    from briefer.render.page import render_page

    html = folder / "hostile.html"
    if html.exists():
        return html
    briefing = Briefing.model_validate_json(briefing_json(folder, "seed").read_bytes())
    (document,) = documents_for(briefing, [], folder)
    bad, moved = hostile_document(document)
    starts = sorted(moved)

    def shifted(value: Any) -> Any:
        if isinstance(value, dict):
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                by = moved[max(s for s in starts if s <= value["start"])]
                value = {**value, "start": value["start"] + by, "end": value["end"] + by}
            return {k: shifted(v) for k, v in value.items()}
        return [shifted(v) for v in value] if isinstance(value, list) else value

    data = hostile(shifted(briefing.model_dump(mode="json")))
    first = data["events"][0]["evidence"][0]  # "spoke this Friday", in paragraph 1
    first.update(start=first["start"] + 6, end=bad.paragraphs[0].end)
    data["events"][1]["evidence"][0].update(paragraph=1, start=first["start"] - 8, end=first["start"] + 1)
    html.write_text(render_page([(Briefing.model_validate(data), [bad])]), encoding="utf-8")
    return html
