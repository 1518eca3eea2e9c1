"""The provider's replies as the wire carries them, validated in one place: a chat completion
(plain), a streamed chunk of one, and a line of a Batch API output file.

The provider (or anything at --base-url, or a recording, or a results file) is untrusted: a
field of the wrong type must become one line of error, never a traceback deep in the code that
reads it, and usage must be a count of tokens (a negative count would price a briefing below
nothing). Unknown fields are ignored: servers add their own.
"""


from typing import Any

from pydantic import BaseModel, ConfigDict, NonNegativeInt, ValidationError


class _Lenient(BaseModel):
    """Each reply model's validator is built on first use: a run validates streamed chunks or a
    plain reply, never both, and batch lines only when it collects a batch. (Annotations are not
    postponed in this module, as in core/models: pydantic would read each from a string.)"""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)


class PromptDetails(_Lenient):
    cached_tokens: NonNegativeInt | None = None


class ReportedUsage(_Lenient):
    """Tokens as the provider counts them; never negative."""

    prompt_tokens: NonNegativeInt | None = None
    completion_tokens: NonNegativeInt | None = None
    prompt_tokens_details: PromptDetails | None = None

    def as_dict(self) -> dict[str, Any]:
        cached = self.prompt_tokens_details.cached_tokens if self.prompt_tokens_details else None
        return {"prompt_tokens": self.prompt_tokens or 0, "completion_tokens": self.completion_tokens or 0,
                "prompt_tokens_details": {"cached_tokens": cached or 0}}


class Message(_Lenient):
    """A message (plain) or a delta (streamed): text, or a refusal."""

    content: str | None = None
    refusal: str | None = None


class Choice(_Lenient):
    index: NonNegativeInt = 0
    message: Message | None = None
    delta: Message | None = None
    finish_reason: str | None = None


class ChatCompletion(_Lenient):
    """A plain reply's body."""

    object: str | None = None
    choices: list[Choice]
    usage: dict[str, Any] | None = None  # checked apart: a bad count must not lose the answer


class ChatChunk(_Lenient):
    """One streamed event."""

    choices: list[Choice] | None = None
    usage: dict[str, Any] | None = None
    error: dict[str, Any] | str | None = None


class BatchError(_Lenient):
    code: str | int | None = None
    message: str | None = None


class BatchResponse(_Lenient):
    status_code: int | None = None
    body: dict[str, Any] | str | None = None


class BatchLine(_Lenient):
    """A line of a batch's output or error file."""

    custom_id: str
    response: BatchResponse | None = None
    error: BatchError | None = None

    @property
    def answer(self) -> dict[str, Any] | None:
        """The chat completion body, when the request was answered."""
        response = self.response
        if response is not None and response.status_code == 200 and isinstance(response.body, dict):
            return response.body
        return None

    def failure(self) -> tuple[int | None, str]:
        """The HTTP status (if any) and why the request has no answer."""
        status = self.response.status_code if self.response else None
        error = self.error
        body = self.response.body if self.response else None
        if error is None and isinstance(body, dict) and isinstance(body.get("error"), dict):
            try:
                error = BatchError.model_validate(body["error"])
            except ValidationError:
                error = None
        if error is None and isinstance(body, str):
            error = BatchError(message=body[:200])
        code = status or (error.code if error else None) or "no answer"
        return status, f"{self.custom_id}: {code}: {(error.message if error else '') or ''}"


class WrongShape(ValueError):
    """A reply, chunk or line whose fields have the wrong types."""


def parse(model: type[_Lenient], value: Any) -> Any:
    """`value` as `model`, or WrongShape naming the first field that is wrong."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise WrongShape(describe(error)) from None


def usage_of(value: Any) -> tuple[dict[str, Any], str | None]:
    """Reported usage as counts (zeros when none was reported), and what was wrong with it:
    a count that is not a non-negative integer is not counted at all."""
    if not value:
        return {}, None
    try:
        return ReportedUsage.model_validate(value).as_dict(), None
    except ValidationError as error:
        return {}, describe(error)


def describe(error: ValidationError) -> str:
    """The first wrong field, as `choices.0.message.content: Input should be a valid string`."""
    first = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the reply"
    return f"{where}: {first['msg']}"
