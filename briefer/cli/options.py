"""Option groups shared by several commands; only click here, so `--help` stays fast."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..core.defaults import DEFAULT_CHUNK_TOKENS, DEFAULT_CONCURRENCY, MIN_CHUNK_TOKENS

FORMATS = ("md", "json", "html")
Decorator = Callable[[Any], Any]


def stack(*options: Decorator) -> Decorator:
    """Apply options in the order written, so `--help` lists them that way."""

    def apply(command: Any) -> Any:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


class Amount(click.FloatRange):
    """A sum of money: a finite number, zero or more. `nan` compares false with every limit, so
    a cost guard given it would let any run through; `inf` would guard nothing either."""

    name = "amount"

    def __init__(self) -> None:
        super().__init__(min=0)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not an amount (give a number like 0.50)", param, ctx)
        return number


class EndpointURL(click.ParamType):
    """An http(s) URL with a host: anything else is refused at once, never retried."""

    name = "url"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from urllib.parse import urlsplit

        text = str(value).strip()
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(f"'{text}' is not an http:// or https:// URL with a host "
                      f"(did you mean 'http://{text}'?)", param, ctx)
        return text


class ArticleDate(click.ParamType):
    """An ISO date (2024-11-15) or date and time: what a sidecar's "date" holds."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from datetime import datetime

        text = str(value).strip()
        try:
            datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"'{text}' is not a date: give YYYY-MM-DD (or an ISO date and time)", param, ctx)
        return text


class LanguageCode(click.ParamType):
    """An ISO 639-1 code briefer can name to the model ("de", "fr", ...)."""

    name = "lang"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from ..app.settings import known_languages

        code = str(value).strip().lower()
        if code not in known_languages():
            self.fail(f"'{value}' is not a language briefer knows: one of {', '.join(sorted(known_languages()))}",
                      param, ctx)
        return code


language_option = click.option(
    "--language", type=LanguageCode(), metavar="LANG",
    help="Write the briefing in this language (de, fr, es, ...); quotes and excerpts stay in the "
    "article's words. [default: English]")

#: What an article is, for standard input and single files (these win over NAME.meta.json).
article_options = stack(
    click.option("--title", help="The article's headline (for - or a single FILE; wins over its .meta.json)."),
    click.option("--outlet", help="Who published it."),
    click.option("--date", type=ArticleDate(), help="When it was published (YYYY-MM-DD)."),
    click.option("--url", type=EndpointURL(), help="Its link; the source links to it."),
)
ARTICLE_FIELDS = ("title", "outlet", "date", "url")


def article_meta(params: dict[str, Any]) -> dict[str, str]:
    """Take the article options out of a command's parameters: the ones given."""
    return {name: value for name in ARTICLE_FIELDS if (value := params.pop(name, None))}


