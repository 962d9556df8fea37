"""Word error rate after normalising how numbers, units, spellings and punctuation are written."""

from __future__ import annotations

import pytest

from multimed.ml.transcription.scoring import (
    alignment,
    normalize,
    pooled_word_error_rate,
    term_recall,
    word_error_rate,
)


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
        ("one sixty five", ["165"]),
        ("one thousand two hundred forty", ["1240"]),
        ("two hundred ten thousand", ["210000"]),
        ("zero point zero four", ["0.04"]),
        ("six point two five", ["6.25"]),
        ("the third dose, twenty first", ["the", "3rd", "dose", "21st"]),
        # successive single numbers are read one digit at a time, as Whisper's normaliser does
        ("re-check, five five five", ["recheck", "555"]),
        ("Start lisinopril 10mg daily", ["start", "lisinopril", "10", "mg", "daily"]),
        ("HbA1c 9.2%, 1,000 units", ["hba", "1", "c", "9.2%", "1000", "units"]),
        ("eight point two percent, 8 per cent", ["8.2%", "8%"]),
        ("Blood pressure 142/88.", ["blood", "pressure", "142", "over", "88"]),
        ("Glucose 168 mg/dL", ["glucose", "168", "mg", "per", "dl"]),
        ("one hundred sixty eight milligrams per deciliter", ["168", "mg", "per", "dl"]),
        ("30 mL/kg", ["30", "ml", "per", "kg"]),
        ("thirty millilitres per kilogramme", ["30", "ml", "per", "kg"]),
        ("Give 1 g, then one gram", ["give", "1", "g", "then", "1", "g"]),
        ("58-year-old", ["58", "year", "old"]),
        ("Post-operative follow-up", ["postoperative", "follow", "up"]),
        ("E.C.G. normal", ["ecg", "normal"]),
        ("troponin .04", ["troponin", "0.04"]),
        ("Haemoglobin low, oedema", ["hemoglobin", "low", "edema"]),
        (
            "Lactated Ringer's; it's fine, won't go",
            ["lactated", "ringers", "it", "is", "fine", "will", "not", "go"],
        ),
        ("[inaudible] um the dose (repeat)", ["the", "dose"]),
    ],
)
def test_normalize(text: str, words: list[str]) -> None:
    assert normalize(text) == words


def test_word_error_rate_counts_edits_per_reference_word() -> None:
    reference = "Potassium 6.8. Start lisinopril 10 milligrams daily."
    assert word_error_rate(reference, "potassium six point eight, start lisinopril ten mg daily") == 0
    assert word_error_rate(reference, "Potassium 6.8. Start listing up for 10 milligrams daily.") == 3 / 7
    assert word_error_rate(reference, "") == 1
    # a misheard number is an error, however it is written
    assert word_error_rate("Blood pressure 160/95", "blood pressure 1.60 over 95") == 1 / 5


def test_a_minus_sign_is_the_word_minus_and_hyphens_are_not_signs() -> None:
    assert (
        normalize("T-score -2.8")
        == normalize("T score minus two point eight")
        == ["t", "score", "minus", "2.8"]
    )
    assert word_error_rate("T-score -2.8", "T-score 2.8") == 1 / 4  # a dropped sign is an error
    assert "minus" not in normalize("a 67-year-old, range 3.5-5.1, BP 120/-")


def test_pooled_word_error_rate_weighs_each_reference_word_once() -> None:
    long = ("Start lisinopril 10 milligrams daily.", "start listing up for 10 milligrams daily")  # 3 of 5
    short = ("Potassium 6.8.", "potassium 6.8")  # 0 of 2
    assert pooled_word_error_rate([long, short]) == 3 / 7  # not the mean of 0.6 and 0
    assert pooled_word_error_rate([]) == 0


def test_alignment_names_each_edit() -> None:
    reference = normalize("Start lisinopril 10 mg daily now")
    hypothesis = normalize("start listing up for 10 milligrams daily thank you")
    assert alignment(reference, hypothesis) == [
        ("substitute", "lisinopril", "listing up for"),
        ("substitute", "now", "thank you"),
    ]
    assert alignment(["a", "b"], ["a"]) == [("delete", "b", "")]
    assert alignment(["a"], ["x", "a"]) == [("insert", "", "x")]


def test_term_recall() -> None:
    reference = "Hold furosemide, start lisinopril and recheck potassium."
    found, present = term_recall(
        reference,
        "Hold your osmide, start lisinopril, recheck potassium",
        ["furosemide", "lisinopril", "potassium", "warfarin"],
    )
    assert (found, present) == (2, 3)
