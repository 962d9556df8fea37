"""Known values (names, IDs) found among OCR words as OCR really shows them; merging word boxes."""

from __future__ import annotations

import pytest

from multimed.core.edit_distance import within_one_edit
from multimed.ml.ocr.base import Box, OcrLine, OcrResult, OcrWord, merge_boxes
from multimed.ml.ocr.matching import KnownTextMatcher

VALUES = ("Smith^John", "MRN12345", "123-45-6789", "Dr^Li")


def line(text: str) -> list[OcrWord]:
    return [OcrWord(word, 90.0, (i * 100, 0, 90, 20)) for i, word in enumerate(text.split())]


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("SMITH^JOHN", {0}),
        ("SMITHAJOHN", {0}),  # the caret read as a letter
        ("Smith, John", {0, 1}),
        ("John Smith 12/03/1960", {0, 1}),
        ("Smlth", {0}),  # one OCR error in a 5+ letter name part
        ("Smithson", {0}),  # contains a 4+ letter part: over-redaction is the safe side
        ("MRN12345", {0}),
        ("ID:MRN12345", {0}),
        ("MRN 12345", {0, 1}),
        ("MRN: 12345 CT", {0, 1}),
        ("MRN12346", {0}),  # one digit misread
        ("123 45 6789", {0, 1, 2}),
        ("SSN 123-45-6789 OK", {1}),
        ("Li", {0}),  # a 2-letter name part matches as a whole word
        ("Lima Limb", set()),  # ... but not inside other words
        ("DR HOUSE", set()),  # a title is not a name
        ("12345", set()),  # part of an ID alone is not the ID
        ("Jo Smit", {1}),  # a dropped letter
        ("Jon Smythe", set()),  # 4 letters are too few for fuzzy matching, 2 edits too many
        ("L 5 cm", set()),
        ("", set()),
    ],
)
def test_words_that_show_a_known_value(text: str, hits: set[int]) -> None:
    assert KnownTextMatcher(VALUES).line_hits(line(text)) == hits


def test_boxes_of_matching_words_across_lines() -> None:
    result = OcrResult.of(
        [
            OcrLine.of(line("SMITH JOHN"), confidence=90, box=(0, 0, 190, 20)),
            OcrLine.of(line("5 cm"), confidence=90, box=(0, 30, 190, 20)),
        ],
        engine="fake",
        version="0",
        seconds=0.0,
    )

    assert KnownTextMatcher(VALUES).boxes(result) == {(0, 0, 90, 20), (100, 0, 90, 20)}


@pytest.mark.parametrize("text", ["MULLER", "Müller", "MUELER", "müller-lüdenscheidt"])
def test_accents_and_case_are_ignored(text: str) -> None:
    assert KnownTextMatcher(["Müller^Anna"]).line_hits(line(text)) == {0}


def test_no_values_match_nothing() -> None:
    matcher = KnownTextMatcher(["", "  ", "^"])

    assert not matcher
    assert matcher.line_hits(line("anything at all")) == set()


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("smith", "smith", True),
        ("smith", "smlth", True),
        ("smith", "smth", True),
        ("smith", "smiths", True),
        ("smith", "smythe", False),
        ("mrn12345", "mrn21345", False),
        ("", "a", True),
        ("", "ab", False),
    ],
)
def test_within_one_edit(a: str, b: str, near: bool) -> None:
    assert within_one_edit(a, b) is near
    assert within_one_edit(b, a) is near


@pytest.mark.parametrize(
    ("boxes", "merged"),
    [
        ([], []),
        ([(0, 0, 10, 10), (20, 0, 10, 10)], [(0, 0, 10, 10), (20, 0, 10, 10)]),
        ([(0, 0, 10, 10), (1, 1, 10, 10)], [(0, 0, 11, 11)]),
        ([(0, 0, 10, 10), (0, 0, 10, 10)], [(0, 0, 10, 10)]),
        # the first two only meet through the third, which grows the union
        ([(0, 0, 10, 10), (30, 0, 10, 10), (5, 5, 30, 2)], [(0, 0, 40, 10)]),
    ],
)
def test_merge_boxes(boxes: list[Box], merged: list[Box]) -> None:
    assert sorted(merge_boxes(boxes)) == merged