templates_dir_option = click.option(
    "--templates-dir", envvar="BRIEFER_TEMPLATES_DIR", show_envvar=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates; a file here overrides the built-in one of the same name.")

#: The SMTP server and how to log in to it.
smtp_server_options = stack(
    click.option("--smtp-host", envvar="BRIEFER_SMTP_HOST", show_envvar=True,
                 help="Send through this SMTP server."),
    click.option("--smtp-port", type=click.IntRange(1, 65535), envvar="BRIEFER_SMTP_PORT",
                 help="[default: 587 starttls, 465 ssl, 25 none]"),
    click.option("--smtp-security", type=click.Choice(["starttls", "ssl", "none"]),
                 default="starttls", show_default=True,
                 help="The server certificate is always verified, except with none."),
    click.option("--smtp-ca-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Trust this CA (PEM) for the server certificate, besides the system's."),
    click.option("--smtp-user", envvar="BRIEFER_SMTP_USER", show_envvar=True,
                 help="Log in as this user. The password comes from BRIEFER_SMTP_PASSWORD "
                 "or --smtp-password-file, never a flag."),
    click.option("--smtp-password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="A file holding the SMTP password."),
    click.option("--smtp-timeout", type=click.FloatRange(1, 600), default=30.0,
                 show_default=True, metavar="SECONDS"),
)

#: Where an email goes: an .eml file, an SMTP server, or both.
smtp_options = stack(
    click.option("--eml", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                 help="Write the message to this .eml file."),
    smtp_server_options,
)

#: Where a briefing goes and in what form.
output_options = stack(
    click.option("-o", "--output", type=click.Path(path_type=Path),
                 help="Write here instead of stdout (- is stdout). The format follows the "
                 "extension (.json: the Briefing JSON; .html: the web page beside the sources; "
                 "else Markdown)."),
    click.option("--format", "fmt", type=click.Choice(FORMATS),
                 help="md: rendered through the template; json: the Briefing itself; html: one "
                 "self-contained web page, the briefing beside its sources' paragraphs."),
    click.option("--template", default="briefing.md", show_default=True,
                 metavar="NAME|PATH", help="A template's name or a template file."),
    templates_dir_option,
)

model_option = click.option("--model", envvar="BRIEFER_MODEL", show_envvar=True, default=None,
                            help="Model name. [default: gpt-4.1-mini]")
base_url_option = click.option(
    "--base-url", envvar="OPENAI_BASE_URL", show_envvar=True, metavar="URL", type=EndpointURL(),
    help="An OpenAI-compatible endpoint (Azure, vLLM, Ollama, llama.cpp, LM Studio).")
timeout_option = click.option("--timeout", type=click.FloatRange(1, 3600), default=120.0, show_default=True,
                              metavar="SECONDS", help="How long one model call may take.")
response_format_option = click.option(
    "--response-format", "structured_mode", type=click.Choice(["json_schema", "json_object"]),
    default="json_schema", show_default=True,
    help="json_object: for servers without strict structured outputs (the schema goes "
    "in the instructions; the reply is validated all the same).")
prices_option = click.option(
    "--prices", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    envvar="BRIEFER_PRICES", show_envvar=True,
    help="Your price table (JSON, as briefer/llm/prices.json); its models replace ours.")

#: The recording store: model calls and fetched pages.
store_options = stack(
    click.option("--replay", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Answer from recordings only; no network, no key needed."),
    click.option("--record", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Call the model and record every answer into DIR."),
    click.option("--cache", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Answer from DIR when recorded, else call the model and record."),
)

#: The recording store for commands that fetch pages but call no model (`text`).
page_store_options = stack(
    click.option("--replay", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Read a URL's page from recordings only; no network."),
    click.option("--record", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Fetch a URL's page and record it into DIR."),
    click.option("--cache", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Read a URL's page from DIR when recorded, else fetch and record it."),
)

#: The model, the endpoint and the recording store.
model_options = stack(model_option, base_url_option, store_options)

#: How calls are made: concurrency, chunking, re-asks, retries, timeouts, the reply format.
call_options = stack(
    click.option("--concurrency", type=click.IntRange(1, 64), default=DEFAULT_CONCURRENCY, show_default=True,
                 help="Model calls in flight at once, across chunks and articles."),
    click.option("--chunk-tokens", type=click.IntRange(MIN_CHUNK_TOKENS, 100_000), default=DEFAULT_CHUNK_TOKENS,
                 show_default=True, help="Most article tokens one call reads; longer articles are split "
                 "at paragraphs (and sentences)."),
    click.option("--max-reasks", type=click.IntRange(0, 10), default=2, show_default=True,
                 help="Times to re-ask the model when its reply is invalid."),
    click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
                 help="Transport retries per call (429, 5xx, timeouts, dropped connections)."),
    timeout_option,
    click.option("--budget-param", type=click.Choice(["max_completion_tokens", "max_tokens"]),
                 default="max_completion_tokens", show_default=True,
                 help="The request field of every call's completion budget: max_tokens for servers "
                 "that know only that (a 400 naming max_completion_tokens also switches to it)."),
    response_format_option,
    click.option("--grounding", type=click.Choice(["mark", "strict", "off"]), default="mark",
                 show_default=True,
                 help="Check every quote, excerpt, figure and date against the source. mark: keep "
                 "and mark what fails; strict: move it to an appendix; off: no checks."),
)

#: `brief --email-to`: mail the result as well.
email_options = stack(
    click.option("--email-to", multiple=True, metavar="ADDRESS",
                 help="Also email the briefing (repeatable); see `briefer email --help`."),
    click.option("--email-cc", multiple=True, metavar="ADDRESS"),
    click.option("--email-from", envvar="BRIEFER_MAIL_FROM", show_envvar=True, metavar="ADDRESS"),
    click.option("--email-subject", help="[default: the briefing's title]"),
    smtp_options,
)

#: Before spending: estimates and limits.
guard_options = stack(
    click.option("--dry-run", is_flag=True,
                 help="Show the chunks, the calls and the estimated tokens and cost; call nothing."),
    click.option("--max-calls", type=click.IntRange(1), metavar="N",
                 help="Refuse to start a run that would make more calls than this."),
    click.option("--max-cost", type=Amount(), metavar="AMOUNT",
                 help="Refuse to start a run whose estimated cost is higher (price table currency)."),
    prices_option,
    click.option("--log/--no-log", default=True, show_default=True,
                 help="Record the run in the run log (`briefer log`); `log = false` in the config "
                 "file turns it off for good."),
)

#: Everything a briefing run takes (`brief`, `stories`): one block, so the two commands cannot
#: drift apart in what they accept or how `--help` lists it.
briefing_run_options = stack(language_option, model_options, output_options, call_options, email_options,
                             guard_options)
