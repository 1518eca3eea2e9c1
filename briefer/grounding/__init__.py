"""Every quote, excerpt, figure, date and attribution checked against its cited paragraph (the
program, not the model, says what is verified); hands the checked items on to merging.
"""

# Small checkers, one per kind (quotes.py, figures.py, dates.py, anchors.py, attributed.py), each
# answering verified / approximate / unsupported (contradicted) / unchecked (not checked);
# check.py applies them to a briefing, outcome.py gives each item its one outcome and counts
# them; findings.py says what failed to the model.

from typing import TYPE_CHECKING

from ..core.lazy import lazy_names

# Loaded at once, small, and named like its module: the function `outcome` must be what the
# package's `outcome` is, not the module the import system would put there on its first load.
from .outcome import all_evidence, grounding_report, item_status, not_checked, outcome

#: Each other module and the names the package offers from it, each loaded when first asked for:
#: the renderings need the dates and figures in a text, not the checks and their fuzzy matcher.
_NAMES = {
    "check": ("ground",),
    "dates": ("check_date", "date_spans"),
    "figures": ("check_figure", "figures_in", "quantities"),
    "findings": ("grounding_problems",),
    "quotes": ("check_excerpt",),
    "text": ("Source", "matching_text", "normalise"),
}
__all__ = sorted(["all_evidence", "grounding_report", "item_status", "not_checked", "outcome",
                  *(name for names in _NAMES.values() for name in names)])
__getattr__ = lazy_names(__name__, _NAMES)

if TYPE_CHECKING:
    from .check import ground  # noqa: F401
    from .dates import check_date, date_spans  # noqa: F401
    from .figures import check_figure, figures_in, quantities  # noqa: F401
    from .findings import grounding_problems  # noqa: F401
    from .quotes import check_excerpt  # noqa: F401
    from .text import Source, matching_text, normalise  # noqa: F401
