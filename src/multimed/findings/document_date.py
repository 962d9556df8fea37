"""The date a document states for its results (collection, report, study), read from de-identified text.

De-identification prints shifted dates as ISO (YYYY-MM-DD), so only that form is read here; the shifted
timeline is the only one a de-identified finding may carry.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

_LABELLED = re.compile(
    r"\b(?:collect(?:ed|ion)(?:\s+(?:date|time))?|drawn|specimen\s+date|received|reported|result(?:ed)?"
    r"(?:\s+date)?|date\s+of\s+service|service\s+date|exam(?:ination)?\s+date|study\s+date|dictated)"
    r"\s*[:\-]?\s*(?:on\s+)?(\d{4})-(\d{2})-(\d{2})(?:[ T]+(\d{1,2}):(\d{2}))?",
    re.IGNORECASE,
)


def document_date(text: str) -> datetime | None:
    """The first labelled date (and time, when printed) in the text, as UTC; None when none is labelled."""
    for match in _LABELLED.finditer(text):
        year, month, day, hour, minute = match.groups()
        try:
            return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=UTC)
        except ValueError:
            continue
    return None
