"""Briefings into text through Jinja templates: the built-in ones in templates/, and a user's
own, which override them by name (`--templates-dir`).

Every string in a briefing came from a model reading an untrusted article (or from a sidecar a
user did not check), so it is made inert in every output, by one mechanism: the environment's
`finalize`, which every printed value passes through, whether or not the template remembered a
filter. Markdown templates escape what would become markup (`md`); text and HTML templates fold
the value onto one line (`inert`, `inert_html`). All of them remove terminal controls and bidi
overrides, and break what that output's linkers would take for a link, each in its own way
(briefer/render/escaping.py: a backslash in Markdown, an empty `<wbr>` in HTML, a zero-width space
only in plain text), so that no terminal, mail client or Markdown renderer turns model text into
a command, a live link or a loaded image, and what a reader sees copies as itself. Undefined variables are errors with
their file and line, not blanks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..core import languages, typography
from ..core.errors import TemplateError
from ..core.models import Actor, Briefing, Cost, Event, Evidence, Position, Quote
from ..core.resources import resource_dir
from ..core.templating import environment as jinja_environment
from ..grounding import item_status, outcome
from . import choice, layout, names, phrasing, plaintext, sides
from .escaping import safe_url as find_url
from .escaping import Escaped, escaper, inert, inert_html, md, plain  # noqa: F401  (re-exported)
from .memo import item_once, session
from .quotes import shown as shown_words
from .template_files import available_templates, resolve_template  # noqa: F401  (re-exported)
from .words import all_found, count_of, grounding_line, language_name, stop

DEFAULT_TEMPLATE = "briefing.md"
HTML_SUFFIXES = (".html.j2", ".htm.j2", ".html", ".htm")
TEXT_SUFFIXES = (".txt.j2", ".text.j2", ".txt", ".text")


# ----------------------------------------------------------------------- filters


@jinja2.pass_context
@item_once
def t(context: Any, text: str) -> Escaped:
    """The template's own words in the briefing's language (briefer/core/languages.py): our text,
    so it is not escaped."""
    return Escaped(languages.word(text, context["briefing"].language))


def _in_language(function: Callable[[Any, str | None], str]) -> Callable[..., str]:
    """A filter that writes its value in the briefing's language (dates, kinds of actor)."""
    @jinja2.pass_context
    @item_once
    def in_language(context: Any, value: Any) -> str:
        return function(value, getattr(context.get("briefing"), "language", None))
    return in_language


@jinja2.pass_context
def date_note(context: Any, event: Any) -> str:
    """The article's wording of a date beside it, only in the briefing's own language: an
    editor read "28 January 2020 (am Dienstag)" in an English briefing of a German article."""
    briefing = context.get("briefing")
    language = getattr(briefing, "language", None)
    source = next((s for s in getattr(briefing, "sources", []) if event.evidence and s.id == event.evidence[0].source),
                  None)
    if source is not None and source.language and language and source.language != language:
        return ""
    return phrasing.date_note(event, language)


def heading(text: str) -> str:
    """Heading text without trailing punctuation (a heading is not a sentence)."""
    stripped = text.rstrip(" .,;:!?")
    return Escaped(stripped) if isinstance(text, Escaped) else stripped


def join(items: Any, separator: str = "") -> str:
    """Jinja's `join`, keeping text that is already escaped from being escaped again."""
    values = list(items)
    joined = separator.join(str(v) for v in values)
    return Escaped(joined) if values and all(isinstance(v, Escaped) for v in values) else joined


def thousands(number: int) -> str:
    return f"{number:,}"


def money(cost: Cost) -> str:
    """An estimate with its currency and the date of the prices: "0.0042 USD (prices of ...)"."""
    return f"{cost.amount:.4f} {cost.currency} (prices of {cost.prices_of})"


def spending(briefing: Briefing) -> str:
    """Calls made and replayed, tokens and money, as every footer says it (briefer/llm/costs.py)."""
    from ..llm.costs import spending as account

    return account(briefing.usage, briefing.cost, briefing.language)


