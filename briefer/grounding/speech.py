"""Verbs of saying, and the verbs that give a stance or a claim to its holder, in the six
briefing languages (English, German, French, Spanish, Italian, Portuguese), written once here
as lists per language and looked up word by word where the attribution checks read them (no
alternation of hundreds of forms compiled in every process). They are found in text in matching
form (lower case, quotation marks and apostrophes removed, accents kept)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cached_property

#: English verbs of saying: the base form, then any irregular forms ("tell:tells told telling").
_ENGLISH = (
    "say:says,said,saying|tell:tells,told,telling|write:writes,wrote,written,writing|add|state|ask|"
    "reply:replies,replied,replying|explain|insist|warn|argue|note|continue|declare|claim|comment|announce|urge|demand|"
    "promise|vow|pledge|recall|complain|laugh|admit:admits,admitted,admitting|estimate|cite|concede|"
    "acknowledge|joke|caution|stress|emphasise|emphasize|wonder|shout|testify:testifies,testified,testifying|"
    "respond|answer|confirm|deny:denies,denied,denying|report|tweet|post|quip:quips,quipped,quipping|"
    "recount|observe|remark|maintain|contend|assert|allege|reiterate|predict|boast|lament|sigh|"
    "whisper|exclaim|retort|counter|mutter|scoff|insist|concede|describe|tell|tout|brag|grumble|"
    "speak:speaks,spoke,spoken,speaking|point out:points out,pointed out,pointing out|"
    "call for:calls for,called for,calling for|spoke of|according to|agree|suggest|"
    "write in|recollect|reckon|muse|marvel|plead|beg|protest|object|repeat|reveal|disclose|"
    "confide|conclude|summarise|summarize|interject|chime in|clarify:clarifies,clarified,clarifying"
)
#: Other languages: every form written out (a reporter's present and past, the participle).
_OTHERS = {
    "de": "sagt sagte sagten gesagt sagen erklärt erklärte erklärten betont betonte betonten meint meinte "
          "fordert forderte warnt warnte kritisiert kritisierte berichtet berichtete schreibt schrieb fragt "
          "fragte antwortet antwortete ergänzt ergänzte räumt räumte kündigt kündigte verspricht versprach "
          "zitiert zitierte erinnert erinnerte klagt klagte beklagt beklagte lacht lachte gibt zu gab zu "
          "schätzt schätzte sprach spricht teilte mit teilt mit bestätigt bestätigte bestreitet bestritt "
          "behauptet behauptete versichert versicherte mahnt mahnte laut zufolge",
    "fr": "dit disait a dit déclare a déclaré déclarait affirme a affirmé affirmait explique a expliqué "
          "expliquait ajoute a ajouté souligne a souligné estime a estimé assure a assuré raconte a raconté "
          "se souvient rappelle a rappelé se plaint sest plaint rit a ri admet a admis reconnaît a reconnu "
          "promet a promis cite a cité précise a précisé insiste a insisté indique a indiqué confie a confié "
          "lance a lancé interroge demande a demandé répond a répondu selon daprès avertit a averti "
          "dénonce a dénoncé martèle a martelé poursuit a poursuivi s'exclame sexclame",
    "es": "dijo dice decía afirmó afirma declaró declara explicó explica añadió añade agregó agrega aseguró "
          "asegura señaló señala indicó indica recordó recuerda se quejó se queja rió ríe admitió admite "
          "reconoció reconoce estimó estima calcula calculó citó prometió promete sostuvo sostiene "
          "insistió insiste advirtió advierte comentó comenta contó relató relata preguntó pregunta "
          "respondió responde según manifestó manifiesta subrayó subraya destacó destaca apuntó apunta",
    "it": "ha detto dice disse diceva ha dichiarato dichiara afferma ha affermato spiega ha spiegato aggiunge "
          "ha aggiunto sottolinea ha sottolineato ricorda ha ricordato lamenta ha lamentato ammette ha ammesso "
          "stima ha stimato cita ha citato promette ha promesso racconta ha raccontato secondo avverte "
          "ha avvertito osserva ha osservato precisa ha precisato risponde ha risposto chiede ha chiesto",
    "pt": "disse diz dizia afirmou afirma declarou declara explicou explica acrescentou acrescenta ressaltou "
          "ressalta lembrou lembra reclamou reclama riu ri admitiu admite estimou estima citou cita prometeu "
          "promete contou segundo destacou destaca afirmaram disseram perguntou pergunta respondeu "
          "responde alertou alerta avaliou avalia",
}
#: Verbs that give a stance or a claim to its holder without being verbs of saying.
_STANCE = (
    "suggest|criticize|criticise|argue|believe|plan|want|agree|urge|warn|deny:denies,denied,denying|reject|"
    "accuse|estimate|oppose|support|back|favour|favor|welcome|condemn|insist|propose|call for:calls for,"
    "called for|vow|pledge|refuse|demand|dismiss|defend|blame|praise|question|doubt|fear|hope|expect|"
    "consider|see:sees,saw|view|regard|think:thinks,thought"
)
#: Verbs after which the speaker may follow ("said Hill", "according to Reuters", "sagte Scholz").
_SPEAKER_AFTER_EN = "said says added adds according to wrote writes noted explained continued declared tweeted " \
    "posted recalled recalls stressed insisted asked asks laughed laughs complained complains admitted " \
    "estimated estimates explains notes continues replied replies answered"


def _english_forms(spec: str, *, ing: bool = True) -> list[str]:
    """Each English verb with its -s, -ed and -ing forms, or the forms written after it. The base
    form is left out where it is as often a noun or an adverb ("the report", "post", "back"):
    those verbs count only inflected."""
    forms: list[str] = []
    for entry in spec.split("|"):
        base, _, irregular = entry.partition(":")
        if irregular:
            forms += [base, *irregular.split(",")]
        elif " " in base:
            forms.append(base)
        else:
            stem = base[:-1] if base.endswith("e") else base
            third = base + ("es" if base.endswith(("s", "sh", "ch", "x", "z")) else "s")
            forms += [base, third, stem + "ed", *([stem + "ing"] if ing else [])]
    return [f for f in forms if f not in _NOUNS]


#: English verbs whose base form is more often another word.
_NOUNS = frozenset(
    "post report answer counter object protest comment demand promise vow pledge joke caution stress shout "
    "tweet estimate laugh sigh whisper boast lament remark wonder state reply respond muse marvel plead "
    "repeat reveal note claim back plan view support question doubt fear hope regard see consider expect "
    "welcome defend blame praise favour favor refuse dismiss propose cite describe continue object "
    "speak counter beg mutter scoff grumble brag tout".split())


SPEECH_FORMS: list[str] = _english_forms(_ENGLISH) + [
    f for words in _OTHERS.values() for f in re.split(r" (?=\S)", words)
    if f not in {"zu", "mit", "se", "a", "ha", "sest"}]
# forms of two words ("a déclaré", "gibt zu", "se plaint") are kept whole
SPEECH_FORMS += [m.group() for words in _OTHERS.values()
                 for m in re.finditer(r"\b(?:a|ha|se|s'est|sest) \S+|\S+ (?:zu|mit)\b", words)]


_TOKEN = re.compile(r"(?<!\w)\w+")
_WORD_CHAR = re.compile(r"\w")
_SPACE = re.compile(r"\s+")


class Found:
    """Where a form was found: start(), end() and group(), as a regular-expression match has them."""

    __slots__ = ("_text", "_start", "_end")

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start:self._end]


class Verbs:
    """Forms of verbs found as whole words, each word looked up in a table of the forms that
    begin with it. It finds what `\\b(?:form|form|...)\\b` with the longest form first would,
    without compiling an alternation of hundreds of forms (ten or more milliseconds of CPU each
    time a pattern embeds it) in every process that checks an attribution."""

    def __init__(self, make: Callable[[], list[str]]):
        self._make = make

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset(self._make())

    @cached_property
    def _by_first_word(self) -> dict[str, tuple[str, ...]]:
        """The forms by their first word ("point" holds "point out"), longest first."""
        table: dict[str, list[str]] = {}
        for form in self.forms:
            table.setdefault(_TOKEN.match(form).group(), []).append(form)  # type: ignore[union-attr]
        return {word: tuple(sorted(forms, key=len, reverse=True)) for word, forms in table.items()}

    def ends(self, text: str, start: int) -> list[int]:
        """Where each form that starts at `start` ends, longest first; none unless a word starts
        there and each form ends a word."""
        word = _TOKEN.match(text, start)
        return self._ends(text, start, word.group(), len(text)) if word else []

    def _ends(self, text: str, start: int, word: str, hi: int) -> list[int]:
        forms = self._by_first_word.get(word)
        if not forms:
            return []
        return [start + len(form) for form in forms if start + len(form) <= hi and text.startswith(form, start)
                and not _WORD_CHAR.match(text, start + len(form), hi)]

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[Found]:
        """Every form, left to right, the longest where several start at one word."""
        hi = len(text) if endpos is None else min(endpos, len(text))
        after = pos
        for word in _TOKEN.finditer(text, pos, hi):
            if word.start() >= after and (ends := self._ends(text, word.start(), word.group(), hi)):
                after = ends[0]
                yield Found(text, word.start(), ends[0])

    def search(self, text: str) -> Found | None:
        return next(self.finditer(text), None)

    def match(self, text: str, pos: int) -> Found | None:
        """The longest form that starts at `pos`."""
        ends = self.ends(text, pos)
        return Found(text, pos, ends[0]) if ends else None

    def ending(self, text: str) -> int | None:
        """Where the first form that ends the text's last word starts (only characters that are
        no word after it): a verb of saying that introduces what follows."""
        found = list(_TOKEN.finditer(text))
        return next((w.start() for w in found if found[-1].end() in self._ends(text, w.start(), w.group(), len(text))),
                    None)

    def after(self, text: str, at: int, *, one_more_word: bool = False) -> int | None:
        """Where the longest form ends that follows the white space at `at` ("he said"), or
        that follows one more word and its white space first when `one_more_word` ("he also
        said"); None when there is none."""
        space = _SPACE.match(text, at)
        if space is None:
            return None
        if one_more_word:
            word = _TOKEN.match(text, space.end())
            more = _SPACE.match(text, word.end()) if word else None
            ends = self.ends(text, more.end()) if more else []
            if ends:
                return ends[0]
        ends = self.ends(text, space.end())
        return ends[0] if ends else None


def word_after(text: str, at: int) -> re.Match[str] | None:
    """The whole word after the white space at `at`, if white space is there."""
    space = _SPACE.match(text, at)
    return _TOKEN.match(text, space.end()) if space else None


def words(text: str) -> Iterator[re.Match[str]]:
    """The whole words of a text, left to right."""
    return _TOKEN.finditer(text)


#: A verb of saying, as whole words.
SPEECH = Verbs(lambda: SPEECH_FORMS)
#: A verb of saying, or one that gives a stance or a claim to its holder.
VERBS = Verbs(lambda: SPEECH_FORMS + _english_forms(_STANCE, ing=False))


class _Forms:
    """Whole forms looked up in a set: `match(word)` is what `^(?:a|b|...)$` would say, without
    compiling an alternation of hundreds of forms (about 70 ms of CPU) in every process."""

    def __init__(self, make: Callable[[], list[str]]):
        self._make = make

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset(self._make())

    def match(self, word: str) -> bool:
        return word in self.forms


def _speaker_after() -> list[str]:
    """The English verbs that take their speaker after them, and every verb of the other
    languages (their word order puts the speaker after the verb: "sagte Scholz", "dijo Petro")."""
    english = [f for f in _SPEAKER_AFTER_EN.split(" ") if f] + ["according to"]
    english_forms = set(_english_forms(_ENGLISH))  # once: made again for each form it cost 60 ms
    others = [f for f in SPEECH_FORMS if f not in english_forms]
    return english + others


SPEAKER_AFTER = _Forms(_speaker_after)
