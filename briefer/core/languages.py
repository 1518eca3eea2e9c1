"""The languages a briefing can be written in, and its template's own words in each.

The model writes the analysis in the reader's language (`--language`); the article's words
(excerpts, quotes) stay as printed. The templates' headings and the grounding line are
translated here for English, German, French and Spanish (briefer's own message catalogue);
another language gets the analysis in that language and these words in English. Everything a
locale defines (language names, plural rules, dates, numbers, quotation marks) comes from CLDR
through Babel (core/locale_data.py), never from tables of our own.
"""

from __future__ import annotations

from typing import Any

from .locale_data import language_name, long_date, plural_category
from .typography import punctuate

#: The languages a briefing can be written in (ISO 639-1); their names come from CLDR.
CODES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "sv", "da", "cs", "ru", "uk", "tr", "ar", "zh", "ja", "ko")
DEFAULT = "en"

#: The templates' words, by their English text.
WORDS: dict[str, dict[str, str]] = {
    "de": {
        "Bottom line": "Kurz gesagt", "Key points": "Kernpunkte", "What is contested": "Was umstritten ist",
        "Where the sources differ": "Wo die Quellen abweichen", "Unconfirmed": "Unbestätigt",
        "Who's who": "Wer ist wer", "Also mentioned": "Außerdem erwähnt", "Numbers and dates": "Zahlen und Daten",
        "In their words": "Im Wortlaut", "Not supported by the source": "Von der Quelle nicht gestützt",
        "Not supported by the sources": "Von den Quellen nicht gestützt", "Sources": "Quellen",
        "Checked against the source": "Mit der Quelle abgeglichen",
        "Checked against the sources": "Mit den Quellen abgeglichen",
        "Findings": "Ergebnisse", "Actors": "Akteure", "Positions": "Positionen",
        "Disputed and unconfirmed claims": "Umstrittene und unbestätigte Behauptungen",
        "Key figures": "Wichtige Zahlen", "Timeline": "Zeitleiste", "Quotes": "Zitate",
        "written in": "verfasst auf", "disputed by": "bestritten von", "says": "sagt:", "disputes that": "bestreitet:", "with": "mit", "according to": "laut", "by": "von",
        # the comma after "According to X": German goes on with the verb ("Laut X ist ..."), so the
        # model's sentence, in its own word order, follows a colon
        ",": ":",
        "Reported": "Laut Bericht", "unattributed": "ohne Urheber", "no source cited": "ohne Quellenangabe", "not named": "nicht genannt",
        "untitled": "ohne Titel", "also": "auch", "Key point": "Kernpunkt", "Finding": "Ergebnis",
        "Position": "Position", "Disputed claim": "Umstrittene Behauptung", "Figure": "Zahl", "Event": "Ereignis",
        "Quote": "Zitat", "Status": "Status", "Asserted by": "Behauptet von", "Disputed by": "Bestritten von",
        "In the article": "Im Artikel", "The other side": "Die Gegenseite",
        "contested": "umstritten", "denied": "bestritten", "unverified": "unbestätigt",
        "approximate": "annähernd", "not checked": "nicht geprüft", "unsupported": "nicht gestützt",
        "attribution unconfirmed": "Zuschreibung unbestätigt",
        "Appendix: not supported by the source": "Anhang: von der Quelle nicht gestützt",
        "Appendix: not supported by the sources": "Anhang: von den Quellen nicht gestützt",
        "Model": "Modell", "prompts": "Prompts",
        "Written by a language model from the sources above and checked against them by briefer.":
            "Von einem Sprachmodell aus den obigen Quellen verfasst und von briefer mit ihnen abgeglichen.",
        # the web page (templates/page.html.j2, _page_*.html.j2; the marks of briefer/render/page.py)
        "Briefing": "Briefing", "Source": "Quelle", "Cited by": "Zitiert von", "asserted by": "behauptet von",
        "reported by": "berichtet von", "Difference": "Abweichung", "Stories": "Meldungen",
        "Everything the briefing holds": "Alles, was das Briefing enthält",
        "Which outlet reported what": "Welches Medium was berichtete",
        "A filled square: an item of the briefing that the outlet's article supports.":
            "Ein gefülltes Feld: ein Punkt des Briefings, den der Artikel dieses Mediums stützt.",
        "How to read the marks": "So liest man die Markierungen",
        "Each citation links to the cited words in their paragraph; each paragraph lists the items that cite "
        "it. Beside each item, what the check against the source found":
            "Jede Quellenangabe führt zu den zitierten Worten in ihrem Absatz; jeder Absatz nennt die Punkte, "
            "die ihn zitieren. Neben jedem Punkt steht, was der Abgleich mit der Quelle ergab",
        "No such words found in": "Keine solchen Worte gefunden in", "Skip to the briefing": "Zum Briefing springen",
        "Dated events to scale": "Datierte Ereignisse maßstabsgetreu",
        "The source's own words": "Die Worte der Quelle",
        "The text of this source was not at hand.": "Der Text dieser Quelle lag nicht vor.",
        "verified": "wörtlich belegt",
        "found word for word in the cited paragraph": "wörtlich im zitierten Absatz gefunden",
        "close to the cited paragraph but not word for word; the source's own words are shown beside it":
            "nah am zitierten Absatz, aber nicht wörtlich; die Worte der Quelle stehen daneben",
        "not found in the cited paragraph; the source's closest words, when there are any, are shown beside it":
            "im zitierten Absatz nicht gefunden; die nächstliegenden Worte der Quelle stehen, wenn es sie gibt, daneben",
        "the words are in the source, but not clearly said by whom the briefing says":
            "die Worte stehen in der Quelle, aber nicht eindeutig von der Person, der das Briefing sie zuschreibt",
        "could not be checked (no figure, date or source text to check against)":
            "konnte nicht geprüft werden (keine Zahl, kein Datum und kein Quelltext zum Abgleich)",
    },
    "fr": {
        "Bottom line": "L'essentiel", "Key points": "Points clés", "What is contested": "Ce qui est contesté",
        "Where the sources differ": "Où les sources divergent", "Unconfirmed": "Non confirmé",
        "Who's who": "Qui est qui", "Also mentioned": "Également cités", "Numbers and dates": "Chiffres et dates",
        "In their words": "Dans leurs mots", "Not supported by the source": "Non étayé par la source",
        "Not supported by the sources": "Non étayé par les sources", "Sources": "Sources",
        "Checked against the source": "Vérifié dans la source",
        "Checked against the sources": "Vérifié dans les sources",
        "Findings": "Constats", "Actors": "Acteurs", "Positions": "Positions",
        "Disputed and unconfirmed claims": "Affirmations contestées et non confirmées",
        "Key figures": "Chiffres clés", "Timeline": "Chronologie", "Quotes": "Citations",
        "written in": "rédigé en", "disputed by": "contesté par", "says": "affirme :", "disputes that": "conteste :", "with": "avec", "according to": "selon", "by": "par", ",": ",",
        "Reported": "Selon l'article", "unattributed": "non attribué", "no source cited": "sans source citée", "not named": "non nommé",
        "untitled": "sans titre", "also": "aussi", "Key point": "Point clé", "Finding": "Constat",
        "Position": "Position", "Disputed claim": "Affirmation contestée", "Figure": "Chiffre", "Event": "Événement",
        "Quote": "Citation", "Status": "Statut", "Asserted by": "Affirmé par", "Disputed by": "Contesté par",
        "In the article": "Dans l'article", "The other side": "L'autre partie",
        "contested": "contesté", "denied": "démenti", "unverified": "non confirmé",
        "approximate": "approximatif", "not checked": "non vérifié", "unsupported": "non étayé",
        "attribution unconfirmed": "attribution non confirmée",
        "Appendix: not supported by the source": "Annexe : non étayé par la source",
        "Appendix: not supported by the sources": "Annexe : non étayé par les sources",
        "Model": "Modèle", "prompts": "consignes",
        "Written by a language model from the sources above and checked against them by briefer.":
            "Rédigé par un modèle de langage à partir des sources ci-dessus et vérifié dans celles-ci par briefer.",
        # the web page (templates/page.html.j2, _page_*.html.j2; the marks of briefer/render/page.py)
        "Briefing": "Synthèse", "Source": "Source", "Cited by": "Cité par", "asserted by": "affirmé par",
        "reported by": "rapporté par", "Difference": "Divergence", "Stories": "Articles",
        "Everything the briefing holds": "Tout ce que contient la synthèse",
        "Which outlet reported what": "Quel média a rapporté quoi",
        "A filled square: an item of the briefing that the outlet's article supports.":
            "Case pleine : un élément de la synthèse qu'étaye l'article de ce média.",
        "How to read the marks": "Comment lire les marques",
        "Each citation links to the cited words in their paragraph; each paragraph lists the items that cite "
        "it. Beside each item, what the check against the source found":
            "Chaque référence mène aux mots cités dans leur paragraphe ; chaque paragraphe indique les éléments "
            "qui le citent. À côté de chaque élément, ce qu'a donné la vérification dans la source",
        "No such words found in": "Mots introuvables dans", "Skip to the briefing": "Aller à la synthèse",
        "Dated events to scale": "Événements datés, à l'échelle",
        "The source's own words": "Les mots de la source",
        "The text of this source was not at hand.": "Le texte de cette source n'était pas disponible.",
        "verified": "vérifié",
        "found word for word in the cited paragraph": "trouvé mot pour mot dans le paragraphe cité",
        "close to the cited paragraph but not word for word; the source's own words are shown beside it":
            "proche du paragraphe cité mais pas mot pour mot ; les mots de la source sont donnés à côté",
        "not found in the cited paragraph; the source's closest words, when there are any, are shown beside it":
            "introuvable dans le paragraphe cité ; les mots les plus proches de la source, s'il y en a, sont "
            "donnés à côté",
        "the words are in the source, but not clearly said by whom the briefing says":
            "les mots sont dans la source, mais pas clairement prononcés par la personne que désigne la synthèse",
        "could not be checked (no figure, date or source text to check against)":
            "n'a pas pu être vérifié (pas de chiffre, de date ni de texte source à comparer)",
    },
    "es": {
        "Bottom line": "En resumen", "Key points": "Puntos clave", "What is contested": "Qué se disputa",
        "Where the sources differ": "Dónde difieren las fuentes", "Unconfirmed": "Sin confirmar",
        "Who's who": "Quién es quién", "Also mentioned": "También mencionados", "Numbers and dates": "Cifras y fechas",
        "In their words": "En sus palabras", "Not supported by the source": "Sin respaldo en la fuente",
        "Not supported by the sources": "Sin respaldo en las fuentes", "Sources": "Fuentes",
        "Checked against the source": "Cotejado con la fuente",
        "Checked against the sources": "Cotejado con las fuentes",
        "Findings": "Hallazgos", "Actors": "Actores", "Positions": "Posiciones",
        "Disputed and unconfirmed claims": "Afirmaciones disputadas y sin confirmar",
        "Key figures": "Cifras clave", "Timeline": "Cronología", "Quotes": "Citas",
        "written in": "redactado en", "disputed by": "disputado por", "says": "afirma:", "disputes that": "disputa:", "with": "con", "according to": "según", "by": "por", ",": ",",
        "Reported": "Según el artículo", "unattributed": "sin atribuir", "no source cited": "sin fuente citada", "not named": "no identificado",
        "untitled": "sin título", "also": "también", "Key point": "Punto clave", "Finding": "Hallazgo",
        "Position": "Posición", "Disputed claim": "Afirmación disputada", "Figure": "Cifra", "Event": "Hecho",
        "Quote": "Cita", "Status": "Estado", "Asserted by": "Afirmado por", "Disputed by": "Disputado por",
        "In the article": "En el artículo", "The other side": "La otra parte",
        "contested": "disputado", "denied": "desmentido", "unverified": "sin confirmar",
        "approximate": "aproximado", "not checked": "sin verificar", "unsupported": "sin respaldo",
        "attribution unconfirmed": "atribución sin confirmar",
        "Appendix: not supported by the source": "Anexo: sin respaldo en la fuente",
        "Appendix: not supported by the sources": "Anexo: sin respaldo en las fuentes",
        "Model": "Modelo", "prompts": "instrucciones",
        "Written by a language model from the sources above and checked against them by briefer.":
            "Redactado por un modelo de lenguaje a partir de las fuentes anteriores y cotejado con ellas por briefer.",
        # the web page (templates/page.html.j2, _page_*.html.j2; the marks of briefer/render/page.py)
        "Briefing": "Informe", "Source": "Fuente", "Cited by": "Citado por", "asserted by": "afirmado por",
        "reported by": "informado por", "Difference": "Divergencia", "Stories": "Noticias",
        "Everything the briefing holds": "Todo lo que contiene el informe",
        "Which outlet reported what": "Qué medio informó de qué",
        "A filled square: an item of the briefing that the outlet's article supports.":
            "Casilla llena: un elemento del informe que respalda el artículo de ese medio.",
        "How to read the marks": "Cómo leer las marcas",
        "Each citation links to the cited words in their paragraph; each paragraph lists the items that cite "
        "it. Beside each item, what the check against the source found":
            "Cada referencia lleva a las palabras citadas en su párrafo; cada párrafo indica los elementos que "
            "lo citan. Junto a cada elemento, lo que halló el cotejo con la fuente",
        "No such words found in": "Palabras no halladas en", "Skip to the briefing": "Ir al informe",
        "Dated events to scale": "Hechos fechados, a escala",
        "The source's own words": "Las palabras de la fuente",
        "The text of this source was not at hand.": "El texto de esta fuente no estaba disponible.",
        "verified": "verificado",
        "found word for word in the cited paragraph": "hallado palabra por palabra en el párrafo citado",
        "close to the cited paragraph but not word for word; the source's own words are shown beside it":
            "cercano al párrafo citado pero no literal; al lado se muestran las palabras de la fuente",
        "not found in the cited paragraph; the source's closest words, when there are any, are shown beside it":
            "no hallado en el párrafo citado; al lado se muestran, si las hay, las palabras más cercanas de la fuente",
        "the words are in the source, but not clearly said by whom the briefing says":
            "las palabras están en la fuente, pero no consta que las dijera quien indica el informe",
        "could not be checked (no figure, date or source text to check against)":
            "no se pudo verificar (sin cifra, fecha ni texto de la fuente con que cotejar)",
    },
}

