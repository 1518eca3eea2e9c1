"""The golden renders: each expected file under fixtures/expected/ and the command that makes it.

Tests compare a run with its file and never write it; `python scripts/update_goldens.py` rewrites
them after an intended change (review the diff before committing it).
"""

from __future__ import annotations

from pathlib import Path

from .isolation import ROOT

FIXTURES = ROOT / "fixtures"
ARTICLES = FIXTURES / "articles"
EXPECTED = FIXTURES / "expected"
CASSETTES = FIXTURES / "cassettes"
GERMAN_PAGE = ARTICLES / "sueddeutsche_flixtrain_2019.html"
FRENCH_PAGE = ARTICLES / "franceculture_idees_2020.html"

#: The combined sets of tests/test_cli.py: a name, its articles; each rendered with the
#: `briefing` template (NAME.md) and the `dossier` one (NAME.dossier.md).
SETS = {
    "scholz-putin-call": ["scholz-putin-call.txt"],
    "businessweek-afghanistan-new-millionaires-2014": ["businessweek_afghanistan_new_millionaires_2014.txt"],
    "ap-uk-tories-factcheckuk-2019": ["ap_uk_tories_factcheckuk_2019.html"],
    "assange-two-outlets": ["bbc_sweden_drops_assange_investigation_2019.txt", "assange_albawaba_2019.txt"],
    "meth-four-outlets": ["meth_njcom_2019.txt", "meth_spokesman_ad_agencies_2019.txt",
                          "meth_thehill_noem_doubles_down_2019.txt", "meth_usatoday_argusleader_2019.txt"],
}
#: The foreign pages of tests/test_language.py: (page, --language or "") -> expected file.
FOREIGN = {(GERMAN_PAGE, ""): "sueddeutsche-flixtrain-2019.md", (GERMAN_PAGE, "de"): "sueddeutsche-flixtrain-2019.de.md",
           (FRENCH_PAGE, ""): "franceculture-idees-2020.md", (FRENCH_PAGE, "fr"): "franceculture-idees-2020.fr.md"}


def set_golden(name: str, template: str) -> tuple[Path, list[str]]:
    """A combined set's expected file and the arguments of `briefer` that make it."""
    expected = EXPECTED / f"{name}{'' if template == 'briefing' else '.' + template}.md"
    args = ["brief", *(str(ARTICLES / a) for a in SETS[name]), "--replay", str(CASSETTES), "-q",
            "--template", template]
    return expected, args


def foreign_golden(page: Path, language: str) -> tuple[Path, list[str]]:
    """A foreign page's expected file and the arguments of `briefer` that make it."""
    args = ["brief", str(page), "--replay", str(CASSETTES), "-q", *(("--language", language) if language else ())]
    return EXPECTED / FOREIGN[page, language], args


def every_golden() -> list[tuple[Path, list[str]]]:
    """Every expected file with its command: what scripts/update_goldens.py rewrites."""
    return ([set_golden(name, template) for name in SETS for template in ("briefing", "dossier")]
            + [foreign_golden(page, language) for page, language in FOREIGN])
