"""Lab test names are clinical words: no weak finding may take them; the list follows the parser's."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from multimed.ml.phi.analyte_names import AnalyteNames, Covered
from multimed.ml.phi.base import PhiDetector, PhiType
from multimed.ml.phi.lexicon import load_lexicon
from phi.span_checks import covered_by


def _parser_names() -> list[str]:
    """Every name and alias of the lab parser's dictionary (the source of our copy)."""
    text = resources.files("multimed.findings.labs").joinpath("data", "analytes.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    return [name for row in rows for name in (row["name"], *row["aliases"].split("|")) if name]


def test_copy_holds_every_name_of_the_parser_dictionary() -> None:
    ours = load_lexicon().lab_analytes
    folded = {p.lower() for p in ours if len(p) > 2}
    missing = [n for n in _parser_names() if (n not in ours if len(n) <= 2 else n.lower() not in folded)]

    assert missing == []


# Lab lines as the generated reports print them (aligned, colon, ruled, dotted, two-column) and as OCR
# reads them: every one came out with a [PERSON_n] inside before the analyte list existed.
LAB_LINES = [
    "Urea Nitrogen                   19           7-20          mg/dL",
    "Creatine Kinase                179           30-200        U/L",
    "Glu         >600 mg/dL     Critical (70-99)",
    "Trig          86 mg/dL              (<150)",
    "Alb          4.8 g/dL               (3.5-5.0)",
    "Plt          250 K/uL               (150-400)",
    "Bilirubin, Total                0.4   mg/dL   0.1-1.2",
    "Bilirubin,  Total: 0.4 mg/dL (0.1-1.2)",
    "Prothrombin Time .........   13.1 s   (11.0-13.5)",
    "| Creatine Kinase        |      179 | H        | U/L       | 30 - 200     |",
    "Glu 78 mg/dL 70-99      Trig 86 mg/dL <150",
    "Urea  Nitrogen 1 9 mg/dL 7-20",
    "CO2, Total 26 mmol/L 22-29",
    "Creatine kinase was elevated on the last draw.",
]


@pytest.mark.parametrize("line", LAB_LINES)
def test_lab_line_keeps_its_test_name(detector: PhiDetector, line: str) -> None:
    assert detector.analyze(line) == []


# A name beside or made of an analyte word is still a name: the analyte list shields only what lies inside it.
NAMES_NEAR_ANALYTES = [
    ("K. Whitfield called about the potassium of 6.8.", "K. Whitfield"),
    ("Iron Whitfield called about the results 6.8.", "Iron Whitfield"),
    ("Chloe Glu called 3 times.", "Chloe Glu"),
    ("Creatine Kinase was elevated in Mr. Kinase's chart.", "Kinase"),
    ("Name: Alb, Mary    DOB: 01/02/1990", "Alb, Mary"),
]


@pytest.mark.parametrize(("text", "name"), NAMES_NEAR_ANALYTES)
def test_names_next_to_analytes_are_still_found(detector: PhiDetector, text: str, name: str) -> None:
    start = text.rindex(name)
    spans = detector.analyze(text)

    assert any(s.start <= start and start + len(name) <= s.end for s in spans), spans


def test_short_abbreviation_counts_only_before_a_value() -> None:
    names = AnalyteNames.build(load_lexicon())
    text = "Iron 80 ug/dL\nDr. Iron called\nK 6.8 mmol/L\nk 6.8\nBilirubin, Total\n"
    found = [text[s:e] for s, e in names.spans(text)]

    assert found == ["Iron", "K", "Bilirubin, Total"]


def test_short_aliases_match_in_their_own_case_only() -> None:
    names = AnalyteNames.build(load_lexicon())
    text = "pt 5 na 3 PT 12.1 Na 138 pH 7.4"

    assert [text[s:e] for s, e in names.spans(text)] == ["PT", "Na", "pH"]


@pytest.mark.parametrize(
    ("start", "end", "covered"),
    [
        (0, 15, True),  # "Creatine Kinase"
        (9, 15, True),  # "Kinase"
        (0, 26, True),  # dot leaders carry no letter or digit
        (0, 33, False),  # reaches into "Smith"
        (16, 26, False),  # nothing but dots
    ],
)
def test_coverage_counts_letters_and_digits_only(start: int, end: int, covered: bool) -> None:
    text = "Creatine Kinase .......... Smith"
    spans = AnalyteNames.build(load_lexicon()).spans(text)

    assert Covered.of(spans).covers(text, start, end) is covered


def test_analyte_word_in_a_header_name_is_still_redacted(detector: PhiDetector) -> None:
    text = "Patient: Iron, Mary    MRN: 44817720\nIron 80 ug/dL (60-170)\n"
    spans = detector.analyze(text)

    result_line = text.index("\n") + 1

    assert covered_by(spans, text, "Iron, Mary", PhiType.PATIENT)
    assert not any(s.start < result_line + 4 and result_line < s.end for s in spans)
