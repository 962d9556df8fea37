"""Long text is cut at sentence or line ends and read piece by piece with the same answers."""

from __future__ import annotations

import itertools

from multimed.findings.clinical import extract_conditions
from multimed.findings.clinical.text_chunks import chunk_bounds


def test_short_text_is_one_piece() -> None:
    assert chunk_bounds("No chest pain.", limit=100) == [(0, 14)]
    assert chunk_bounds("", limit=100) == [(0, 0)]


def test_pieces_cover_the_text_and_end_at_sentence_or_line_ends() -> None:
    text = "Denies chest pain. Reports syncope!\nPMH: MI. " * 20
    bounds = chunk_bounds(text, limit=100)
    assert bounds[0][0] == 0
    assert bounds[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(bounds))
    assert all(end - start <= 100 for start, end in bounds)
    assert all(text[end - 1] in " \n" for _, end in bounds[:-1])


def test_a_line_without_sentence_ends_is_cut_at_a_space_or_hard() -> None:
    assert chunk_bounds("word " * 10, limit=12) == [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50)]
    assert chunk_bounds("x" * 25, limit=10) == [(0, 10), (10, 20), (20, 25)]


def test_a_long_transcript_reads_like_its_sentences() -> None:
    sentence = "Patient denies chest pain. His wife noticed facial droop. History of MI. "
    text = sentence * 80  # about 5,800 characters: three pieces
    assert len(chunk_bounds(text)) > 1
    expected = extract_conditions(sentence)
    found = extract_conditions(text)
    assert len(found) == 80 * len(expected)
    for index, finding in enumerate(found):
        repeat, which = divmod(index, len(expected))
        shift = repeat * len(sentence)
        assert (finding.name, finding.details["status"]) == (
            expected[which].name,
            expected[which].details["status"],
        )
        assert (finding.start, finding.end) == (expected[which].start + shift, expected[which].end + shift)
