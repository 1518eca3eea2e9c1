"""The language an article is written in: read from its text (py3langid), with what the page
declares (`<html lang>`) when the text alone is not conclusive."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.models import Document

#: Enough text to be sure, little enough to be quick on a long feature.
_SAMPLE_CHARS = 4000
#: Below this probability the text alone does not decide (short or mixed-language text).
_SURE = 0.9
_LIKELY = 0.5


def language_of(document: Document) -> str | None:
    """The document's language, detected the first time anyone asks. The detector's model takes
    about half a second to load: a run asks once its first call is on its way (when the reply is
    merged), not before it, so reading an article never delays the first call."""
    if document.language is None:
        document.language = detect_language(document.text, document.declared_language)
    return document.language


def detect_language(text: str, declared: str | None = None) -> str | None:
    """An ISO 639-1 code ("de"), or None when neither the text nor the page says."""
    guess, probability = _identifier().classify(text[:_SAMPLE_CHARS])
    if probability >= _SURE:
        return str(guess)
    primary = (declared or "").strip().lower().replace("_", "-").split("-")[0]
    if primary.isalpha() and len(primary) in (2, 3):
        return primary
    return str(guess) if probability >= _LIKELY else None


@cache
def _identifier() -> Any:
    """Loaded once a process (about half a second): only when an article is read."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
