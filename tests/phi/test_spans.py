"""Spans end at word edges: no letter or digit of an identifier is left beside its surrogate."""

from __future__ import annotations

import pytest

from multimed.ml.phi.base import PhiDetector, PhiType
from multimed.ml.phi.spans import Candidate, to_word_edges

TEXT = "Physician: Thornbury, Winifred MD  Acc No: A21-313758"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (11, 32, "Thornbury, Winifred MD"),  # stopped after the M of MD
        (11, 30, "Thornbury, Winifred"),  # already whole words
        (13, 30, "Thornbury, Winifred"),  # started inside the surname
        (44, 53, "A21-313758"),  # started after the leading letter
        (43, 46, "A21"),  # a hyphen is an edge
    ],
)
def test_candidates_grow_to_word_edges(start: int, end: int, expected: str) -> None:
    grown = to_word_edges(TEXT, Candidate(start, end, PhiType.CLINICIAN, 0.9, "test"))

    assert TEXT[grown.start : grown.end] == expected
    assert (grown.type, grown.score, grown.recognizer) == (PhiType.CLINICIAN, 0.9, "test")


def test_credential_after_last_first_is_not_a_middle_initial(detector: PhiDetector) -> None:
    spans = detector.analyze(TEXT)

    assert [(TEXT[s.start : s.end], s.type) for s in spans] == [
        ("Thornbury, Winifred", PhiType.CLINICIAN),
        ("A21-313758", PhiType.ID),
    ]
