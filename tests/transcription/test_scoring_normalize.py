"""Word error rate after normalising how numbers, units and punctuation are written."""

from __future__ import annotations

import pytest

from multimed.ml.transcription.scoring import normalize, term_recall, word_error_rate


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Potassium six point eight.", ["potassium", "6.8"]),
        ("Potassium 6.8.", ["potassium", "6.8"]),
        ("one sixty over ninety-five", ["160", "over", "95"]),
        ("Sodium one thirty two, creatinine one point four", ["sodium", "132", "creatinine", "1.4"]),
        ("two hundred forty, two hundred and forty", ["240", "240"]),
        ("one hundred twelve", ["112"]),
        ("thirty eight point five", ["38.5"]),
        ("Start lisinopril 10mg daily", ["start", "lisinopril", "10", "milligrams", "daily"]),
        ("HbA1c 9.2%, 1,000 units", ["hba1c", "9.2", "percent", "1000", "units"]),
        ("re-check, five five five", ["recheck", "5", "5", "5"]),
    ],
)
def test_normalize(text: str, words: list[str]) -> None:
    assert normalize(text) == words


def test_word_error_rate_counts_edits_per_reference_word() -> None:
    reference = "Potassium 6.8. Start lisinopril 10 milligrams daily."
    assert word_error_rate(reference, "potassium six point eight, start lisinopril ten milligrams daily") == 0
    assert word_error_rate(reference, "Potassium 6.8. Start listing up for 10 milligrams daily.") == 3 / 7
    assert word_error_rate(reference, "") == 1


def test_term_recall() -> None:
    reference = "Hold furosemide, start lisinopril and recheck potassium."
    found, present = term_recall(
        reference,
        "Hold your osmide, start lisinopril, recheck potassium",
        ["furosemide", "lisinopril", "potassium", "warfarin"],
    )
    assert (found, present) == (2, 3)