@jinja2.pass_context
def timeline(context: Any, events: list[Event]) -> list[Event]:
    """Events in true order, relative dates placed where they fall (`choice.chronological`)."""
    return choice.chronological(events, {s.id: s.date for s in context["briefing"].sources})


#: The short briefing and its emails: what could not be checked is counted in their summary line.
SHORT_TEMPLATES = frozenset({"briefing.md", "email.html", "email.txt"})


@jinja2.pass_context
def labels(context: Any, item: Any) -> list[str]:
    """The item's one outcome as a label: "unsupported" (⚠), "approximate" or "not checked"; none
    when it verified, and none at all with grounding off (the summary line says nothing was
    checked). One label an item, the outcome the summary line counts it by."""
    if context["briefing"].grounding.mode == "off":
        return []
    status = outcome(item)
    if status == "unchecked" and (context.name or "").removesuffix(".j2") in SHORT_TEMPLATES:
        return []  # the short briefing counts it in its summary line only: "(not checked)" on the
        # source's own words reads to an editor as doubt about them; the dossier shows it
    return [] if status == "verified" else ["not checked" if status == "unchecked" else status]


@jinja2.pass_context
@item_once
def mark(context: Any, item: Any) -> str:
    """The Markdown form of `labels`, in the briefing's language."""
    def said(label: str) -> str:
        return languages.word(label, context["briefing"].language)

    return Escaped("".join(
        f" *(≈ {said(label)})*" if label == "approximate" else f" *({said(label)})*" if label == "not checked"
        else f" **(⚠ {said(label)})**" for label in labels(context, item)))


@jinja2.pass_context
@item_once
def quoted(context: Any, item: Evidence | Quote) -> str:
    """The one way a quote or excerpt is printed, so that approximate is never dressed as a
    quote: verified words in quotation marks (the briefing language's, briefer/core/typography.py);
    words that are not verbatim replaced by the source's own closest words (in quotation marks,
    the mark beside the item says why); with no such span, the model's words without quotation
    marks. Made inert for the template's kind."""
    said = shown_words(item) if isinstance(item, Quote) else item.excerpt
    if item.status in ("verified", "unchecked"):
        words, marks = said, True
    elif item.source_words:
        words, marks = item.source_words, True
    else:
        words, marks = said, False
    words = " ".join(words.split())
    escape = escaper(kind_of(context.name or ""))
    if not marks:
        return escape(words.strip(typography.QUOTE_MARKS + " "))
    # quoted once: the excerpt's own outer marks go, a quotation inside nests in the alternates
    start, words, end = typography.quotation(words, context["briefing"].language)
    if context.eval_ctx.autoescape:  # HTML: the words escaped, the quotation marks kept
        return Markup("{}{}{}").format(start, escape(words), end)
    return Escaped(f"{start}{escape(words)}{end}")


@jinja2.pass_context
def safe_url(context: Any, url: str | None) -> Escaped | Markup | None:
    """A source's own address as a link target (http or https only, `escaping.safe_url`), passed
    through as it is: it comes from the user's input, and unlinking would break it."""
    found = find_url(url)
    if found is None:
        return None
    return Markup.escape(found) if context.eval_ctx.autoescape else Escaped(found)


# ------------------------------------------- filters that read the briefing being rendered


@jinja2.pass_context
def source_label(context: Any, source_id: str) -> str:
    """A source by its short label: S1, S2, ... in the sources' order."""
    for n, source in enumerate(context["briefing"].sources, 1):
        if source.id == source_id:
            return f"S{n}"
    return source_id


