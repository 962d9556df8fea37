"""Every text extractor run over one de-identified text: labs, vitals and red-flag conditions."""

from __future__ import annotations

from multimed.findings.clinical.conditions import extract_conditions
from multimed.findings.clinical.vitals import extract_vitals
from multimed.findings.draft import FindingDraft
from multimed.findings.labs.limits import CriticalLimits
from multimed.findings.labs.parser import extract_labs


def analyze_text(text: str, limits: CriticalLimits) -> list[FindingDraft]:
    """All findings of a text in text order. A vital read inside a lab result's span is the lab's."""
    labs = extract_labs(text, limits)
    lab_spans = [(d.start, d.end) for d in labs]
    vitals = [v for v in extract_vitals(text) if not any(s < v.end and v.start < e for s, e in lab_spans)]
    drafts = [*labs, *vitals, *extract_conditions(text)]
    return sorted(drafts, key=lambda d: (d.start, d.end, d.kind.value, d.name))