#: The kinds of actor, shown when the article gives an actor no role.
_KINDS = {
    "de": {"person": "Person", "organization": "Organisation", "government": "Regierung", "state": "Staat",
           "group": "Gruppe", "other": "Sonstige"},
    "fr": {"person": "personne", "organization": "organisation", "government": "gouvernement", "state": "État",
           "group": "groupe", "other": "autre"},
    "es": {"person": "persona", "organization": "organización", "government": "gobierno", "state": "Estado",
           "group": "grupo", "other": "otro"},
}


def date_words(year: int, month: int, day: int | None, language: str | None) -> str:
    """A date as the briefing's language writes it (CLDR's long date, or month and year):
    "5 December 2019", "5 décembre 2019", "5. Dezember 2019", "diciembre de 2019"; French writes
    the first of a month "1er mars" (Imprimerie nationale), which CLDR does not."""
    said = long_date(year, month, day, language or DEFAULT)
    return "1er" + said[1:] if language == "fr" and day == 1 and said.startswith("1 ") else said


def kind_word(kind: str, language: str | None) -> str:
    """The kind of an actor ("organization") in the briefing's language."""
    return _KINDS.get(language or DEFAULT, {}).get(kind, kind)


#: The grounding line's phrases: (items, excerpts, figures and dates, could not be checked). A
#: `{n|one|other}` is the word a count takes by the language's CLDR plural rule ("1 approximatif").
_GROUNDING = {
    "de": ("{v} von {n} Angaben bestätigt, {a} annähernd, {u} nicht gestützt, {k} nicht geprüft",
           "{ev} von {en} Auszügen und Zitaten wörtlich",
           "{fv} von {fn} Zahlen und {dv} von {dn} Daten in ihren Absätzen gefunden",
           "Nicht mit der Quelle abgeglichen (Prüfung aus)."),
    "fr": ("{v} {v|élément vérifié|éléments vérifiés} sur {n}, {a} {a|approximatif|approximatifs}, "
           "{u} {u|non étayé|non étayés}, {k} {k|non vérifié|non vérifiés}",
           "{ev} {ev|extrait ou citation|extraits et citations} sur {en} mot pour mot",
           "{fv} {fv|chiffre|chiffres} sur {fn} et {dv} {dv|date|dates} sur {dn} trouvés dans leurs paragraphes",
           "Non vérifié dans la source (vérification désactivée)."),
    "es": ("{v} de {n} elementos verificados, {a} {a|aproximado|aproximados}, {u} sin respaldo, {k} sin verificar",
           "{ev} de {en} extractos y citas literales",
           "{fv} de {fn} cifras y {dv} de {dn} fechas halladas en sus párrafos",
           "No cotejado con la fuente (verificación desactivada)."),
}


