"""The lab reader's judgement of OCR lines for a second reading (ocr_check.py), and a two-column line whose
right-hand name OCR ruined: its flag stays its own."""

from __future__ import annotations

import pytest

from multimed.findings.draft import Severity
from multimed.findings.labs import CriticalLimits, extract_labs, load_critical_limits
from multimed.findings.labs.ocr_check import NUMBER_DOUBT, LabLineCheck
from multimed.findings.labs.unidentified import UNIDENTIFIED

SURE = 95.0
UNSURE = NUMBER_DOUBT - 20


@pytest.fixture(scope="module")
def limits() -> CriticalLimits:
    return load_critical_limits()


@pytest.fixture(scope="module")
def check(limits: CriticalLimits) -> LabLineCheck:
    return LabLineCheck(limits)


def words(text: str, unsure: tuple[int, ...] = ()) -> list[tuple[str, float]]:
    return [(word, UNSURE if i in unsure else SURE) for i, word in enumerate(text.split())]


@pytest.mark.parametrize(
    ("line", "unsure", "doubtful"),
    [
        ("BLY 1011 K/uL Critical (150-400)", (0,), [0]),  # a name nothing spells, critical flag
        ("BLY 250 K/uL (150-400)", (), [0]),  # nor without a flag: any result line
        ("at 98 mEq/L 98-107 HDL 54 mg/dL >40", (), [0]),  # Cl in the left column
        ("P1t 421 K/uL 150-400 H", (0,), []),  # a misreading the reader undoes itself
        ("Hematocrit 45.8 % 36.0-48.0", (1,), [1]),  # an unsure value
        ("Hematocrit 45.8 % 36.0-48.0", (), []),  # a sure one
        ("Hematocrit 47 .4 36.0-48.0 %", (1, 2), [1, 2]),  # a value OCR split in two words
        ("Albumin S d g/dL 3.5-5.0", (1, 2), [1, 2]),  # no value read after a name
        ("Albumin S d g/dL 3.5-5.0", (), []),
        ("Name: JOHN SMITH DOB: 01/02/1960", (0, 1, 2), []),  # no result line
    ],
)
def test_which_words_are_read_again(
    check: LabLineCheck, line: str, unsure: tuple[int, ...], doubtful: list[int]
) -> None:
    assert check.doubtful_words(words(line, unsure)) == doubtful


@pytest.mark.parametrize(
    ("first", "second", "taken"),
    [
        ("BLY 1011 K/uL Critical (150-400)", "Plt 1011 K/uL Critical (150-400)", True),
        ("BLY 1011 K/uL Critical (150-400)", "P1t 1011 K/uL Critical (150-400)", True),  # misread, confirmed
        (
            "BLY 1011 K/uL Critical (150-400)",
            "Hgb 1011 K/uL Critical (150-400)",
            False,
        ),  # K/uL is no Hgb unit
        ("BLY 1011 K/uL Critical (150-400)", "BLX 1011 K/uL Critical (150-400)", False),  # still unreadable
        # EasyOCR's real reading of the seed-4 scan: a stray mark where a column gap was
        ("BLY 1011 K/uL Critical (150-400)", "Plt ' 1011 K/uL Critical (150-400)", True),
        ("BLY 1011 K/uL Critical (150-400)", "Hgb ' 1011 K/uL Critical (150-400)", False),  # no Hgb unit
        ("Qzx 45 U/L (7-56)", "AXT ` 45 U/L (7-56)", False),  # one edit from ALT and from AST, both in U/L
        ("Qzx 45 U/L (7-56)", "AXT 45 U/L (7-56)", False),
        ("Qzx 45 U/L (7-56)", "ALT ` 45 U/L (7-56)", True),
        ("at 98 mEq/L 98-107", "Cl 98 mEq/L 98-107", True),
        ("at 98 mEq/L 98-107", "K 98 mEq/L 98-107", False),  # potassium 98 is not plausible
        ("Hematocrit 45.8 % 36.0-48.0", "Hematocrit 45.5 % 36.0-48.0", False),  # a digit changed: no vote
        ("PT 111 sec 11.0-13.5", "PT 11.1 sec 11.0-13.5", True),  # a decimal point Tesseract lost
        ("Hematocrit 47 .4 % 36.0-48.0", "Hematocrit 47.4 % 36.0-48.0", True),
        ("Hemoglobin 7.0 L g/dL 12.0-16.0", "Hemoglobin 1.0 L g/dL 12.0-16.0", False),  # EasyOCR's 7 -> 1
        ("Hematocrit 45.8 % 36.0-48.0", "Hematocrit 458 % 36.0-48.0", False),  # implausible
        ("Hematocrit 45.8 % 36.0-48.0", "Hematocrit 45.5 36.0-48.0", False),  # the unit lost
        ("Hematocrit 45.8 % 36.0-48.0", "Hemoglobin 45.5 % 36.0-48.0", False),  # another analyte
        ("Hematocrit 45.8 % 36.0-48.0 H", "Hematocrit 45.5 % 36.0-48.0", False),  # a flag lost
        ("Albumin S d g/dL 3.5-5.0", "Albumin 3.7 g/dL 3.5-5.0", True),
        ("Albumin S d g/dL 3.5-5.0", "Albumin 37 g/dL 3.5-5.0", False),  # implausible
    ],
)
def test_when_a_second_reading_is_taken(check: LabLineCheck, first: str, second: str, taken: bool) -> None:
    assert check.consistent(first, second) is taken


@pytest.mark.parametrize(
    "line",
    [
        "Na 139 mmol/L 135-145 BLY 1011 K/uL Critical 150-400",
        "Cl 108 mmol/L 98-107 BLY 1011 K/uL Critical (150-400)",
    ],
)
def test_a_right_hand_critical_flag_stays_in_its_column(limits: CriticalLimits, line: str) -> None:
    """The left result ended before the right one's unreadable name: its value, unit, flag are not its."""
    left, right = extract_labs(line, limits)

    assert left.severity is not Severity.CRITICAL
    assert left.details["printed_flag"] is None
    assert (right.name, right.severity, right.value, right.details["printed_unit"]) == (
        UNIDENTIFIED,
        Severity.CRITICAL,
        1011,
        "K/uL",
    )


def test_a_left_unit_and_range_start_no_unreadable_name(limits: CriticalLimits) -> None:
    [sodium] = extract_labs("Na 139 mmol/L 135-145 (normal)", limits)

    assert (sodium.value, sodium.unit, sodium.reference_high) == (139, "mmol/L", 145)
