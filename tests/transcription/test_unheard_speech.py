"""Speech a decode left out is found by the VAD and decoded again (ml/transcription/unheard.py)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from multimed.ml.transcription import audio, models, unheard
from multimed.ml.transcription.audio import SAMPLE_RATE
from multimed.ml.transcription.scoring import normalize
from multimed.ml.transcription.whisper import FasterWhisperTranscriber
from transcription.speech_fixtures import AUDIO

S = SAMPLE_RATE


def test_a_span_without_words_is_unheard_and_a_covered_one_is_not() -> None:
    speech = [(0, 3 * S), (4 * S, 6 * S), (7 * S, 7 * S + S // 2)]
    words = [(0.2, 0.8), (0.9, 2.9)]  # the first sentence only
    # The second span has no word; the third is too short to count (a cough, a breath).
    assert unheard.unheard_spans(speech, words) == [(4 * S, 6 * S)]
    # A word at the edge of a span is not enough to call it heard.
    assert unheard.unheard_spans(speech, [*words, (5.9, 6.3)]) == [(4 * S, 6 * S)]
    assert unheard.unheard_spans(speech, [*words, (4.1, 5.9)]) == []


def test_cuts_set_an_unheard_span_apart() -> None:
    words = [(0.2, 2.9), (7.0, 8.0)]
    # Between words: the middle of each gap.
    assert unheard.cuts_around([(4 * S, 6 * S)], words, 9 * S) == [round(3.45 * S), round(6.5 * S)]
    # At the end of the piece, no word after it: a cut before it only (the piece ends after it).
    assert unheard.cuts_around([(8 * S + S // 2, 9 * S)], words, 9 * S) == [round(8.25 * S)]
    # Nothing heard at all: the span is cut out with a little quiet on each side.
    edge = round(unheard.EDGE_SECONDS * S)
    assert unheard.cuts_around([(2 * S, 4 * S)], [], 9 * S) == [2 * S - edge, 4 * S + edge]


def test_the_vad_finds_each_sentence_of_a_dictation() -> None:
    samples = audio.decode(AUDIO / "two_dictations.ogg")  # two dictations, eight sentences, 22.7 s
    spans = unheard.speech_spans(samples)
    assert 5 <= len(spans) <= 12
    assert all(0 <= a < b <= len(samples) for a, b in spans)
    assert spans == sorted(spans)


class DropsTheSecondSentence(FasterWhisperTranscriber):
    """The real engine, except that its first decode of a piece stops after the first sentence, as tiny.en
    with the vocabulary prompt did on an AVX-512 CPU (the whole-file counterpart is
    test_whisper_transcriber.test_long_recordings_go_through_windows)."""

    first = True

    def _decode_piece(self, samples: audio.Samples, initial_prompt: str) -> Iterable[Any]:
        segments = list(super()._decode_piece(samples, initial_prompt))
        if not self.first:
            return segments
        self.first = False
        kept = []
        for segment in segments:
            words = []
            for word in segment.words:
                words.append(word)
                if word.word.rstrip().endswith("."):
                    break
            kept.append(dataclasses.replace(segment, words=words, text="".join(w.word for w in words)))
            break
        return kept


def test_a_dropped_sentence_is_decoded_again() -> None:
    samples = audio.decode(AUDIO / "two_dictations.ogg")[: round(5.55 * S)]  # "... two days. Potassium 6.8."
    engine = DropsTheSecondSentence(models.whisper_tiny_en_dir(), model_name="whisper-tiny.en")
    parts = engine._decode_all_of(samples, engine.default_prompt)

    assert len(parts) == 2  # the piece again, cut in the pause before the unheard sentence
    said = [normalize(" ".join(s.text for s in segments)) for _, _, segments in parts]
    assert "days" in said[0]
    assert "potassium" not in said[0]
    assert "potassium" in said[1]
    (start0, length0, _), (start1, length1, _) = parts
    assert start0 == 0.0
    assert abs(start1 - length0) < 1e-9
    assert abs(start1 + length1 - len(samples) / S) < 1e-9

    # Switched off, the same engine leaves the piece as decoded.
    off = DropsTheSecondSentence(
        models.whisper_tiny_en_dir(), model_name="whisper-tiny.en", recover_unheard=False
    )
    (only,) = off._decode_all_of(samples, off.default_prompt)
    assert "potassium" not in normalize(" ".join(s.text for s in only[2]))