@jinja2.pass_context
@item_once
def cite(context: Any, item: Any) -> str:
    """Where an item stands: `¶6`, or `S2 ¶6` with several sources; for a list of evidence or
    an item with evidence (a quote: with the other sources that print it), each place once, in
    order. So every item says which sources support it."""
    several = len(context["briefing"].sources) > 1

    def place(located: Evidence | Quote) -> str:
        return f"{source_label(context, located.source)} ¶{located.paragraph}" if several else f"¶{located.paragraph}"

    order = {s.id: n for n, s in enumerate(context["briefing"].sources)}

    def places(located: list[Evidence | Quote]) -> str:
        ordered = sorted(located, key=lambda e: (order.get(e.source, len(order)), e.paragraph))
        # never an empty pair of brackets in a template: an item without evidence says so
        return ", ".join(dict.fromkeys(place(e) for e in ordered)) or languages.word(
            "no source cited", context["briefing"].language)

    if isinstance(item, list):
        return places(item)
    if isinstance(item, Quote):
        return places([item, *item.also_in])
    if isinstance(item, Evidence):
        return place(item)
    return cite(context, getattr(item, "evidence", None) or getattr(item, "accounts", []))


@jinja2.pass_context
@item_once
def actor(context: Any, actor_id: str | None) -> str:
    """An actor id as the actor's name, as it reads inside a sentence ("the whistleblower")."""
    found = context["briefing"].actor(actor_id)
    return names.in_sentence(found.name) if found else str(actor_id)


def _in_body(item: Any, strict: bool) -> bool:
    """Under strict grounding the body keeps only what held: no unsupported item, and no quote
    that is not verified verbatim (the appendix lists them)."""
    if not strict:
        return True
    status = item_status(item)
    return status in ("verified", "unchecked") if isinstance(item, Quote) else status != "unsupported"


@jinja2.pass_context
@item_once
def according_to(context: Any, fact: Any) -> str:
    """Whose figure it is, unless the statement already says so."""
    found = context["briefing"].actor(fact.attributed_to)
    if found is None or phrasing.names_actor(fact.statement, found):
        return ""
    return found.name


@jinja2.pass_context
def shown(context: Any, items: list[Any]) -> list[Any]:
    """The items the body shows (see `_in_body`)."""
    strict = context["briefing"].grounding.mode == "strict"
    return [i for i in items if _in_body(i, strict)]


def appendix(briefing: Briefing) -> list[tuple[str, str, Any]]:
    """In strict grounding, what the body left out, as (kind, what the model said, item): the
    model's words, without quotation marks, for the mark beside them says they did not hold."""
    if briefing.grounding.mode != "strict":
        return []
    language, colon = briefing.language, typography.punctuate(":", briefing.language)
    said: list[tuple[str, str, Any]] = [
        *(("Key point", p.text, p) for p in briefing.key_points),
        *(("Finding", f.statement, f) for f in briefing.findings),
        *(("Position", p.stance, p) for p in briefing.positions),
        *(("Disputed claim", c.claim, c) for c in briefing.disputed_claims),
        *(("Figure", phrasing.figure_phrase(f, language), f) for f in briefing.facts),
        *(("Event", f"{e.date_text}{colon} {e.what}", e) for e in briefing.events),
        *(("Quote", q.text, q) for q in briefing.quotes),
        *(("Where the sources differ", d.subject, d) for d in briefing.source_disputes),
    ]
    return [entry for entry in said if not _in_body(entry[2], True)]


def positions_by_actor(briefing: Briefing) -> list[tuple[Actor, list[Position]]]:
    """Positions grouped under their actor, actors in the briefing's order."""
    strict = briefing.grounding.mode == "strict"
    kept = [p for p in briefing.positions if _in_body(p, strict)]
    return [
        (someone, held)
        for someone in briefing.actors
        if (held := [p for p in kept if p.actor_id == someone.id])
    ]


# ------------------------------------------------------------------ templates


def kind_of(name: str) -> str:
    """How a template's output is escaped, by its name: html, text or md (the default)."""
    return "html" if name.endswith(HTML_SUFFIXES) else "text" if name.endswith(TEXT_SUFFIXES) else "md"


