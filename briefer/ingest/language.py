"""The language an article is written in: read from its text (py3langid), with what the page
declares (`<html lang>`) when the text alone is not conclusive."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
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
    sample = text[:_SAMPLE_CHARS]
    quick = common_words_language(sample)
    if quick is not None:
        return quick
    guess, probability = _identifier().classify(sample)
    if probability >= _SURE:
        return str(guess)
    primary = (declared or "").strip().lower().replace("_", "-").split("-")[0]
    if primary.isalpha() and len(primary) in (2, 3):
        return primary
    return str(guess) if probability >= _LIKELY else None


#: The commonest words of the languages most news comes in. A text full of one language's and
#: nearly free of the others' is that language beyond doubt, and the model (half a second to
#: load, and numpy) is not needed; anything less clear-cut is left to the model.
_COMMON_WORDS = {
    "en": "the of and to in is that for on with as was by it at from his he they said have has are were be this which",
    "de": "der die das und ist nicht mit von den dem zu ein eine auch sich auf für im es des sie er wir werden wird hat",
    "fr": "le la les des est et une un du dans pour que qui pas sur au avec ce il elle sont ont été aux",
    "es": "el la los las de y que en un una es por con para del se su al lo como más pero fue",
    "it": "il la le di e che è un una per con non del della sono gli nel ha si anche",
    "pt": "o a os as de e que em um uma do da para com não no na por se mais foi",
    "nl": "de het een en van is dat op te in met voor niet zijn er aan ook als door",
}
_WORDS_OF = {code: frozenset(words.split()) for code, words in _COMMON_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")
#: At least this many common words, and this many times as many as any other language has.
_ENOUGH, _MARGIN = 40, 4


def common_words_language(text: str) -> str | None:
    """The language of a text that is clearly one of those above, else None."""
    words = _WORD.findall(text.lower())
    hits = sorted(((sum(w in common for w in words), code) for code, common in _WORDS_OF.items()), reverse=True)
    (best, code), (second, _) = hits[0], hits[1]
    return code if best >= _ENOUGH and best >= _MARGIN * second else None


@cache
def _identifier() -> Any:
    """py3langid's identifier, loaded once a process and only when a text needs it (about half
    a second). Its model is unpacked in memory: py3langid's own loader unpacks 70 MB into the
    temporary folder on every load, which costs a run its paid answer when that folder is full."""
    import io
    import lzma

    import numpy as np
    from py3langid import langid
    from py3langid.modelio import _to_array

    packed = (Path(langid.__file__).parent / langid.MODEL_FILE).read_bytes()
    with np.load(io.BytesIO(lzma.decompress(packed)), allow_pickle=False) as model:
        return langid.LanguageIdentifier(
            np.asarray(model["ptc"]), np.asarray(model["pc"]), model["classes"].tolist(),
            _to_array(model["nextmove"]), model["out_feat"].tolist(), norm_probs=True,
            tk_row=_to_array(model["nextmove_row"]))
