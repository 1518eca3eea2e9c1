"""`briefer doctor`: before a paid run, check that it can work: the key is there, the endpoint
answers, the model exists, strict structured outputs work (one tiny request, its cost shown),
and the SMTP settings connect and log in. Each check is one Check; none raises."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import Any

from ..core.interrupts import run_async
from .settings import RunSettings, SmtpOptions

#: The tiny request: a schema that only a server honouring strict structured outputs follows.
PROBE_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
                "additionalProperties": False}
PROBE_MESSAGES = [
    {"role": "system", "content": "You check that structured outputs work. Reply with the JSON object "
                                  "the response format asks for."},
    {"role": "user", "content": 'Reply {"ok": true}.'},
]
ADVICE = ("use --response-format json_object (or `briefer config set response-format json_object`), "
          "or a model and server with strict structured outputs")


@dataclass
class Check:
    name: str
    status: str  # "ok", "fail" or "skip"
    detail: str
    #: What the check spent (the structured-outputs request), for the run log.
    usage: dict[str, Any] | None = None

    def line(self) -> str:
        return f"{self.status:<4}  {self.name}: {self.detail}"


def key_check() -> Check:
    from ..core.errors import BrieferError
    from ..core.safety import checked_key

    if os.environ.get("OPENAI_API_KEY", "").strip():
        try:
            checked_key(os.environ["OPENAI_API_KEY"].strip())
        except BrieferError as error:
            return Check("key", "fail", str(error))
        return Check("key", "ok", "OPENAI_API_KEY is set")
    return Check("key", "fail", "OPENAI_API_KEY is not set: export it (any value for a local server)")


def probe_request(settings: RunSettings) -> dict[str, Any]:
    """The one chat request doctor sends, in the mode the runs would use."""
    if settings.structured_mode == "json_object":
        fmt: dict[str, Any] = {"type": "json_object"}
    else:
        fmt = {"type": "json_schema", "json_schema": {"name": "doctor_probe", "strict": True,
                                                       "schema": PROBE_SCHEMA}}
    return {"model": settings.model, "messages": PROBE_MESSAGES, "response_format": fmt}


async def endpoint_checks(settings: RunSettings) -> list[Check]:
    """Endpoint, model and structured outputs, through the same SDK the runs use."""
    import httpx2
    import openai

    key = os.environ.get("OPENAI_API_KEY", "").strip()
    llm = settings.llm_settings(key if key.isascii() and key.isprintable() and key else "missing")
    client = openai.AsyncOpenAI(api_key=llm.api_key, base_url=llm.base_url, max_retries=0,
                                timeout=llm.timeout, http_client=httpx2.AsyncClient(timeout=llm.timeout))
    try:
        endpoint, listed = await _endpoint(client, llm)
        checks = [endpoint]
        if endpoint.status == "fail":
            return checks + [Check("model", "skip", "the endpoint did not answer"),
                             Check("structured outputs", "skip", "the endpoint did not answer")]
        checks.append(await _model(client, llm, listed))
        if checks[-1].status == "fail":  # no paid call for a model that is not there
            return checks + [Check("structured outputs", "skip", "the model was not found")]
        checks.append(await _structured(client, settings))
        return checks
    finally:
        await client.close()


async def _endpoint(client: Any, llm: Any) -> tuple[Check, list[str] | None]:
    import openai

    from ..llm import describe_api_error

    where = llm.base_url or "the OpenAI API"
    try:
        models = [str(m.id) async for m in client.models.list()]
    except openai.NotFoundError:
        return Check("endpoint", "ok", f"{where} answers (it lists no models)"), None
    except openai.APIError as error:
        return Check("endpoint", "fail", describe_api_error(error, 1, llm)), None
    except (AttributeError, TypeError, ValueError, KeyError):  # garbage where a model list should be
        return Check("endpoint", "fail", f"{where} answered /models with something that is not a list of "
                     "models; is --base-url an OpenAI-compatible endpoint?"), None
    return Check("endpoint", "ok", f"{where} answers ({len(models)} models)"), models


async def _model(client: Any, llm: Any, listed: list[str] | None) -> Check:
    import openai

    from ..llm import describe_api_error

    try:
        await client.models.retrieve(llm.model)
    except openai.NotFoundError:
        known = f"; it has: {', '.join(sorted(listed)[:12])}" if listed else ""
        return Check("model", "fail", f"no model '{llm.model}' at {llm.base_url or 'the OpenAI API'}{known}")
    except openai.APIError as error:
        return Check("model", "fail", describe_api_error(error, 1, llm))
    return Check("model", "ok", f"{llm.model} exists")


async def _structured(client: Any, settings: RunSettings) -> Check:
    import openai

    from ..llm import describe_api_error, usage_of
    from ..llm.costs import price_table

    name = "structured outputs" if settings.structured_mode == "json_schema" else "JSON mode"
    try:
        completion = await client.chat.completions.create(**probe_request(settings))
    except openai.BadRequestError as error:
        return Check(name, "fail", f"{describe_api_error(error, 1, settings.llm_settings(''))}; {ADVICE}")
    except openai.APIError as error:
        return Check(name, "fail", describe_api_error(error, 1, settings.llm_settings("")))
    usage = usage_of(completion, 0)
    cost = price_table(settings.prices).cost(settings.model, usage)
    spent = (f"1 call, {usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens"
             + (f", about {cost.amount:.6f} {cost.currency}" if cost else ", no price for this model"))
    spending = {**usage.model_dump(), "cost": cost}
    try:  # the SDK builds its objects without checking them: anything may be in there
        content = completion.choices[0].message.content if completion.choices else None
        if json.loads(content or "") != {"ok": True}:
            raise ValueError
    except (ValueError, TypeError, AttributeError, IndexError, KeyError):
        return Check(name, "fail", f"the reply did not follow the schema ({spent}); {ADVICE}", spending)
    return Check(name, "ok", f"a strict schema was followed ({spent})", spending)


def smtp_check(options: SmtpOptions) -> Check:
    from ..core.errors import BrieferError
    from ..render.mail import probe
    from .outputs import smtp_settings

    try:
        smtp = smtp_settings(options)
        if smtp is None:
            return Check("smtp", "skip", "no --smtp-host (or BRIEFER_SMTP_HOST, or smtp-host in the config)")
        probe(smtp)
    except BrieferError as error:
        return Check("smtp", "fail", str(error))
    login = f", logged in as {smtp.user}" if smtp.user else ""
    return Check("smtp", "ok", f"{smtp.host} connected ({smtp.security}){login}")


def run_checks(settings: RunSettings) -> list[Check]:
    """Every check, in order; the endpoint checks only with a key."""
    key = key_check()
    if key.status == "fail":
        endpoint = [Check(n, "skip", "no key") for n in ("endpoint", "model", "structured outputs")]
    else:
        endpoint = run_async(endpoint_checks(settings))
    return [key, *endpoint, smtp_check(settings.mail.smtp)]


def as_json(checks: list[Check]) -> dict[str, Any]:
    return {"ok": all(c.status != "fail" for c in checks),
            "checks": [{k: v for k, v in asdict(c).items() if k != "usage"} for c in checks]}


def log_entry(settings: RunSettings, started: Any, checks: list[Check]) -> dict[str, Any] | None:
    """The run log's record of a doctor run that spent something (its one tiny request)."""
    from .history import base_entry

    spent = next((c for c in checks if c.usage is not None), None)
    if spent is None or spent.usage is None:
        return None
    failed = [c.name for c in checks if c.status == "fail"]
    from ..core.models import Usage
    from .history import usage_fields

    usage = Usage(**{k: v for k, v in spent.usage.items() if k != "cost"})
    return {**base_entry(settings, started, "doctor"), "title": "briefer doctor", "sources": [],
            **usage_fields(usage, spent.usage["cost"]),
            "outcome": f"failed: {', '.join(failed)}" if failed else "ok",
            "exit_code": 14 if failed else 0, "outputs": []}


def diagnose(settings: RunSettings) -> tuple[list[Check], str | None]:
    """Run every check and log what the tiny request spent; returns the checks and a warning
    if the run log could not be written."""
    from datetime import datetime, timezone

    from .history import remember

    started = datetime.now(timezone.utc)
    checks = run_checks(settings)
    entry = log_entry(settings, started, checks) if settings.log else None
    return checks, remember(entry) if entry else None
