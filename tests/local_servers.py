"""The ways of the local servers people run, for tests/chat_server.py's `ChatServer(kind=...)`.

- `LLAMA_CPP` answers as llama.cpp's `llama-server` did in the captured exchanges
  (fixtures/live/llamacpp-gemma3-270m/): its `GET /v1/models` (the model listed by its file path,
  `meta.n_ctx`, and its own `models` list), **404** on `GET /v1/models/{id}`, `GET /props`
  (`default_generation_settings.n_ctx`, from the server's source), one content event per token,
  `timings` beside the usage, a request over the context refused with its
  `exceed_context_size_error`, and generation stopped at the end of the context.
- `VLLM`, written from vLLM's documentation of its OpenAI-compatible server: `owned_by: "vllm"`
  and `max_model_len` in `GET /v1/models`, no per-model route, and a request whose prompt and
  `max_tokens` exceed `max_model_len` refused with a 400 saying both.
- `OLLAMA`, written from Ollama's documentation: `GET /v1/models` (`owned_by: "library"`), the
  per-model route, `GET /api/version`, `POST /api/show` (`parameters` with `num_ctx`,
  `model_info` with the trained `context_length`), and `max_tokens` as the only completion
  budget it reads (`max_completion_tokens` is not among its request fields: ignored).

`exchange(NNN)` reads a captured response, so a test can serve the real bytes back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .chat_server import CHARS_PER_TOKEN, Reply, completion_body

LIVE = Path(__file__).resolve().parent.parent / "fixtures" / "live" / "llamacpp-gemma3-270m"
LLAMA_MODEL = "MODELS/gemma-3-270m-q4_k_m.gguf"
Answer = tuple[int, Any]


def exchange(number: str) -> tuple[int, dict[str, str], bytes]:
    """A captured response: its status, headers and body as the server sent them."""
    text = (LIVE / f"{number}-response.txt").read_text(encoding="utf-8")
    head, _, rest = text.partition("\n\n")
    status = int(head.splitlines()[0].split()[1])
    headers = dict(line[2:].split(": ", 1) for line in head.splitlines()[1:] if ": " in line)
    body = rest.rsplit("\n#TIMING", 1)[0]
    return status, headers, body.encode("utf-8")


def captured(number: str) -> Reply:
    """The server's captured answer, served back byte for byte."""
    status, headers, body = exchange(number)
    return Reply(status=status, raw_body=body, content_type=headers.get("Content-Type", "application/json"))


