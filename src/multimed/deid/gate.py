"""The release gate: rescan de-identified output at a lower threshold; anything left blocks release."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from multimed.deid.errors import ReleaseBlocked
from multimed.deid.policy import Operator, Policy
from multimed.deid.surrogates import SURROGATE_PATTERN
from multimed.ml.phi.base import PhiDetector, PhiSpan, PhiType

GATE_THRESHOLD = 0.3
# What our operators print may be found again by a detector; it is not PHI.
_OPERATOR_OUTPUT = {"90+", "[DATE]", "[ZIP]"}
_YEAR = re.compile(r"^(1[89]|20)\d{2}$")
_ZIP3 = re.compile(r"^\d{3}$")
_SHIFTED = re.compile(r"^(\d{4}-\d{2}(-\d{2})?|\d{2}-\d{2})$")


def _operator_output(span: PhiSpan, value: str, policy: Policy) -> bool:
    """Whether a flagged value is exactly what the policy's operator prints for that type."""
    operator = policy.operator(span.type)
    if value in _OPERATOR_OUTPUT or operator is Operator.KEEP:
        return True
    if span.type is PhiType.DATE:
        return bool(_YEAR.match(value) or (operator is Operator.SHIFT and _SHIFTED.match(value)))
    return span.type is PhiType.ZIP and bool(_ZIP3.match(value))


def residual_spans(
    text: str, detector: PhiDetector, *, policy: Policy, known_values: Sequence[str] = ()
) -> list[PhiSpan]:
    """Spans of de-identified text the detector still calls identifying (our own output excepted)."""
    surrogates = [m.span() for m in SURROGATE_PATTERN.finditer(text)]
    residual = []
    for span in detector.analyze(text, threshold=GATE_THRESHOLD, known_values=known_values):
        if any(s <= span.start and span.end <= e for s, e in surrogates):
            continue
        if not _operator_output(span, text[span.start : span.end].strip(), policy):
            residual.append(span)
    return residual


def check_release(
    text: str, detector: PhiDetector, *, policy: Policy, known_values: Sequence[str] = ()
) -> None:
    """Raise ReleaseBlocked with counts by type when anything identifying remains."""
    residual = residual_spans(text, detector, policy=policy, known_values=known_values)
    if residual:
        raise ReleaseBlocked(dict(Counter(span.type.value for span in residual)))
