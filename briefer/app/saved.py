"""The extractions a morning run paid for, kept per article part (OUTDIR/.extractions): a story
that gains an article is briefed again from its old articles' saved extractions, so only the
new article is extracted and the synthesis redone.

An extraction is found by what its request would be (the model, the messages, the reply format):
a changed article, prompt, model, language or chunking is a different request and is extracted
anew. Only validated replies are kept (the re-asks already done), so a saved one never fails a
rerun; a file that is unreadable or no longer valid is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..core.models import ChunkExtraction, Usage

if TYPE_CHECKING:
    from ..core.models import Chunk, Document
    from ..llm import LLMClient, StructuredReply

FOLDER = ".extractions"


class SavedExtractions:
    """Extractions kept in `folder`, one JSON file a request."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: How many extractions this run took from the folder instead of the model.
        self.reused = 0

    def key(self, llm: LLMClient, document: Document, chunk: Chunk) -> str:
        """What the extraction request of this part would be, as a digest."""
        from ..extract.prompting import extraction_request

        messages, response_format = extraction_request(document, chunk, llm.settings.structured_mode,
                                                       llm.settings.language)
        request = {"model": llm.settings.model, "messages": messages, "response_format": response_format}
        return hashlib.sha256(json.dumps(request, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def get(self, key: str, chunk: Chunk) -> StructuredReply[ChunkExtraction] | None:
        """The saved reply, its calls counted as replayed (they were paid for when it was made)."""
        from ..llm import StructuredReply

        try:
            saved = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            value = ChunkExtraction.model_validate(
                saved["value"], context={"paragraphs": range(chunk.first_paragraph, chunk.last_paragraph + 1)})
            usage = Usage.model_validate(saved["usage"])
        except (OSError, ValueError, KeyError, TypeError, ValidationError):
            return None
        self.reused += 1
        return StructuredReply(value, replayed(usage))

    def put(self, key: str, reply: StructuredReply[ChunkExtraction]) -> None:
        """Keep a validated reply; a folder that cannot be written costs a rerun calls, not this run."""
        from ..core.errors import WriteError
        from ..core.files import write_atomically

        text = json.dumps({"value": reply.value.model_dump(mode="json"), "usage": reply.usage.model_dump()})
        try:
            write_atomically(self.folder / f"{key}.json", text)
        except WriteError:
            return


def replayed(usage: Usage) -> Usage:
    """A usage as calls answered without the model: counted, and counted again as replayed."""
    fields: dict[str, Any] = {"calls": usage.calls, "prompt_tokens": usage.prompt_tokens,
                              "completion_tokens": usage.completion_tokens, "cached_tokens": usage.cached_tokens}
    return Usage(**fields, replayed=usage.calls, replayed_prompt_tokens=usage.prompt_tokens,
                 replayed_completion_tokens=usage.completion_tokens, replayed_cached_tokens=usage.cached_tokens)