def name(code: str) -> str:
    """How the model is told the language: "German (Deutsch)"."""
    english, own = language_name(code, "en"), language_name(code, code)
    return english if english == own else f"{english} ({own})"


def names() -> dict[str, tuple[str, str]]:
    """Each language a briefing can be written in: its name in English and in itself."""
    return {code: (language_name(code, "en"), language_name(code, code)) for code in CODES}


def word(text: str, language: str | None) -> str:
    """A template's own words in the briefing's language (English when there is no
    translation), with the punctuation after them set as the language sets it: "Bottom line:"
    is "L'essentiel :" in French; ":" alone is the colon after a template's label."""
    stem = text.rstrip(":;!?")
    said = WORDS.get(language or DEFAULT, {}).get(stem, stem) + text[len(stem):]
    return punctuate(said, language)


def grounding_line(report: Any, language: str | None) -> str:
    """The grounding summary in the briefing's language: English is the report's own line."""
    phrases = _GROUNDING.get(language or DEFAULT)
    if phrases is None:
        return str(report.summary)
    if report.mode == "off":
        return phrases[3]
    i, e, f, d = report.items, report.excerpts, report.figures, report.dates
    parts = [counted(phrases[0], language, v=i.verified, n=i.total, a=i.approximate, u=i.unsupported, k=i.unchecked),
             counted(phrases[1], language, ev=e.verified, en=e.checked),
             counted(phrases[2], language, fv=f.verified, fn=f.checked, dv=d.verified, dn=d.checked)]
    return punctuate("; ".join(parts) + ".", language)


