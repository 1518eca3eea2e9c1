"""Briefings into text through the Jinja templates in templates/.

Undefined variables are errors, not blanks: a template that names a field the briefing does not
have fails with its file and line. HTML templates autoescape; in Markdown, the `md` filter
escapes what would otherwise become markup, because every string in a briefing came from a model
reading an untrusted article.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import jinja2

from .errors import TemplateError
from .grounding import item_status
from .models import Actor, Briefing, DisputedClaim, Event, Evidence, Fact, Position, Quote
from .resources import resource_dir

DEFAULT_TEMPLATE = "briefing.md"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def md(text: object) -> str:
    """Model text made inert in Markdown: one line, no emphasis, links, images or HTML."""
    flat = " ".join(str(text).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def thousands(number: int) -> str:
    return f"{number:,}"


def timeline(events: list[Event]) -> list[Event]:
    """Dated events first, in date order; undated ones after, in the article's order."""
    return sorted(events, key=lambda e: (e.date is None, e.date or ""))


_LABELS = {"approximate": " _(≈ approximate)_", "unsupported": " **(⚠ unsupported)**"}


def mark(item: Evidence | Quote | Position | DisputedClaim | Fact | Event) -> str:
    """The grounding marker behind an item: nothing when verified (or not checked)."""
    if isinstance(item, Quote):
        flagged = " **(⚠ attribution unconfirmed)**" if item.attribution == "flagged" else ""
        return _LABELS.get(item.status, "") + flagged
    status = item.status if isinstance(item, Evidence) else item_status(item)
    return _LABELS.get(status, "")


def _shown_in(briefing: Briefing) -> Any:
    """A filter keeping the items the body shows: in strict grounding, not the unsupported ones
    (the appendix lists them)."""
    strict = briefing.grounding.mode == "strict"

    def shown(items: list[Any]) -> list[Any]:
        return [i for i in items if item_status(i) != "unsupported"] if strict else list(items)

    return shown


def appendix(briefing: Briefing) -> list[tuple[str, str, Any]]:
    """In strict grounding, the unsupported items as (kind, what it says, item)."""
    if briefing.grounding.mode != "strict":
        return []
    said: list[tuple[str, str, Any]] = [
        *(("Position", p.stance, p) for p in briefing.positions),
        *(("Disputed claim", c.claim, c) for c in briefing.disputed_claims),
        *(("Figure", f"{f.figure}: {f.statement}", f) for f in briefing.facts),
        *(("Event", f"{e.date_text}: {e.what}", e) for e in briefing.events),
        *(("Quote", f"“{q.text}”", q) for q in briefing.quotes),
    ]
    return [entry for entry in said if item_status(entry[2]) == "unsupported"]


def positions_by_actor(briefing: Briefing) -> list[tuple[Actor, list[Position]]]:
    """Positions grouped under their actor, actors in the briefing's order."""
    shown = _shown_in(briefing)(briefing.positions)
    return [
        (actor, held)
        for actor in briefing.actors
        if (held := [p for p in shown if p.actor_id == actor.id])
    ]


def _cite_in(briefing: Briefing) -> Any:
    """A filter naming where an item stands: `¶6`, or `source ¶6` with several sources; for a
    list of evidence, each place once, in order."""
    several = len(briefing.sources) > 1

    def place(item: Evidence | Quote) -> str:
        return f"{item.source} ¶{item.paragraph}" if several else f"¶{item.paragraph}"

    def cite(item: Any) -> str:
        if isinstance(item, list):
            return ", ".join(dict.fromkeys(place(e) for e in item))
        if isinstance(item, (Evidence, Quote)):
            return place(item)
        return cite(item.evidence)

    return cite


def environment(search_path: list[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search_path]),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "htm", "xml", "html.j2", "htm.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, thousands=thousands, timeline=timeline, mark=mark)
    return env


def resolve_template(name_or_path: str) -> tuple[list[Path], str]:
    """A built-in template's name (`briefing.md`, `briefing`) or a template file's path, as the
    folders to load from and the name to load.

    A built-in name wins over a file of the same name in the working directory (which may well
    be the briefing being written); `./briefing.md` names the file.
    """
    builtin = resource_dir("templates")
    is_name = "/" not in name_or_path and os.sep not in name_or_path
    for candidate in (name_or_path, f"{name_or_path}.j2", f"{name_or_path}.md.j2"):
        if is_name and (builtin / candidate).is_file():
            return [builtin], candidate
    path = Path(name_or_path)
    if path.is_file():
        return [path.parent.resolve(), builtin], path.name
    available = ", ".join(sorted(p.name.removesuffix(".j2") for p in builtin.glob("*.j2")))
    raise TemplateError(f"no template '{name_or_path}' (built-in: {available}; or give a path)")


def render_briefing(briefing: Briefing, template: str = DEFAULT_TEMPLATE) -> str:
    search_path, name = resolve_template(template)
    env = environment(search_path)
    env.filters.update(cite=_cite_in(briefing), actor=_actor_in(briefing), shown=_shown_in(briefing))
    try:
        return env.get_template(name).render(
            briefing=briefing,
            positions_by_actor=positions_by_actor(briefing),
            appendix=appendix(briefing),
        )
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename or name}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"{_where(error, name)}: {error.message}") from None


def _actor_in(briefing: Briefing) -> Any:
    def actor(actor_id: str | None) -> str:
        found = briefing.actor(actor_id)
        return found.name if found else str(actor_id)

    return actor


def _where(error: BaseException, fallback: str) -> str:
    """file:line of the template frame in the traceback of a render-time error."""
    tb = error.__traceback__
    where = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or filename.endswith((".html", ".txt", ".md")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
