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
    from .config_file import key_origin

    origin = key_origin()
    if origin:
        try:
            checked_key(os.environ["OPENAI_API_KEY"].strip())
        except BrieferError as error:
            return Check("key", "fail", str(error))
        return Check("key", "ok", origin)
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
    """Endpoint, model and structured outputs, through the same SDK the runs use. The model is
    looked up in the server's list (llama.cpp and vLLM have no per-model route), and the tiny
    request is sent whenever the endpoint answers: it is the check that counts."""
    import httpx2
    import openai

    key = os.environ.get("OPENAI_API_KEY", "").strip()
    llm = settings.llm_settings(key if key.isascii() and key.isprintable() and key else "missing")
    http = httpx2.AsyncClient(timeout=llm.timeout)
    client = openai.AsyncOpenAI(api_key=llm.api_key, base_url=llm.base_url, max_retries=0,
                                timeout=llm.timeout, http_client=http)
    try:
        endpoint, listed = await _endpoint(client, http, llm)
        if endpoint.status == "fail":
            return [endpoint, Check("model", "skip", "the endpoint did not answer"),
                    Check("structured outputs", "skip", "the endpoint did not answer")]
        return [endpoint, await _model(client, llm, listed), await _structured(client, settings)]
    finally:
        await client.close()


async def _endpoint(client: Any, http: Any, llm: Any) -> tuple[Check, list[dict[str, Any]] | None]:
    """Does the endpoint answer, what does it list, and what does the server say of itself."""
    import openai

    from ..llm import describe_api_error
    from ..llm.servers import server_facts

    where = llm.base_url or "the OpenAI API"
    try:
        listed = [m.model_dump() async for m in client.models.list()]
    except openai.NotFoundError:
        listed = None
    except openai.APIError as error:
        return Check("endpoint", "fail", describe_api_error(error, 1, llm)), None
    except (AttributeError, TypeError, ValueError, KeyError):  # garbage where a model list should be
        return Check("endpoint", "fail", f"{where} answered /models with something that is not a list of "
                     "models; is --base-url an OpenAI-compatible endpoint?"), None
    facts = await server_facts(http, llm.base_url, llm.model,
                               {"data": listed} if listed is not None else None)
    about = "; ".join(p for p in (f"{len(listed)} model{'s' * (len(listed) != 1)}" if listed is not None
                                  else "it lists no models", facts.describe()) if p)
    return Check("endpoint", "ok", f"{where} answers ({about})"), listed


async def _model(client: Any, llm: Any, listed: list[dict[str, Any]] | None) -> Check:
    """The model, found by its exact id in the server's list; asked for by id only from a
    server that lists none."""
    import openai

    from ..llm import describe_api_error

    model, where = llm.model, llm.base_url or "the OpenAI API"
    if listed is None:
        try:
            await client.models.retrieve(model)
        except openai.NotFoundError:
            return Check("model", "fail", f"no model '{model}' at {where}")
        except openai.APIError as error:
            return Check("model", "fail", describe_api_error(error, 1, llm))
        return Check("model", "ok", f"{model} exists")
    ids = [str(m.get("id")) for m in listed]
    if model in ids:
        return Check("model", "ok", f"{model} is listed")
    owners = {str(m.get("owned_by") or "") for m in listed}
    if len(ids) == 1 and owners == {"llamacpp"}:  # llama-server answers any name with its model
        return Check("model", "ok", f"'{model}' is not listed, but this llama.cpp server answers every "
                                    f"name with its one model, {ids[0]}")
    hint = path_hint(model, ids)
    known = f"; it lists: {', '.join(sorted(ids)[:12])}" if ids else "; it lists none"
    return Check("model", "fail", f"no model '{model}' at {where}{known}{hint}")


def path_hint(model: str, ids: list[str]) -> str:
    """A local server may list a model by its file path: say which id to give."""
    paths = [i for i in ids if "/" in i and i.rsplit("/", 1)[1].lower().startswith(model.lower().rsplit("/", 1)[-1])]
    files = [i for i in ids if i.lower().endswith((".gguf", ".bin", ".safetensors")) or i.startswith("/")]
    match = paths or files
    if not match:
        return ""
    return (f" (this server lists its model by the file's path: use --model '{match[0]}', the exact id, "
            "or start it with an alias, e.g. llama-server --alias NAME)")


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
