"""Vital signs and red-flag conditions read from de-identified notes and dictation transcripts."""

from multimed.findings.clinical.conditions import extract_conditions
from multimed.findings.clinical.vitals import extract_vitals

__all__ = ["extract_conditions", "extract_vitals"]
