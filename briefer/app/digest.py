"""A digest: several briefings as one document, with a table of contents (each story's title,
bottom line and a link to its section), in Markdown and as one email.

Each story's section is that briefing's own rendering through the default templates
(`briefing.md`, `email.txt`, `email.html`), so a digest always reads like the briefings it
gathers; only the frame (`digest.*.j2`) is the digest's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import BriefingFileError, UsageError
from ..core.files import is_raw_replies
from .outputs import check_mail, load_briefing
from .settings import MailSettings

if TYPE_CHECKING:
    from email.message import EmailMessage

    from ..core.models import Briefing

_HEADING = re.compile(r"^(#{1,5}) ", re.MULTILINE)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)


@dataclass
class Story:
    """One briefing in the digest, with the anchor its section is linked by."""

    anchor: str
    briefing: Briefing
    body: str = ""


def briefing_files(paths: tuple[str, ...] | list[Path]) -> list[Path]:
    """The briefing JSON files given, a folder standing for the briefings in it (sorted)."""
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            inside = sorted(p for p in given.glob("*.json") if not is_raw_replies(p))
            if not inside:
                raise BriefingFileError(f"{given}: no briefings (*.json) in this folder")
            found += inside
        else:
            found.append(given)
    return found


def stories(paths: list[Path]) -> list[Story]:
    return [Story(anchor=f"story-{n}", briefing=load_briefing(p)) for n, p in enumerate(paths, 1)]


def render_frame(name: str, templates_dir: Path | None, **context: Any) -> str:
    """A digest template (`digest.md`, `digest.txt`, `digest.html`) with the briefer filters."""
    import jinja2

    from ..core.errors import TemplateError
    from ..render.engine import environment, inline_styles, kind_of, resolve_template

    search_path, template = resolve_template(name, templates_dir)
    try:
        text = environment(tuple(search_path), kind_of(template)).get_template(template).render(**context)
    except jinja2.TemplateError as error:
        raise TemplateError(f"{template}: {getattr(error, 'message', error)}") from None
    return inline_styles(text) if template.endswith((".html.j2", ".htm.j2")) else text


def digest_markdown(items: list[Story], templates_dir: Path | None = None) -> str:
    """The digest in Markdown: contents, then each briefing one heading level down."""
    from ..render.engine import Escaped, render_briefing

    for story in items:  # each body came through the one escaping path already
        story.body = Escaped(_HEADING.sub(r"#\1 ", render_briefing(story.briefing, "briefing.md", templates_dir)).strip())
    return render_frame("digest.md", templates_dir, stories=items)


def digest_message(items: list[Story], mail: MailSettings, templates_dir: Path | None) -> EmailMessage:
    """One message: text and HTML, each a table of contents and the stories' email renderings."""
    from ..render.engine import Escaped, render_briefing
    from ..render.mail import compose

    envelope = check_mail(mail)
    for story in items:  # each body came through the one escaping path already
        story.body = Escaped(render_briefing(story.briefing, "email.txt", templates_dir).strip())
    text = render_frame("digest.txt", templates_dir, stories=items)
    for story in items:
        html = render_briefing(story.briefing, "email.html", templates_dir)
        found = _BODY.search(html)
        story.body = found.group(1).strip() if found else html
    html = render_frame("digest.html", templates_dir, stories=items)
    count = f"{len(items)} stor{'ies' if len(items) != 1 else 'y'}"
    subject = mail.subject or f"Briefing digest: {count}"
    return compose(subject=subject, text=text, html=html, sender=envelope.sender, to=envelope.to,
                   cc=envelope.cc)


def mail_digest(paths: list[Path], mail: MailSettings, templates_dir: Path | None) -> list[str]:
    """Mail the digest of these briefings: the one path for `digest` and `brief --each --email-to`."""
    from ..render.mail import deliver

    if not paths:
        raise UsageError("no briefings to put in a digest")
    message = digest_message(stories(paths), mail, templates_dir)
    return deliver(message, smtp=check_mail(mail).smtp, eml=mail.eml, keep_as=Path.cwd() / "digest.eml")


def digest_page(paths: list[Path]) -> str:
    """The digest as one web page: each briefing beside the paragraphs of its sources."""
    from ..render.page import render_page
    from .outputs import briefing_sources

    found = []
    for path, story in zip(paths, stories(paths)):
        found.append((story.briefing, briefing_sources(story.briefing, [], path.parent)))
    return render_page(found)


def make_digest(sources: tuple[str, ...], output: Path | None, mail: MailSettings,
                templates_dir: Path | None, fmt: str | None = None) -> tuple[str | None, list[str]]:
    """`briefer digest`: the Markdown digest or its web page (written, or returned for stdout)
    and, with recipients, the digest email. Mail settings are checked before anything is
    rendered."""
    from ..core.files import write_atomically
    from .outputs import PAGE_SUFFIXES

    paths = briefing_files(sources)
    if mail.to:
        check_mail(mail)
    page = (fmt or ("html" if output is not None and output.suffix.lower() in PAGE_SUFFIXES else "md")) == "html"
    markdown = digest_page(paths) if page else digest_markdown(stories(paths), templates_dir)
    text = markdown
    if output is not None and output != Path("-"):
        write_atomically(output, markdown)
        text = None
    delivered = mail_digest(paths, mail, templates_dir) if mail.to else []
    return text, delivered