def counted(phrase: str, language: str | None, **counts: int) -> str:
    """A phrase with its counts put in, and each `{name|one|other}` the word its count takes."""
    import re

    def form(found: re.Match[str]) -> str:
        return plural(counts[found[1]], (found[2], found[3]), language)

    return re.sub(r"\{(\w+)\|([^|}]*)\|([^}]*)\}", form, phrase).format(**counts)


#: The footer's account of calls and money (costs.spending), by language. A pair is (one, other):
#: which one a count takes is CLDR's plural rule for the language (French counts 0 and 1 as one).
SPENDING: dict[str, dict[str, Any]] = {
    "en": {"made": ("{n} call made", "{n} calls made"), "replayed": (", {n} replayed", ", {n} replayed"),
           "tokens": "{p} prompt and {c} completion tokens", "cached": " ({n} cached)",
           "reasks": (", {n} re-ask", ", {n} re-asks"), "prices": "{currency} (prices of {date})",
           "would": "it would have cost about {a} {prices}", "spent": "about {a} {prices}",
           "more": "; the replayed calls would have cost {r} more"},
    "de": {"made": ("{n} Aufruf gemacht", "{n} Aufrufe gemacht"), "replayed": (", {n} wiedergegeben", ", {n} wiedergegeben"),
           "tokens": "{p} Prompt- und {c} Antwort-Tokens", "cached": " ({n} aus dem Cache)",
           "reasks": (", {n} Nachfrage", ", {n} Nachfragen"), "prices": "{currency} (Preise vom {date})",
           "would": "es hätte etwa {a} {prices} gekostet", "spent": "etwa {a} {prices}",
           "more": "; die wiedergegebenen Aufrufe hätten {r} mehr gekostet"},
    "fr": {"made": ("{n} appel effectué", "{n} appels effectués"), "replayed": (", {n} rejoué", ", {n} rejoués"),
           "tokens": "{p} jetons de requête et {c} de réponse", "cached": " ({n} en cache)",
           "reasks": (", {n} relance", ", {n} relances"), "prices": "{currency} (tarifs du {date})",
           "would": "cela aurait coûté environ {a} {prices}", "spent": "environ {a} {prices}",
           "more": "; les appels rejoués auraient coûté {r} de plus"},
    "es": {"made": ("{n} llamada hecha", "{n} llamadas hechas"), "replayed": (", {n} reproducida", ", {n} reproducidas"),
           "tokens": "{p} tokens de petición y {c} de respuesta", "cached": " ({n} en caché)",
           "reasks": (", {n} repregunta", ", {n} repreguntas"), "prices": "{currency} (precios del {date})",
           "would": "habría costado unos {a} {prices}", "spent": "unos {a} {prices}",
           "more": "; las llamadas reproducidas habrían costado {r} más"},
}


def plural(count: int, forms: tuple[str, str], language: str | None) -> str:
    """The form of a phrase for a count, (one, other), by the language's CLDR plural rule."""
    return forms[0 if plural_category(count, language or DEFAULT) == "one" else 1]
