"""The command line: parse options, call the pipeline, print. Nothing else lives here.

Heavy modules (the openai SDK, pydantic models, Jinja) are imported inside the commands, so that
`briefer --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from .defaults import DEFAULT_CHUNK_TOKENS, DEFAULT_CONCURRENCY, MIN_CHUNK_TOKENS

if TYPE_CHECKING:
    from .models import Briefing

FORMATS = ("md", "json")


class BrieferGroup(click.Group):
    """Turns every BrieferError into one line on stderr and its own exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        from .errors import BrieferError

        try:
            return super().invoke(ctx)
        except BrieferError as error:
            fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)


def fail(message: str, exit_code: int) -> NoReturn:
    from .config import redact

    click.echo(f"briefer: error: {redact(message)}", err=True)
    sys.exit(exit_code)


@click.group(cls=BrieferGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefer")
def main() -> None:
    """Turn news articles into briefings you can trust and forward.

    \b
    Offline, from the bundled recordings:
      briefer brief fixtures/articles/scholz-putin-call.txt --replay fixtures/cassettes
    Live (OPENAI_API_KEY set; any OpenAI-compatible server with --base-url):
      briefer brief article.txt -o brief.json
      briefer render brief.json
    """


templates_dir_option = click.option(
    "--templates-dir", envvar="BRIEFER_TEMPLATES_DIR", show_envvar=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Your own templates; a file here overrides the built-in one of the same name.")


def smtp_options(command: Any) -> Any:
    """Where an email goes: an .eml file, an SMTP server, or both."""
    for option in reversed(
        [
            click.option("--eml", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
                         help="Write the message to this .eml file."),
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
        ]
    ):
        command = option(command)
    return command


def smtp_settings(
    smtp_host: str | None, smtp_port: int | None, smtp_security: str, smtp_ca_file: Path | None,
    smtp_user: str | None, smtp_password_file: Path | None, smtp_timeout: float,
) -> Any:
    import os

    from .mail import SmtpSettings

    if not smtp_host:
        return None
    password = os.environ.get("BRIEFER_SMTP_PASSWORD")
    if smtp_password_file is not None:
        password = smtp_password_file.read_text(encoding="utf-8").strip()
    if smtp_user and not password:
        from .errors import UsageError

        raise UsageError("--smtp-user needs a password: set BRIEFER_SMTP_PASSWORD or give --smtp-password-file")
    return SmtpSettings(host=smtp_host, port=smtp_port, security=smtp_security,  # type: ignore[arg-type]
                        ca_file=smtp_ca_file, user=smtp_user, password=password, timeout=smtp_timeout)


def mail_briefing(
    briefing: Briefing, *, sender: str | None, to: tuple[str, ...], cc: tuple[str, ...],
    subject: str | None, templates_dir: Path | None, eml: Path | None, smtp: dict[str, Any],
) -> list[str]:
    """Build the message and deliver it: the one path shared by `email` and `brief --email-to`."""
    from .errors import UsageError
    from .ingest import slug
    from .mail import addresses, build_message, deliver

    if not sender:
        raise UsageError("give the sender: --from / --email-from or BRIEFER_MAIL_FROM")
    senders = addresses([sender], "--from")
    if len(senders) != 1:
        raise UsageError("--from takes exactly one address")
    message = build_message(
        briefing, sender=senders[0], to=addresses(to, "--to"), cc=addresses(cc, "--cc"),
        subject=subject, templates_dir=templates_dir,
    )
    name = briefing.sources[0].id if briefing.sources else slug(briefing.title)
    return deliver(message, smtp=smtp_settings(**smtp), eml=eml, keep_as=Path.cwd() / f"{name}.eml")


def output_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("-o", "--output", type=click.Path(path_type=Path),
                         help="Write here instead of stdout. The format follows the extension "
                         "(.json: the Briefing JSON; else Markdown)."),
            click.option("--format", "fmt", type=click.Choice(FORMATS),
                         help="md: rendered through the template; json: the Briefing itself."),
            click.option("--template", default="briefing.md", show_default=True,
                         metavar="NAME|PATH", help="A template's name or a template file."),
            templates_dir_option,
        ]
    ):
        command = option(command)
    return command


@main.command()
@click.argument("sources", metavar="FILE|DIR|-...", nargs=-1, required=True)
@click.option("--each", is_flag=True,
              help="One briefing per article into -o OUTDIR (folders stand for their articles); "
              "a rerun skips the ones already done.")
@click.option("--model", envvar="BRIEFER_MODEL", show_envvar=True, default=None,
              help="Model name. [default: gpt-4.1-mini]")
@click.option("--base-url", envvar="OPENAI_BASE_URL", show_envvar=True, metavar="URL",
              help="An OpenAI-compatible endpoint (Azure, vLLM, Ollama, llama.cpp, LM Studio).")
