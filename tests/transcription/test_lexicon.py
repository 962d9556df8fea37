"""Lexicon correction of misheard clinical terms: what it replaces, and what it must leave alone."""

from __future__ import annotations

from multimed.ml.transcription.base import TranscriptBuilder
from multimed.ml.transcription.lexicon import Lexicon, clinical_lexicon, sound_key
from multimed.ml.transcription.whisper import _corrected

DOUBTFUL = 0.3
SURE = 0.95


def heard(text: str, probability: float = SURE, doubtful: tuple[str, ...] = ()) -> list[tuple[str, float]]:
    """Words of `text`, each with `probability`, except those listed in `doubtful`."""
    return [(w, DOUBTFUL if w.strip(".,") in doubtful else probability) for w in text.split()]


def fixed(words: list[tuple[str, float]]) -> list[tuple[str, str]]:
    return [(c.heard, c.term) for c in clinical_lexicon().corrections(words)]


def test_the_packaged_lexicon_holds_drugs_and_lab_names() -> None:
    lexicon = clinical_lexicon()
    assert len(lexicon) > 250
    assert fixed(heard("Give nitroblisser in 0.4 mg", doubtful=("nitroblisser",))) == [
        ("nitroblisser in", "nitroglycerin")
    ]


def test_doubtful_words_that_sound_like_a_term_become_it() -> None:
    words = heard(
        "continue carvidilol 6.25 mg, Inoxaparin 40 mg daily", doubtful=("carvidilol", "Inoxaparin")
    )
    assert fixed(words) == [("carvidilol", "carvedilol"), ("Inoxaparin", "enoxaparin")]
    assert fixed(heard("start tazamactam and mancomycin", doubtful=("tazamactam", "mancomycin"))) == [
        ("tazamactam", "tazobactam"),
        ("mancomycin", "vancomycin"),
    ]


def test_words_heard_with_confidence_are_left_alone() -> None:
    assert fixed(heard("Give nitroblisser in 0.4 mg")) == []


def test_a_term_already_heard_does_not_swallow_its_neighbours() -> None:
    words = heard("hold furosemide and recheck", probability=DOUBTFUL)
    assert fixed(words) == []
    assert fixed(heard("add hydrochlorothiazide daily", probability=DOUBTFUL)) == []
    assert fixed(heard("blood cultures drawn", probability=DOUBTFUL)) == []


def test_ordinary_words_that_sound_unlike_any_term_stay() -> None:
    text = "Patient reports chest pain for two days and twice daily minutes apart"
    assert fixed(heard(text, probability=DOUBTFUL)) == []


def test_a_name_does_not_run_across_a_comma_or_numbers() -> None:
    assert fixed(heard("as it, remise 500 mg", probability=DOUBTFUL)) == []
    assert fixed(heard("as it remise 500 mg", probability=DOUBTFUL)) == [("as it remise", "azithromycin")]
    assert fixed(heard("1,000 milligrams", probability=DOUBTFUL)) == []


def test_sound_key_folds_spellings_that_sound_alike() -> None:
    assert sound_key("phenytoin") == sound_key("fenytoin") == "fenitoin"
    assert sound_key("Ceftriaxone") == "seftriaksone"
    assert sound_key("zz", vowels=False) == "s"
    assert Lexicon(["lisinopril", "INR"]).corrections([("lissinopril", DOUBTFUL), ("inn", DOUBTFUL)])[
        0
    ].term == ("lisinopril")


def test_a_corrected_word_keeps_what_was_heard_and_its_place() -> None:
    words = [
        (" Start", 0.0, 0.3, SURE),
        (" as", 0.3, 0.5, DOUBTFUL),
        (" it", 0.5, 0.6, 0.5),
        (" remise,", 0.6, 1.1, 0.6),
        (" 500", 1.1, 1.4, SURE),
    ]
    corrected, was = _corrected(words, clinical_lexicon())
    assert corrected == [
        (" Start", 0.0, 0.3, SURE),
        (" azithromycin,", 0.3, 1.1, DOUBTFUL),
        (" 500", 1.1, 1.4, SURE),
    ]
    assert was == ["", "as it remise,", ""]
    builder = TranscriptBuilder()
    builder.add(text="", start=0.0, end=1.4, words=corrected, avg_logprob=-0.2, no_speech_prob=0.0, heard=was)
    transcript = builder.build(
        language="en", duration_seconds=2.0, engine="e", model="m", version="v", seconds_processed=0.1
    )
    assert transcript.text == "Start azithromycin, 500"
    word = transcript.words[1]
    assert (transcript.text[word.char_start : word.char_end], word.heard) == (
        "azithromycin,",
        "as it remise,",
    )
    assert transcript.time_span(word.char_start, word.char_end) == (0.3, 1.1)
    assert transcript.words[0].heard == ""
