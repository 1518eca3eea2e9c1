"""Every quote, excerpt, figure, date and attribution checked against its cited paragraph (the
program, not the model, says what is verified); hands the checked items on to merging.
"""

# Small checkers, one per kind (quotes.py, figures.py, dates.py, anchors.py, attributed.py), each
# answering verified / approximate / unsupported (contradicted) / unchecked (not checked);
# check.py applies them to a briefing, outcome.py gives each item its one outcome and counts
# them; findings.py says what failed to the model.

from .check import ground, worst
from .outcome import all_evidence, grounding_report, item_status, not_checked, outcome
from .dates import check_date, date_spans
from .figures import check_figure, figures_in, quantities
from .findings import grounding_problems
from .quotes import check_excerpt
from .text import Source, matching_text, normalise

__all__ = [
    "Source", "all_evidence", "check_date", "check_excerpt", "check_figure", "date_spans", "figures_in",
    "ground", "grounding_problems", "grounding_report", "item_status", "matching_text", "normalise",
    "not_checked", "outcome", "quantities", "worst",
]
