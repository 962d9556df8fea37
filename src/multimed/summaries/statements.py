"""Statement text for findings, built only from the extracted facts and the quoted source."""

from __future__ import annotations

from multimed.findings.draft import FindingKind
from multimed.findings.models import Finding


def _number(value: float) -> str:
    return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"


def value_phrase(finding: Finding) -> str:
    """ "6.8 mmol/L", "<0.01 ng/mL", "182/124 mmHg": the value as printed where it was, with its unit."""
    if finding.value_text:
        shown = finding.value_text
        if finding.qualifier and not shown.startswith(finding.qualifier):
            shown = finding.qualifier + shown
    elif finding.value is not None:
        shown = (finding.qualifier or "") + _number(finding.value)
    else:
        return ""
    printed_unit = finding.details.get("printed_unit") if finding.details else None
    unit = printed_unit or finding.unit
    return f"{shown} {unit}".strip() if unit and unit not in ("{INR}", "[pH]") else shown


def finding_statement(finding: Finding) -> str:
    """One line stating a finding, e.g. "Potassium 6.8 mmol/L (reference 3.5-5.1; flag HH)"."""
    name = finding.name[:1].upper() + finding.name[1:]
    kind = FindingKind(finding.kind)
    if kind is FindingKind.CONDITION:
        qualifier = " (uncertain)" if finding.details.get("uncertain") else ""
        return f'{name}{qualifier}: "{_one_line(finding.quote)}"'
    if kind is FindingKind.IMAGING:
        return f"{name}: {finding.value_text}" if finding.value_text else name
    parts = [p for p in (name, value_phrase(finding)) if p]
    notes = []
    if finding.reference_low is not None or finding.reference_high is not None:
        notes.append("reference " + _range(finding.reference_low, finding.reference_high))
    if finding.flag:
        notes.append(f"flag {finding.flag}")
    return " ".join(parts) + (f" ({'; '.join(notes)})" if notes else "")


def brief(finding: Finding) -> str:
    """ "sodium 139 mmol/L": a normal result in the brief list."""
    return f"{finding.name} {value_phrase(finding)}".strip()


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{_number(low)}-{_number(high)}"
    return f"<{_number(high)}" if high is not None else f">{_number(low or 0)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
