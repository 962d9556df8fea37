"""Lab results read from de-identified report text: analyte, value, unit, range, flag and severity.

`extract_labs(text, load_critical_limits())` is the whole public use. It reads report tables, prose and
dictation transcripts ("Potassium 6.8." in the canonical unit, `details["unit_assumed"]`), and never raises a
critical alarm from a value outside the analyte's plausible range (`details["implausible"]`). A result line
whose name it cannot read but whose printed flag says critical is kept for review as an unidentified CRITICAL
result (`details["name_unreadable"]`, unidentified.py), never dropped. The data it
reads (analytes, units, conversions, flags, specimens, default critical limits, plausible ranges) lives in
`data/` with its sources.
"""

from multimed.findings.labs.errors import InvalidLimitsFile, UnknownConversion
from multimed.findings.labs.limits import CriticalLimit, CriticalLimits, load_critical_limits
from multimed.findings.labs.parser import extract_labs

__all__ = [
    "CriticalLimit",
    "CriticalLimits",
    "InvalidLimitsFile",
    "UnknownConversion",
    "extract_labs",
    "load_critical_limits",
]
