"""The languages a briefing can be written in, and its template's own words in each.

The model writes the analysis in the reader's language (`--language`); the article's words
(excerpts, quotes) stay as printed. The templates' headings and the grounding line are
translated here for English, German, French and Spanish; another language gets the analysis in
that language and these words in English.
"""

from __future__ import annotations

from typing import Any

#: ISO 639-1 code -> the language's name in English (as the model is told) and in itself.
NAMES = {
    "en": ("English", "English"), "de": ("German", "Deutsch"), "fr": ("French", "français"),
    "es": ("Spanish", "español"), "it": ("Italian", "italiano"), "pt": ("Portuguese", "português"),
    "nl": ("Dutch", "Nederlands"), "pl": ("Polish", "polski"), "sv": ("Swedish", "svenska"),
    "da": ("Danish", "dansk"), "cs": ("Czech", "čeština"), "ru": ("Russian", "русский"),
    "uk": ("Ukrainian", "українська"), "tr": ("Turkish", "Türkçe"), "ar": ("Arabic", "العربية"),
    "zh": ("Chinese", "中文"), "ja": ("Japanese", "日本語"), "ko": ("Korean", "한국어"),
}
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
        "written in": "verfasst auf", "disputed by": "bestritten von", "according to": "laut",
        "more items in the full inventory": "weitere Einträge in der vollständigen Übersicht",
        "more item in the full inventory": "weiterer Eintrag in der vollständigen Übersicht",
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
        "written in": "rédigé en", "disputed by": "contesté par", "according to": "selon",
        "more items in the full inventory": "autres éléments dans l'inventaire complet",
        "more item in the full inventory": "autre élément dans l'inventaire complet",
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
        "written in": "redactado en", "disputed by": "disputado por", "according to": "según",
        "more items in the full inventory": "elementos más en el inventario completo",
        "more item in the full inventory": "elemento más en el inventario completo",
    },
}

#: Month names, January first: a date in a briefing reads in the briefing's language.
MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
}
#: How each language writes a day and a month: (day month year, month year).
_DATE_FORMS = {"de": ("{d}. {m} {y}", "{m} {y}"), "es": ("{d} de {m} de {y}", "{m} de {y}")}
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
    """A date as the briefing's language writes it: "5 December 2019", "5 décembre 2019",
    "5. Dezember 2019", "1er mars 2022", "diciembre de 2019" (English for other languages)."""
    code = language if language in MONTHS else DEFAULT
    with_day, without = _DATE_FORMS.get(code, ("{d} {m} {y}", "{m} {y}"))
    shown_day = "1er" if code == "fr" and day == 1 else day
    return (with_day if day else without).format(d=shown_day, m=MONTHS[code][month - 1], y=year)


def kind_word(kind: str, language: str | None) -> str:
    """The kind of an actor ("organization") in the briefing's language."""
    return _KINDS.get(language or DEFAULT, {}).get(kind, kind)


#: The grounding line's phrases: (verified excerpts, figures and dates, could not be checked).
_GROUNDING = {
    "de": ("{v} von {n} Auszügen und Zitaten wörtlich bestätigt, {a} annähernd, {u} nicht gestützt",
           "{fv} von {fn} Zahlen und {dv} von {dn} Daten in ihren Absätzen gefunden",
           "{k} Angaben nicht prüfbar", "Nicht mit der Quelle abgeglichen (Prüfung aus)."),
    "fr": ("{v} extraits et citations sur {n} vérifiés mot pour mot, {a} approximatifs, {u} non étayés",
           "{fv} chiffres sur {fn} et {dv} dates sur {dn} trouvés dans leurs paragraphes",
           "{k} éléments non vérifiables", "Non vérifié dans la source (vérification désactivée)."),
    "es": ("{v} de {n} extractos y citas verificados literalmente, {a} aproximados, {u} sin respaldo",
           "{fv} de {fn} cifras y {dv} de {dn} fechas halladas en sus párrafos",
           "{k} elementos no verificables", "No cotejado con la fuente (verificación desactivada)."),
}


def name(code: str) -> str:
    """How the model is told the language: "German (Deutsch)"."""
    english, own = NAMES.get(code, (code, code))
    return english if english == own else f"{english} ({own})"


def word(text: str, language: str | None) -> str:
    """A template's own word in the briefing's language (English when there is no translation)."""
    return WORDS.get(language or DEFAULT, {}).get(text, text)


def grounding_line(report: Any, language: str | None) -> str:
    """The grounding summary in the briefing's language: English is the report's own line."""
    phrases = _GROUNDING.get(language or DEFAULT)
    if phrases is None:
        return str(report.summary)
    if report.mode == "off":
        return phrases[3]
    e, f, d = report.excerpts, report.figures, report.dates
    parts = [phrases[0].format(v=e.verified, n=e.checked, a=e.approximate, u=e.unsupported),
             phrases[1].format(fv=f.verified, fn=f.checked, dv=d.verified, dn=d.checked)]
    unchecked = f.unchecked + d.unchecked + e.unchecked + report.attributions_unchecked + report.uncited
    if unchecked:
        parts.append(phrases[2].format(k=unchecked))
    return "; ".join(parts) + "."
