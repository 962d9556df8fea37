"""A run of words that spells the start of a multi-word term is left alone, not completed into a duplicate."""

from __future__ import annotations

from multimed.ml.transcription.lexicon import clinical_lexicon

DOUBTFUL = 0.3


def test_the_start_of_a_multi_word_term_is_not_completed() -> None:
    words = [("Transient", DOUBTFUL), ("ischemic", DOUBTFUL), ("attack", 0.9), ("with", 0.9)]
    assert clinical_lexicon().corrections(words) == []
    assert clinical_lexicon().corrections([("chronic", DOUBTFUL), ("kidney", DOUBTFUL)]) == []


def test_a_misheard_word_is_still_corrected() -> None:
    fixes = clinical_lexicon().corrections([("start", 0.9), ("mancomycin", DOUBTFUL), ("daily", 0.9)])
    assert [(f.heard, f.term) for f in fixes] == [("mancomycin", "vancomycin")]
