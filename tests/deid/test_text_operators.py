"""Operators, surrogates, ZIP and date rules, the span map."""

from __future__ import annotations

import pytest

from fakes.phi import ListDetector
from multimed.deid.context import date_shift_days
from multimed.deid.dates import parse_date, reduce_to_year, shift_date
from multimed.deid.policy import PolicyName, load_policy
from multimed.deid.surrogates import MemorySurrogateBook
from multimed.deid.text import deidentify_text
from multimed.ml.phi.base import PhiType

SAFE = load_policy(PolicyName.SAFE_HARBOR)
LIMITED = load_policy(PolicyName.LIMITED)
NOTE = (
    "Patient John Smith (MRN 00123456) seen 01/15/2023 by Dr. Lee. Smith, John is 92 years old. "
    "Lives in Springfield, IL 62704; second home ZIP 03601. Dr Lee will call John Smith at 555-867-5309."
)
DETECTOR = ListDetector(
    {
        "John Smith": PhiType.PATIENT,
        "Smith, John": PhiType.PATIENT,
        "Dr. Lee": PhiType.CLINICIAN,
        "Dr Lee": PhiType.CLINICIAN,
        "00123456": PhiType.MRN,
        "01/15/2023": PhiType.DATE,
        "92": PhiType.AGE,
        "Springfield": PhiType.CITY,
        "IL": PhiType.STATE,
        "62704": PhiType.ZIP,
        "03601": PhiType.ZIP,
        "555-867-5309": PhiType.PHONE,
    }
)


def test_safe_harbor_output() -> None:
    result = deidentify_text(
        NOTE, DETECTOR.analyze(NOTE), policy=SAFE, book=MemorySurrogateBook(b"k" * 32), date_shift=None
    )

    assert result.text == (
        "Patient [PATIENT_1] (MRN [MRN_1]) seen 2023 by [CLINICIAN_2]. [PATIENT_1] is 90+ years old. "
        "Lives in [CITY_1], IL 627; second home ZIP 000. [CLINICIAN_2] will call [PATIENT_1] at [PHONE_1]."
    )
    assert result.counts() == {
        "PATIENT": 3,
        "MRN": 1,
        "DATE": 1,
        "CLINICIAN": 2,
        "AGE": 1,
        "CITY": 1,
        "STATE": 1,
        "ZIP": 2,
        "PHONE": 1,
    }


def test_limited_shifts_dates_by_the_patient_offset() -> None:
    shift = date_shift_days("token-of-patient", b"d" * 32)

    result = deidentify_text(
        "seen 01/15/2023",
        [s for s in DETECTOR.analyze("seen 01/15/2023")],
        policy=LIMITED,
        book=MemorySurrogateBook(b"k" * 32),
        date_shift=shift,
    )

    assert shift != 0
    assert shift == date_shift_days("token-of-patient", b"d" * 32)
    assert result.text == "seen " + shift_date("01/15/2023", shift)


def test_span_map_points_back_without_storing_values() -> None:
    result = deidentify_text(
        NOTE, DETECTOR.analyze(NOTE), policy=SAFE, book=MemorySurrogateBook(b"k" * 32), date_shift=None
    )

    for r in result.replacements:
        assert (
            result.text[r.start : r.end] != NOTE[r.original_start : r.original_end] or r.type is PhiType.STATE
        )
        assert result.to_original(r.start) == r.original_start
    tail = result.text.index("at [PHONE_1]")
    assert NOTE[result.to_original(tail) :].startswith("at 555")
    assert "John" not in repr(result.replacements)


def test_surrogates_are_stable_across_books_with_the_same_history() -> None:
    first = MemorySurrogateBook(b"k" * 32)
    first.label(PhiType.PATIENT, "John Smith")
    first.label(PhiType.CLINICIAN, "Dr. Lee")
    second = MemorySurrogateBook(b"k" * 32, first.new)

    assert second.label(PhiType.PATIENT, "SMITH, JOHN") == "[PATIENT_1]"
    assert second.label(PhiType.CLINICIAN, "Lee") == "[CLINICIAN_2]"
    assert second.label(PhiType.PERSON, "Mary Jones") == "[PERSON_3]"
    assert second.new == [("NAME", second.value_key(PhiType.PERSON, "Mary Jones"), 3)]


@pytest.mark.parametrize(
    ("text", "year", "shifted_by_minus_10"),
    [
        ("01/15/2023", "2023", "2023-01-05"),
        ("1/5/23", "2023", "2022-12-26"),
        ("2023-01-15", "2023", "2023-01-05"),
        ("Jan. 5, 2020", "2020", "2019-12-26"),
        ("January 15th, 2023", "2023", "2023-01-05"),
        ("15-Jan-2023", "2023", "2023-01-05"),
        ("15 of March 2021", "2021", "2021-03-05"),
        ("03/2019", "2019", "2019-02"),
        ("May 3", "[DATE]", "04-23"),
        ("sometime", "[DATE]", "[DATE]"),
    ],
)
def test_dates(text: str, year: str, shifted_by_minus_10: str) -> None:
    assert reduce_to_year(text) == year
    assert shift_date(text, -10) == shifted_by_minus_10


def test_impossible_dates_are_not_parsed() -> None:
    assert parse_date("02/30/2023") is None
    assert parse_date("13/45/2020") is None


def test_shift_is_never_zero_and_spread() -> None:
    shifts = {date_shift_days(f"token-{i}", b"d" * 32) for i in range(500)}

    assert 0 not in shifts
    assert min(shifts) < -200
    assert max(shifts) > 200
