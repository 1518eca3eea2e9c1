"""The provider's Batch API, through the official SDK: upload a requests file (Files API, purpose
`batch`), create, retrieve, find and cancel a batch, and download its output and error files.

It goes through the same HTTP transport as every model call, so the response store records and
replays these requests too. Control calls are cheap and idempotent reads or creations guarded by
the run's state file, so the SDK's own retries (2) are enough for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import openai

from ..core.errors import ProviderError
from ..llm import LLMSettings, describe_api_error

ENDPOINT = "/v1/chat/completions"
COMPLETION_WINDOW = "24h"
TERMINAL = frozenset({"completed", "expired", "failed", "cancelled"})


@dataclass
class BatchInfo:
    """What briefer keeps of a batch object."""

    id: str
    status: str
    input_file_id: str
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


def _info(batch: Any) -> BatchInfo:
    counts = batch.request_counts
    errors = [f"{e.code}: {e.message}" + (f" (line {e.line})" if e.line else "")
              for e in ((batch.errors.data or []) if batch.errors else [])]
    return BatchInfo(
        id=batch.id, status=batch.status, input_file_id=batch.input_file_id,
        output_file_id=batch.output_file_id, error_file_id=batch.error_file_id,
        counts={"total": counts.total, "completed": counts.completed, "failed": counts.failed} if counts else {},
        errors=errors,
    )


class BatchAPI:
    """Files and Batches over one SDK client; every provider error becomes a one-line
    ProviderError."""

    def __init__(self, settings: LLMSettings, transport: httpx2.AsyncBaseTransport | None = None):
        self.settings = settings
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key, base_url=settings.base_url, max_retries=2, timeout=settings.timeout,
            http_client=httpx2.AsyncClient(transport=transport or httpx2.AsyncHTTPTransport(),
                                           timeout=settings.timeout),
        )

    async def close(self) -> None:
        await self._client.close()

    async def upload(self, path: Path) -> str:
        """Upload a requests file; its file id."""
        file = await self._call(self._client.files.create(
            file=(path.name, path.read_bytes(), "application/jsonl"), purpose="batch"))
        return str(file.id)

    async def create(self, file_id: str, metadata: dict[str, str]) -> BatchInfo:
        return _info(await self._call(self._client.batches.create(
            input_file_id=file_id, endpoint=ENDPOINT, completion_window=COMPLETION_WINDOW,
            metadata=metadata)))

    async def retrieve(self, batch_id: str) -> BatchInfo:
        return _info(await self._call(self._client.batches.retrieve(batch_id)))

    async def cancel(self, batch_id: str) -> BatchInfo:
        return _info(await self._call(self._client.batches.cancel(batch_id)))

    async def find(self, file_id: str) -> BatchInfo | None:
        """The batch already created from this file, if any: a submit killed between creating
        the batch and saving its id must not create (and pay for) a second one."""
        page = await self._call(self._client.batches.list(limit=100))
        for batch in page.data:
            if batch.input_file_id == file_id:
                return _info(batch)
        return None

    async def download(self, file_id: str) -> str:
        """A file's content (a batch's output or error file, JSONL)."""
        content = await self._call(self._client.files.content(file_id))
        return str(content.text)

    async def _call(self, pending: Any) -> Any:
        try:
            return await pending
        except openai.APIError as error:
            raise ProviderError(describe_api_error(error, 1, self.settings)) from None