def prompt_tokens(request: dict[str, Any]) -> int:
    """The prompt as a local server counts it: the messages only (a JSON schema becomes a
    grammar, not prompt tokens)."""
    return max(1, sum(len(m.get("content") or "") for m in request.get("messages", [])) // CHARS_PER_TOKEN)


def budget_of(request: dict[str, Any]) -> int | None:
    value = request.get("max_completion_tokens", request.get("max_tokens"))
    return int(value) if value is not None else None


@dataclass(frozen=True)
class Kind:
    name: str
    context: int
    owned_by: str
    per_model_route: bool

    # ------------------------------------------------------------------ routes

    def route(self, method: str, path: str, body: dict[str, Any] | None, models: list[str]) -> Answer | None:
        """This server's answer to a request that is not a chat completion; None: the test
        server's default."""
        path = path.split("?")[0].rstrip("/")
        if method == "GET" and path.endswith("/v1/models"):
            return 200, self.listing(models)
        if method == "GET" and "/v1/models/" in path:
            name = path.rsplit("/v1/models/", 1)[1].replace("%2F", "/")
            if self.per_model_route and name in models:
                return 200, self.entry(name)
            return self.not_found()
        return self.own_route(method, path, body, models)

    def listing(self, models: list[str]) -> dict[str, Any]:
        return {"object": "list", "data": [self.entry(m) for m in models]}

    def entry(self, model: str) -> dict[str, Any]:
        return {"id": model, "object": "model", "created": 1796560874, "owned_by": self.owned_by}

    def not_found(self) -> Answer:
        return 404, {"detail": "Not Found"}

    def own_route(self, method: str, path: str, body: Any, models: list[str]) -> Answer | None:
        """Another route of this server's; None: the test server's default answer."""
        if method == "POST":
            return 404, {"detail": "Not Found"}
        return None

    # ------------------------------------------------------------------ chat

    def answer(self, request: dict[str, Any], reply: Reply) -> Reply:
        """The scripted reply as this server lets it out (its context)."""
        return reply

    def heeded(self, request: dict[str, Any]) -> dict[str, Any]:
        """The request as this server reads it (the fields it ignores left out)."""
        return request

    def stream(self, request: dict[str, Any], reply: Reply, number: int) -> bytes:
        """One content event per token (about four characters), the finish reason in the last
        choice chunk, then the usage chunk (`choices: []`) and `[DONE]`."""
        whole = completion_body(request, reply, number)
        head = {"id": whole["id"], "created": whole["created"], "model": whole["model"],
                "object": "chat.completion.chunk"}

        def event(choices: list[dict[str, Any]], **extra: Any) -> str:
            return "data: " + json.dumps({**head, "choices": choices, **extra}, ensure_ascii=False) + "\n\n"

        content = whole["choices"][0]["message"]["content"] or ""
        events = [event([{"finish_reason": None, "index": 0, "delta": {"role": "assistant", "content": None}}])]
        events += [event([{"finish_reason": None, "index": 0, "delta": {"content": content[i:i + CHARS_PER_TOKEN]}}])
                   for i in range(0, len(content), CHARS_PER_TOKEN)]
        events.append(event([{"finish_reason": reply.finish_reason, "index": 0, "delta": {}}]))
        if (request.get("stream_options") or {}).get("include_usage"):
            events.append(event([], usage=whole["usage"], **self.extra_usage(whole["usage"])))
        events.append("data: [DONE]\n\n")
        return "".join(events).encode("utf-8")

    def extra_usage(self, usage: dict[str, Any]) -> dict[str, Any]:
        return {}


class LlamaCpp(Kind):
    def listing(self, models: list[str]) -> dict[str, Any]:
        _, _, body = exchange("001")
        real = json.loads(body)
        template = real["data"][0]
        data = [{**template, "id": m, "aliases": [m]} for m in models]
        return {"models": [{**real["models"][0], "name": m, "model": m} for m in models], "object": "list",
                "data": data}

    def not_found(self) -> Answer:
        _, _, body = exchange("002")
        return 404, json.loads(body)

    def own_route(self, method: str, path: str, body: Any, models: list[str]) -> Answer | None:
        if method == "GET" and path == "/props":
            return 200, {"default_generation_settings": {"n_ctx": self.context, "params": {}},
                         "total_slots": 4, "model_path": models[0], "build_info": "b0-unknown"}
        return 404, json.loads(exchange("002")[2])

    def answer(self, request: dict[str, Any], reply: Reply) -> Reply:
        """A prompt over the context is refused; generation stops at the context's end."""
        prompt = prompt_tokens(request)
        if prompt >= self.context:
            message = (f"request ({prompt} tokens) exceeds the available context size ({self.context} "
                       "tokens), try increasing it")
            error = {"error": {"code": 400, "message": message, "type": "exceed_context_size_error",
                               "n_prompt_tokens": prompt, "n_ctx": self.context}}
            return Reply(status=400, raw_body=json.dumps(error).encode())
        room = self.context - prompt
        if reply.content and len(reply.content) > room * CHARS_PER_TOKEN:
            return replace(reply, content=reply.content[: room * CHARS_PER_TOKEN], finish_reason="length")
        return reply

    def extra_usage(self, usage: dict[str, Any]) -> dict[str, Any]:
        return {"timings": {"cache_n": 0, "prompt_n": usage["prompt_tokens"], "prompt_ms": 3764.06,
                            "predicted_n": usage["completion_tokens"], "predicted_ms": 67324.966,
                            "predicted_per_second": 53.68}}


class Vllm(Kind):
    def entry(self, model: str) -> dict[str, Any]:
        return {**super().entry(model), "root": model, "parent": None, "max_model_len": self.context,
                "permission": [{"id": "modelperm-0", "object": "model_permission", "allow_sampling": True}]}

    def answer(self, request: dict[str, Any], reply: Reply) -> Reply:
        prompt, budget = prompt_tokens(request), budget_of(request) or 0
        if prompt + budget > self.context:
            message = (f"This model's maximum context length is {self.context} tokens. However, you requested "
                       f"{prompt + budget} tokens ({prompt} in the messages, {budget} in the completion). "
                       "Please reduce the length of the messages or completion.")
            error = {"object": "error", "message": message, "type": "BadRequestError", "param": None, "code": 400}
            return Reply(status=400, raw_body=json.dumps(error).encode())
        return reply


class Ollama(Kind):
    def heeded(self, request: dict[str, Any]) -> dict[str, Any]:
        """Its documented request fields have `max_tokens`, not `max_completion_tokens` (ignored)."""
        return {k: v for k, v in request.items() if k != "max_completion_tokens"}

    def own_route(self, method: str, path: str, body: Any, models: list[str]) -> Answer | None:
        if method == "GET" and path == "/api/version":
            return 200, {"version": "0.12.6"}
        if method == "POST" and path == "/api/show":
            if (body or {}).get("model") not in models:
                return 404, {"error": f"model '{(body or {}).get('model')}' not found"}
            return 200, {"modelfile": "FROM gemma3:270m", "parameters": f"num_ctx {self.context}\nstop \"<end_of_turn>\"",
                         "template": "{{ .Prompt }}", "details": {"format": "gguf", "family": "gemma3"},
                         "model_info": {"general.architecture": "gemma3", "gemma3.context_length": 32768},
                         "capabilities": ["completion"]}
        return super().own_route(method, path, body, models)


LLAMA_CPP = LlamaCpp("llama.cpp", 8192, "llamacpp", per_model_route=False)
VLLM = Vllm("vLLM", 8192, "vllm", per_model_route=False)
OLLAMA = Ollama("Ollama", 8192, "library", per_model_route=True)
#: The model each kind lists, as people name it there.
MODEL_OF = {"llama.cpp": LLAMA_MODEL, "vLLM": "google/gemma-3-270m", "Ollama": "gemma3:270m"}