@click.option("--replay", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Answer from recordings only; no network, no key needed.")
@click.option("--record", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Call the model and record every answer into DIR.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Answer from DIR when recorded, else call the model and record.")
@output_options
@click.option("--concurrency", type=click.IntRange(1, 64), default=DEFAULT_CONCURRENCY, show_default=True,
              help="Model calls in flight at once, across chunks and articles.")
@click.option("--chunk-tokens", type=click.IntRange(MIN_CHUNK_TOKENS, 100_000), default=DEFAULT_CHUNK_TOKENS,
              show_default=True, help="Most article tokens one call reads; longer articles are split "
              "at paragraphs (and sentences).")
@click.option("--max-reasks", type=click.IntRange(0, 10), default=2, show_default=True,
              help="Times to re-ask the model when its reply is invalid.")
@click.option("--retries", type=click.IntRange(0, 20), default=4, show_default=True,
              help="Transport retries per call (429, 5xx, timeouts, dropped connections).")
@click.option("--timeout", type=click.FloatRange(1, 3600), default=120.0, show_default=True,
              metavar="SECONDS", help="How long one model call may take.")
@click.option("--response-format", "structured_mode", type=click.Choice(["json_schema", "json_object"]),
              default="json_schema", show_default=True,
              help="json_object: for servers without strict structured outputs (the schema goes "
              "in the instructions; the reply is validated all the same).")
@click.option("--grounding", type=click.Choice(["mark", "strict", "off"]), default="mark",
              show_default=True,
              help="Check every quote, excerpt, figure and date against the source. mark: keep "
              "and mark what fails; strict: move it to an appendix; off: no checks.")
@click.option("--email-to", multiple=True, metavar="ADDRESS",
              help="Also email the briefing (repeatable); see `briefer email --help`.")
@click.option("--email-cc", multiple=True, metavar="ADDRESS")
@click.option("--email-from", envvar="BRIEFER_MAIL_FROM", show_envvar=True, metavar="ADDRESS")
@click.option("--email-subject", help="[default: the briefing's title]")
@smtp_options
@click.option("--dry-run", is_flag=True,
              help="Show the chunks, the calls and the estimated tokens and cost; call nothing.")
@click.option("--max-calls", type=click.IntRange(1), metavar="N",
              help="Refuse to start a run that would make more calls than this.")
@click.option("--max-cost", type=click.FloatRange(0), metavar="AMOUNT",
              help="Refuse to start a run whose estimated cost is higher (price table currency).")
@click.option("--prices", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              envvar="BRIEFER_PRICES", show_envvar=True,
              help="Your price table (JSON, as briefer/data/prices.json); its models replace ours.")
@click.option("--json", "json_summary", is_flag=True,
              help="Print the run summary (calls, tokens, cost, outcomes) as JSON on stdout; "
              "needs -o so the briefing does not go there too.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the result and errors.")
def brief(
    sources: tuple[str, ...],
    each: bool,
    model: str | None,
    base_url: str | None,
    replay: Path | None,
    record: Path | None,
    cache: Path | None,
    output: Path | None,
    fmt: str | None,
    template: str,
    templates_dir: Path | None,
    concurrency: int,
    chunk_tokens: int,
    max_reasks: int,
    retries: int,
    timeout: float,
    structured_mode: str,
    grounding: str,
    email_to: tuple[str, ...],
    email_cc: tuple[str, ...],
    email_from: str | None,
    email_subject: str | None,
    eml: Path | None,
    dry_run: bool,
    max_calls: int | None,
    max_cost: float | None,
    prices: Path | None,
    json_summary: bool,
    quiet: bool,
    **smtp: Any,
) -> None:
    """Brief articles: text files or HTML pages, or - for standard input. Several articles make
    one combined briefing; with --each, one briefing per article.

    \b
    Examples:
      briefer brief article.txt
      briefer brief page.html -o brief.json --cache recordings/
      briefer brief bbc.txt reuters.html ap.txt          # one briefing, every item sourced
      briefer brief --each inbox/ -o briefings/          # one per article; reruns resume
      cat article.txt | briefer brief - --model gpt-4.1
      briefer brief article.txt --base-url http://localhost:11434/v1 --model llama3.1
    """
    import asyncio
    import time

    from . import config
    from .costs import price_table
    from .estimate import check_guards, estimate
    from .ingest import read_source
    from .llm import LLMClient, LLMSettings

    started = time.monotonic()
    if json_summary and output is None:
        raise click.UsageError("--json prints the run summary on stdout: give -o for the briefing")
    table = price_table(prices)
    model = model or config.DEFAULT_MODEL
    documents = [] if each else [read_source(s) for s in sources]
    if dry_run or max_calls is not None or max_cost is not None:
        if each:
            from .batch import expand

            groups = [[read_source(s)] for s in expand(sources)]
        else:
            groups = [documents]
        planned = estimate(groups, model=model, chunk_tokens=chunk_tokens, mode=structured_mode,  # type: ignore[arg-type]
                           prices=table)
        if dry_run:
            click.echo(planned.report())
            return
        check_guards(planned, max_calls, max_cost)
    store = config.store_mode(replay, record, cache)
    key = config.api_key(store[0] if store else None)
    settings = LLMSettings(
        model=model,
        api_key=key,
        base_url=base_url,
        timeout=timeout,
        max_reasks=max_reasks,
        max_attempts=retries + 1,
        structured_mode=structured_mode,  # type: ignore[arg-type]
        concurrency=concurrency,
    )
    if each:
        if output is None or output.suffix:
            raise click.UsageError("--each writes one briefing per article: give -o OUTDIR (a folder)")
        summary = run_each(settings, config.transport(store, key), sources, output, fmt or "md",
                           template, templates_dir, grounding, chunk_tokens, table, quiet or json_summary)
        if json_summary:
            click.echo(json.dumps(run_summary(settings.model, summary.usage, summary.cost, table,
                                              started, briefed=len(summary.briefed),
                                              skipped=len(summary.skipped), failed=len(summary.failed)),
                                  indent=2))
        if summary.failed:
            from .errors import BatchIncomplete

            raise BatchIncomplete(f"{summary.line()}; rerun the same command to retry the failed ones")
        return
    if output is not None and output.is_dir():
        raise click.UsageError(f"-o {output} is a folder; without --each, -o names one file")

    from .errors import InvalidOutput
    from .pipeline import brief_documents, calls_for, plan

    total = calls_for(plan(documents, chunk_tokens, settings.model))

    async def run() -> Briefing:
        llm = LLMClient(settings, config.transport(store, key))
        try:
            with progress_bar(total, "extracting", quiet or total < 2) as advance:
                return await brief_documents(llm, documents, grounding=grounding,  # type: ignore[arg-type]
                                             chunk_tokens=chunk_tokens, progress=advance, prices=table)
        finally:
            await llm.close()

    try:
        briefing = asyncio.run(run())
    except InvalidOutput as error:
        from .files import keep_raw_replies

        raise keep_raw_replies(error, output.parent if output else Path.cwd(), documents[0].id) from None
    emit(briefing, output, fmt, template, templates_dir)
    done = []
    if email_to:
        done = mail_briefing(briefing, sender=email_from, to=email_to, cc=email_cc,
                             subject=email_subject, templates_dir=templates_dir, eml=eml, smtp=smtp)
    if json_summary:
        click.echo(json.dumps(run_summary(settings.model, briefing.usage,
                                          briefing.cost.amount if briefing.cost else None, table,
                                          started, briefed=1, skipped=0, failed=0), indent=2))
    elif not quiet:
        for line in done:
            click.echo(f"briefer: {line}", err=True)
        usage = briefing.usage
        click.echo(
            f"briefer: {', '.join(d.id for d in documents)}: {usage.calls} call{'s' * (usage.calls != 1)}, "
            f"{usage.prompt_tokens:,} prompt + {usage.completion_tokens:,} completion tokens"
            + (f", about {briefing.cost.amount:.4f} {briefing.cost.currency}" if briefing.cost else "")
            + (f", written to {output}" if output else "")
            + f"\nbriefer: grounding: {briefing.grounding.summary}",
            err=True,
        )


class progress_bar:  # noqa: N801 (used like a function)
    """A progress bar on stderr, or nothing (one call, --quiet); `advance()` moves it one step."""

    def __init__(self, total: int, label: str, hidden: bool):
        self._bar = None if hidden else click.progressbar(length=total, label=label, file=sys.stderr)

    def __enter__(self) -> Any:
        if self._bar is None:
            return None
        self._bar.__enter__()
        return lambda: self._bar.update(1)  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)  # type: ignore[arg-type]


def run_each(
    settings: Any, transport: Any, sources: tuple[str, ...], outdir: Path, fmt: str, template: str,
    templates_dir: Path | None, grounding: str, chunk_tokens: int, prices: Any, quiet: bool,
) -> Any:
    """`brief --each`: a briefing per article, written as each finishes; failures counted."""
    import asyncio

    from .batch import brief_each, expand
    from .llm import LLMClient

    articles = expand(sources)

    def render(briefing: Briefing, json_path: Path) -> None:
        if fmt == "md":
            emit(briefing, json_path.with_suffix(".md"), "md", template, templates_dir)

    def said(name: str, outcome: str) -> None:
        if not quiet or outcome.startswith("failed"):
            click.echo(f"briefer: {name}: {outcome}", err=True)

    async def run() -> Any:
        llm = LLMClient(settings, transport)
        try:
            return await brief_each(llm, articles, outdir, render=render, grounding=grounding,  # type: ignore[arg-type]
                                    chunk_tokens=chunk_tokens, prices=prices, on_article=said)
        finally:
            await llm.close()

    summary = asyncio.run(run())
    if not quiet or summary.failed:
        click.echo(f"briefer: {summary.line()}, in {outdir}", err=True)
    return summary


def run_summary(model: str, usage: Any, cost: float | None, prices: Any, started: float, **outcomes: int) -> dict[str, Any]:
    """The machine-readable account of a run: what it did and what it cost."""
    import time

    return {
        "model": model,
        **outcomes,
        **usage.model_dump(),
        "estimated_cost": round(cost, 6) if cost is not None else None,
        "currency": prices.currency,
        "prices_of": prices.date,
        "seconds": round(time.monotonic() - started, 3),
    }


@main.command()
@click.argument("briefing_file", metavar="BRIEFING.json",
                type=click.Path(dir_okay=False, path_type=Path))
@output_options
def render(
    briefing_file: Path, output: Path | None, fmt: str | None, template: str,
    templates_dir: Path | None,
) -> None:
    """Re-render a saved briefing, with no model call.

    \b
    Examples:
      briefer render brief.json
      briefer render brief.json --template email.html -o brief.html
      briefer render brief.json --template my-briefing.md.j2 -o brief.md
    """
    emit(load_briefing(briefing_file), output, fmt, template, templates_dir)


@main.command()
@click.argument("briefing_file", metavar="BRIEFING.json",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", multiple=True, required=True, metavar="ADDRESS",
              help="A recipient, 'Name <a@b>' or 'a@b' (repeatable).")
@click.option("--cc", multiple=True, metavar="ADDRESS")
@click.option("--from", "sender", envvar="BRIEFER_MAIL_FROM", show_envvar=True, metavar="ADDRESS")
@click.option("--subject", help="[default: the briefing's title]")
@templates_dir_option
@smtp_options
def email(
    briefing_file: Path, to: tuple[str, ...], cc: tuple[str, ...], sender: str | None,
    subject: str | None, templates_dir: Path | None, eml: Path | None, **smtp: Any,
) -> None:
    """Email a saved briefing: text and HTML in one message, as an .eml file or through SMTP.

    \b
    Examples:
      briefer email brief.json --to desk@example.org --from briefer@example.org --eml brief.eml
      BRIEFER_SMTP_PASSWORD=... briefer email brief.json --to desk@example.org \\
          --from briefer@example.org --smtp-host smtp.example.org --smtp-user briefer
    """
    done = mail_briefing(load_briefing(briefing_file), sender=sender, to=to, cc=cc,
                         subject=subject, templates_dir=templates_dir, eml=eml, smtp=smtp)
    for line in done:
        click.echo(f"briefer: {line}", err=True)


@main.command()
@templates_dir_option
def templates(templates_dir: Path | None) -> None:
    """List the templates --template can name, and where each comes from.

    \b
    Example:
      briefer templates --templates-dir ~/briefer-templates
    """
    from .render import available_templates, resource_dir

    builtin = resource_dir("templates")
    for name, path in available_templates(templates_dir):
        origin = "built-in" if path.parent == builtin else "yours"
        click.echo(f"{name:<16} {origin:<9} {path}")


@main.command()
def schema() -> None:
    """Print the JSON Schema sent to the model (strict structured outputs).

    \b
    Example:
      briefer schema > chunk_extraction.schema.json
    """
    from .models import ChunkExtraction
    from .schema import strict_json_schema

    click.echo(json.dumps(strict_json_schema(ChunkExtraction), indent=2, ensure_ascii=False))


def load_briefing(path: Path) -> Briefing:
    from pydantic import ValidationError

    from .errors import BriefingFileError
    from .models import Briefing

    try:
        return Briefing.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        raise BriefingFileError(f"{path}: no such file") from None
    except OSError as error:
        raise BriefingFileError(f"{path}: cannot read it ({error.strerror or error})") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise BriefingFileError(f"{path}: not a briefer briefing ({where}: {first['msg']})") from None


def emit(
    briefing: Briefing, output: Path | None, fmt: str | None, template: str,
    templates_dir: Path | None = None,
) -> None:
    """The briefing as JSON or rendered Markdown, to a file (atomically) or stdout."""
    from .files import write_atomically
    from .render import render_briefing

    chosen = fmt or ("json" if output and output.suffix.lower() == ".json" else "md")
    text = (
        briefing.model_dump_json(indent=2) + "\n"
        if chosen == "json"
        else render_briefing(briefing, template, templates_dir)
    )
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text)


