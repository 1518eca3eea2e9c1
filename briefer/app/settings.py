"""One object for everything a run needs, so that no command passes thirty values around.

Built from the command's parameters (flags, and the environment through click's envvars); the
API key is never part of it: it is read from the environment only when a run needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..core.defaults import DEFAULT_CHUNK_TOKENS, DEFAULT_CONCURRENCY, DEFAULT_MODEL

StoreMode = Literal["replay", "record", "cache"]


@dataclass(frozen=True)
class OutputSettings:
    """Where a briefing goes and in what form."""

    path: Path | None = None
    fmt: str | None = None
    template: str = "briefing.md"
    templates_dir: Path | None = None


@dataclass(frozen=True)
class SmtpOptions:
    """The SMTP options as given; the password is read only when a message is sent."""

    host: str | None = None
    port: int | None = None
    security: str = "starttls"
    ca_file: Path | None = None
    user: str | None = None
    password_file: Path | None = None
    timeout: float = 30.0


@dataclass(frozen=True)
class MailSettings:
    """Who a briefing is mailed to, and how."""

    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    sender: str | None = None
    subject: str | None = None
    eml: Path | None = None
    smtp: SmtpOptions = field(default_factory=SmtpOptions)
    dossier: bool = False  # the full inventory rather than the short briefing


@dataclass(frozen=True)
class RunSettings:
    """A run: the model and endpoint, the recording store, limits, grounding, output and mail."""

    model: str = DEFAULT_MODEL
    base_url: str | None = None
    replay: Path | None = None
    record: Path | None = None
    cache: Path | None = None
    concurrency: int = DEFAULT_CONCURRENCY
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS
    max_reasks: int = 2
    retries: int = 4
    timeout: float = 120.0
    structured_mode: str = "json_schema"
    budget_param: str = "max_completion_tokens"
    language: str | None = None  # the briefing's, ISO 639-1; None: English
    grounding: str = "mark"
    max_calls: int | None = None
    max_cost: float | None = None
    prices: Path | None = None
    log: bool = True
    output: OutputSettings = field(default_factory=OutputSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    #: Where each value came from ("flag --model", "environment BRIEFER_MODEL", "profile work
    #: in ...", "default"), by parameter name: for refusing flags that cannot apply, and for
    #: showing the user what a run will use.
    origins: dict[str, str] = field(default_factory=dict)

    def given(self, name: str) -> bool:
        """Whether this setting was given as a flag on this very command line."""
        return self.origins.get(name, "").startswith("flag")

    def llm_settings(self, api_key: str) -> Any:
        """The client's settings for this run (imports the SDK, so only when a run starts)."""
        from ..llm import LLMSettings

        return LLMSettings(model=self.model, api_key=api_key, base_url=self.base_url,
                           timeout=self.timeout, max_reasks=self.max_reasks,
                           max_attempts=self.retries + 1,
                           structured_mode=self.structured_mode,  # type: ignore[arg-type]
                           concurrency=self.concurrency,
                           budget_param=self.budget_param,  # type: ignore[arg-type]
                           language=self.language)


def smtp_options(params: dict[str, Any]) -> SmtpOptions:
    """The `smtp_*` parameters of a command, as one object."""
    return SmtpOptions(host=params.get("smtp_host"), port=params.get("smtp_port"),
                       security=params.get("smtp_security") or "starttls",
                       ca_file=params.get("smtp_ca_file"), user=params.get("smtp_user"),
                       password_file=params.get("smtp_password_file"),
                       timeout=params.get("smtp_timeout") or 30.0)


def output_settings(params: dict[str, Any]) -> OutputSettings:
    """Where a briefing goes; `-o -` is stdout, like no -o at all."""
    path = params.get("output")
    return OutputSettings(path=None if path == Path("-") else path, fmt=params.get("fmt"),
                          template=params.get("template") or "briefing.md",
                          templates_dir=params.get("templates_dir"))


def mail_settings(params: dict[str, Any]) -> MailSettings:
    """The `email_*`, `eml` and `smtp_*` parameters of a command, as one object."""
    return MailSettings(to=tuple(params.get("email_to") or ()), cc=tuple(params.get("email_cc") or ()),
                        sender=params.get("email_from"), subject=params.get("email_subject"),
                        eml=params.get("eml"), smtp=smtp_options(params))


def run_settings(params: dict[str, Any], origins: dict[str, str] | None = None) -> RunSettings:
    """RunSettings from the parameters of `brief`: flags, and what click took from the
    environment and the config file (its default_map) where no flag was given."""
    mail = mail_settings(params)
    names = ("base_url", "replay", "record", "cache", "concurrency", "chunk_tokens", "max_reasks",
             "retries", "timeout", "structured_mode", "budget_param", "language", "grounding", "max_calls", "max_cost", "prices",
             "log")
    given = {name: params[name] for name in names if params.get(name) is not None}
    return RunSettings(model=params.get("model") or DEFAULT_MODEL, output=output_settings(params),
                       mail=mail, origins=dict(origins or {}), **given)


def known_languages() -> dict[str, tuple[str, str]]:
    """The languages a briefing can be written in (code -> names), for the --language option."""
    from ..core.languages import names

    return names()