@cache
def environment(search_path: tuple[Path, ...], kind: str = "md") -> jinja2.Environment:
    """One environment per template search path and output kind: templates compile once per
    process. Every value a template prints passes through `finalize`: Markdown-escaped (md) or
    made inert (text, html; html is autoescaped after), unless a filter already did that. So no
    value, however a template prints it, reaches the output raw."""
    escape = escaper(kind)

    def finalize(value: Any) -> Any:
        return value if isinstance(value, (Escaped, Markup)) else escape(value)

    env = jinja_environment([str(p) for p in search_path],
                            {"autoescape": kind == "html", "trim_blocks": True, "lstrip_blocks": True,
                             "keep_trailing_newline": True},
                            kind, undefined=jinja2.StrictUndefined, finalize=finalize)
    env.filters.update(md=md, inert=inert, plain=plain, heading=heading, thousands=thousands, money=money, spending=spending,
                       timeline=timeline, labels=labels, mark=mark, quoted=quoted, cite=cite, actor=actor,
                       shown=shown, source_label=source_label,
                       figure_phrase=_in_language(phrasing.figure_phrase), role_line=_in_language(phrasing.role_line),
                       aliases=phrasing.distinct_aliases, human_date=_in_language(phrasing.human_date),
                       date_note=date_note, safe_url=safe_url, according_to=according_to,
                       side=sides.side_filter, names_itself=sides.names_itself, in_sentence=names.in_sentence,
                       in_clause=sides.in_clause, said_by_others=sides.said_by_others, per_source=choice.per_source,
                       t=t, grounding_line=grounding_line, all_found=all_found, language_name=language_name,
                       count_of=count_of, stop=stop)
    if kind == "html":
        env.filters["inert"] = inert_html
    else:
        env.filters["join"] = join
    return env


def short_view(briefing: Briefing) -> tuple[layout.View, str]:
    """The short briefing's sections, fitted to its word budget by rendering the built-in
    Markdown briefing (the email templates show the same selection), and that rendering: the
    default briefing itself, so it is not rendered again."""
    template = environment((resource_dir("templates"),), "md").get_template(DEFAULT_TEMPLATE + ".j2")
    renderings: dict[int, str] = {}  # by view: the fit keeps all its views alive while it runs
    context = _context(briefing, None)

    def render(view: layout.View) -> str:
        renderings[id(view)] = text = template.render(**{**context, "short": lambda: view})
        return text

    view = layout.fit(briefing, render)
    return view, renderings.get(id(view)) or render(view)


def _context(briefing: Briefing, short: Any) -> dict[str, Any]:
    return {"briefing": briefing, "positions_by_actor": positions_by_actor(briefing),
            "appendix": appendix(briefing), "short": short}


def render_briefing(
    briefing: Briefing, template: str = DEFAULT_TEMPLATE, templates_dir: Path | None = None
) -> str:
    """The briefing through one template. HTML comes out with its styles inlined, ready for a
    mail client. The filters' work is done once per briefing however often the fit renders it."""
    search_path, name = resolve_template(template, templates_dir)
    env = environment(tuple(search_path), kind_of(name))
    try:
        with session():
            fitted: list[tuple[layout.View, str]] = []

            def short() -> layout.View:
                """Computed only by the templates that show the short briefing."""
                if not fitted:
                    fitted.append(short_view(briefing))
                return fitted[0][0]

            if search_path == [resource_dir("templates")] and name == DEFAULT_TEMPLATE + ".j2":
                short()
                text = fitted[0][1]  # the fit rendered this very template at this view
            else:
                text = env.get_template(name).render(**_context(briefing, short))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(f"{error.filename or name}:{error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"{_where(error, name)}: {error.message}") from None
    if name.endswith(HTML_SUFFIXES):
        return inline_styles(text)
    return plaintext.wrap(text) if name.endswith(TEXT_SUFFIXES) else text


def inline_styles(html: str) -> str:
    """Move the <style> rules onto the elements: many mail clients drop <style> blocks."""
    import css_inline

    inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)
    return inliner.inline(html)


def _where(error: BaseException, fallback: str) -> str:
    """file:line of the template frame in the traceback of a render-time error."""
    tb = error.__traceback__
    where = fallback
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html", ".txt", ".md")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
